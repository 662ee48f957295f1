"""Scanning a school's application forms (п. 89.7, 94–99) and what each form does (ch. 19).

The shared scan loop (:mod:`common.scanning.loop`) hands each page to :class:`ApplicationSink`,
which in one transaction records the page (``ScannedForm``, its ``page_id`` unique: never twice)
and decides it:

- a page that failed the page check is a **rescan** request;
- a form with a problem — a doubtful mark, a rule break of :mod:`arm_applications.decoding`, an
  ИКТ not in the school's journal, an ИИН registered for another live application — waits for
  **review** (``FLAGGED``); the operator fixes values (:func:`fix_form`) or sets it aside;
- otherwise it is applied: a new form **enters** an application on its journal row's ИКТ (an
  applicant whose earlier application was annulled is re-entered, ``replaces``, п. 104); a form
  marked «изменен» **changes** the application in place (п. 105) — not its test language, which
  п. 103 requires to annul and re-enter; a form marked «аннулирован» **annuls** (п. 104); the same
  form again changes nothing (``DUPLICATE``).

No personal data goes to the audit log or to messages: forms are named by their number and ИКТ.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from arm_applications.closing import refuse_if_closed
from arm_applications.decoding import apply_overrides, decode, doubtful_sectors
from arm_applications.plan import school_key
from common import codebook
from common.db.base import utc_now
from common.db.models import (
    Applicant,
    Application,
    ApplicationStatus,
    ApplicationStatusHistory,
    ExamLanguage,
    HistoryLanguage,
    IktRow,
    IktStatus,
    School,
    Sex,
)
from common.db.scan_models import ScannedForm, ScanState
from common.directories import Directories
from common.errors import Refused
from common.i18n import _
from common.omr.layout import Layout
from common.omr.reader import PageResult
from common.scanning.driver import ScannedPage

FORM = "application"
PERSON_FIELDS = ("surname", "name", "patronymic", "iin", "birth_date", "sex", "citizenship", "nationality")


def application_layout() -> Layout:
    from forms.registry import get_layout

    return get_layout(FORM)


def reading_json(result: PageResult) -> dict[str, Any]:
    """What is kept of a reading: no bubble fills (the image is kept; it can be read again)."""
    data = result.to_json()
    data.pop("bubbles", None)
    return data


@dataclass(frozen=True)
class FormSummary:
    id: int
    school: str
    state: str
    ikt: str
    problems: tuple[tuple[str, str], ...]
    """(code, field) of the error protocol."""
    application_id: int | None
    image: str


def summary_of(form: ScannedForm, school: str | None = None) -> FormSummary:
    """``school``: the form's school key when the caller knows it (no query for the school)."""
    return FormSummary(
        id=form.id, school=school or school_key(form.school), state=form.state.value,
        ikt=str(form.values.get("ikt") or ""),
        problems=tuple((item["code"], item["field"]) for item in form.problems),
        application_id=form.application_id, image=form.image,
    )


def held_directories(session: Session) -> Directories:
    """The newest directories from НЦТ (the forms are decoded against them); ``Refused`` before any."""
    from common.site import site_directories

    found = site_directories(session)
    if found is None:
        raise Refused(_("No directories from NTC on this workstation yet: take the directories package first."))
    return found


@dataclass(frozen=True)
class ScanTarget:
    school_id: int
    school: str
    """The school's key."""
    directories: Directories


def scan_target(session: Session, key: str) -> ScanTarget:
    """What a scanning run of school ``key`` needs; ``Refused`` when its forms cannot be scanned now
    (the database closed, the school without a journal, no directories)."""
    from arm_applications.plan import find_school

    refuse_if_closed(session)
    school = find_school(session, key)
    if not school.journal:
        raise Refused(_("School {school} has no journal yet: print it first.").format(school=school_key(school)))
    return ScanTarget(school.id, school_key(school), held_directories(session))


