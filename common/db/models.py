"""What the workstations share: the site, its streams and rooms, schools, the registration journal,
applicants and their applications (SPEC.md; paragraphs of the instruction cited per class).

Conventions:
- Values the instruction fixes (language statuses, journal and application statuses, sex, …) are
  ``StrEnum`` members stored as their value (``"en-kk"``) and limited by a CHECK constraint.
  Classifications the instruction leaves to НЦТ's directories (school type and kind, transport,
  delivery) are short codes without a CHECK, so a new directory needs no migration.
- Codes are strings (``"01"``, ``"0042"``): leading zeros matter. Their lengths are the
  assumptions of SPEC.md's code book and are checked by the services, not here.
- Moments are timezone-aware UTC (:class:`UtcDateTime`); exam dates are plain dates.
- JSON columns are replaced whole (assign a new dict or list): in-place edits are not tracked.
- Rows that carry an ИКТ or a person's history are never deleted by a cascade: the foreign keys
  to them are ``RESTRICT``. Child rows that mean nothing alone (a room's per-stream status, a
  school's secretaries, an application's status history) go with their parent (``CASCADE``).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from common.db.base import Base, UtcDateTime, enum_column_type, utc_now


class LanguageStatus(StrEnum):
    """Language status of a room in one stream (п. 80.2–80.3)."""

    KAZAKH = "kk"
    RUSSIAN = "ru"
    ENGLISH_HISTORY_KAZAKH = "en-kk"
    ENGLISH_HISTORY_RUSSIAN = "en-ru"


class ExamLanguage(StrEnum):
    """Language the applicant takes the test in (sector 12, п. 94.10)."""

    KAZAKH = "kk"
    RUSSIAN = "ru"
    ENGLISH = "en"


class HistoryLanguage(StrEnum):
    """Language of the history-of-Kazakhstan test for English takers (sector 13, п. 94.11)."""

    KAZAKH = "kk"
    RUSSIAN = "ru"


class Sex(StrEnum):
    """Sector 11 of the application form."""

    MALE = "m"
    FEMALE = "f"


class Ventilation(StrEnum):
    """Type of a room's ventilation system (п. 81)."""

    NATURAL = "natural"
    MECHANICAL = "mechanical"
    AIR_CONDITIONING = "air-conditioning"


class SchoolLanguage(StrEnum):
    """Language status of a school (п. 84): Kazakh, Russian, both, or another language."""

    KAZAKH = "kk"
    RUSSIAN = "ru"
    MIXED = "mixed"
    OTHER = "other"


class Settlement(StrEnum):
    """«город/село» status of a school (п. 84)."""

    CITY = "city"
    VILLAGE = "village"


class Ownership(StrEnum):
    """Form of ownership of a school (п. 84)."""

    STATE = "state"
    PRIVATE = "private"


class IktStatus(StrEnum):
    """State of one row of the registration journal (п. 90–91, 101.5, 107.3).

    ``FREE``: printed, nobody written in yet. ``USED``: an application carries this ИКТ (it stays
    used after an annulment: an ИКТ is never reused). ``STRUCK``: crossed out with «Z» at
    closing. ``MISSING``: the row went missing, found at reconciliation.
    """

    FREE = "free"
    USED = "used"
    STRUCK = "struck"
    MISSING = "missing"


class ApplicationStatus(StrEnum):
    """«внесен», «изменен», «аннулирован» (п. 101.2)."""

    ENTERED = "entered"
    CHANGED = "changed"
    ANNULLED = "annulled"


def _non_negative(*columns: str) -> tuple[CheckConstraint, ...]:
    return tuple(CheckConstraint(f"{column} >= 0", name=f"{column}_not_negative") for column in columns)


