"""Printing the workstation's forms in Kazakh or Russian into ``printed/`` (audited, never overwritten)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_applications.forms.directory import FORM_KEY as DIRECTORY
from arm_applications.forms.directory import build_directory
from arm_applications.forms.journal import FORM_KEY as JOURNAL
from arm_applications.forms.journal import build_journal
from arm_applications.forms.secretaries import FORM_KEY as SECRETARIES
from arm_applications.forms.secretaries import build_secretaries
from arm_applications.journals import JournalState, ensure_journal, journal_state
from arm_applications.plan import applications_of, find_school, plan_site, school_key, schools_in_order
from arm_applications.secretaries import list_secretaries
from common.errors import Refused
from common.i18n import _, current_language
from common.reports import PrintedForm, save_printed
from common.workstation import DataFolder

FORM_LANGUAGES: Final = ("kk", "ru")


@dataclass(frozen=True)
class PrintedJournal:
    printed: PrintedForm
    state: JournalState


def default_form_language() -> str:
    language = current_language()
    return language if language in FORM_LANGUAGES else "ru"


def _check_language(language: str) -> None:
    if language not in FORM_LANGUAGES:
        raise Refused(_("Forms are printed in Kazakh (kk) or Russian (ru), not {language}.").format(
            language=language))


def print_journal(session: Session, folder: DataFolder, school: str, language: str, *, actor: str) -> PrintedJournal:
    """The school's registration journal (made with its ИКТ on the first print), kept in ``printed/``."""
    _check_language(language)
    site = plan_site(session)
    found = find_school(session, school)
    rows = ensure_journal(session, found)
    built = build_journal(site, found, rows, language)
    suffix = f"{found.region_code}-{found.district_code}-{found.code}"
    printed = save_printed(folder, JOURNAL, built, session=session, actor=actor, suffix=suffix)
    return PrintedJournal(printed, journal_state(session, found))


def print_secretaries(session: Session, folder: DataFolder, language: str, *, actor: str) -> PrintedForm:
    _check_language(language)
    site = plan_site(session)
    secretaries = list_secretaries(session)
    if not secretaries:
        raise Refused(_("No technical secretaries are entered yet."))
    return save_printed(folder, SECRETARIES, build_secretaries(site, secretaries, language), session=session,
                        actor=actor)


def print_directory(session: Session, folder: DataFolder, language: str, *, actor: str) -> PrintedForm:
    """The information directory for the technical secretaries (п. 37.2, 89.4) from НЦТ's directories."""
    from common.site import site_directories

    _check_language(language)
    site = plan_site(session)
    directories = site_directories(session)
    if directories is None:
        raise Refused(_("No directories from NTC on this workstation yet: take the directories package first."))
    return save_printed(folder, DIRECTORY, build_directory(site, directories, language), session=session,
                        actor=actor)


SCHOOL_FORMS: Final = ("scan-report", "certificates", "register", "database", "secretary-journal")


def print_school_form(
    session: Session, folder: DataFolder, form: str, school: str, language: str, *, actor: str,
    ikt: str | None = None,
) -> PrintedForm:
    """One of the prints after a school's scanning (п. 89.8, 100) for ``school``.

    ``ikt`` narrows the certificates to one applicant: the new certificate handed over after a change
    (п. 105) or after re-entry with a new ИКТ (п. 104.7).
    """
    from arm_applications.forms import school_prints
    from common.db.models import ApplicationStatus
    from common.db.scan_models import ScannedForm

    _check_language(language)
    site = plan_site(session)
    found = find_school(session, school)
    if ikt is not None and form != "certificates":
        raise Refused(_("--ikt is for the certificates only."))
    if form == "scan-report":
        forms = session.scalars(select(ScannedForm).where(ScannedForm.school_id == found.id)
                                .order_by(ScannedForm.id)).all()
        if not forms:
            raise Refused(_("No form of school {school} is scanned yet.").format(school=school))
        built = school_prints.build_scan_report(site, found, forms, language)
    elif form in ("certificates", "register"):
        applications = [application for application in applications_of(session, found)
                        if application.status != ApplicationStatus.ANNULLED]
        if ikt is not None:
            applications = [application for application in applications if application.ikt == ikt]
            if not applications:
                raise Refused(_("School {school} has no application with ИКТ {ikt} that is not annulled.").format(
                    school=school, ikt=ikt))
        if not applications:
            raise Refused(_("School {school} has no applications yet.").format(school=school))
        builder = school_prints.build_certificates if form == "certificates" else school_prints.build_register
        built = builder(site, found, applications, language)
    elif form == "database":
        built = school_prints.build_database(site, found, list(found.journal), language)
    elif form == "secretary-journal":
        from arm_applications.forms.closing_prints import build_secretary_journal

        if not found.journal:
            raise Refused(_("School {school} has no journal yet: print it first.").format(school=school))
        names = [row.full_name for row in found.secretaries]
        built = build_secretary_journal(site, found, list(found.journal), names, language)
    else:
        raise Refused(_("Unknown form {form}; expected one of: {forms}.").format(form=form,
                                                                                   forms=", ".join(SCHOOL_FORMS)))
    suffix = f"{found.region_code}-{found.district_code}-{found.code}" + (f"-{ikt}" if ikt else "")
    return save_printed(folder, form, built, session=session, actor=actor, suffix=suffix)


def print_distribution(
    session: Session, folder: DataFolder, language: str, *, actor: str, stream: int | None = None
) -> list[PrintedForm]:
    """прил. 2 of each stream (or of ``stream``): the rooms and their applicants after the distribution."""
    from sqlalchemy.orm import joinedload

    from arm_applications.distribution import placements
    from arm_applications.forms.closing_prints import DISTRIBUTION_KEY, build_distribution
    from arm_applications.rooms import room_uses
    from common.db.models import Application, Stream

    _check_language(language)
    site = plan_site(session)
    placed = placements(session, stream)
    if not placed:
        raise Refused(_("The applicants are not distributed yet: distribute them first (distribute)."))
    wanted = sorted({item.stream_number for item in placed})
    ids = [item.application_id for item in placed]
    applications = {row.id: row for row in session.scalars(
        select(Application).where(Application.id.in_(ids))
        .options(joinedload(Application.applicant), joinedload(Application.school)))}
    seats = {(use.stream, use.room): use.seats for use in room_uses(session)}
    printed = []
    for number in wanted:
        row = session.scalar(select(Stream).where(Stream.site_id == site.id, Stream.number == number))
        assert row is not None
        built = build_distribution(site, row, [item for item in placed if item.stream_number == number], applications,
                                   {room: count for (stream_number, room), count in seats.items()
                                    if stream_number == number}, language)
        printed.append(save_printed(folder, DISTRIBUTION_KEY, built, session=session, actor=actor,
                                    suffix=f"stream-{number}"))
    return printed


def print_closing_record(session: Session, folder: DataFolder, language: str, *, actor: str) -> list[PrintedForm]:
    """At closing (п. 107.1): the database information (прил. 32) of every school with a journal, again."""
    return [print_school_form(session, folder, "database", school_key(school), language, actor=actor)
            for school in schools_in_order(session) if school.journal]
