"""Expected applicants per stream and language against the seats the room fund gives (п. 79.2, 80).

Reserve rooms are counted apart: they are for emergencies, not for planned seating, so the plan
holds when the expected applicants of a language fit the seats of its regular rooms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from arm_base_ppent.rooms import RoomRow, list_rooms
from arm_base_ppent.schools import SchoolRecord, list_schools
from arm_base_ppent.streams import StreamRow, list_streams
from common.codebook import ROOM_LANGUAGE_STATUSES


@dataclass(frozen=True)
class LanguageLoad:
    """One language status in one stream: applicants expected and seats planned."""

    language: str
    expected: int
    rooms: int
    seats: int
    reserve_rooms: int
    reserve_seats: int

    @property
    def shortfall(self) -> int:
        """Applicants without a seat in a regular room (0 when the plan holds)."""
        return max(0, self.expected - self.seats)


@dataclass(frozen=True)
class StreamLoad:
    stream: int
    exam_date: date | None
    schools: int
    languages: tuple[LanguageLoad, ...]

    @property
    def expected(self) -> int:
        return sum(load.expected for load in self.languages)

    @property
    def seats(self) -> int:
        return sum(load.seats for load in self.languages)

    @property
    def reserve_seats(self) -> int:
        return sum(load.reserve_seats for load in self.languages)

    @property
    def rooms(self) -> int:
        return sum(load.rooms for load in self.languages)

    @property
    def reserve_rooms(self) -> int:
        return sum(load.reserve_rooms for load in self.languages)

    @property
    def shortfall(self) -> int:
        return sum(load.shortfall for load in self.languages)

    def language(self, status: str) -> LanguageLoad:
        return next(load for load in self.languages if load.language == status)


@dataclass(frozen=True)
class Distribution:
    streams: tuple[StreamLoad, ...]
    unassigned_schools: int
    unassigned_expected: int

    @property
    def expected(self) -> int:
        return sum(stream.expected for stream in self.streams) + self.unassigned_expected


def distribution(session: Session) -> Distribution:
    """The totals of every stream, from the database."""
    return compute_distribution(list_streams(session), list_rooms(session), list_schools(session))


def compute_distribution(
    streams: Sequence[StreamRow], rooms: Iterable[RoomRow], schools: Iterable[SchoolRecord]
) -> Distribution:
    """The totals from rows already loaded (the window recomputes them as the user moves schools)."""
    rooms = list(rooms)
    schools = list(schools)
    loads = []
    for stream in streams:
        in_stream = [school for school in schools if school.stream == stream.number]
        uses = [(room, room.use_in(stream.number)) for room in rooms]
        languages = []
        for status in ROOM_LANGUAGE_STATUSES:
            regular = [room for room, use in uses if use and use.language == status and not use.reserve]
            reserve = [room for room, use in uses if use and use.language == status and use.reserve]
            languages.append(
                LanguageLoad(
                    language=status,
                    expected=sum(school.expected.get(status, 0) for school in in_stream),
                    rooms=len(regular),
                    seats=sum(room.seats for room in regular),
                    reserve_rooms=len(reserve),
                    reserve_seats=sum(room.seats for room in reserve),
                )
            )
        loads.append(StreamLoad(stream.number, stream.exam_date, len(in_stream), tuple(languages)))
    unassigned = [school for school in schools if school.stream is None]
    return Distribution(
        streams=tuple(loads),
        unassigned_schools=len(unassigned),
        unassigned_expected=sum(school.expected_total for school in unassigned),
    )
