"""The reports after the appeal: the programmer's report (прил. 25, п. 56.2–3) and the appeal report's two forms
(прил. 26 and 27, п. 69, 212–213), counted from the records the caller gives; nothing here reads the database.

* :func:`programmer_report_pdf` — прил. 25, one stream: the seated, scored, absent, annulled and not admitted
  (the :class:`~arm_programmer.results.ResultRow` list), the appeals by kind, the no-shows, the tasks
  satisfied and not, the points the appeal added and the applicants whose total changed; signed by the
  programmer and the representative of the Ministry;
* :func:`appeal_report_pdf` — прил. 26, the appeal commission chair's report by stream: applications by kind
  and state, disputed tasks satisfied and not, points added, and the documents attached to it (п. 212);
* :func:`appeal_tasks_report_pdf` — прил. 27, the same appeal by subject and ground (п. 195): disputed tasks,
  satisfied, not satisfied, points added — the breakdown НЦТ reads from the electronic copy (п. 213).

**Assumption (the one place it is stated).** The instruction says прил. 26 and 27 are the appeal report's forms
(п. 69, 213) and nothing says which is which: here прил. 26 is the report by stream with its attachments and
прил. 27 the breakdown by subject and ground. None of the three layouts is given; each blank says so in one
line (:data:`arm_programmer.exam_prints.ASSUMED_LAYOUT`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final

from arm_programmer.appeal_records import (
    AppealKind,
    AppealRecord,
    AppealState,
    ScoreChange,
    TaskDecision,
)
from arm_programmer.codes_print import subject_names
from arm_programmer.exam_prints import ASSUMED_LAYOUT, FOOTER
from arm_programmer.results import ResultRow, ResultStatus
from common.codebook import APPEAL_GROUND_TEXTS, AppealGround
from common.i18n import N_, tr
from common.reports import Column, FormDocument, FormHeader, Signature
from common.reports.document import BuiltForm
from common.testspec import TestSpecification

PROGRAMMER_REPORT_KEY: Final = "programmer-report"
APPEAL_REPORT_KEY: Final = "appeal-report"
APPEAL_TASKS_REPORT_KEY: Final = "appeal-tasks-report"
ATTACHMENTS: Final = (
    N_("the journal of registration of appeal applications (appendix 17 of the Rules)"),
    N_("the applications filed for appeal"),
    N_("copies of the answer sheets of the applicants appealing on content"),
    N_("originals of the answer sheets that gained points on technical grounds"),
    N_("the answer analysis cards of the appellants (appendix 39)"),
    N_("the booklets of the applicants who gained points on the content of test tasks"),
    N_("the register of applications filed for appeal, final variant (appendix 20 of the Rules)"),
    N_("the register of applications passed to the Republican commission"),
    N_("the protocol of the appeal commission's meeting for each stream (appendix 18 of the Rules)"),
    N_("the act of issue and return of the applicants' examination materials for the appeal commission"),
)
"""The documents п. 212.1–10 attaches to the appeal report."""


@dataclass(frozen=True)
class AppealCounts:
    """What the appeal of a set of records came to."""

    applications: int
    content: int
    technical: int
    no_show: int
    decided: int
    registered: int
    tasks: int
    satisfied: int
    not_satisfied: int
    points_added: int
    changed: int
    """Applicants whose total changed."""


def appeal_counts(records: Sequence[AppealRecord], changes: Sequence[ScoreChange]) -> AppealCounts:
    numbers = {record.number for record in records}
    mine = [change for change in changes if change.appeal_number in numbers]
    considered = [item for record in records if record.state is not AppealState.NO_SHOW for item in record.tasks]
    return AppealCounts(
        applications=len(records),
        content=sum(1 for record in records if record.kind is AppealKind.CONTENT),
        technical=sum(1 for record in records if record.kind is AppealKind.TECHNICAL),
        no_show=sum(1 for record in records if record.state is AppealState.NO_SHOW),
        decided=sum(1 for record in records if record.state is AppealState.DECIDED),
        registered=sum(1 for record in records if record.state is AppealState.REGISTERED),
        tasks=len(considered),
        satisfied=sum(1 for item in considered if item.decision is TaskDecision.SATISFIED),
        not_satisfied=sum(1 for item in considered if item.decision is TaskDecision.NOT_SATISFIED),
        points_added=sum(change.after - change.before for change in mine),
        changed=len({change.ikt for change in mine if change.after != change.before}),
    )


def _header(title: str, appendix: str, subtitle: str, site_code: str, site_name: str) -> FormHeader:
    return FormHeader(title=title, appendix=appendix, subtitle=subtitle, site=f"{site_code} — {site_name}")


def _appeal_pairs(counts: AppealCounts, language: str) -> list[tuple[str, object]]:
    def t(message: str) -> str:
        return tr(language, message)

    return [(t(N_("Applications filed for appeal")), counts.applications),
            (t(N_("on the content of test tasks")), counts.content), (t(N_("on technical grounds")), counts.technical),
            (t(N_("Did not appear")), counts.no_show), (t(N_("Decision taken")), counts.decided),
            (t(N_("Disputed tasks considered")), counts.tasks), (t(N_("Satisfied")), counts.satisfied),
            (t(N_("Not satisfied")), counts.not_satisfied), (t(N_("Points added on appeal")), counts.points_added),
            (t(N_("Applicants whose total changed")), counts.changed)]


def programmer_report_pdf(rows: Sequence[ResultRow], records: Sequence[AppealRecord], changes: Sequence[ScoreChange],
                          *, site_code: str, site_name: str, stream: int, exam_date: date,
                          language: str) -> BuiltForm:
    """Прил. 25 of one stream (п. 56.3): ``rows`` are the stream's; records of other streams are left out."""
    def t(message: str) -> str:
        return tr(language, message)

    subtitle = t(N_("Stream {stream}, {date}")).format(stream=stream, date=exam_date.strftime("%d.%m.%Y"))
    document = FormDocument(_header(t(N_("Report of the programmer of the Ministry")), "25", subtitle, site_code,
                                    site_name), language, footer_note=FOOTER)

    records = [record for record in records if record.stream == stream]

    def status(value: ResultStatus) -> int:
        return sum(1 for row in rows if row.status is value)

    document.heading(t(N_("Testing")))
    document.key_values([(t(N_("Seated")), len(rows)), (t(N_("Scored")), status(ResultStatus.SCORED)),
                         (t(N_("Absent")), status(ResultStatus.ABSENT)),
                         (t(N_("Annulled")), status(ResultStatus.ANNULLED)),
                         (t(N_("Not admitted")), status(ResultStatus.NOT_ADMITTED))])
    document.heading(t(N_("Appeal")))
    document.key_values(_appeal_pairs(appeal_counts(records, changes), language))
    document.paragraph(t(N_("The final data of the stream are passed to НЦТ in the final-results package "
                            "(п. 56.2).")), size=8.5)
    document.signatures([Signature(t("Programmer of the Ministry")),
                         Signature(t(N_("Representative of the Ministry")))], stamp=False, note=t(ASSUMED_LAYOUT))
    return document.build()


