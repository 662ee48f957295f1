"""The appeal's paper trail of a stream (ch. 32–39): the journal, the register and the commission's protocol.

Nothing here reads the database: the caller gives the stream's :class:`~arm_programmer.appeal_records.AppealRecord`
list, the stream's :class:`~arm_programmer.results.ResultRow` list (the applicants' names, which the records
do not carry) and the test specification (the subjects' names). Each function returns a
:class:`~common.reports.document.BuiltForm` in the language asked (kk, ru, en):

* :func:`journal_pdf` — the journal of appeal applications (прил. 17 Правил, п. 185): one row per
  application as received: №, received at, ИКТ, name, kind, the disputed tasks, the Ministry
  representative who received it (п. 186) and a column for the applicant's signature;
* :func:`register_pdf` — the register of applications (прил. 20 Правил, п. 188, 202): per application
  its tasks with their grounds (п. 195), the «Состояние» (registered, «не явился», «решение принято») and
  each task's decision; ``final=True`` is the final variant printed after closing (п. 206.1) in two
  copies (п. 207: the first to the Ministry representative after signing, the second in the site's files)
  and is refused while an application is still only registered (п. 202);
* :func:`protocol_pdf` — the appeal commission's protocol (прил. 18 Правил, п. 206.2): per application and
  task the ground, the vote (п. 194) or the technical finding (п. 196), the proposal and the Republican
  commission's decision; signed as п. 208 says; two copies (п. 207).

**Assumption (the one place it is stated).** The seeds name these Rules' appendices and what they record,
never their layout: the columns above are what п. 185–208 say each records; each blank says so in one line
(:data:`arm_programmer.exam_prints.ASSUMED_LAYOUT`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Final

from arm_programmer.appeal_records import (
    AppealKind,
    AppealRecord,
    AppealState,
    DisputedTask,
    TaskDecision,
    TechnicalCase,
)
from arm_programmer.codes_print import subject_names
from arm_programmer.copy_document import CopiesDocument
from arm_programmer.exam_prints import ASSUMED_LAYOUT, FOOTER
from arm_programmer.results import ResultRow
from common.codebook import APPEAL_GROUND_TEXTS
from common.errors import Refused
from common.i18n import N_, _, tr
from common.reports import Column, FormHeader, Signature
from common.reports.document import BuiltForm
from common.testspec import TestSpecification

JOURNAL_KEY: Final = "appeal-journal"
REGISTER_KEY: Final = "appeal-register"
PROTOCOL_KEY: Final = "appeal-protocol"
JOURNAL_APPENDIX: Final = "17"
REGISTER_APPENDIX: Final = "20"
PROTOCOL_APPENDIX: Final = "18"
"""The Rules' appendices (прил. 17, 20, 18 Правил), not the instruction's."""
AFTER_CLOSING: Final = (N_("to the representative of the Ministry after signing"),
                        N_("kept in the test site's files"))
"""The two copies of п. 206–207, in order."""
KINDS: Final[Mapping[AppealKind, str]] = {AppealKind.CONTENT: N_("on the content of test tasks"),
                                          AppealKind.TECHNICAL: N_("on technical grounds")}
STATES: Final[Mapping[AppealState, str]] = {AppealState.REGISTERED: N_("registered"),
                                            AppealState.NO_SHOW: N_("did not appear"),
                                            AppealState.DECIDED: N_("decision taken")}
DECISIONS: Final[Mapping[TaskDecision, str]] = {TaskDecision.PENDING: N_("pending"),
                                                TaskDecision.SATISFIED: N_("satisfied"),
                                                TaskDecision.NOT_SATISFIED: N_("not satisfied")}
CASES: Final[Mapping[TechnicalCase, str]] = {
    TechnicalCase.UNREAD_MARK: N_("a bubble of the answer code filled half or more was not read (п. 196.1)"),
    TechnicalCase.FALSE_MARK: N_("a bubble not of the answer code filled less than half was read (п. 196.2)"),
    TechnicalCase.DEFECT: N_("an unfilled bubble was read because the sheet is defective (п. 196.3)"),
}
FINAL_VARIANT: Final = N_("(final variant)")
MEMBER_LINES: Final = 4
"""Signature lines for the commission's members when their names are not given."""


def _names(records: Sequence[AppealRecord], rows: Sequence[ResultRow]) -> dict[str, str]:
    """Each appellant's full name by ИКТ; an application whose applicant is not among ``rows`` is refused."""
    names = {row.ikt: row.full_name for row in rows}
    for record in records:
        if record.ikt not in names:
            raise Refused(_("Application {number} is not of an applicant of the stream's results.").format(
                number=record.number))
    return names


def _header(title: str, appendix: str, *, stream: int, exam_date: date, site_code: str, site_name: str,
            language: str) -> FormHeader:
    subtitle = tr(language, N_("Stream {stream}, {date}")).format(stream=stream, date=exam_date.strftime("%d.%m.%Y"))
    return FormHeader(title=title, appendix=appendix, subtitle=subtitle, site=f"{site_code} — {site_name}",
                      of_rules=True)


