"""The appeal's prints from the database (п. 188, 206, 212; прил. 3, 17/18/20 Правил, 25–27, 39), into ``printed/``.

The builders are pure (:mod:`arm_programmer.appeal_prints`, :mod:`arm_programmer.appeal_card`,
:mod:`arm_programmer.appeal_reports`, :mod:`arm_programmer.statement`); here they get the stream's
applications (:func:`arm_programmer.appeals.appeal_records`), its results after the appeal
(:func:`arm_programmer.scores.result_rows`), the score changes and, for the answer analysis cards, every
task as scored and the ``explain`` picture of each disputed task on the kept test-day image.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.appeal_card import AnsweredTask
from arm_programmer.appeal_records import AppealRecord, AppealState, ScoreChange
from arm_programmer.appeals import sheet_blocks
from arm_programmer.results import ResultRow
from common.db.score_models import SheetScoreRow
from common.errors import Refused
from common.i18n import N_, _
from common.reports import PrintedForm
from common.reports.document import BuiltForm
from common.testspec import AnswerKey, TestSpecification
from common.workstation import DataFolder

APPEAL_FORMS: Final[Mapping[str, str]] = {
    "journal": N_("journal of appeal applications (прил. 17 Правил)"),
    "register": N_("register of appeal applications (прил. 20 Правил; the final one after closing)"),
    "cards": N_("answer analysis cards (прил. 39), one per appellant"),
    "protocol": N_("the appeal commission's protocol (прил. 18 Правил), after closing"),
    "statement": N_("the statement with appeal (прил. 3), after closing"),
    "report": N_("the programmer's report (прил. 25)"),
    "appeal-report": N_("the appeal report by stream (прил. 26)"),
    "tasks-report": N_("the disputed tasks by subject and ground (прил. 27)"),
}


@dataclass(frozen=True)
class _Stream:
    number: int
    spec: TestSpecification
    key: AnswerKey
    rows: list[ResultRow]
    records: list[AppealRecord]
    site_code: str
    site_name: str
    exam_date: date


def _stream(session: Session, stream_number: int, language: str) -> _Stream:
    from arm_programmer.appeals import appeal_records
    from arm_programmer.codes import stream_key
    from arm_programmer.prints import exam_day
    from arm_programmer.scores import result_rows

    spec, key = stream_key(session, stream_number)
    day = exam_day(session, stream_number)
    return _Stream(stream_number, spec, key, result_rows(session, stream_number),
                   appeal_records(session, stream_number), day.site_code,
                   day.site_name_kk if language == "kk" else day.site_name_ru, day.exam_date)


def _closed(session: Session, stream_number: int) -> bool:
    from arm_programmer.appeals import window_of
    from arm_programmer.draw import stream_of

    window = window_of(session, stream_of(session, stream_number))
    return window is not None and window.closed_at is not None


def print_appeal_form(session: Session, folder: DataFolder, stream_number: int, form: str, language: str, *,
                      actor: str, number: int | None = None, password: str | None = None, chair: str = "",
                      members: Sequence[str] = ()) -> list[PrintedForm]:
    """Print ``form`` (a key of :data:`APPEAL_FORMS`) of the stream into ``printed/`` (audited); ``number``
    limits the cards to one application; ``password`` unlocks the workstation's key that signs прил. 3."""
    from arm_programmer.appeal_card import CARD_KEY, analysis_card_pdf
    from arm_programmer.appeal_exchange import score_changes
    from arm_programmer.appeal_prints import (
        JOURNAL_KEY,
        PROTOCOL_KEY,
        REGISTER_KEY,
        journal_pdf,
        protocol_pdf,
        register_pdf,
    )
    from arm_programmer.appeal_reports import (
        APPEAL_REPORT_KEY,
        APPEAL_TASKS_REPORT_KEY,
        PROGRAMMER_REPORT_KEY,
        appeal_report_pdf,
        appeal_tasks_report_pdf,
        programmer_report_pdf,
    )
    from common.reports import save_printed

    if form not in APPEAL_FORMS:
        raise Refused(_("There is no appeal form {form}.").format(form=form))
    data = _stream(session, stream_number, language)
    if not data.records and form not in ("statement", "report"):  # прил. 25 reports the work done (п. 232)
        raise Refused(_("Stream {stream} has no appeal application.").format(stream=stream_number))
    closed = _closed(session, stream_number)
    changes = score_changes(session, stream_number)
    suffix = f"stream-{stream_number}"

    def save(key: str, built: BuiltForm, extra: str = "") -> PrintedForm:
        return save_printed(folder, key, built, session=session, actor=actor, suffix=suffix + extra)

    name, day = data.site_name, data.exam_date
    records, rows, spec = data.records, data.rows, data.spec
    builders: dict[str, tuple[str, Callable[[], BuiltForm]]] = {
        "journal": (JOURNAL_KEY, lambda: journal_pdf(
            records, rows, spec=spec, site_code=data.site_code, site_name=name, stream=stream_number, exam_date=day,
            language=language)),
        "register": (REGISTER_KEY, lambda: register_pdf(
            records, rows, spec=spec, site_code=data.site_code, site_name=name, stream=stream_number, exam_date=day,
            language=language, final=closed)),
        "protocol": (PROTOCOL_KEY, lambda: protocol_pdf(
            records, rows, spec=spec, site_code=data.site_code, site_name=name, stream=stream_number, exam_date=day,
            language=language, chair=chair, members=members)),
        "report": (PROGRAMMER_REPORT_KEY, lambda: programmer_report_pdf(
            rows, records, changes, site_code=data.site_code, site_name=name, stream=stream_number, exam_date=day,
            language=language)),
        "appeal-report": (APPEAL_REPORT_KEY, lambda: appeal_report_pdf(
            records, changes, site_code=data.site_code, site_name=name, exam_date=day, language=language,
            chair=chair)),
        "tasks-report": (APPEAL_TASKS_REPORT_KEY, lambda: appeal_tasks_report_pdf(
            records, changes, spec=spec, site_code=data.site_code, site_name=name, exam_date=day, language=language,
            chair=chair)),
    }
    if form == "protocol" and not closed:
        raise Refused(_("The appeal commission's protocol is printed once the stream's appeal is closed "
                        "(appeal close, п. 206)."))
    if form == "statement":
        return [_statement(session, folder, data, changes, closed, password, actor, language)]
    if form == "cards":
        chosen = [record for record in data.records if number in (None, record.number)
                  and record.state is not AppealState.NO_SHOW]
        if not chosen:
            raise Refused(_("Stream {stream} has no appeal number {number} to print a card for.").format(
                stream=stream_number, number=number))
        by_ikt = {row.ikt: row for row in rows}
        return [save(CARD_KEY, analysis_card_pdf(record, by_ikt[record.ikt], _answers(session, data, record),
                                                 _crops(session, folder.root, data, record), spec=spec,
                                                 site_code=data.site_code, site_name=name, exam_date=day,
                                                 language=language), f"-appeal-{record.number}")
                for record in chosen]
    key, build = builders[form]
    return [save(key, build())]