class ApplicationSink:
    """The :class:`common.scanning.loop.PageSink` of one school's forms.

    What does not change during a run is read once, at the first page: the school (its code for
    sectors 8–10 and its key) and the pages already stored, so :meth:`done` asks no query. A page
    stored by another process since then is still found: :meth:`keep` looks for it in its own
    transaction before storing (and ``page_id`` is unique), so it is never stored twice.
    """

    def __init__(self, transaction: Callable[[], AbstractContextManager[Session]], school_id: int,
                 directories: Directories, *, today: date | None = None) -> None:
        self.transaction = transaction
        self.school_id = school_id
        self.directories = directories
        self.today = today or date.today()
        self._stored: set[str] | None = None
        self._place: tuple[str, str, str] = ("", "", "")
        self._key = ""

    def done(self, page_id: str) -> bool:
        if self._stored is None:
            with self.transaction() as session:
                school = session.get_one(School, self.school_id)
                self._place = (school.region_code, school.district_code, school.code)
                self._key = school_key(school)
                self._stored = set(session.scalars(select(ScannedForm.page_id)))
        return page_id in self._stored

    def keep(self, page: ScannedPage, image: Path, result: PageResult, rescan: bool) -> FormSummary:
        if self._stored is None:
            self.done(page.page_id)
        assert self._stored is not None
        with self.transaction() as session:
            refuse_if_closed(session)
            stored = session.scalar(select(ScannedForm).where(ScannedForm.page_id == page.page_id))
            if stored is not None:  # stored by another process after this run began: not again
                self._stored.add(page.page_id)
                return summary_of(stored, self._key)
            form = ScannedForm(page_id=page.page_id, school_id=self.school_id, image=image.name,
                               state=ScanState.RESCAN if rescan else ScanState.FLAGGED,
                               reading=reading_json(result), values={}, problems=[], overrides={})
            if not rescan:  # decided before it is added: one INSERT with its values, no UPDATE after it
                decide(session, form, self.directories, self.today, self._place)
            session.add(form)
            session.flush()
            summary = summary_of(form, self._key)
        self._stored.add(page.page_id)
        return summary


def decide(session: Session, form: ScannedForm, directories: Directories, today: date,
           place: tuple[str, str, str] | None = None) -> None:
    """Decode ``form`` (with its overrides) and apply it, or leave it flagged with its problems.
    ``place``: the form's school as (region, district, school) codes when the caller knows it."""
    layout = application_layout()
    reading = form.reading
    sectors = apply_overrides(layout, reading.get("fields", {}), form.overrides)
    doubtful = doubtful_sectors(reading.get("flags", []), form.overrides)
    if place is None:
        school = form.school
        place = (school.region_code, school.district_code, school.code)
    decoded = decode(sectors, doubtful, directories, place, today)
    form.values = decoded.values
    if not decoded.problems:
        _apply(session, form, decoded.values, decoded)
    form.problems = [problem.to_json() for problem in decoded.problems]
    if decoded.problems:
        form.state = ScanState.FLAGGED
    form.decided_at = utc_now()
    session.flush()


