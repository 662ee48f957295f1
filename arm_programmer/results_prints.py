"""The answer codes (прил. 9) and the statement without appeal (прил. 4) printed from the database, a printed
statement page checked against it by its signed QR, and the day's statistics sealed for НЦТ (п. 53.6).

The PDF builders are pure (:mod:`arm_programmer.codes_print`, :mod:`arm_programmer.statement`); the seal's
rules are :mod:`arm_programmer.statement_seal`. Here they meet the opened key (:mod:`arm_programmer.codes`),
the scores (:func:`arm_programmer.scores.result_rows`) and the workstation's own key and certificate.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.prints import ExamDay, exam_day
from arm_programmer.results import ResultRow
from arm_programmer.statement_seal import PageCheck
from arm_programmer.statistics import StreamAttendance
from common.errors import Refused
from common.reports import PrintedForm
from common.security.audit import AuditLog
from common.workstation import DataFolder


def _site_name(day: ExamDay, language: str) -> str:
    return day.site_name_kk if language == "kk" else day.site_name_ru


def print_codes(session: Session, folder: DataFolder, stream_number: int, language: str, *,
                actor: str) -> PrintedForm:
    """Прил. 9 of the stream's opened key, two copies (п. 179), into ``printed/`` (audited)."""
    from arm_programmer.codes import stream_key
    from arm_programmer.codes_print import CODES_KEY, codes_pdf
    from common.reports import save_printed

    spec, key = stream_key(session, stream_number)
    day = exam_day(session, stream_number)
    built = codes_pdf(spec, key, site_code=day.site_code, site_name=_site_name(day, language), stream=stream_number,
                      exam_date=day.exam_date, language=language)
    return save_printed(folder, CODES_KEY, built, session=session, actor=actor, suffix=f"stream-{stream_number}")


def print_statement(session: Session, folder: DataFolder, stream_number: int, language: str, *, password: str,
                    actor: str) -> PrintedForm:
    """Прил. 4 of the stream's scores, four copies (п. 180), every page sealed with the workstation's key. The
    first print announces the results: the appeal period runs from it (:func:`arm_programmer.appeals.announce`)."""
    from arm_programmer.appeals import announce
    from arm_programmer.codes import stream_key
    from arm_programmer.scores import result_rows
    from arm_programmer.statement import STATEMENT_KEY, statement_pdf
    from common.exchange.store import load_identity
    from common.reports import save_printed

    signer = load_identity(session, password)
    spec, _key = stream_key(session, stream_number)
    rows = result_rows(session, stream_number)
    day = exam_day(session, stream_number)
    built = statement_pdf(rows, spec=spec, site_code=day.site_code, site_name=_site_name(day, language),
                          stream=stream_number, exam_date=day.exam_date, language=language, signer=signer)
    printed = save_printed(folder, STATEMENT_KEY, built, session=session, actor=actor,
                           suffix=f"stream-{stream_number}")
    announce(session, stream_number, actor, AuditLog(folder.audit_log))  # the appeal period starts (п. 185)
    return printed


@dataclass(frozen=True)
class StatementCheck:
    check: PageCheck
    line: str


def check_statement(session: Session, image: Path) -> StatementCheck:
    """A scanned or photographed statement page: its QR read, its signature checked with this workstation's
    certificate and its rows compared with what the database gives now. A mark changed in the database after
    the scoring is caught too: the stored scores then no longer match the marks and the check says so."""
    from arm_programmer.scores import result_rows
    from arm_programmer.statement_seal import check_page, describe_check, read_qr, read_seal
    from common.exchange.store import identity_row, not_enrolled
    from common.i18n import _
    from common.security.keys import load_certificate_pem

    seal = read_seal(read_qr(image))
    row = identity_row(session)
    if row is None:
        raise not_enrolled()
    certificate = load_certificate_pem(row.certificate_pem)
    try:
        rows_now = result_rows(session, seal.stream)
    except Refused as stale:
        checked = check_page(seal, certificate, [])
        line = describe_check(checked) if not checked.signature_valid else _(
            "Stream {stream}, page {page}: the database no longer gives the printed rows. {reason}").format(
            stream=seal.stream, page=seal.page, reason=stale.message)
        return StatementCheck(checked, line)
    checked = check_page(seal, certificate, rows_now)
    return StatementCheck(checked, describe_check(checked))


@dataclass(frozen=True)
class SentStatistics:
    exam_date: date
    streams: int
    path: str
    payload: dict[str, Any]


def _attendance(session: Session, stream_number: int) -> StreamAttendance | None:
    from arm_programmer.identification import identify_stream, stream_sheets
    from arm_programmer.resolution import ApplicantState

    try:
        current = identify_stream(session, stream_number, stream_sheets(session, stream_number))
    except Refused:
        return None
    states = [applicant.state for applicant in current.resolution.applicants]
    return StreamAttendance(seated=len(states), identified=states.count(ApplicantState.IDENTIFIED),
                            absent=states.count(ApplicantState.ABSENT), annulled=states.count(ApplicantState.ANNULLED),
                            not_admitted=states.count(ApplicantState.NOT_ADMITTED))


def send_statistics(session: Session, folder: DataFolder, exam_date: date, *, password: str, actor: str,
                    audit: AuditLog) -> SentStatistics:
    """The day's statistics of every stream of ``exam_date`` (п. 53.6) sealed for НЦТ: attendance from the
    identification, scores once the stream is scored."""
    from arm_programmer.scores import result_rows
    from arm_programmer.statistics import daily_statistics_payload
    from common.db import workstation_info
    from common.db.models import Stream
    from common.exchange import kinds
    from common.exchange.addresses import NCT_ADDRESS
    from common.exchange.store import load_identity, load_trust, send_package
    from common.i18n import _

    numbers = list(session.scalars(select(Stream.number).where(Stream.exam_date == exam_date)
                                   .order_by(Stream.number)))
    if not numbers:
        raise Refused(_("No stream of this site is tested on {date}.").format(date=exam_date.strftime("%d.%m.%Y")))
    streams: dict[int, list[ResultRow] | None] = {}
    attendance: dict[int, StreamAttendance] = {}
    for number in numbers:
        try:
            streams[number] = result_rows(session, number)
        except Refused:
            streams[number] = None
        found = _attendance(session, number)
        if found is not None:
            attendance[number] = found
    identity = workstation_info.get_identity(session)
    site_code = "" if identity is None or identity.site_code is None else identity.site_code
    payload = daily_statistics_payload(site_code, exam_date.isoformat(), streams, attendance)
    sent = send_package(session, identity=load_identity(session, password), trust=load_trust(session),
                        recipient=NCT_ADDRESS, kind=kinds.DAILY_STATISTICS.name, payload=payload,
                        outbox=folder.outbox, audit=audit, actor=actor)
    audit.record(session, actor=actor, action="statistics.sent", target=exam_date.isoformat(),
                 details={"package": sent.path.name, "streams": len(numbers)})
    return SentStatistics(exam_date, len(numbers), str(sent.path), payload)
