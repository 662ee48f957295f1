"""The "applicants" package (applicant file, п. 89.14, 107) into НЦТ's table of applicants.

Payload (``docs/packages.md``): ``{"format": 1, "applicants": {"columns": [...], "rows": [[...], ...]}}``
with the columns of :data:`APPLICANT_COLUMNS` in any order (a list of dicts is accepted too).
Every record is checked before any is written; a bad one is refused by its number in the file,
never by name or ИИН. Written in bulk: 100 000 records take seconds (``benchmarks/nct_import.py``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from common import codebook
from common.errors import Refused
from common.i18n import N_, _
from nct_hub.bulk import insert_rows
from nct_hub.db.import_models import Applicant

PAYLOAD_FORMAT: Final = 1
APPLICANT_COLUMNS: Final[tuple[str, ...]] = (
    "ikt", "iin", "surname", "name", "patronymic", "sex", "birth_date", "citizenship", "nationality",
    "region", "district", "school", "test_language", "history_language", "status", "stream", "room",
)  # fmt: skip
OPTIONAL_COLUMNS: Final = frozenset({"iin", "patronymic", "birth_date", "history_language", "stream", "room"})
REQUIRED_COLUMNS: Final = frozenset(APPLICANT_COLUMNS) - OPTIONAL_COLUMNS
APPLICANT_STATUSES: Final[tuple[str, ...]] = ("entered", "changed", "annulled")
"""внесен / изменен / аннулирован (п. 101)."""

_CODES: Final = (
    ("citizenship", "citizenship_code", codebook.CITIZENSHIP_DIGITS),
    ("nationality", "nationality_code", codebook.NATIONALITY_DIGITS),
    ("region", "region_code", codebook.REGION_DIGITS),
    ("district", "district_code", codebook.DISTRICT_DIGITS),
    ("school", "school_code", codebook.SCHOOL_DIGITS),
)


class _Problem(ValueError):
    pass


def applicant_records(payload: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    """The records of an applicant payload, as mappings by column name."""
    if payload.get("format") != PAYLOAD_FORMAT:
        raise Refused(_("The applicant file is in format {format}, which this program does not know.").format(
            format=payload.get("format")))
    table = payload.get("applicants")
    if isinstance(table, list):
        for record in table:
            if not isinstance(record, Mapping):
                raise Refused(_("The applicant file is malformed."))
            yield record
        return
    if not isinstance(table, Mapping):
        raise Refused(_("The applicant file is malformed."))
    columns, rows = table.get("columns"), table.get("rows")
    if not isinstance(columns, list) or not isinstance(rows, list):
        raise Refused(_("The applicant file is malformed."))
    missing = REQUIRED_COLUMNS - set(columns)
    if missing:
        raise Refused(_("The applicant file has no column {column}.").format(column=sorted(missing)[0]))
    width = len(columns)
    for row in rows:
        if not isinstance(row, list) or len(row) != width:
            raise Refused(_("The applicant file is malformed."))
        yield dict(zip(columns, row, strict=True))


def check_applicants(site_code: str, payload: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every record as a row of ``applicants`` (without ``received_id``); the first bad one is refused."""
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for number, record in enumerate(applicant_records(payload), start=1):
        try:
            row = _row(record)
        except _Problem as problem:
            message = _("Applicant record {number}: {problem}")
            raise Refused(message.format(number=number, problem=problem)) from None
        if row["ikt"] in seen:
            message = _("Applicant record {number}: the ИКТ appears twice in the file.")
            raise Refused(message.format(number=number))
        seen.add(row["ikt"])
        row["site_code"] = site_code
        rows.append(row)
    return rows