def task_label(item: DisputedTask, names: Mapping[str, str]) -> str:
    """«Mathematical literacy, task 7»: the subject's name (a profile subject with its code) and the task."""
    return f"{names.get(item.subject, item.subject)}, № {item.task}"


def _ordered(records: Sequence[AppealRecord]) -> list[AppealRecord]:
    return sorted(records, key=lambda record: record.number)


def journal_pdf(records: Sequence[AppealRecord], rows: Sequence[ResultRow], *, spec: TestSpecification,
                site_code: str, site_name: str, stream: int, exam_date: date, language: str) -> BuiltForm:
    """Прил. 17 Правил: every application of the stream in the order of its registration number."""
    def t(message: str) -> str:
        return tr(language, message)

    header = _header(t(N_("Journal of registration of appeal applications on the content of test tasks and on "
                          "technical grounds")), JOURNAL_APPENDIX, stream=stream, exam_date=exam_date,
                     site_code=site_code, site_name=site_name, language=language)
    document = CopiesDocument(header, language, [t(N_("for the appeal commission"))], landscape_pages=True,
                              footer_note=FOOTER)
    document.begin_copy(1)
    people = _names(records, rows)
    subjects = subject_names(spec, language)
    lines = [[record.number, record.received_at.strftime("%d.%m.%Y %H:%M"), record.ikt, people.get(record.ikt, ""),
              t(KINDS[record.kind]), "\n".join(task_label(item, subjects) for item in record.tasks),
              record.received_by, ""]
             for record in _ordered(records)]
    document.table([Column("№", 0.4, "right", wrap=False), Column(t(N_("Received at")), 1.0, "center"),
                    Column(t("ИКТ"), 0.9, "center", wrap=False), Column(t("Surname, name, patronymic"), 2.0),
                    Column(t(N_("Kind of appeal")), 1.3), Column(t(N_("Disputed tasks")), 2.2),
                    Column(t(N_("Received by (representative of the Ministry)")), 1.6),
                    Column(t(N_("Applicant's signature")), 1.2)], lines, font_size=8)
    document.signatures([Signature(t(N_("Chair of the appeal commission")))], stamp=False, date_line=False,
                        note=t(ASSUMED_LAYOUT))
    return document.build()


def decision_text(item: DisputedTask, language: str) -> str:
    """A task's decision as the register prints it: «удовлетворено: 0 → 1», «не удовлетворено», «ожидается»."""
    text = tr(language, DECISIONS[item.decision])
    if item.decision is TaskDecision.SATISFIED and item.decided_points is not None:
        return f"{text}: {item.points} → {item.decided_points}"
    return text


def register_pdf(records: Sequence[AppealRecord], rows: Sequence[ResultRow], *, spec: TestSpecification,
                 site_code: str, site_name: str, stream: int, exam_date: date, language: str,
                 final: bool = False) -> BuiltForm:
    """Прил. 20 Правил: for the commission (п. 188) or, ``final``, after closing in two copies (п. 206.1)."""
    def t(message: str) -> str:
        return tr(language, message)

    ordered = _ordered(records)
    if final and any(record.state is AppealState.REGISTERED for record in ordered):
        raise Refused(_("The final register is printed after every application is «did not appear» or "
                        "«decision taken» (п. 202)."))
    title = t(N_("Register of applications filed for appeal"))
    if final:
        title = f"{title}\n{t(FINAL_VARIANT)}"
    header = _header(title, REGISTER_APPENDIX, stream=stream, exam_date=exam_date, site_code=site_code,
                     site_name=site_name, language=language)
    purposes = [t(purpose) for purpose in AFTER_CLOSING] if final else [t(N_("for the appeal commission"))]
    document = CopiesDocument(header, language, purposes, landscape_pages=True, footer_note=FOOTER)
    people = _names(records, rows)
    subjects = subject_names(spec, language)
    lines: list[list[object]] = []
    for record in ordered:
        for index, item in enumerate(record.tasks):
            first = index == 0
            lines.append([record.number if first else "", record.ikt if first else "",
                          people.get(record.ikt, "") if first else "", t(KINDS[record.kind]) if first else "",
                          task_label(item, subjects), t(APPEAL_GROUND_TEXTS[item.ground]),
                          t(STATES[record.state]) if first else "",
                          "" if record.state is AppealState.NO_SHOW else decision_text(item, language)])
    columns = [Column("№", 0.4, "right", wrap=False), Column(t("ИКТ"), 0.9, "center", wrap=False),
               Column(t("Surname, name, patronymic"), 1.8), Column(t(N_("Kind of appeal")), 1.2),
               Column(t(N_("Task")), 1.6), Column(t(N_("Ground (п. 195)")), 2.6), Column(t("State"), 1.1),
               Column(t("Decision"), 1.3)]
    counts = {state: sum(1 for record in ordered if record.state is state) for state in AppealState}
    for copy in range(1, len(purposes) + 1):
        document.begin_copy(copy)
        document.table(columns, lines, font_size=8)
        document.paragraph(t(N_("Applications: {all}; decision taken: {decided}; did not appear: {absent}; "
                                "registered: {open}.")).format(all=len(ordered), decided=counts[AppealState.DECIDED],
                                                              absent=counts[AppealState.NO_SHOW],
                                                              open=counts[AppealState.REGISTERED]), size=8)
        document.signatures([Signature(t(N_("Chair of the appeal commission"))),
                             Signature(t("Programmer of the Ministry"))], stamp=False, note=t(ASSUMED_LAYOUT))
    return document.build()