def appeal_report_pdf(records: Sequence[AppealRecord], changes: Sequence[ScoreChange], *, site_code: str,
                      site_name: str, exam_date: date, language: str, chair: str = "") -> BuiltForm:
    """Прил. 26: the appeal by stream and in all, and the documents attached (п. 212)."""
    def t(message: str) -> str:
        return tr(language, message)

    document = FormDocument(_header(t(N_("Report on the results of the appeal")), "26",
                                    exam_date.strftime("%d.%m.%Y"), site_code, site_name), language,
                            landscape_pages=True, footer_note=FOOTER)
    streams = sorted({record.stream for record in records})

    def line(label: object, counts: AppealCounts) -> list[object]:
        return [label, counts.applications, counts.content, counts.technical, counts.no_show, counts.decided,
                counts.tasks, counts.satisfied, counts.not_satisfied, counts.points_added, counts.changed]

    table = [line(stream, appeal_counts([r for r in records if r.stream == stream], changes)) for stream in streams]
    document.table([Column(t(N_("Stream")), 0.7, "center"),
                    Column(t(N_("Applications filed for appeal")), 1.0, "right"),
                    Column(t(N_("on the content of test tasks")), 1.0, "right"),
                    Column(t(N_("on technical grounds")), 1.0, "right"), Column(t(N_("Did not appear")), 1.0, "right"),
                    Column(t(N_("Decision taken")), 1.0, "right"),
                    Column(t(N_("Disputed tasks considered")), 1.0, "right"), Column(t(N_("Satisfied")), 1.0, "right"),
                    Column(t(N_("Not satisfied")), 1.0, "right"), Column(t(N_("Points added on appeal")), 1.0, "right"),
                    Column(t(N_("Applicants whose total changed")), 1.0, "right")],
                   table, total=line(t(N_("In all")), appeal_counts(records, changes)))
    document.heading(t(N_("Attached (п. 212)")))
    document.paragraph("\n".join(f"{number}) {t(item)}" for number, item in enumerate(ATTACHMENTS, start=1)),
                       size=8.5)
    document.signatures([Signature(t(N_("Chair of the appeal commission")), chair)], stamp=False,
                        note=t(ASSUMED_LAYOUT))
    return document.build()


