"""Printing the passes and the registers after the distribution into ``printed/`` (audited, never
overwritten), and with ``out`` a copy into another folder (a USB stick for the schools).

- :func:`print_passes` — the passes with stubs, one file per school (ch. 21);
- :func:`print_pass_form` — ``journal-of-changes`` (прил. 13, from the applications alone),
  ``passes-register`` (прил. 6, one file per school), ``room-folders`` (п. 32.1, one file per
  stream), ``site-journal`` (прил. 17, one file per stream, two copies; printed at closing too,
  before the distribution, without rooms).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arm_applications.forms import registers
from arm_applications.forms.passes import FORM_KEY as PASSES_KEY
from arm_applications.forms.passes import build_passes
from arm_applications.passes import (
    PassRow,
    journal_of_changes_rows,
    pass_rows,
    site_journal_rows,
    stream_info,
    streams,
)
from arm_applications.plan import find_school, plan_site, school_key
from arm_applications.printing import _check_language
from common.db.models import Application
from common.db.rollback import remove_on_rollback
from common.errors import Refused
from common.files import atomic_write_bytes
from common.i18n import _
from common.reports import BuiltForm, PrintedForm, save_printed
from common.workstation import DataFolder

PASS_FORMS: Final = (registers.CHANGES_KEY, registers.REGISTER_KEY, registers.FOLDERS_KEY, registers.SITE_JOURNAL_KEY)


def _suffix(key: str) -> str:
    return key.replace("/", "-")


def _by_school(rows: Sequence[PassRow]) -> list[list[PassRow]]:
    schools: dict[str, list[PassRow]] = {}
    for row in rows:
        schools.setdefault(row.school_key, []).append(row)
    return [schools[key] for key in sorted(schools)]


def _keep(session: Session, folder: DataFolder, form: str, built: BuiltForm, *, actor: str, suffix: str,
          out: Path | None) -> PrintedForm:
    printed = save_printed(folder, form, built, session=session, actor=actor, suffix=suffix)
    if out is not None:
        copy = out / printed.path.name
        atomic_write_bytes(copy, built.pdf)
        remove_on_rollback(session, copy)
    return printed


def print_passes(session: Session, folder: DataFolder, *, actor: str, school: str | None = None,
                 out: Path | None = None) -> list[PrintedForm]:
    """The passes with stubs of every placed applicant (of ``school``): one file per school, each pass
    in its applicant's language."""
    site = plan_site(session)
    rows = pass_rows(session, school=None if school is None else find_school(session, school))
    return [_keep(session, folder, PASSES_KEY, build_passes(site, group, group[0].school_key), actor=actor,
                  suffix=_suffix(group[0].school_key), out=out) for group in _by_school(rows)]


def print_pass_form(session: Session, folder: DataFolder, form: str, language: str, *, actor: str,
                    school: str | None = None, stream: int | None = None,
                    out: Path | None = None) -> list[PrintedForm]:
    """One of :data:`PASS_FORMS` in ``language``; ``school`` or ``stream`` narrows it down."""
    _check_language(language)
    site = plan_site(session)
    found = None if school is None else find_school(session, school)

    def keep(built: BuiltForm, suffix: str) -> PrintedForm:
        return _keep(session, folder, form, built, actor=actor, suffix=suffix, out=out)

    if form == registers.CHANGES_KEY:
        if not session.scalar(select(func.count()).select_from(Application)):
            raise Refused(_("No application is entered yet."))
        changes = journal_of_changes_rows(session, found)
        return [keep(registers.build_journal_of_changes(site, changes, language),
                     "" if found is None else _suffix(school_key(found)))]
    if form == registers.REGISTER_KEY:
        return [keep(registers.build_passes_register(site, group, language), _suffix(group[0].school_key))
                for group in _by_school(pass_rows(session, school=found, stream=stream))]
    if form == registers.FOLDERS_KEY:
        placed = pass_rows(session, stream=stream)
        numbers = sorted({row.stream for row in placed})
        return [keep(registers.build_room_folders(site, stream_info(session, number),
                                                  [row for row in placed if row.stream == number], language),
                     f"stream-{number}") for number in numbers]
    if form == registers.SITE_JOURNAL_KEY:
        numbers = [stream] if stream is not None else [info.number for info in streams(session)]
        printed = []
        for number in numbers:
            try:
                rows = site_journal_rows(session, number)
            except Refused:
                if stream is not None:
                    raise
                continue  # a stream without applications has no journal
            printed.append(keep(registers.build_site_journal(site, stream_info(session, number), rows, language),
                                f"stream-{number}"))
        if not printed:
            raise Refused(_("No application is entered yet."))
        return printed
    raise Refused(_("Unknown form {form}; expected one of: {forms}.").format(form=form, forms=", ".join(PASS_FORMS)))
