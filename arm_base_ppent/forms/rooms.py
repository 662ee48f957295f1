"""прил. 11 (room number signs) and прил. 12 (seat-numbering scheme of the room fund), п. 32.2.

Rooms are numbered as in the room fund (01, 02 …) and their seats by the scheme: two seats a desk
(п. 80.6), desks in rows (ряды) from the board to the back. Seats are numbered row after row, front
to back, left seat first — the numbers the seating list uses (seat 1 … 120). The plan itself is
defined in ``common/desk_plan.py``.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from arm_base_ppent.rooms import RoomRow
from arm_base_ppent.snapshot import SiteSnapshot
from arm_base_ppent.vocabulary import ROOM_LANGUAGE_SHORT, label
from common.codebook import SEATS_PER_DESK
from common.desk_plan import seat_layout
from common.i18n import N_, tr
from common.reports import BuiltForm, FormDocument, FormHeader
from common.reports.fonts import BOLD, REGULAR, text_width

SIGNS_KEY = "room-signs"
SCHEME_KEY = "seat-scheme"
SIGNS_TITLE = N_("Room number signs")
SCHEME_TITLE = N_("Seat-numbering scheme of the room fund")


def build_room_signs(snapshot: SiteSnapshot, language: str, rooms: Sequence[str] | None = None) -> BuiltForm:
    """One landscape page per room with its number, large enough to read from the corridor."""
    chosen = _chosen(snapshot, rooms)
    document = FormDocument(
        FormHeader(title=tr(language, SIGNS_TITLE), appendix="11", site=snapshot.site.caption(language)),
        language,
        landscape_pages=True,
        footer_note="ent-base-ppent",
    )
    word = tr(language, "ROOM")
    for index, room in enumerate(chosen):
        if index:
            document.page_break()
        height = document.height - (48 * mm if index == 0 else 0)
        document.add(_Sign(word, room.number, document.width, height))
    return document.build()


def build_seat_scheme(snapshot: SiteSnapshot, language: str, rooms: Sequence[str] | None = None) -> BuiltForm:
    """One page per room: the board, the representative's table, desks with their seat numbers."""
    chosen = _chosen(snapshot, rooms)
    document = FormDocument(
        FormHeader(title=tr(language, SCHEME_TITLE), appendix="12", site=snapshot.site.caption(language)),
        language,
        footer_note="ent-base-ppent",
    )
    for index, room in enumerate(chosen):
        if index:
            document.page_break()
        document.heading(
            tr(language, "Room {room}: {seats} seats, {desks} desks, 2 persons per desk (п. 80.6)").format(
                room=room.number, seats=room.seats, desks=room.desks
            )
        )
        uses = ", ".join(
            tr(language, "stream {stream}: {language}{reserve}").format(
                stream=use.stream,
                language=label(ROOM_LANGUAGE_SHORT, use.language, language),
                reserve=tr(language, ", reserve") if use.reserve else "",
            )
            for use in room.uses
        )
        document.paragraph(tr(language, "Use in streams: {uses}").format(uses=uses or tr(language, "none yet")), size=9)
        document.spacer(3)
        height = document.height - (70 * mm if index == 0 else 30 * mm)
        document.add(
            _Scheme(
                room,
                document.width,
                height,
                tr(language, "BOARD"),
                tr(language, "Representative's table"),
                tr(language, "Row {row}"),
                tr(language, "Entrance"),
            )
        )
    return document.build()


def _chosen(snapshot: SiteSnapshot, rooms: Sequence[str] | None) -> list[RoomRow]:
    from arm_base_ppent.rules import normalise_room_number
    from common.errors import Refused
    from common.i18n import _

    if not snapshot.rooms:
        raise Refused(_("The room fund is empty: add rooms first."))
    if not rooms:
        return list(snapshot.rooms)
    wanted = [normalise_room_number(number) for number in rooms]
    by_number = {room.number: room for room in snapshot.rooms}
    missing = [number for number in wanted if number not in by_number]
    if missing:
        raise Refused(_("There is no room {room} in the room fund.").format(room=missing[0]))
    return [by_number[number] for number in wanted]


