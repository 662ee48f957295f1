"""Filled answer sheets of a room's drawn seats, for the simulated scanner (the demo, the window's
"simulated scanner", the tests and the benchmark): each seated applicant's sheet carries their ИКТ,
seat, a booklet variant, the stream and room, and answers drawn from ``seed``; the sheet numbers are the
room's from the variants file, in order. Blank sheets (the envelope's unused ones) follow if asked.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from sqlalchemy.orm import Session

from arm_programmer.draw import drawn_seats
from arm_programmer.sheets import answer_layouts, find_room
from common.codebook import SHEET_NUMBER_DIGITS, format_code
from common.db.variant_models import RoomBooklets, RoomSheets
from common.errors import Refused
from common.i18n import _
from common.omr.layout import Field, Layout
from common.omr.synth import group_answers
from common.scanning.simulated import SimulatedScanner, SimulatedSheet


def _answer(field: Field, rng: np.random.Generator) -> str:
    if field.kind == "multi":
        count = int(rng.integers(1, 3))
        return "".join(sorted(rng.choice(field.values, size=count, replace=False).tolist()))
    return str(field.values[int(rng.integers(len(field.values)))])


def filled_sheet(layout: Layout, number: str, ikt: str, seat: int, variant: str, stream: int, room: str,
                 rng: np.random.Generator) -> SimulatedSheet:
    """One applicant's sheet: the service sectors and an answer to every task."""
    answers: dict[str, str] = {}
    for group, text in (("ikt", ikt), ("seat", f"{seat:03d}"), ("variant", variant), ("stream", f"{stream:02d}"),
                        ("room", room)):
        answers.update(group_answers(layout, group, text))
    for field in layout.fields:
        if field.name.rsplit(".", 1)[-1].startswith("q"):
            answers[field.name] = _answer(field, rng)
        elif field.name.endswith("_subject"):  # a profile subject is chosen once (п. 159.3): the slots differ
            chosen = {value for name, value in answers.items() if name.endswith("_subject")}
            free = [value for value in field.values if value not in chosen]
            answers[field.name] = str(free[int(rng.integers(len(free)))])
    return SimulatedSheet(answers=answers, number=number)


def room_envelope(session: Session, stream_number: int, room_number: str, *, seed: int = 0,
                  blanks: int = 0) -> tuple[Layout, list[SimulatedSheet]]:
    """The room's envelope as the applicants filled it: one sheet per drawn seat, then ``blanks`` unused."""
    room = find_room(session, stream_number, room_number)
    layout = answer_layouts(session, stream_number)
    block = session.query(RoomSheets).filter_by(room_stream_id=room.id, spare=False).one_or_none()
    if block is None:
        raise Refused(_("Room {room} has no answer-sheet numbers from НЦТ yet.").format(room=room.room.number))
    variants = [row.variant for row in session.query(RoomBooklets).filter_by(room_stream_id=room.id)] or ["0001"]
    seats = [seat for seat in drawn_seats(session, stream_number) if seat.room_number == room.room.number]
    rng = np.random.default_rng([seed, stream_number, int(room.room.number)])
    numbers = [format_code(block.first + index, SHEET_NUMBER_DIGITS) for index in range(len(seats) + blanks)]
    sheets = [filled_sheet(layout, numbers[index], seat.ikt, seat.seat, variants[index % len(variants)], stream_number,
                           room.room.number, rng) for index, seat in enumerate(seats)]
    sheets += [SimulatedSheet(number=number) for number in numbers[len(seats):]]
    return layout, sheets


def scanner(layout: Layout, sheets: Sequence[SimulatedSheet], *, pass_number: int, seed: int = 0) -> SimulatedScanner:
    """The simulated scanner for one pass: the same paper (every mark as the applicant made it, drawn from
    ``seed``), scanned afresh (the pass's own damage)."""
    from common.omr.damage import Profile

    return SimulatedScanner(layout, list(sheets), damage_profile=Profile.production(), seed=seed * 10 + pass_number,
                            natural=False, sheet_seed=seed)


def with_changed_mark(sheet: SimulatedSheet, field: str, value: str) -> SimulatedSheet:
    """The sheet with one field's answer changed (a pass that reads differently, for the tests)."""
    return replace(sheet, answers={**sheet.answers, field: value})