def appeal_tasks_report_pdf(records: Sequence[AppealRecord], changes: Sequence[ScoreChange], *,
                            spec: TestSpecification, site_code: str, site_name: str, exam_date: date,
                            language: str, chair: str = "") -> BuiltForm:
    """Прил. 27: the disputed tasks by subject and ground (no-shows not counted)."""
    def t(message: str) -> str:
        return tr(language, message)

    document = FormDocument(_header(t(N_("Report on the results of the appeal by subject and ground")), "27",
                                    exam_date.strftime("%d.%m.%Y"), site_code, site_name), language,
                            landscape_pages=True, footer_note=FOOTER)
    names = subject_names(spec, language)
    gained = {(change.appeal_number, change.subject, change.task): change.after - change.before for change in changes}
    groups: dict[tuple[str, AppealGround], list[int]] = {}
    for record in records:
        if record.state is AppealState.NO_SHOW:
            continue
        for item in record.tasks:
            counts = groups.setdefault((item.subject, item.ground), [0, 0, 0, 0])
            counts[0] += 1
            counts[1] += item.decision is TaskDecision.SATISFIED
            counts[2] += item.decision is TaskDecision.NOT_SATISFIED
            counts[3] += gained.get((record.number, item.subject, item.task), 0)
    order = list(APPEAL_GROUND_TEXTS)
    keys = sorted(groups, key=lambda key: (names.get(key[0], key[0]), order.index(key[1])))
    lines = [[names.get(key[0], key[0]), t(APPEAL_GROUND_TEXTS[key[1]]), *groups[key]] for key in keys]
    total = [t(N_("In all")), "", *[sum(groups[key][index] for key in keys) for index in range(4)]]
    document.table([Column(t(N_("Subject")), 2.0), Column(t(N_("Ground (п. 195)")), 3.0),
                    Column(t(N_("Disputed tasks considered")), 1.0, "right"), Column(t(N_("Satisfied")), 1.0, "right"),
                    Column(t(N_("Not satisfied")), 1.0, "right"),
                    Column(t(N_("Points added on appeal")), 1.0, "right")], lines, total=total)
    document.signatures([Signature(t(N_("Chair of the appeal commission")), chair)], stamp=False,
                        note=t(ASSUMED_LAYOUT))
    return document.build()

