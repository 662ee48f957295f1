"""прил. 18: the scanner check report (п. 42.5, 47.5, 52.5).

The Ministry programmer checks the scanner with the control set; the site head controls the check
and draws up this report, which is stamped by the university or the district (city) education
department hosting the site (п. 42.5). The instruction does not give the layout; the report holds
what the check established: the scanner (model, serial number, driver, settings), the control set,
the verdict with every reason in words, the figures measured, one row per scanned page, and the
signature and stamp lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from arm_scanner_check.check import Finding
from common.i18n import N_, tr
from common.reports import BuiltForm, Column, FormDocument, FormHeader, Signature

FORM_KEY = "app18"
TITLE = N_("Report on the scanner check")
_CHECK_LABELS = {
    "file": N_("file"),
    "blank": N_("empty page"),
    "located": N_("not located"),
    "wrong_form": N_("another form"),
    "resolution": N_("resolution"),
    "skew": N_("skew"),
    "sharpness": N_("blurred"),
    "darkness": N_("too dark"),
    "contrast": N_("low contrast"),
    "corner": N_("corner cut"),
    "corner_mark": N_("corner square"),
    "streaks": N_("streaks"),
}


@dataclass(frozen=True)
class ReportData:
    """What the report shows (from the stored check)."""

    site: dict[str, str] | None
    """The site as named on paper, by language (None before enrolment)."""
    check_id: int
    checked_at: datetime
    checked_by: str
    set_number: int
    spec_code: str
    exam_year: int | None
    scanner_model: str
    scanner_serial: str
    driver: str
    settings: dict[str, Any]
    fit: bool
    findings: list[Finding]
    figures: dict[str, Any]
    pages: list[dict[str, Any]]


def _number(value: Any, pattern: str = "{}") -> str:
    return "—" if value is None else pattern.format(value)


def build_report18(data: ReportData, language: str) -> BuiltForm:
    site = (data.site or {}).get(language)
    document = FormDocument(FormHeader(title=tr(language, TITLE), appendix="18", site=site), language,
                            footer_note="ent-scanner-check")  # fmt: skip
    verdict = tr(language, "FIT: the scanner may scan the exam.") if data.fit else tr(language,
        "NOT FIT: the scanner may not scan the exam until it is fixed and checked again.")  # fmt: skip
    document.heading(tr(language, "1. Scanner and check"))
    settings = data.settings
    parts = [tr(language, "{dpi} dpi").format(dpi=settings.get("dpi")),
             tr(language, "brightness {value}").format(value=settings.get("brightness", 0))]  # fmt: skip
    if settings.get("simulated_faults"):
        faults = ", ".join(f"{key} {value}" for key, value in sorted(settings["simulated_faults"].items()))
        parts.append(tr(language, "simulated faults: {faults}").format(faults=faults))
    setting_text = ", ".join(parts)
    figures = data.figures
    checked = f"{data.check_id}, {data.checked_at.astimezone():%d.%m.%Y %H:%M}"
    pages = f"{figures.get('pages_expected')} / {figures.get('pages_scanned')}"
    dpi = f"{_number(figures.get('dpi_min'))} – {_number(figures.get('dpi_max'))}"
    document.key_values([
        (tr(language, "Check number, date and time"), checked),
        (tr(language, "Scanner: model, serial number (driver)"),
         f"{data.scanner_model}, {data.scanner_serial or '—'} ({data.driver})"),
        (tr(language, "Settings"), setting_text),
        (tr(language, "Control set (test specification, exam year)"),
         f"{data.set_number:03d} ({data.spec_code}, {_number(data.exam_year)})"),
        (tr(language, "Sheets in the set / pages scanned"), pages),
        (tr(language, "Measured resolution, dpi"), dpi),
        (tr(language, "Largest feed skew, °"), _number(figures.get("skew_max_deg"))),
        (tr(language, "Paper brightness, percent of white (lowest)"), _number(_percent(figures.get("paper_min")))),
        (tr(language, "Bubbles compared with the key / read unlike the key"),
         f"{figures.get('bubbles_compared')} / {figures.get('marks_wrong')}"),
        (tr(language, "Fill ratio error: largest / mean"),
         f"{_number(figures.get('fill_error_max'), '{:.2f}')} / {_number(figures.get('fill_error_mean'), '{:.3f}')}"),
    ], key_share=0.58)  # fmt: skip
    document.heading(tr(language, "2. Verdict"))
    document.paragraph(verdict, size=11)
    for finding in data.findings:
        document.paragraph("• " + finding.message(language), size=10)
    document.heading(tr(language, "3. Pages"))
    columns = [
        Column("№", 0.4, "right", wrap=False),
        Column(tr(language, "Sheet"), 1.0, "center", wrap=False),
        Column("dpi", 0.6, "right", wrap=False),
        Column(tr(language, "Skew, °"), 0.7, "right", wrap=False),
        Column(tr(language, "Paper, %"), 0.7, "right", wrap=False),
        Column(tr(language, "Bubbles"), 0.8, "right", wrap=False),
        Column(tr(language, "Unlike the key"), 0.9, "right", wrap=False),
        Column(tr(language, "Largest fill error"), 0.9, "right", wrap=False),
        Column(tr(language, "Page check"), 2.5),
    ]
    rows = [[
        page["page"], page["sheet"] or "—", _number(page["dpi"]), _number(page["skew_deg"]),
        _number(_percent(page["paper"])), page["compared"], len(page["wrong"]),
        _number(page["max_error"], "{:.2f}"),
        ", ".join(tr(language, _CHECK_LABELS.get(check, check)) for check in sorted({p[0] for p in page["problems"]}))
        or tr(language, "passed"),
    ] for page in data.pages]  # fmt: skip
    document.table(columns, rows, font_size=7.5)
    document.spacer(2)
    document.paragraph(tr(language, "The report is stamped by the university or the district (city) education "
                                    "department hosting the test site (п. 42.5)."), size=9)  # fmt: skip
    document.signatures(
        [Signature(tr(language, "Ministry programmer (checked the scanner)"), data.checked_by),
         Signature(tr(language, "Head of the test site (controlled the check, п. 42.5)"))],
    )  # fmt: skip
    return document.build()


def _percent(share: float | None) -> int | None:
    return None if share is None else round(100 * share)
