"""Printing the scanner check report (прил. 18) of a stored check into ``printed/`` (audited)."""

from __future__ import annotations

from typing import Final

from sqlalchemy.orm import Session

from arm_scanner_check.check import Finding
from arm_scanner_check.checking import load_check
from arm_scanner_check.forms.report18 import FORM_KEY, ReportData, build_report18
from common.errors import Refused
from common.i18n import _, current_language
from common.reports import PrintedForm, save_printed
from common.workstation import DataFolder

FORM_LANGUAGES: Final = ("kk", "ru")


def default_form_language() -> str:
    """The operator's language when the form exists in it, else Russian."""
    language = current_language()
    return language if language in FORM_LANGUAGES else "ru"


def report_data(session: Session, check_id: int | None = None) -> ReportData:
    """What the report of check ``check_id`` (default: the newest) shows."""
    from common.site import current_site

    row, set_row = load_check(session, check_id)
    try:
        site = current_site(session)
        names = {"kk": site.name_kk, "ru": site.name_ru}
        site_names: dict[str, str] | None = {language: f"{site.code} — {name}" for language, name in names.items()}
    except Refused:
        site_names = None
    return ReportData(
        site=site_names,
        check_id=row.id,
        checked_at=row.checked_at,
        checked_by=row.checked_by,
        set_number=set_row.number,
        spec_code=set_row.spec_code,
        exam_year=set_row.exam_year,
        scanner_model=row.scanner_model,
        scanner_serial=row.scanner_serial,
        driver=row.driver,
        settings=dict(row.settings),
        fit=row.fit,
        findings=[Finding.from_json(item) for item in row.findings],
        figures=dict(row.figures),
        pages=list(row.pages),
    )


def print_report(
    session: Session, folder: DataFolder, language: str, *, actor: str, check_id: int | None = None
) -> PrintedForm:
    """Build прил. 18 of the check in ``language`` and keep it in ``printed/``."""
    if language not in FORM_LANGUAGES:
        raise Refused(_("Forms are printed in Kazakh (kk) or Russian (ru), not {language}.").format(
            language=language))  # fmt: skip
    data = report_data(session, check_id)
    built = build_report18(data, language)
    return save_printed(folder, FORM_KEY, built, session=session, actor=actor, suffix=f"check-{data.check_id}")
