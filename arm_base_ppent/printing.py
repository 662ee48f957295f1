"""Printing a form of the site database: build it in Kazakh or Russian, keep it in ``printed/``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy.orm import Session

from arm_base_ppent.forms.app28 import FORM_KEY as APP28
from arm_base_ppent.forms.app28 import build_app28
from arm_base_ppent.forms.rooms import SCHEME_KEY, SIGNS_KEY, build_room_signs, build_seat_scheme
from arm_base_ppent.forms.schools_directory import FORM_KEY as DIRECTORY
from arm_base_ppent.forms.schools_directory import build_schools_directory
from arm_base_ppent.snapshot import SiteSnapshot, load_snapshot
from common.errors import Refused
from common.i18n import N_, _, current_language
from common.reports import BuiltForm, PrintedForm, save_printed
from common.workstation import DataFolder

FORM_LANGUAGES: Final = ("kk", "ru")


@dataclass(frozen=True)
class FormSpec:
    key: str
    title: str
    paragraphs: str
    per_room: bool
    build: Callable[[SiteSnapshot, str, Sequence[str] | None], BuiltForm]


FORMS: Final[dict[str, FormSpec]] = {
    spec.key: spec
    for spec in (
        FormSpec(
            APP28,
            N_("Report on building the site database (прил. 28)"),
            "п. 87–88",
            False,
            lambda snapshot, language, _rooms: build_app28(snapshot, language),
        ),
        FormSpec(
            DIRECTORY,
            N_("Directory of schools and colleges for checking"),
            "п. 85",
            False,
            lambda snapshot, language, _rooms: build_schools_directory(snapshot, language),
        ),
        FormSpec(SIGNS_KEY, N_("Room number signs (прил. 11)"), "п. 32.2", True, build_room_signs),
        FormSpec(SCHEME_KEY, N_("Seat-numbering scheme (прил. 12)"), "п. 32.2", True, build_seat_scheme),
    )
}


def default_form_language() -> str:
    """The operator's language when a form exists in it, else Russian."""
    language = current_language()
    return language if language in FORM_LANGUAGES else "ru"


def build_form(session: Session, form: str, language: str, rooms: Sequence[str] | None = None) -> BuiltForm:
    """Lay ``form`` out in ``language`` from the database; reads only (a read-only transaction will do)."""
    spec = FORMS.get(form)
    if spec is None:
        raise Refused(_("Unknown form {form}; expected one of: {forms}.").format(form=form, forms=", ".join(FORMS)))
    if language not in FORM_LANGUAGES:
        raise Refused(_("Forms are printed in Kazakh (kk) or Russian (ru), not {language}.").format(
            language=language))
    return spec.build(load_snapshot(session), language, rooms)


def keep_form(
    session: Session,
    folder: DataFolder,
    form: str,
    built: BuiltForm,
    *,
    actor: str,
    rooms: Sequence[str] | None = None,
) -> PrintedForm:
    """Keep a built form in ``printed/`` with its audit entry (a short write transaction)."""
    suffix = "-".join(rooms) if rooms else ""
    return save_printed(folder, form, built, session=session, actor=actor, suffix=suffix)


def print_form(
    session: Session,
    folder: DataFolder,
    form: str,
    language: str,
    *,
    actor: str,
    rooms: Sequence[str] | None = None,
) -> PrintedForm:
    """Build ``form`` in ``language`` from the database and keep it in ``printed/`` (audited)."""
    built = build_form(session, form, language, rooms)
    return keep_form(session, folder, form, built, actor=actor, rooms=rooms)