def _row(record: Mapping[str, Any]) -> dict[str, Any]:
    ikt = _text(record.get("ikt"))
    if not codebook.is_code(ikt, codebook.IKT_DIGITS):
        raise _Problem(_("the ИКТ must have {digits} digits.").format(digits=codebook.IKT_DIGITS))
    iin = _text(record.get("iin")) or None
    if iin is not None and not codebook.is_valid_iin(iin):
        raise _Problem(_("the ИИН is not valid."))
    born = _date(record.get("birth_date"))
    if iin is None and born is None:
        raise _Problem(_("neither an ИИН nor a birth date is given."))
    row: dict[str, Any] = {
        "ikt": ikt, "iin": iin, "birth_date": born,
        "surname": _text(record.get("surname")), "name": _text(record.get("name")),
        "patronymic": _text(record.get("patronymic")),
    }
    if not row["surname"] or not row["name"]:
        raise _Problem(_("the surname or the name is empty."))
    sex = _text(record.get("sex"))
    if sex not in codebook.SEXES:
        raise _Problem(_("the sex must be M or F."))
    row["sex"] = sex
    for column, target, digits in _CODES:
        code = _text(record.get(column))
        if not codebook.is_code(code, digits):
            message = _("the {field} code must have {digits} digits.")
            raise _Problem(message.format(field=column, digits=digits))
        row[target] = code
    language, history = _text(record.get("test_language")), _text(record.get("history_language")) or None
    if language not in codebook.TEST_LANGUAGES:
        raise _Problem(_("the test language must be kk, ru or en."))
    if (language == "en") != (history is not None) or history not in (None, *codebook.HISTORY_LANGUAGES):
        raise _Problem(_("the language of the history test is given for English takers only, as kk or ru."))
    row["test_language"], row["history_language"] = language, history
    status = _text(record.get("status"))
    if status not in APPLICANT_STATUSES:
        message = _("the status must be one of {statuses}.")
        raise _Problem(message.format(statuses=", ".join(APPLICANT_STATUSES)))
    row["status"] = status
    stream = record.get("stream")
    if stream is not None and (not isinstance(stream, int) or isinstance(stream, bool) or stream < 1):
        raise _Problem(_("the stream number is not valid."))
    room = _text(record.get("room")) or None
    if room is not None and not codebook.is_code(room, codebook.ROOM_DIGITS):
        raise _Problem(_("the room number must have {digits} digits.").format(digits=codebook.ROOM_DIGITS))
    row["stream"], row["room_number"] = stream, room
    return row


def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _date(value: object) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _Problem(_("the birth date is not a date (YYYY-MM-DD).")) from None


def import_applicants(
    session: Session, received_id: int, site_code: str, payload: Mapping[str, Any]
) -> dict[str, int]:
    """Check and write the applicant records in bulk; returns counts for the import summary."""
    rows = check_applicants(site_code, payload)
    _refuse_taken_ikts(session, site_code, rows)
    write_applicants(session, received_id, rows)
    return {
        "applicants": len(rows),
        "annulled": sum(1 for row in rows if row["status"] == "annulled"),
    }


def _refuse_taken_ikts(session: Session, site_code: str, rows: Sequence[Mapping[str, Any]]) -> None:
    """An ИКТ already reported in another current applicant file of the site (another stream)."""
    taken = set(session.scalars(select(Applicant.ikt).where(Applicant.site_code == site_code)))
    if not taken:
        return
    for number, row in enumerate(rows, start=1):
        if row["ikt"] in taken:
            raise Refused(_("Applicant record {number}: the ИКТ is already in another applicant file of this "
                            "site.").format(number=number))


def write_applicants(session: Session, received_id: int, rows: Sequence[dict[str, Any]]) -> None:
    """Bulk insert (:func:`nct_hub.bulk.insert_rows`: COPY on PostgreSQL, executemany elsewhere).

    The records are checked before; should the database still refuse one, the refusal names the
    constraint only — never the values, which are personal data.
    """
    for row in rows:
        row["received_id"] = received_id
    insert_rows(session, Applicant, rows, refusal=N_("НЦТ's database refused the applicant records: {reason}"))