class _Sign(Flowable):
    def __init__(self, word: str, number: str, width: float, height: float) -> None:
        super().__init__()
        self.word, self.number = word, number
        self.width, self.height = width, height

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.height = min(self.height, available_height)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        canvas.setLineWidth(3)
        canvas.rect(0, 0, self.width, self.height)
        canvas.setFont(BOLD, 54)
        canvas.drawCentredString(self.width / 2, self.height - 70, self.word)
        size = min(self.height * 0.78, 380)
        canvas.setFont(BOLD, size)
        canvas.drawCentredString(self.width / 2, (self.height - 80 - size * 0.72) / 2, self.number)


class _Scheme(Flowable):
    def __init__(
        self, room: RoomRow, width: float, height: float, board: str, table: str, row_word: str, entrance: str
    ) -> None:
        super().__init__()
        self.room, self.width, self.height = room, width, height
        self.board, self.table, self.row_word, self.entrance = board, table, row_word, entrance

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.height = min(self.height, available_height)
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        layout = seat_layout(self.room.desks)
        rows = max(place.row for place in layout) + 1
        per_row = max(place.place for place in layout) + 1
        top = self.height
        canvas.setLineWidth(1.2)
        canvas.rect(0, 0, self.width, self.height)
        # the board and the representative's table at the front of the room
        canvas.setFillColor(colors.Color(0.25, 0.25, 0.25))
        canvas.rect(self.width * 0.25, top - 14 * mm, self.width * 0.5, 7 * mm, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(BOLD, 10)
        canvas.drawCentredString(self.width / 2, top - 11.5 * mm, self.board)
        canvas.setFillColor(colors.black)
        canvas.setFont(REGULAR, 8)
        table_width = text_width(self.table, 8) + 6 * mm
        table_left = self.width - 6 * mm - table_width
        canvas.rect(table_left, top - 26 * mm, table_width, 9 * mm)
        canvas.drawCentredString(table_left + table_width / 2, top - 22.5 * mm, self.table)
        canvas.setFont(REGULAR, 8)
        canvas.drawString(3 * mm, 3 * mm, "⇩ " + self.entrance)
        area_top, area_bottom = top - 34 * mm, 12 * mm
        gap_x = 9 * mm if rows <= 4 else 5 * mm
        desk_width = min(40 * mm, (self.width - gap_x * (rows + 1)) / rows)
        pitch = min(22 * mm, (area_top - area_bottom) / per_row)
        desk_height = min(11 * mm, pitch * 0.62)
        left = (self.width - rows * desk_width - (rows - 1) * gap_x) / 2
        widest = text_width(str(layout[-1].seats[-1]), 1, bold=True)
        font = min(14.0, desk_height * 0.75, (desk_width / SEATS_PER_DESK - 3 * mm) / widest)
        for row in range(rows):
            x = left + row * (desk_width + gap_x)
            canvas.setFont(BOLD, 8.5)
            canvas.drawCentredString(x + desk_width / 2, area_top + 2 * mm, self.row_word.format(row=row + 1))
        for place in layout:
            x = left + place.row * (desk_width + gap_x)
            y = area_top - (place.place + 1) * pitch + (pitch - desk_height) / 2
            canvas.setLineWidth(0.9)
            canvas.rect(x, y, desk_width, desk_height)
            half = desk_width / len(place.seats)
            canvas.setFont(BOLD, font)
            for index, seat in enumerate(place.seats):
                if index:
                    canvas.setDash(2, 2)
                    canvas.line(x + half * index, y, x + half * index, y + desk_height)
                    canvas.setDash()
                canvas.drawCentredString(
                    x + half * (index + 0.5), y + (desk_height - font * 0.7) / 2, str(seat)
                )
