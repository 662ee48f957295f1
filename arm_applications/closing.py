"""Closing the applicant database (ch. 20, п. 13, 107): the closed state and the refusal of writes.

The technical secretary closes the database with the code НЦТ dictates (``close-applications``).
From then on the applications, journals, secretaries and the plan are never written again: every
service that writes them calls :func:`refuse_if_closed` first, so the window and the command line
refuse alike with one line. What follows closing — НЦТ's room opening, the distribution, the
prints and packages — reads the closed database and keeps its own state in
:class:`~common.db.models.ApplicantDatabaseState`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy.orm import Session

from common.db.base import utc_now
from common.db.models import (
    ApplicantDatabaseState,
    Application,
    ApplicationStatus,
    IktRow,
    IktStatus,
    RoomStream,
    School,
)
from common.errors import Refused
from common.exchange.dictated import CodeCheck
from common.i18n import _
from common.security.audit import AuditLog
from common.workstation import DataFolder


def database_state(session: Session) -> ApplicantDatabaseState | None:
    """The closing's row, ``None`` while the database is open."""
    return session.get(ApplicantDatabaseState, 1)


def is_closed(session: Session) -> bool:
    return database_state(session) is not None


def closed_refusal(state: ApplicantDatabaseState) -> Refused:
    return Refused(_("The applicant database was closed on {date}: nothing in it can be changed any more.").format(
        date=state.closed_at.astimezone().strftime("%Y-%m-%d %H:%M")))


def refuse_if_closed(session: Session) -> None:
    """``Refused`` with one line when the database is closed (every write of applications calls it)."""
    state = database_state(session)
    if state is not None:
        raise closed_refusal(state)


# --- closing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Closed:
    closed_at: str
    struck: int
    """Free journal rows struck out with «Z» by the closing (п. 107.3)."""
    applicants: int
    annulled: int


def closing_obstacles(session: Session) -> str:
    """The enrolled site's code; ``Refused`` when the database cannot be closed now: not enrolled,
    already closed, forms still waiting for review."""
    from sqlalchemy import func, select

    from common.db import workstation_info
    from common.db.scan_models import ScannedForm, ScanState
    from common.exchange.store import not_enrolled

    identity = workstation_info.get_identity(session)
    if identity is None or identity.site_code is None:
        raise not_enrolled()
    refuse_if_closed(session)
    waiting = session.scalar(select(func.count()).select_from(ScannedForm)
                             .where(ScannedForm.state == ScanState.FLAGGED)) or 0
    if waiting:
        raise Refused(_("{count} scanned form(s) still wait for review: decide them before closing (review list).")
                      .format(count=waiting))
    return identity.site_code


def close_database(session: Session, *, code: str, audit: AuditLog, actor: str) -> tuple[CodeCheck, Closed | None]:
    """Check НЦТ's dictated ``close-applications`` code and, accepted, close the database (п. 13, 107).

    Every free row of the journals is struck out with «Z» (п. 107.3). The caller commits even when
    the code is refused (the wrong attempt is counted), then calls ``check.raise_if_refused()``.
    """
    from sqlalchemy import select

    from common.exchange.dictated import check_dictated_code

    site_code = closing_obstacles(session)
    check = check_dictated_code(session, site_code=site_code, purpose="close-applications", stream=None,
                                typed=code, audit=audit, actor=actor)
    if not check.accepted:
        return check, None
    struck = 0
    for row in session.scalars(select(IktRow).where(IktRow.status == IktStatus.FREE)):
        row.status = IktStatus.STRUCK
        struck += 1
    now = utc_now()
    session.add(ApplicantDatabaseState(id=1, closed_at=now, closed_by=actor[:100]))
    session.flush()
    counts = application_counts(session)
    return check, Closed(now.isoformat(), struck, counts["live"], counts["annulled"])


def application_counts(session: Session) -> dict[str, int]:
    from sqlalchemy import func, select

    rows = {status: count for status, count in
            session.execute(select(Application.status, func.count()).group_by(Application.status))}
    annulled = rows.get(ApplicationStatus.ANNULLED, 0)
    return {"live": sum(rows.values()) - annulled, "annulled": annulled}


