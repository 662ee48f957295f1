"""Foundation: site, streams, rooms, schools, registration journal, applicants, audit head.

Revision ID: 0001_foundation
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_foundation"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GENESIS_HASH = "0" * 64


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True)


def _not_negative(table: str, *columns: str) -> list[sa.CheckConstraint]:
    return [sa.CheckConstraint(f"{c} >= 0", name=op.f(f"ck_{table}_{c}_not_negative")) for c in columns]


def upgrade() -> None:
    op.create_table(
        "workstation_info",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("workstation_code", sa.String(length=32), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("site_code", sa.String(length=16), nullable=True),
        sa.Column("enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_workstation_info_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workstation_info")),
    )
    audit_head = op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("last_lines", sa.Text(), nullable=False),
        sa.Column("last_offset", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_audit_head_single_row")),
        sa.CheckConstraint("seq >= 0", name=op.f("ck_audit_head_seq_not_negative")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    # The chain starts empty; the row exists from the start so that it can be locked.
    op.bulk_insert(
        audit_head, [{"id": 1, "seq": 0, "hash": GENESIS_HASH, "last_lines": "", "last_offset": 0}]
    )

    op.create_table(
        "sites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name_kk", sa.String(length=300), nullable=False),
        sa.Column("name_ru", sa.String(length=300), nullable=False),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("lodging_places", sa.Integer(), nullable=False),
        sa.Column("meal_places", sa.Integer(), nullable=False),
        sa.Column("restroom_location", sa.String(length=200), nullable=True),
        sa.Column("metal_detector_type", sa.String(length=200), nullable=True),
        sa.Column("metal_detector_count", sa.Integer(), nullable=False),
        sa.Column("jammers_count", sa.Integer(), nullable=False),
        sa.Column("cameras_count", sa.Integer(), nullable=False),
        *_not_negative(
            "sites", "cameras_count", "jammers_count", "lodging_places", "meal_places", "metal_detector_count"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sites")),
        sa.UniqueConstraint("code", name=op.f("uq_sites_code")),
    )
    op.create_table(
        "streams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("exam_date", sa.Date(), nullable=False),
        sa.CheckConstraint("number >= 1", name=op.f("ck_streams_number_positive")),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_streams_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_streams")),
        sa.UniqueConstraint("site_id", "number", name=op.f("uq_streams_site_id_number")),
    )
    op.create_table(
        "rooms",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=8), nullable=False),
        sa.Column("building", sa.String(length=200), nullable=False),
        sa.Column("desks", sa.Integer(), nullable=False),
        sa.Column("seats", sa.Integer(), nullable=False),
        sa.Column(
            "ventilation", _enum("ventilation", "natural", "mechanical", "air-conditioning"), nullable=False
        ),
        sa.Column("jammers_count", sa.Integer(), nullable=False),
        sa.Column("cameras_count", sa.Integer(), nullable=False),
        *_not_negative("rooms", "cameras_count", "desks", "jammers_count"),
        sa.CheckConstraint("seats > 0", name=op.f("ck_rooms_seats_positive")),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_rooms_site_id_sites"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rooms")),
        sa.UniqueConstraint("site_id", "number", name=op.f("uq_rooms_site_id_number")),
    )
    op.create_table(
        "room_streams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=False),
        sa.Column("stream_id", sa.Integer(), nullable=False),
        sa.Column("language_status", _enum("language_status", "kk", "ru", "en-kk", "en-ru"), nullable=False),
        sa.Column("is_reserve", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["room_id"], ["rooms.id"], name=op.f("fk_room_streams_room_id_rooms"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["stream_id"], ["streams.id"], name=op.f("fk_room_streams_stream_id_streams"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_room_streams")),
        sa.UniqueConstraint("room_id", "stream_id", name=op.f("uq_room_streams_room_id_stream_id")),
    )
    op.create_index(op.f("ix_room_streams_stream_id"), "room_streams", ["stream_id"])

    op.create_table(
        "schools",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name_kk", sa.String(length=300), nullable=False),
        sa.Column("name_ru", sa.String(length=300), nullable=False),
        sa.Column("address", sa.String(length=500), nullable=False),
        sa.Column("bin", sa.String(length=12), nullable=True),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("district_code", sa.String(length=3), nullable=False),
        sa.Column("students_per_grade", sa.JSON(), nullable=False),
        sa.Column("expected_applicants", sa.JSON(), nullable=False),
        sa.Column("foreign_languages", sa.JSON(), nullable=False),
        sa.Column("language_status", _enum("language_status", "kk", "ru", "mixed", "other"), nullable=True),
        sa.Column("settlement", _enum("settlement", "city", "village"), nullable=True),
        sa.Column("ownership", _enum("ownership", "state", "private"), nullable=True),
        sa.Column("school_type", sa.String(length=64), nullable=True),
        sa.Column("school_kind", sa.String(length=64), nullable=True),
        sa.Column("transport", sa.String(length=64), nullable=True),
        sa.Column("delivery", sa.String(length=200), nullable=True),
        sa.Column("distance_km", sa.Float(), nullable=True),
        sa.Column("stream_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("distance_km >= 0", name=op.f("ck_schools_distance_km_not_negative")),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_schools_site_id_sites"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["stream_id"], ["streams.id"], name=op.f("fk_schools_stream_id_streams"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schools")),
        sa.UniqueConstraint("site_id", "bin", name=op.f("uq_schools_site_id_bin")),
        sa.UniqueConstraint(
            "site_id",
            "region_code",
            "district_code",
            "code",
            name=op.f("uq_schools_site_id_region_code_district_code_code"),
        ),
    )
    op.create_index(op.f("ix_schools_stream_id"), "schools", ["stream_id"])

    op.create_table(
        "technical_secretaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("full_name", sa.String(length=300), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["school_id"],
            ["schools.id"],
            name=op.f("fk_technical_secretaries_school_id_schools"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_technical_secretaries")),
    )
    op.create_index(op.f("ix_technical_secretaries_school_id"), "technical_secretaries", ["school_id"])

    op.create_table(
        "ikt_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ikt", sa.String(length=9), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("row_number", sa.Integer(), nullable=False),
        sa.Column("status", _enum("status", "free", "used", "struck", "missing"), nullable=False),
        sa.CheckConstraint("row_number >= 1", name=op.f("ck_ikt_rows_row_number_positive")),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_ikt_rows_school_id_schools"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ikt_rows")),
        sa.UniqueConstraint("ikt", name=op.f("uq_ikt_rows_ikt")),
        sa.UniqueConstraint("school_id", "row_number", name=op.f("uq_ikt_rows_school_id_row_number")),
    )

    op.create_table(
        "applicants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("iin", sa.String(length=12), nullable=True),
        sa.Column("birth_date", sa.Date(), nullable=True),
        sa.Column("surname", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("patronymic", sa.String(length=100), nullable=True),
        sa.Column("sex", _enum("sex", "m", "f"), nullable=False),
        sa.Column("citizenship_code", sa.String(length=3), nullable=False),
        sa.Column("nationality_code", sa.String(length=3), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "iin IS NOT NULL OR birth_date IS NOT NULL", name=op.f("ck_applicants_iin_or_birth_date")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applicants")),
        sa.UniqueConstraint("iin", name=op.f("uq_applicants_iin")),
    )
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("applicant_id", sa.Integer(), nullable=False),
        sa.Column("ikt_row_id", sa.Integer(), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=2), nullable=False),
        sa.Column("district_code", sa.String(length=3), nullable=False),
        sa.Column("test_language", _enum("test_language", "kk", "ru", "en"), nullable=False),
        sa.Column("history_language", _enum("history_language", "kk", "ru"), nullable=True),
        sa.Column("status", _enum("status", "entered", "changed", "annulled"), nullable=False),
        sa.Column("replaces_id", sa.Integer(), nullable=True),
        sa.Column("room_stream_id", sa.Integer(), nullable=True),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(test_language = 'en' AND history_language IS NOT NULL)"
            " OR (test_language <> 'en' AND history_language IS NULL)",
            name=op.f("ck_applications_history_language_for_english"),
        ),
        sa.CheckConstraint("seat >= 1", name=op.f("ck_applications_seat_positive")),
        sa.ForeignKeyConstraint(
            ["applicant_id"],
            ["applicants.id"],
            name=op.f("fk_applications_applicant_id_applicants"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["ikt_row_id"],
            ["ikt_rows.id"],
            name=op.f("fk_applications_ikt_row_id_ikt_rows"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["replaces_id"],
            ["applications.id"],
            name=op.f("fk_applications_replaces_id_applications"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["room_stream_id"],
            ["room_streams.id"],
            name=op.f("fk_applications_room_stream_id_room_streams"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["schools.id"], name=op.f("fk_applications_school_id_schools"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_applications")),
        sa.UniqueConstraint("ikt_row_id", name=op.f("uq_applications_ikt_row_id")),
        sa.UniqueConstraint("room_stream_id", "seat", name=op.f("uq_applications_room_stream_id_seat")),
    )
    op.create_index(op.f("ix_applications_school_id"), "applications", ["school_id"])
    # At most one live (not annulled) application per person.
    op.create_index(
        "uq_applications_live_applicant_id",
        "applications",
        ["applicant_id"],
        unique=True,
        sqlite_where=sa.text("status <> 'annulled'"),
        postgresql_where=sa.text("status <> 'annulled'"),
    )

    op.create_table(
        "application_status_history",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=False),
        sa.Column("old_status", _enum("old_status", "entered", "changed", "annulled"), nullable=True),
        sa.Column("new_status", _enum("new_status", "entered", "changed", "annulled"), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["applications.id"],
            name=op.f("fk_application_status_history_application_id_applications"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_application_status_history")),
    )
    op.create_index(
        op.f("ix_application_status_history_application_id"), "application_status_history", ["application_id"]
    )


def downgrade() -> None:
    for table in (
        "application_status_history",
        "applications",
        "applicants",
        "ikt_rows",
        "technical_secretaries",
        "schools",
        "room_streams",
        "rooms",
        "streams",
        "sites",
        "audit_head",
        "workstation_info",
    ):
        op.drop_table(table)
