"""The certificate file (п. 55.2, 214) on the programmer's workstation: once a stream's appeal is closed, its
results with appeal, one entry per applicant who has them (name, ИИН, ИКТ, school, language, subjects with points,
total), sealed to the site's АРМ «Сертификат». The payload is :func:`certificate_file_payload`
(docs/packages.md, ``certificate-file``); the workstation that takes it is :mod:`arm_certificate.certificate_file`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.results import ResultRow, ResultStatus
from common.errors import Refused
from common.i18n import _
from common.security.audit import AuditLog

CERTIFICATE_FILE_FORMAT: Final = 1


@dataclass(frozen=True)
class SiteNames:
    code: str
    name_kk: str
    name_ru: str


@dataclass(frozen=True)
class SchoolNames:
    code: str
    name_kk: str
    name_ru: str


def certificate_file_payload(site: SiteNames, stream: int, exam_date: str, rows: Sequence[ResultRow],
                             schools: Mapping[int, SchoolNames]) -> dict[str, Any]:
    """The ``certificate-file`` payload: the applicants of ``rows`` with a result (status scored), by ИКТ, each
    with the school ``schools`` gives for their application."""
    applicants = []
    for row in sorted(rows, key=lambda row: row.ikt):
        if row.status is not ResultStatus.SCORED:
            continue
        school = schools.get(row.application_id, SchoolNames(row.school_code, "", ""))
        applicants.append({
            "ikt": row.ikt,
            "iin": row.iin,
            "surname": row.surname,
            "name": row.name,
            "patronymic": row.patronymic,
            "school": {"code": school.code, "name_kk": school.name_kk, "name_ru": school.name_ru},
            "test_language": row.test_language,
            "subjects": [{"code": item.code, "points": item.points, "max": item.max_points} for item in row.subjects],
            "total": row.total,
            "max_total": row.max_total,
        })
    return {
        "format": CERTIFICATE_FILE_FORMAT,
        "site": {"code": site.code, "name_kk": site.name_kk, "name_ru": site.name_ru},
        "stream": stream,
        "date": exam_date,
        "applicants": applicants,
    }


def _schools(session: Session, rows: Sequence[ResultRow]) -> dict[int, SchoolNames]:
    from common.db.models import Application, School

    found = session.execute(select(Application.id, School.code, School.name_kk, School.name_ru)
                            .join(School, Application.school_id == School.id)
                            .where(Application.id.in_([row.application_id for row in rows])))
    return {application_id: SchoolNames(code, name_kk, name_ru) for application_id, code, name_kk, name_ru in found}


def _not_closed(stream_number: int) -> Refused:
    return Refused(_("The appeals of stream {stream} are not closed yet: the certificate file follows the appeal "
                     "(appeal close, п. 214).").format(stream=stream_number))


def _no_result(stream_number: int) -> Refused:
    return Refused(_("Stream {stream} has no applicant with a result: there is no certificate to issue.").format(
        stream=stream_number))


@dataclass(frozen=True)
class SentCertificateFile:
    stream_number: int
    path: str
    applicants: int
    recipient: str


def send_certificate_file(session: Session, outbox: Path, stream_number: int, *, password: str, actor: str,
                          audit: AuditLog) -> SentCertificateFile:
    """Seal the stream's certificate file to this site's certificate workstation (п. 214), in the caller's
    transaction; ``Refused`` until the stream's appeal is closed (``appeal close``, п. 209)."""
    from arm_programmer.appeals import window_of
    from arm_programmer.draw import stream_of
    from arm_programmer.prints import exam_day
    from arm_programmer.scores import result_rows
    from common.exchange import kinds
    from common.exchange.addresses import Address
    from common.exchange.store import load_identity, load_trust, send_package

    stream = stream_of(session, stream_number)
    window = window_of(session, stream)
    if window is None or window.closed_at is None:
        raise _not_closed(stream_number)
    rows = result_rows(session, stream_number)
    day = exam_day(session, stream_number)
    payload = certificate_file_payload(SiteNames(day.site_code, day.site_name_kk, day.site_name_ru), stream_number,
                                       day.exam_date.isoformat(), rows, _schools(session, rows))
    if not payload["applicants"]:
        raise _no_result(stream_number)
    recipient = Address("certificate", day.site_code)
    sent = send_package(session, identity=load_identity(session, password), trust=load_trust(session),
                        recipient=recipient, kind=kinds.CERTIFICATE_FILE.name, payload=payload, outbox=outbox,
                        audit=audit, actor=actor, stream=stream_number)
    audit.record(session, actor=actor, action="certificate-file.sent", target=f"stream/{stream_number}",
                 details={"package": sent.path.name, "applicants": len(payload["applicants"])})
    return SentCertificateFile(stream_number, str(sent.path), len(payload["applicants"]), str(recipient))


# --- what the window shows before sending -----------------------------------------------------------------------


@dataclass(frozen=True)
class SentRecord:
    """A certificate file made here (the outbox's ledger): its file name and when it was sealed."""

    file_name: str
    sent_at: datetime


@dataclass(frozen=True)
class CertificateFileState:
    """A stream's certificate file before sending: when its appeal was closed (``None``: not yet), how many
    applicants the file would carry (``None`` while the sheets are not scored), the workstation it goes to, the
    files already sent (oldest first) and, when sending would be refused, the refusal's line."""

    stream_number: int
    appeal_closed_at: datetime | None
    applicants: int | None
    recipient: str
    sent: tuple[SentRecord, ...]
    refusal: str | None


def certificate_file_state(session: Session, stream_number: int) -> CertificateFileState:
    """What :func:`send_certificate_file` would do for the stream now, read only (``Refused`` for an unknown
    stream)."""
    from arm_programmer.appeals import window_of
    from arm_programmer.draw import stream_of
    from arm_programmer.prints import exam_day
    from arm_programmer.scores import result_rows
    from common.db.exchange_models import SentPackage
    from common.exchange import kinds
    from common.exchange.addresses import Address
    from common.exchange.ledger import stream_key

    stream = stream_of(session, stream_number)
    window = window_of(session, stream)
    closed_at = None if window is None else window.closed_at
    recipient = Address("certificate", exam_day(session, stream_number).site_code)
    try:
        applicants: int | None = sum(row.status is ResultStatus.SCORED for row in result_rows(session, stream_number))
        refusal = None
    except Refused as refused:
        applicants, refusal = None, refused.message
    if closed_at is None:
        refusal = _not_closed(stream_number).message
    elif refusal is None and not applicants:
        refusal = _no_result(stream_number).message
    sent = tuple(SentRecord(row.file_name, row.created_at) for row in session.scalars(
        select(SentPackage).where(SentPackage.kind == kinds.CERTIFICATE_FILE.name,
                                  SentPackage.recipient == str(recipient),
                                  SentPackage.stream_key == stream_key(stream_number))
        .order_by(SentPackage.sequence)))
    return CertificateFileState(stream_number, closed_at, applicants, str(recipient), sent, refusal)