def vote_text(item: DisputedTask, kind: AppealKind, language: str) -> str:
    """The commission's finding on a task: the vote (п. 194), the technical case (п. 196) or п. 197."""
    def t(message: str) -> str:
        return tr(language, message)

    if kind is AppealKind.TECHNICAL:
        return t(CASES[item.case]) if item.case is not None else t(N_("none of the cases of п. 196"))
    if item.votes_for is None:
        if item.marks and item.marks == item.correct:
            return t(N_("answered right: not satisfied at once (п. 197)"))
        return t(N_("no vote"))
    text = t(N_("for: {votes_for}, against: {votes_against}")).format(votes_for=item.votes_for,
                                                                     votes_against=item.votes_against)
    if item.votes_for == item.votes_against and item.chair_for is not None:
        chair = t(N_("for")) if item.chair_for else t(N_("against"))
        text = f"{text}; " + t(N_("the chair's vote decides: {vote}")).format(vote=chair)
    return text


def proposal_text(item: DisputedTask, language: str) -> str:
    if item.proposed_points is None or item.proposed_points == item.points:
        return tr(language, N_("do not satisfy"))
    return tr(language, N_("satisfy: {before} → {after}")).format(before=item.points, after=item.proposed_points)


def protocol_pdf(records: Sequence[AppealRecord], rows: Sequence[ResultRow], *, spec: TestSpecification,
                 site_code: str, site_name: str, stream: int, exam_date: date, language: str,
                 chair: str = "", members: Sequence[str] = ()) -> BuiltForm:
    """Прил. 18 Правил in two copies (п. 206.2, 207), the signatures of п. 208; only after closing (п. 202)."""
    def t(message: str) -> str:
        return tr(language, message)

    ordered = _ordered(records)
    if any(record.state is AppealState.REGISTERED for record in ordered):
        raise Refused(_("The appeal commission's protocol is printed after every application is «did not appear» "
                        "or «decision taken» (п. 202)."))
    header = _header(t(N_("Protocol of the appeal commission's meeting")), PROTOCOL_APPENDIX, stream=stream,
                     exam_date=exam_date, site_code=site_code, site_name=site_name, language=language)
    purposes = [t(purpose) for purpose in AFTER_CLOSING]
    document = CopiesDocument(header, language, purposes, landscape_pages=True, footer_note=FOOTER)
    people = _names(records, rows)
    subjects = subject_names(spec, language)
    lines: list[list[object]] = []
    for record in ordered:
        for index, item in enumerate(record.tasks):
            first = index == 0
            absent = record.state is AppealState.NO_SHOW
            lines.append([record.number if first else "", record.ikt if first else "",
                          people.get(record.ikt, "") if first else "",
                          task_label(item, subjects), t(APPEAL_GROUND_TEXTS[item.ground]),
                          t(STATES[AppealState.NO_SHOW]) if absent else vote_text(item, record.kind, language),
                          "" if absent else proposal_text(item, language),
                          "" if absent else decision_text(item, language)])
    columns = [Column("№", 0.4, "right", wrap=False), Column(t("ИКТ"), 0.9, "center", wrap=False),
               Column(t("Surname, name, patronymic"), 1.6), Column(t(N_("Task")), 1.5),
               Column(t(N_("Ground (п. 195)")), 2.2), Column(t(N_("Vote or finding of the commission")), 2.0),
               Column(t(N_("Proposal of the appeal commission")), 1.3),
               Column(t(N_("Decision of the Republican commission")), 1.4)]
    signers = [Signature(t(N_("Chair of the appeal commission")), chair)]
    signers += [Signature(t(N_("Member of the appeal commission")), name) for name in members] or \
        [Signature(t(N_("Member of the appeal commission"))) for _line in range(MEMBER_LINES)]
    signers += [Signature(t(N_("Chair of the state commission"))), Signature(t(N_("Representative of the Ministry")))]
    for copy in range(1, len(purposes) + 1):
        document.begin_copy(copy)
        document.table(columns, lines, font_size=8)
        document.signatures(signers, stamp=False, note=t(ASSUMED_LAYOUT))
    return document.build()
