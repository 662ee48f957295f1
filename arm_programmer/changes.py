"""The journal of changes (прил. 13), entered at the take-over (п. 52.9, 109).

After the applicant database is closed the technical secretaries write corrections by hand into the
journal of changes (п. 108): the surname, name or patronymic (also a name the grid could not hold —
«ё», «ъ», a space, a hyphen, too long, п. 94.1), the date of birth, the sex, the citizenship or the
nationality. The ППЕНТ head hands the journal to the programmer (п. 32.3, 109), who enters each line
here while taking the database over: ``changes add --ikt … --field … --value … --row N`` changes the
applicant's data and keeps the line (:class:`~common.db.programmer_models.DataChange`) with the value
it replaced; ``changes list`` shows them. Nothing else of an application (its stream, room, language)
changes here: the distribution was made on it (a wrong language is a late seating, п. 130). After the
take-over is closed the journal takes no more lines.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.takeover import require_open, require_taken
from common import codebook
from common.db.models import Applicant, Application, IktRow, Sex
from common.db.programmer_models import DataChange
from common.errors import Refused
from common.i18n import N_, _

FIELDS: Final[dict[str, str]] = {
    "surname": N_("surname"),
    "name": N_("name"),
    "patronymic": N_("patronymic"),
    "birth_date": N_("date of birth"),
    "sex": N_("sex"),
    "citizenship": N_("citizenship"),
    "nationality": N_("nationality"),
}
"""What a line of the journal of changes may correct (п. 108), with its name for the user."""
NAME_LENGTH: Final = 100


@dataclass(frozen=True)
class ChangeLine:
    row: int
    ikt: str
    field: str
    old: str | None
    new: str | None
    entered_at: str
    entered_by: str


def _name(value: str, field: str) -> str | None:
    text = " ".join(value.split())
    if not text:
        if field == "patronymic":
            return None
        raise Refused(_("The {field} cannot be empty.").format(field=_(FIELDS[field])))
    if len(text) > NAME_LENGTH or any(not (char.isalpha() or char in " -'’") for char in text):
        raise Refused(_("The {field} must be letters (a space, a hyphen or an apostrophe allowed), at most {length}.")
                      .format(field=_(FIELDS[field]), length=NAME_LENGTH))
    return text


def _stored(applicant: Applicant, field: str) -> str | None:
    if field == "birth_date":
        return None if applicant.birth_date is None else applicant.birth_date.isoformat()
    if field == "sex":
        return applicant.sex.value.upper()
    if field in {"citizenship", "nationality"}:
        return str(getattr(applicant, f"{field}_code"))
    value = getattr(applicant, field)
    return None if value is None else str(value)


def _apply(applicant: Applicant, field: str, value: str) -> str | None:
    """Set ``field`` of ``applicant`` from the typed ``value``; returns the value as kept."""
    if field in {"surname", "name", "patronymic"}:
        text = _name(value, field)
        setattr(applicant, field, text)
        return text
    if field == "birth_date":
        try:
            born = date.fromisoformat(value.strip())
        except ValueError:
            raise Refused(_("The date of birth must be written YYYY-MM-DD.")) from None
        if applicant.iin is not None and codebook.is_valid_iin(applicant.iin) and \
                born.strftime("%y%m%d") != applicant.iin[:6]:
            raise Refused(_("The date of birth does not agree with the applicant's ИИН."))
        applicant.birth_date = born
        return born.isoformat()
    if field == "sex":
        sex = value.strip().upper()
        if sex not in codebook.SEXES:
            raise Refused(_("The sex is M or F."))
        applicant.sex = Sex(sex.lower())
        return sex
    digits = codebook.CITIZENSHIP_DIGITS if field == "citizenship" else codebook.NATIONALITY_DIGITS
    code = value.strip()
    if not codebook.is_code(code, digits):
        raise Refused(_("The {field} is a code of {digits} digits.").format(field=_(FIELDS[field]), digits=digits))
    setattr(applicant, f"{field}_code", code)
    return code


def add_change(session: Session, *, ikt: str, field: str, value: str, row: int, actor: str) -> ChangeLine:
    """Enter one line of the journal of changes, in ``session``'s transaction."""
    require_taken(session)
    require_open(session)
    if field not in FIELDS:
        raise Refused(_("A line of the journal of changes corrects one of: {fields}.").format(fields=", ".join(FIELDS)))
    if row < 1:
        raise Refused(_("The journal's row number is a whole number from 1."))
    application = session.scalar(select(Application).join(IktRow, Application.ikt_row_id == IktRow.id)
                                 .where(IktRow.ikt == ikt.strip()))
    if application is None:
        raise Refused(_("No application with ИКТ {ikt} in the applicant database.").format(ikt=ikt.strip()))
    applicant = application.applicant
    old = _stored(applicant, field)
    new = _apply(applicant, field, value)
    if new == old:
        raise Refused(_("The {field} is already so: nothing to change.").format(field=_(FIELDS[field])))
    line = DataChange(application_id=application.id, journal_row=row, field=field, old_value=old, new_value=new,
                      entered_by=actor[:100])
    session.add(line)
    session.flush()
    return ChangeLine(row, ikt.strip(), field, old, new, line.entered_at.isoformat(), line.entered_by)


def change_lines(session: Session) -> list[ChangeLine]:
    """Every line entered, in the order entered."""
    rows = session.execute(select(DataChange, IktRow.ikt).join(Application, DataChange.application_id == Application.id)
                           .join(IktRow, Application.ikt_row_id == IktRow.id).order_by(DataChange.id))
    return [ChangeLine(line.journal_row, ikt, line.field, line.old_value, line.new_value, line.entered_at.isoformat(),
                       line.entered_by) for line, ikt in rows]