class Site(Base):
    """A test site, ППЕНТ, with the facts of «Сведения о ППЕНТ» (п. 86)."""

    __tablename__ = "sites"
    __table_args__ = _non_negative(
        "lodging_places", "meal_places", "metal_detector_count", "jammers_count", "cameras_count"
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    region_code: Mapped[str] = mapped_column(String(2))
    address: Mapped[str] = mapped_column(String(500), default="")
    """The one building all rooms are in (п. 80.1)."""
    lodging_places: Mapped[int] = mapped_column(default=0)
    meal_places: Mapped[int] = mapped_column(default=0)
    restroom_location: Mapped[str | None] = mapped_column(String(200))
    metal_detector_type: Mapped[str | None] = mapped_column(String(200))
    metal_detector_count: Mapped[int] = mapped_column(default=0)
    jammers_count: Mapped[int] = mapped_column(default=0)
    cameras_count: Mapped[int] = mapped_column(default=0)

    streams: Mapped[list[Stream]] = relationship(
        back_populates="site", cascade="all, delete-orphan", passive_deletes=True, order_by="Stream.number"
    )
    rooms: Mapped[list[Room]] = relationship(
        back_populates="site", cascade="all, delete-orphan", passive_deletes=True, order_by="Room.number"
    )
    schools: Mapped[list[School]] = relationship(
        back_populates="site", cascade="all, delete-orphan", passive_deletes=True, order_by="School.code"
    )


class Stream(Base):
    """A поток: one exam day of the site (п. 79.2)."""

    __tablename__ = "streams"
    __table_args__ = (
        UniqueConstraint("site_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    number: Mapped[int]
    exam_date: Mapped[date] = mapped_column(Date)

    site: Mapped[Site] = relationship(back_populates="streams")
    room_streams: Mapped[list[RoomStream]] = relationship(
        back_populates="stream", cascade="all, delete-orphan", passive_deletes=True
    )
    schools: Mapped[list[School]] = relationship(back_populates="stream", passive_deletes=True)


class Room(Base):
    """A room of the room fund (п. 80–82); its status per stream is in :class:`RoomStream`."""

    __tablename__ = "rooms"
    __table_args__ = (
        UniqueConstraint("site_id", "number"),
        CheckConstraint("seats > 0", name="seats_positive"),
        *_non_negative("desks", "jammers_count", "cameras_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    number: Mapped[str] = mapped_column(String(8))
    """Two digits, "01", "02", … (прил. 11)."""
    building: Mapped[str] = mapped_column(String(200), default="")
    """The building (корпус) the room is in: all rooms of a site in one building (п. 80.1)."""
    desks: Mapped[int]
    seats: Mapped[int]
    ventilation: Mapped[Ventilation] = mapped_column(enum_column_type(Ventilation, "ventilation"))
    jammers_count: Mapped[int] = mapped_column(default=0)
    """Cell-signal jammers in the room (0: none)."""
    cameras_count: Mapped[int] = mapped_column(default=0)

    site: Mapped[Site] = relationship(back_populates="rooms")
    streams: Mapped[list[RoomStream]] = relationship(
        back_populates="room", cascade="all, delete-orphan", passive_deletes=True
    )


class RoomStream(Base):
    """A room as used in one stream: its language status and whether it is a reserve room."""

    __tablename__ = "room_streams"
    __table_args__ = (UniqueConstraint("room_id", "stream_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    room_id: Mapped[int] = mapped_column(ForeignKey("rooms.id", ondelete="CASCADE"))
    stream_id: Mapped[int] = mapped_column(ForeignKey("streams.id", ondelete="CASCADE"), index=True)
    language_status: Mapped[LanguageStatus] = mapped_column(
        enum_column_type(LanguageStatus, "language_status")
    )
    is_reserve: Mapped[bool] = mapped_column(default=False)
    seats: Mapped[int | None]
    """Seats of the room in this stream as НЦТ opened it (``None``: the room's seats)."""
    opened: Mapped[bool] = mapped_column(default=False, server_default=false())
    """НЦТ opened the room for this stream (``room-opening``, п. 89.11): applicants are placed only in
    opened rooms; a reserve room НЦТ keeps back stays closed."""

    room: Mapped[Room] = relationship(back_populates="streams")
    stream: Mapped[Stream] = relationship(back_populates="room_streams")


class School(Base):
    """An educational organisation of «Учебные заведения» (п. 83–84).

    A school is identified as on the application form (sectors 8–10): region, district and the
    school's code in НЦТ's directory, unique only within its district.
    ``students_per_grade`` maps a grade or course (``"9"``, ``"11"``) to its number of students;
    ``expected_applicants`` maps a room language status (``"kk"``, ``"en-ru"``) to the number of
    ЕНТ applicants expected (п. 79.2); ``foreign_languages`` lists language codes (``["en"]``).
    """

    __tablename__ = "schools"
    __table_args__ = (
        UniqueConstraint("site_id", "region_code", "district_code", "code"),
        UniqueConstraint("site_id", "bin"),
        CheckConstraint("distance_km >= 0", name="distance_km_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(8))
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    address: Mapped[str] = mapped_column(String(500), default="")
    bin: Mapped[str | None] = mapped_column(String(12))
    region_code: Mapped[str] = mapped_column(String(2))
    district_code: Mapped[str] = mapped_column(String(3))
    students_per_grade: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    expected_applicants: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)
    foreign_languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    language_status: Mapped[SchoolLanguage | None] = mapped_column(
        enum_column_type(SchoolLanguage, "language_status")
    )
    settlement: Mapped[Settlement | None] = mapped_column(enum_column_type(Settlement, "settlement"))
    ownership: Mapped[Ownership | None] = mapped_column(enum_column_type(Ownership, "ownership"))
    school_type: Mapped[str | None] = mapped_column(String(64))
    school_kind: Mapped[str | None] = mapped_column(String(64))
    transport: Mapped[str | None] = mapped_column(String(64))
    """Transport that brings the applicants to the site."""
    delivery: Mapped[str | None] = mapped_column(String(200))
    """How the applicants are delivered to the site (характеристика доставки)."""
    distance_km: Mapped[float | None] = mapped_column(Float)
    stream_id: Mapped[int | None] = mapped_column(ForeignKey("streams.id", ondelete="SET NULL"), index=True)
    """The stream the school is assigned to (п. 79.2); emptied if the stream is deleted."""

    site: Mapped[Site] = relationship(back_populates="schools")
    stream: Mapped[Stream | None] = relationship(back_populates="schools")
    secretaries: Mapped[list[TechnicalSecretary]] = relationship(
        back_populates="school", cascade="all, delete-orphan", passive_deletes=True
    )
    journal: Mapped[list[IktRow]] = relationship(back_populates="school", order_by="IktRow.row_number")


class TechnicalSecretary(Base):
    """A school's technical secretary; ``approved`` once the education authority approves (п. 89.2)."""

    __tablename__ = "technical_secretaries"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    full_name: Mapped[str] = mapped_column(String(300))
    approved: Mapped[bool] = mapped_column(default=False)

    school: Mapped[School] = relationship(back_populates="secretaries")


class IktRow(Base):
    """One row of a school's registration journal with its pre-printed ИКТ (п. 90–91, прил. 5).

    ИКТ are allocated in blocks per school before anyone registers; an ИКТ is unique across the
    whole database and never reused, so these rows are never deleted.
    """

    __tablename__ = "ikt_rows"
    __table_args__ = (
        UniqueConstraint("school_id", "row_number"),
        CheckConstraint("row_number >= 1", name="row_number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ikt: Mapped[str] = mapped_column(String(9), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"))
    row_number: Mapped[int]
    status: Mapped[IktStatus] = mapped_column(enum_column_type(IktStatus, "status"), default=IktStatus.FREE)

    school: Mapped[School] = relationship(back_populates="journal")
    application: Mapped[Application | None] = relationship(back_populates="ikt_row")


class Applicant(Base):
    """A person, with what identifies them (sectors 1–3, 5–7, 11 of the application form).

    A person may have several :class:`Application` rows over time: a change of test language or
    ИКТ annuls the application and enters a new one with a new ИКТ for the same person
    (п. 103–104). Corrections of name, sex, ИИН, citizenship, nationality or birth date are made
    here in place and mark the live application «изменен» (п. 105).
    ``birth_date`` is required when there is no ИИН (п. 94.3).
    """

    __tablename__ = "applicants"
    __table_args__ = (
        CheckConstraint("iin IS NOT NULL OR birth_date IS NOT NULL", name="iin_or_birth_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    iin: Mapped[str | None] = mapped_column(String(12), unique=True)
    birth_date: Mapped[date | None] = mapped_column(Date)
    surname: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str | None] = mapped_column(String(100))
    sex: Mapped[Sex] = mapped_column(enum_column_type(Sex, "sex"))
    citizenship_code: Mapped[str] = mapped_column(String(3))
    nationality_code: Mapped[str] = mapped_column(String(3))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    applications: Mapped[list[Application]] = relationship(
        back_populates="applicant", order_by="Application.id"
    )


class Application(Base):
    """One registration of an applicant under one ИКТ (sectors 4, 8–10, 12–13).

    At most one application per person is live (not annulled) at a time. ``replaces_id`` links a
    re-entry to the annulled application it replaces. ``room_stream_id`` is set by the
    distribution to rooms (п. 110) with ``place``, the applicant's number in the room in the
    distribution's order (1, 2, …), and ``seat`` by the seating draw (п. 52.11).
    """

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("room_stream_id", "seat"),
        CheckConstraint("seat >= 1", name="seat_positive"),
        CheckConstraint(
            "(test_language = 'en' AND history_language IS NOT NULL)"
            " OR (test_language <> 'en' AND history_language IS NULL)",
            name="history_language_for_english",
        ),
        Index(
            "uq_applications_live_applicant_id",
            "applicant_id",
            unique=True,
            sqlite_where=text("status <> 'annulled'"),
            postgresql_where=text("status <> 'annulled'"),
        ),
        Index("uq_applications_room_stream_id_place", "room_stream_id", "place", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    applicant_id: Mapped[int] = mapped_column(ForeignKey("applicants.id", ondelete="RESTRICT"))
    ikt_row_id: Mapped[int] = mapped_column(ForeignKey("ikt_rows.id", ondelete="RESTRICT"), unique=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="RESTRICT"), index=True)
    """The school the applicant graduates from (sector 10)."""
    region_code: Mapped[str] = mapped_column(String(2))
    district_code: Mapped[str] = mapped_column(String(3))
    test_language: Mapped[ExamLanguage] = mapped_column(enum_column_type(ExamLanguage, "test_language"))
    history_language: Mapped[HistoryLanguage | None] = mapped_column(
        enum_column_type(HistoryLanguage, "history_language")
    )
    """Only for English takers; the others take history in their test language."""
    status: Mapped[ApplicationStatus] = mapped_column(
        enum_column_type(ApplicationStatus, "status"), default=ApplicationStatus.ENTERED
    )
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="RESTRICT"))
    room_stream_id: Mapped[int | None] = mapped_column(ForeignKey("room_streams.id", ondelete="RESTRICT"))
    seat: Mapped[int | None]
    place: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    applicant: Mapped[Applicant] = relationship(back_populates="applications")
    ikt_row: Mapped[IktRow] = relationship(back_populates="application")
    school: Mapped[School] = relationship()
    replaces: Mapped[Application | None] = relationship(remote_side="Application.id")
    room_stream: Mapped[RoomStream | None] = relationship()
    history: Mapped[list[ApplicationStatusHistory]] = relationship(
        back_populates="application",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="ApplicationStatusHistory.id",
    )

    @property
    def ikt(self) -> str:
        return self.ikt_row.ikt


class ApplicantDatabaseState(Base):
    """The applicant database's closing and distribution, one row (``id = 1``) once it is closed.

    ``closed_at``: closed with НЦТ's dictated code (п. 13, 107); from then on nothing of the
    applications, journals or secretaries is written again. ``distributed_at``: the applicants placed
    in the rooms НЦТ opened (п. 89.12–89.14, 110); ``handed_over_at``: the sealed database sent to the
    programmer's workstation, after which the distribution is not redone.
    """

    __tablename__ = "applicant_database_state"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    closed_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closed_by: Mapped[str] = mapped_column(String(100))
    rooms_opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    """When the newest ``room-opening`` package of НЦТ was taken."""
    distributed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    handed_over_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ApplicationStatusHistory(Base):
    """Each status change of an application; ``old_status`` is empty for the first entry.

    ``reason`` is a short code or text without personal data (it may be printed or exported).
    """

    __tablename__ = "application_status_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("applications.id", ondelete="CASCADE"), index=True
    )
    old_status: Mapped[ApplicationStatus | None] = mapped_column(
        enum_column_type(ApplicationStatus, "old_status")
    )
    new_status: Mapped[ApplicationStatus] = mapped_column(enum_column_type(ApplicationStatus, "new_status"))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    reason: Mapped[str | None] = mapped_column(String(200))

    application: Mapped[Application] = relationship(back_populates="history")


class AuditHead(Base):
    """The audit log's chain head, one row (``id = 1``), written in the transaction it records.

    ``last_lines`` holds the text of the lines the last recording transaction appended, starting
    at byte ``last_offset`` of the log, so a log that missed them (a crash between the database
    commit and the file write) can be completed. See :mod:`common.security.audit`.
    """

    __tablename__ = "audit_head"
    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("seq >= 0", name="seq_not_negative"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    last_lines: Mapped[str] = mapped_column(Text, default="")
    last_offset: Mapped[int] = mapped_column(BigInteger, default=0)
    updated_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