def require_closed(session: Session) -> ApplicantDatabaseState:
    state = database_state(session)
    if state is None:
        raise Refused(_("The applicant database is not closed yet: close it with НЦТ's code first (close)."))
    return state


# --- the packages after closing ------------------------------------------------------------------

APPLICANT_COLUMNS: Final[tuple[str, ...]] = (
    "ikt", "iin", "surname", "name", "patronymic", "sex", "birth_date", "citizenship", "nationality",
    "region", "district", "school", "test_language", "history_language", "status", "stream", "room",
)  # fmt: skip
"""The columns of the ``applicants`` payload (``docs/packages.md``)."""


def applicant_rows(session: Session) -> list[list[Any]]:
    """Every application (annulled ones too) as a row of :data:`APPLICANT_COLUMNS`, by ИКТ."""
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload

    statement = (select(Application).join(IktRow, Application.ikt_row_id == IktRow.id).order_by(IktRow.ikt)
                 .options(joinedload(Application.applicant), joinedload(Application.ikt_row),
                          joinedload(Application.school).joinedload(School.stream),
                          joinedload(Application.room_stream).joinedload(RoomStream.room)))
    rows = []
    for application in session.scalars(statement):
        person, school, use = application.applicant, application.school, application.room_stream
        rows.append([
            application.ikt, person.iin, person.surname, person.name, person.patronymic or "",
            person.sex.value.upper(), None if person.birth_date is None else person.birth_date.isoformat(),
            person.citizenship_code, person.nationality_code, school.region_code, school.district_code, school.code,
            application.test_language.value,
            None if application.history_language is None else application.history_language.value,
            application.status.value, None if school.stream is None else school.stream.number,
            None if use is None or application.place is None else use.room.number,
        ])
    return rows


def final_payload(session: Session) -> dict[str, Any]:
    """The final applicant file (п. 89.10, 107.5): the ``applicants`` payload with the counts."""
    state = require_closed(session)
    return final_applicants_payload(state.closed_at.isoformat(), applicant_rows(session))


def final_applicants_payload(closed_at: str, rows: list[list[Any]]) -> dict[str, Any]:
    """The final applicant file of ``rows`` (every application, annulled ones too, as :data:`APPLICANT_COLUMNS`)
    closed at ``closed_at``, with the counts of :func:`application_counts`."""
    status = APPLICANT_COLUMNS.index("status")
    annulled = sum(1 for row in rows if row[status] == ApplicationStatus.ANNULLED.value)
    return {"format": 1, "final": True, "closed_at": closed_at,
            "counts": {"live": len(rows) - annulled, "annulled": annulled},
            "applicants": {"columns": list(APPLICANT_COLUMNS), "rows": rows}}


def counts_payload(session: Session) -> dict[str, Any]:
    """``room-counts`` (п. 89.14): the applicants per room and stream after the distribution."""
    from arm_applications.rooms import room_uses

    state = require_closed(session)
    if state.distributed_at is None:
        raise Refused(_("The applicants are not distributed yet: distribute them first (distribute)."))
    return room_counts_payload(state.distributed_at.isoformat(), [
        {"stream": use.stream, "room": use.room, "language": use.language, "seats": use.seats,
         "applicants": use.placed, "reserve": use.reserve} for use in room_uses(session) if use.opened])


def room_counts_payload(distributed_at: str, rooms: list[dict[str, Any]]) -> dict[str, Any]:
    """``room-counts`` of the opened ``rooms`` (stream, room, language, seats, applicants placed, reserve): with
    each stream's applicants added up."""
    streams: dict[int, int] = {}
    for room in rooms:
        streams[room["stream"]] = streams.get(room["stream"], 0) + room["applicants"]
    return {"format": 1, "distributed_at": distributed_at, "rooms": rooms,
            "streams": [{"stream": stream, "applicants": count} for stream, count in sorted(streams.items())]}


