"""nct initial: directories and imports

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-25 12:33:37.396164
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "directory_versions",
        sa.Column("version", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("version", name=op.f("pk_directory_versions")),
    )
    op.create_table(
        "received_packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("imported_by", sa.String(length=100), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column(
            "manifest_json",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "payload",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column(
            "summary",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("package_id", sa.String(length=64), nullable=False),
        sa.Column("sender", sa.String(length=40), nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("stream_key", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("accepted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("audit_entries", sa.Integer(), nullable=True),
        sa.Column("audit_digest", sa.String(length=64), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_packages")),
        sa.UniqueConstraint("package_id", name=op.f("uq_received_packages_package_id")),
    )
    with op.batch_alter_table("received_packages", schema=None) as batch_op:
        batch_op.create_index(
            "ix_received_packages_channel",
            ["sender", "recipient", "kind", "stream_key", "sequence"],
            unique=False,
        )
        batch_op.create_index("ix_received_packages_key", ["site_code", "kind", "stream_key"], unique=False)

    op.create_table(
        "applicants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("ikt", sa.String(length=12), nullable=False),
        sa.Column("iin", sa.String(length=12), nullable=True),
        sa.Column("surname", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("patronymic", sa.String(length=100), nullable=False),
        sa.Column("sex", sa.String(length=1), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("citizenship_code", sa.String(length=4), nullable=False),
        sa.Column("nationality_code", sa.String(length=4), nullable=False),
        sa.Column("region_code", sa.String(length=4), nullable=False),
        sa.Column("district_code", sa.String(length=4), nullable=False),
        sa.Column("school_code", sa.String(length=6), nullable=False),
        sa.Column("test_language", sa.String(length=2), nullable=False),
        sa.Column("history_language", sa.String(length=2), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("stream", sa.Integer(), nullable=True),
        sa.Column("room_number", sa.String(length=4), nullable=True),
        sa.ForeignKeyConstraint(
            ["received_id"],
            ["received_packages.id"],
            name=op.f("fk_applicants_received_id_received_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicants")),
        sa.UniqueConstraint("site_code", "ikt", name=op.f("uq_applicants_site_code_ikt")),
    )
    with op.batch_alter_table("applicants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_applicants_ikt"), ["ikt"], unique=False)
        batch_op.create_index(batch_op.f("ix_applicants_received_id"), ["received_id"], unique=False)

    op.create_table(
        "dir_citizenships",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name_kk", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["version"],
            ["directory_versions.version"],
            name=op.f("fk_dir_citizenships_version_directory_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_citizenships")),
        sa.UniqueConstraint("version", "code", name=op.f("uq_dir_citizenships_version_code")),
    )
    with op.batch_alter_table("dir_citizenships", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dir_citizenships_version"), ["version"], unique=False)

    op.create_table(
        "dir_districts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=4), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name_kk", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["version"],
            ["directory_versions.version"],
            name=op.f("fk_dir_districts_version_directory_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_districts")),
        sa.UniqueConstraint(
            "version", "region_code", "code", name=op.f("uq_dir_districts_version_region_code_code")
        ),
    )
    with op.batch_alter_table("dir_districts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dir_districts_version"), ["version"], unique=False)

    op.create_table(
        "dir_nationalities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name_kk", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["version"],
            ["directory_versions.version"],
            name=op.f("fk_dir_nationalities_version_directory_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_nationalities")),
        sa.UniqueConstraint("version", "code", name=op.f("uq_dir_nationalities_version_code")),
    )
    with op.batch_alter_table("dir_nationalities", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dir_nationalities_version"), ["version"], unique=False)

    op.create_table(
        "dir_regions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=4), nullable=False),
        sa.Column("name_kk", sa.String(length=200), nullable=False),
        sa.Column("name_ru", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["version"],
            ["directory_versions.version"],
            name=op.f("fk_dir_regions_version_directory_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_regions")),
        sa.UniqueConstraint("version", "code", name=op.f("uq_dir_regions_version_code")),
    )
    with op.batch_alter_table("dir_regions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dir_regions_version"), ["version"], unique=False)

    op.create_table(
        "dir_schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=4), nullable=False),
        sa.Column("district_code", sa.String(length=4), nullable=False),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("name_kk", sa.String(length=300), nullable=False),
        sa.Column("name_ru", sa.String(length=300), nullable=False),
        sa.Column("bin", sa.String(length=12), nullable=False),
        sa.Column("settlement", sa.String(length=16), nullable=False),
        sa.Column("locality_kk", sa.String(length=200), nullable=False),
        sa.Column("locality_ru", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(
            ["version"],
            ["directory_versions.version"],
            name=op.f("fk_dir_schools_version_directory_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_schools")),
        sa.UniqueConstraint("version", "bin", name=op.f("uq_dir_schools_version_bin")),
        sa.UniqueConstraint(
            "version",
            "region_code",
            "district_code",
            "code",
            name=op.f("uq_dir_schools_version_region_code_district_code_code"),
        ),
    )
    with op.batch_alter_table("dir_schools", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dir_schools_version"), ["version"], unique=False)

    op.create_table(
        "received_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["received_id"],
            ["received_packages.id"],
            name=op.f("fk_received_attachments_received_id_received_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_attachments")),
        sa.UniqueConstraint("received_id", "name", name=op.f("uq_received_attachments_received_id_name")),
    )
    with op.batch_alter_table("received_attachments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_received_attachments_received_id"), ["received_id"], unique=False
        )

    op.create_table(
        "site_records",
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("region_code", sa.String(length=4), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("directory_version", sa.Integer(), nullable=True),
        sa.Column(
            "facts",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["received_id"],
            ["received_packages.id"],
            name=op.f("fk_site_records_received_id_received_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("site_code", name=op.f("pk_site_records")),
    )
    with op.batch_alter_table("site_records", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_records_received_id"), ["received_id"], unique=False)

    op.create_table(
        "site_room_streams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("stream", sa.Integer(), nullable=False),
        sa.Column("room_number", sa.String(length=4), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("reserve", sa.Boolean(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["received_id"],
            ["received_packages.id"],
            name=op.f("fk_site_room_streams_received_id_received_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_room_streams")),
        sa.UniqueConstraint(
            "site_code",
            "stream",
            "room_number",
            name=op.f("uq_site_room_streams_site_code_stream_room_number"),
        ),
    )
    with op.batch_alter_table("site_room_streams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_room_streams_received_id"), ["received_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_site_room_streams_site_code"), ["site_code"], unique=False)

    op.create_table(
        "site_rooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=4), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column("ventilation", sa.String(length=40), nullable=False),
        sa.Column("jammers", sa.Integer(), nullable=False),
        sa.Column("cameras", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["received_id"],
            ["received_packages.id"],
            name=op.f("fk_site_rooms_received_id_received_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_rooms")),
        sa.UniqueConstraint("site_code", "number", name=op.f("uq_site_rooms_site_code_number")),
    )
    with op.batch_alter_table("site_rooms", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_rooms_received_id"), ["received_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_site_rooms_site_code"), ["site_code"], unique=False)

    op.create_table(
        "site_schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("bin", sa.String(length=12), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("region_code", sa.String(length=4), nullable=False),
        sa.Column("district_code", sa.String(length=4), nullable=False),
        sa.Column("school_code", sa.String(length=6), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("settlement", sa.String(length=16), nullable=False),
        sa.Column(
            "streams",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("expected_applicants", sa.Integer(), nullable=False),
        sa.Column(
            "expected_by_language",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["received_id"],
            ["received_packages.id"],
            name=op.f("fk_site_schools_received_id_received_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_schools")),
        sa.UniqueConstraint("site_code", "bin", name=op.f("uq_site_schools_site_code_bin")),
    )
    with op.batch_alter_table("site_schools", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_schools_received_id"), ["received_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_site_schools_site_code"), ["site_code"], unique=False)

    op.create_table(
        "site_streams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=False),
        sa.Column("received_id", sa.Integer(), nullable=False),
        sa.Column("stream", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["received_id"],
            ["received_packages.id"],
            name=op.f("fk_site_streams_received_id_received_packages"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_site_streams")),
        sa.UniqueConstraint("site_code", "stream", name=op.f("uq_site_streams_site_code_stream")),
    )
    with op.batch_alter_table("site_streams", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_site_streams_received_id"), ["received_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_site_streams_site_code"), ["site_code"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("site_streams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_streams_site_code"))
        batch_op.drop_index(batch_op.f("ix_site_streams_received_id"))

    op.drop_table("site_streams")
    with op.batch_alter_table("site_schools", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_schools_site_code"))
        batch_op.drop_index(batch_op.f("ix_site_schools_received_id"))

    op.drop_table("site_schools")
    with op.batch_alter_table("site_rooms", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_rooms_site_code"))
        batch_op.drop_index(batch_op.f("ix_site_rooms_received_id"))

    op.drop_table("site_rooms")
    with op.batch_alter_table("site_room_streams", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_room_streams_site_code"))
        batch_op.drop_index(batch_op.f("ix_site_room_streams_received_id"))

    op.drop_table("site_room_streams")
    with op.batch_alter_table("site_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_site_records_received_id"))

    op.drop_table("site_records")
    with op.batch_alter_table("received_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_received_attachments_received_id"))

    op.drop_table("received_attachments")
    with op.batch_alter_table("dir_schools", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dir_schools_version"))

    op.drop_table("dir_schools")
    with op.batch_alter_table("dir_regions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dir_regions_version"))

    op.drop_table("dir_regions")
    with op.batch_alter_table("dir_nationalities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dir_nationalities_version"))

    op.drop_table("dir_nationalities")
    with op.batch_alter_table("dir_districts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dir_districts_version"))

    op.drop_table("dir_districts")
    with op.batch_alter_table("dir_citizenships", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dir_citizenships_version"))

    op.drop_table("dir_citizenships")
    with op.batch_alter_table("applicants", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applicants_received_id"))
        batch_op.drop_index(batch_op.f("ix_applicants_ikt"))

    op.drop_table("applicants")
    with op.batch_alter_table("received_packages", schema=None) as batch_op:
        batch_op.drop_index("ix_received_packages_key")
        batch_op.drop_index("ix_received_packages_channel")

    op.drop_table("received_packages")
    op.drop_table("directory_versions")