def _apply(session: Session, form: ScannedForm, values: dict[str, Any], decoded: Any) -> None:
    row = session.scalar(select(IktRow).options(joinedload(IktRow.application)).where(IktRow.ikt == values["ikt"]))
    if row is None or row.school_id != form.school_id:
        decoded.add("06", "ikt")
        return
    current = row.application
    if values["annulled"]:
        if current is None:
            decoded.add("22", "ikt")
        elif current.status == ApplicationStatus.ANNULLED:
            form.state, form.application_id = ScanState.DUPLICATE, current.id
        else:
            _set_status(current, ApplicationStatus.ANNULLED, "annulled by form")
            form.state, form.application_id = ScanState.APPLIED, current.id
        return
    if row.status in (IktStatus.STRUCK, IktStatus.MISSING):
        decoded.add("08", "ikt")
        return
    if current is not None and current.status == ApplicationStatus.ANNULLED:
        decoded.add("07", "ikt")  # an annulled ИКТ is never used again (п. 104.5)
        return
    if current is not None:
        if _same(current, values):
            form.state, form.application_id = ScanState.DUPLICATE, current.id
        elif not values["changed"]:
            decoded.add("07", "ikt")
        elif (current.test_language.value != values["test_language"]
              or _history(current) != values["history_language"]):
            decoded.add("21", "language")
        else:
            if _person_clash(session, values, current.applicant):
                decoded.add("12", "iin")
                return
            _write_person(current.applicant, values)
            _set_status(current, ApplicationStatus.CHANGED, "changed by form")
            form.state, form.application_id = ScanState.APPLIED, current.id
        return
    if values["changed"]:
        decoded.add("21", "ikt")  # a change to an ИКТ without an application: a new ИКТ needs annulment first
        return
    applicant, replaces = _applicant_for(session, values, form.school_id)
    if applicant is None:
        decoded.add("12", "iin")
        return
    _write_person(applicant, values)
    application = Application(
        applicant=applicant, ikt_row=row, school_id=form.school_id, region_code=values["region"],
        district_code=values["district"], test_language=ExamLanguage(values["test_language"]),
        history_language=None if values["history_language"] is None else HistoryLanguage(values["history_language"]),
        status=ApplicationStatus.ENTERED, replaces=replaces,
    )
    application.history = [ApplicationStatusHistory(old_status=None, new_status=ApplicationStatus.ENTERED,
                                                    reason="re-entry" if replaces is not None else "scanned")]
    session.add(application)
    row.status = IktStatus.USED
    session.flush()
    form.state, form.application_id = ScanState.APPLIED, application.id


def _history(application: Application) -> str | None:
    return None if application.history_language is None else application.history_language.value


def _person(applicant: Applicant) -> dict[str, Any]:
    born = None if applicant.birth_date is None else applicant.birth_date.isoformat()
    return {"surname": applicant.surname, "name": applicant.name, "patronymic": applicant.patronymic or "",
            "iin": applicant.iin, "birth_date": born,
            "sex": applicant.sex.value.upper(), "citizenship": applicant.citizenship_code,
            "nationality": applicant.nationality_code}


def _same(application: Application, values: dict[str, Any]) -> bool:
    return (_person(application.applicant) == {key: values[key] or ("" if key == "patronymic" else None)
                                               for key in PERSON_FIELDS}
            and application.test_language.value == values["test_language"]
            and _history(application) == values["history_language"])


def _write_person(applicant: Applicant, values: dict[str, Any]) -> None:
    applicant.surname, applicant.name = values["surname"], values["name"]
    applicant.patronymic = values["patronymic"] or None
    applicant.iin = values["iin"]
    applicant.birth_date = None if values["birth_date"] is None else date.fromisoformat(values["birth_date"])
    applicant.sex = Sex(values["sex"].lower())
    applicant.citizenship_code, applicant.nationality_code = values["citizenship"], values["nationality"]


def _person_clash(session: Session, values: dict[str, Any], own: Applicant) -> bool:
    if values["iin"] is None:
        return False
    other = session.scalar(select(Applicant).where(Applicant.iin == values["iin"]))
    return other is not None and other.id != own.id


def _applicant_for(session: Session, values: dict[str, Any],
                   school_id: int) -> tuple[Applicant | None, Application | None]:
    """A new applicant, or the one re-entered after annulment (п. 104): the one with this ИИН whose
    applications are all annulled — or, for a person without an ИИН, the one :func:`_annulled_namesake`
    finds."""
    known = (session.scalar(select(Applicant).where(Applicant.iin == values["iin"])) if values["iin"] is not None
             else _annulled_namesake(session, values, school_id))
    if known is None:
        applicant = Applicant(surname="", name="", sex=Sex.MALE, citizenship_code="", nationality_code="")
        session.add(applicant)
        return applicant, None
    live = [item for item in known.applications if item.status != ApplicationStatus.ANNULLED]
    if live:
        return None, None
    return known, known.applications[-1] if known.applications else None


