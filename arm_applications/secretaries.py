"""Technical secretaries of the schools (п. 89.2): the school's administration names one, the local
education authority approves the list, and it is entered here. The secretary brings the school's
forms and journal and is present while they are scanned (п. 89.6–89.7).

A secretary's name is personal data: it is printed on the list, never written to the audit log or
to an error message (those name the school and the secretary's number).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_applications.closing import refuse_if_closed
from arm_applications.plan import find_school, school_key
from common.db.models import School, TechnicalSecretary
from common.errors import Refused
from common.i18n import _

NAME_LIMIT = 300


@dataclass(frozen=True)
class Secretary:
    id: int
    school: str
    school_name_kk: str
    school_name_ru: str
    full_name: str
    approved: bool


def _record(row: TechnicalSecretary) -> Secretary:
    return Secretary(id=row.id, school=school_key(row.school), school_name_kk=row.school.name_kk,
                     school_name_ru=row.school.name_ru, full_name=row.full_name, approved=row.approved)


def _clean_name(full_name: str) -> str:
    name = " ".join(full_name.split())
    if not name:
        raise Refused(_("Write the technical secretary's full name."))
    if len(name) > NAME_LIMIT:
        raise Refused(_("A full name has at most {limit} characters.").format(limit=NAME_LIMIT))
    return name


def add_secretary(session: Session, school: str, full_name: str, *, approved: bool = False) -> Secretary:
    """Enter a school's technical secretary (``approved`` once the education authority approved)."""
    refuse_if_closed(session)
    row = TechnicalSecretary(school=find_school(session, school), full_name=_clean_name(full_name),
                             approved=approved)
    session.add(row)
    session.flush()
    return _record(row)


def _get(session: Session, secretary_id: int) -> TechnicalSecretary:
    refuse_if_closed(session)  # only the writes look a secretary up
    row = session.get(TechnicalSecretary, secretary_id)
    if row is None:
        raise Refused(_("There is no technical secretary number {number}.").format(number=secretary_id))
    return row


def approve_secretary(session: Session, secretary_id: int, approved: bool = True) -> Secretary:
    row = _get(session, secretary_id)
    row.approved = approved
    session.flush()
    return _record(row)


def remove_secretary(session: Session, secretary_id: int) -> Secretary:
    row = _get(session, secretary_id)
    record = _record(row)
    session.delete(row)
    session.flush()
    return record


def list_secretaries(session: Session) -> list[Secretary]:
    rows = session.scalars(select(TechnicalSecretary).join(School)
                           .order_by(School.region_code, School.district_code, School.code, TechnicalSecretary.id))
    return [_record(row) for row in rows]
