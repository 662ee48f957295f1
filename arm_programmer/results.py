"""A stream's results without appeal as the statement, the results package and НЦТ read them (п. 180).

:class:`ResultRow` is one seated applicant of a stream after the answer codes are opened and the
sheets scored: who (application, ИКТ, name, school), where (room, seat, sheet), what was tested
(variant, the subjects in the order they were scored, points per subject, total) and the state
(scored, or why there is no score). ``arm_programmer.scores.result_rows`` builds the rows from the
database; the statement (прил. 4), the results package and the summaries read only these rows.

:func:`results_payload` is the ``results`` package's JSON (docs/packages.md): the rows without names
(НЦТ holds the applicants already; the ИИН travels so that НЦТ can build the results look-up file).
"""

from __future__ import annotations

import enum
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

RESULTS_FORMAT: Final = 1


class ResultStatus(enum.Enum):
    """Why a seated applicant has the result they have."""

    SCORED = "scored"
    """A sheet identified as theirs was scored."""
    ABSENT = "absent"
    """No sheet: «Не явился» (п. 166)."""
    ANNULLED = "annulled"
    """Removed from the room by an act: «Аннулирован» (прил. 35)."""
    NOT_ADMITTED = "not-admitted"
    """Stopped at the entrance: «Не допущен»."""


@dataclass(frozen=True)
class SubjectPoints:
    """Points in one tested subject, by the answer key's subject code (a profile slot is scored under the
    profile subject the applicant chose)."""

    code: str
    points: int
    max_points: int


@dataclass(frozen=True)
class ResultRow:
    application_id: int
    ikt: str
    iin: str | None
    surname: str
    name: str
    patronymic: str | None
    school_code: str
    test_language: str
    """``kk``, ``ru`` or ``en``."""
    room_number: str
    seat: int | None
    sheet_number: str | None
    variant: str | None
    creative: bool
    """Sector 6 «Творческий экзамен» marked (п. 150 note): scored in the creative exam's subjects only."""
    subjects: tuple[SubjectPoints, ...]
    """Empty unless ``status`` is ``SCORED``."""
    total: int | None
    max_total: int | None
    status: ResultStatus

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.surname, self.name, self.patronymic) if part)


def results_payload(site_code: str, stream: int, exam_date: str, rows: Sequence[ResultRow]) -> dict[str, Any]:
    """The ``results`` package's payload: one entry per seated applicant, no names."""
    return {
        "format": RESULTS_FORMAT,
        "site_code": site_code,
        "stream": stream,
        "date": exam_date,
        "counts": {status.value: sum(1 for row in rows if row.status is status) for status in ResultStatus},
        "results": [
            {
                "ikt": row.ikt,
                "iin": row.iin,
                "school_code": row.school_code,
                "test_language": row.test_language,
                "room": row.room_number,
                "seat": row.seat,
                "sheet_number": row.sheet_number,
                "variant": row.variant,
                "creative": row.creative,
                "status": row.status.value,
                "subjects": [{"code": s.code, "points": s.points, "max": s.max_points} for s in row.subjects],
                "total": row.total,
                "max_total": row.max_total,
            }
            for row in sorted(rows, key=lambda row: row.ikt)
        ],
    }