def _annulled_namesake(session: Session, values: dict[str, Any], school_id: int) -> Applicant | None:
    """The applicant without an ИИН a re-entry continues (п. 104.5–7: annulled, then entered again
    with a new ИКТ on a free row of the same school's journal): the only one of that school with the
    form's surname, name, patronymic, birth date and sex whose every application is annulled. With
    none, or more than one (two namesakes born the same day), the form enters a new applicant."""
    born = None if values["birth_date"] is None else date.fromisoformat(values["birth_date"])
    candidates = session.scalars(
        select(Applicant).join(Application, Application.applicant_id == Applicant.id)
        .where(Applicant.iin.is_(None), Applicant.surname == values["surname"], Applicant.name == values["name"],
               Applicant.birth_date == born, Applicant.sex == Sex(values["sex"].lower()),
               Application.school_id == school_id)
        .distinct()).all()
    annulled = [applicant for applicant in candidates
                if (applicant.patronymic or "") == (values["patronymic"] or "")
                and all(item.status == ApplicationStatus.ANNULLED for item in applicant.applications)]
    return annulled[0] if len(annulled) == 1 else None


def _set_status(application: Application, status: ApplicationStatus, reason: str) -> None:
    application.history.append(ApplicationStatusHistory(old_status=application.status, new_status=status,
                                                        reason=reason))
    application.status = status


# --- review --------------------------------------------------------------------------------------


def flagged_forms(session: Session, school: School | None = None) -> list[FormSummary]:
    """Forms waiting for review, worst first (most problems), then in scan order."""
    statement = select(ScannedForm).where(ScannedForm.state == ScanState.FLAGGED)
    if school is not None:
        statement = statement.where(ScannedForm.school_id == school.id)
    forms = session.scalars(statement.order_by(ScannedForm.id)).all()
    return [summary_of(form) for form in sorted(forms, key=lambda form: -len(form.problems))]


def get_form(session: Session, form_id: int) -> ScannedForm:
    form = session.get(ScannedForm, form_id)
    if form is None:
        raise Refused(_("There is no scanned form number {number}.").format(number=form_id))
    return form


def fix_form(session: Session, form_id: int, overrides: dict[str, str], directories: Directories,
             today: date | None = None) -> FormSummary:
    """Set values the operator read on the image (a cell ``surname.c03`` or a sector ``iin``) and decide again."""
    refuse_if_closed(session)
    form = get_form(session, form_id)
    if form.state != ScanState.FLAGGED:
        raise Refused(_("Form {number} is not waiting for review.").format(number=form_id))
    layout = application_layout()
    known = set(layout.field_by_name) | set(layout.fields_by_group)
    for key in overrides:
        if key not in known:
            raise Refused(_("The application form has no field or sector {name}.").format(name=key))
    form.overrides = {**form.overrides, **overrides}
    decide(session, form, directories, today or date.today())
    return summary_of(form)


def set_aside(session: Session, form_id: int) -> FormSummary:
    """Review decided the form is not used (the sheet is corrected and scanned again)."""
    refuse_if_closed(session)
    form = get_form(session, form_id)
    if form.state != ScanState.FLAGGED:
        raise Refused(_("Form {number} is not waiting for review.").format(number=form_id))
    form.state = ScanState.SET_ASIDE
    form.decided_at = utc_now()
    session.flush()
    return summary_of(form)


def scan_counts(session: Session, school: School) -> dict[str, int]:
    rows = session.execute(select(ScannedForm.state, func.count()).where(ScannedForm.school_id == school.id)
                           .group_by(ScannedForm.state))
    return {state.value: count for state, count in rows}


def problem_text(code: str) -> str:
    sector, message = codebook.FORM_ERRORS[code]
    return _("/{code} sector {sector}: {message}").format(code=code, sector=sector, message=_(message))