def handover_payload(session: Session) -> dict[str, Any]:
    """``applicant-database`` (п. 52.6–52.8): the closed, distributed database for the programmer."""
    from arm_applications.distribution import placements
    from arm_applications.plan import plan_site
    from arm_applications.rooms import room_uses

    state = require_closed(session)
    if state.distributed_at is None:
        raise Refused(_("The applicants are not distributed yet: the programmer takes a distributed database."))
    site = plan_site(session)
    places = {item.ikt: item.place for item in placements(session)}
    desks = {room.number: room.desks for room in site.rooms}
    rows = applicant_rows(session)
    return {
        "format": 1,
        "site": {"code": site.code, "name_kk": site.name_kk, "name_ru": site.name_ru, "region_code": site.region_code,
                 "address": site.address},
        "closed_at": state.closed_at.isoformat(), "distributed_at": state.distributed_at.isoformat(),
        "streams": [{"stream": stream.number, "date": stream.exam_date.isoformat()} for stream in site.streams],
        "rooms": [{"stream": use.stream, "room": use.room, "language": use.language, "seats": use.seats,
                   "desks": desks.get(use.room, 0), "reserve": use.reserve, "opened": use.opened,
                   "applicants": use.placed}
                  for use in room_uses(session) if use.opened or use.reserve],
        "schools": [{"region": school.region_code, "district": school.district_code, "school": school.code,
                     "name_kk": school.name_kk, "name_ru": school.name_ru,
                     "stream": None if school.stream is None else school.stream.number}
                    for school in sorted(site.schools, key=lambda item: (item.region_code, item.district_code,
                                                                         item.code))],
        "applicants": {"columns": [*APPLICANT_COLUMNS, "place"], "rows": [[*row, places.get(row[0])] for row in rows]},
    }


@dataclass(frozen=True)
class Sent:
    kind: str
    path: str
    sequence: int
    counts: dict[str, int]

    def line(self) -> str:
        """What the window and the command say once the package is sealed."""
        return _("Sealed ({kind}, package {sequence}; {counts}): {path}").format(
            kind=self.kind, sequence=self.sequence, path=self.path,
            counts=", ".join(f"{key} {value}" for key, value in self.counts.items()))


def send_after_closing(session: Session, folder: DataFolder, what: str, *, password: str, actor: str) -> Sent:
    """Seal ``final`` (applicants → НЦТ), ``counts`` (room-counts → НЦТ) or ``handover`` (→ the programmer)."""
    from common.exchange import kinds
    from common.exchange.addresses import NCT_ADDRESS, workstation
    from common.exchange.store import load_identity, load_trust, send_package
    from common.security.audit import AuditLog

    if what == "final":
        kind, recipient, payload = kinds.APPLICANTS.name, NCT_ADDRESS, final_payload(session)
        counts = dict(payload["counts"])
    elif what == "counts":
        kind, recipient, payload = kinds.ROOM_COUNTS.name, NCT_ADDRESS, counts_payload(session)
        counts = {"rooms": len(payload["rooms"]), "applicants": sum(row["applicants"] for row in payload["rooms"])}
    elif what == "handover":
        payload = handover_payload(session)
        kind, recipient = kinds.APPLICANT_DATABASE.name, workstation(payload["site"]["code"], "programmer")
        counts = {"applicants": len(payload["applicants"]["rows"]), "rooms": len(payload["rooms"])}
    else:
        raise Refused(_("Unknown package {what}; expected one of: final, counts, handover.").format(what=what))
    identity = load_identity(session, password)
    trust = load_trust(session)
    sent = send_package(session, identity=identity, trust=trust, recipient=recipient, kind=kind, payload=payload,
                        outbox=folder.outbox, audit=AuditLog(folder.audit_log), actor=actor)
    if what == "handover":
        require_closed(session).handed_over_at = utc_now()
    session.flush()
    return Sent(kind, str(sent.path), sent.sequence, counts)