def _statement(session: Session, folder: DataFolder, data: _Stream, changes: Sequence[ScoreChange], closed: bool,
               password: str | None, actor: str, language: str) -> PrintedForm:
    from arm_programmer.statement import STATEMENT_KEY, WITH_APPEAL, statement_pdf
    from common.exchange.store import load_identity
    from common.reports import save_printed

    if not closed:
        raise Refused(_("The statement with appeal is printed once the stream's appeal is closed (appeal close, "
                        "п. 206)."))
    if not password:
        raise Refused(_("The statement's pages are signed: the workstation's password is needed."))
    signer = load_identity(session, password)
    built = statement_pdf(data.rows, spec=data.spec, site_code=data.site_code, site_name=data.site_name,
                          stream=data.number, exam_date=data.exam_date, language=language, signer=signer,
                          form=WITH_APPEAL, changes=changes)
    return save_printed(folder, STATEMENT_KEY + "-with-appeal", built, session=session, actor=actor,
                        suffix=f"stream-{data.number}")


def _score_row(session: Session, record: AppealRecord) -> SheetScoreRow:
    row = session.scalar(select(SheetScoreRow).where(SheetScoreRow.application_id == record.application_id))
    if row is None:
        raise Refused(_("Application {number}: the applicant has no stored score.").format(number=record.number))
    return row


def _answers(session: Session, data: _Stream, record: AppealRecord) -> list[AnsweredTask]:
    """Every task of the applicant's tested subjects as scored (after the appeal's changes)."""
    row = _score_row(session, record)
    blocks = sheet_blocks(data.spec, record.subjects)
    answers = []
    for subject, points in row.per_task.items():
        block = blocks.get(subject, subject)
        marks = row.marks.get(block, {})
        for index, scored in enumerate(points, start=1):
            correct = "".join(sorted(data.key.correct(record.variant, subject, index)))
            answers.append(AnsweredTask(subject, index, str(marks.get(str(index), "")), correct, int(scored)))
    return answers


def _crops(session: Session, root: Path, data: _Stream, record: AppealRecord) -> dict[tuple[str, int], bytes]:
    """The ``explain`` picture of each disputed task's answer row on the kept test-day image (none when the image
    cannot be read again)."""
    from arm_programmer.identification import explain_fields, stream_sheets
    from arm_programmer.identify import kept_image
    from arm_programmer.sheets import answer_layouts

    score = _score_row(session, record)
    sheet = next((item for item in stream_sheets(session, data.number) if item.sheet_id == score.sheet_id), None)
    relative = None if sheet is None else kept_image(sheet)
    if relative is None:
        return {}
    blocks = sheet_blocks(data.spec, record.subjects)
    fields = {(item.subject, item.task): f"{blocks.get(item.subject, item.subject)}.q{item.task:02d}"
              for item in record.tasks}
    pictures = explain_fields(root / relative, answer_layouts(session, data.number), fields.values())
    return {task: pictures[field] for task, field in fields.items() if field in pictures}
