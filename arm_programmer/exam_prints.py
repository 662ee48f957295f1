"""The exam-day prints of АРМ «Программиста Министерства» (п. 52.11–52.12), built from plain rows.

Nothing here reads the database: :mod:`arm_programmer.prints` gathers a stream's rooms and drawn
seats into :class:`ExamDay` and :class:`RoomPrint` and saves what these functions build. Each print
is one PDF for the whole stream (п. 52.11: the seating lists are printed for the stream at once),
every room starting on a page of its own.

- :func:`build_seating_lists` — the seating list of each room sorted by seat (прил. 5 Правил): seat,
  ИКТ, name, the variant booklet the seat gets (the hand-out order, beyond the instruction) and the
  applicant's signature on taking the seat; the number of applicants (п. 48.6). A room whose
  booklets are not known, or allow no hand-out, still gets its list, the variant column left blank
  with a line saying why (:func:`build_handout` refuses then);
- :func:`build_room_lists` — the room list (п. 32.1, 72): the room's applicants by name, with their
  seat once drawn, to let them in;
- :func:`build_handout` — the booklet hand-out order of each room drawn on its desk plan
  (``common/desk_plan.py``), each seat with its variant (``arm_programmer.seating.handout_order``);
- :func:`build_acts` — the blanks for the Ministry's representatives (п. 52.12), pre-filled with what
  the database knows: site, stream, date, room, its seats, applicants and jammers.

**Assumption (the one place it is stated).** The seeds give the title and purpose of the acts and
forms прил. 7, 8, 19–22, 34, 35 and of the Rules' acts 4, 9, 10, 11, never their layout. Each blank
in :data:`ACTS` is therefore built from what the instruction says the document records (the
paragraphs cited in its ``purpose``), with blank lines for what is filled in by hand; each blank
says so in one line at its foot (:data:`ASSUMED_LAYOUT`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Final

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

from arm_programmer.seating import Handout, handout_order
from common import codebook
from common.desk_plan import desk_plan
from common.errors import Refused
from common.i18n import N_, tr
from common.reports import BuiltForm, Column, FormDocument, FormHeader, Signature
from common.reports.fonts import BOLD, REGULAR

SEATING_KEY: Final = "seating-list"
ROOM_LISTS_KEY: Final = "room-lists"
HANDOUT_KEY: Final = "handout"
FOOTER: Final = "ent-programmer"
ASSUMED_LAYOUT: Final = N_("The layout of this blank is not given by the instruction: it is built from what the "
                           "instruction says the document records.")
_TALL: Final = "\u00a0\n\u00a0"  # an empty cell two lines high, room for a handwritten entry
BLANK_ROWS: Final = 8
"""Empty rows a blank's table offers for what happens on the day (spoiled sheets, incidents)."""


@dataclass(frozen=True)
class ExamDay:
    """The site and the stream every print of the day names."""

    site_code: str
    site_name_kk: str
    site_name_ru: str
    stream: int
    exam_date: date
    address: str = ""

    def site(self, language: str) -> str:
        return f"{self.site_code} — {self.site_name_kk if language == 'kk' else self.site_name_ru}"

    def when(self, language: str) -> str:
        return tr(language, N_("Stream {stream}, {date}")).format(stream=self.stream,
                                                                 date=self.exam_date.strftime("%d.%m.%Y"))


@dataclass(frozen=True)
class SeatedApplicant:
    """An applicant of a room: ``seat`` is ``None`` before the draw; ``late`` for a late seating (п. 169)."""

    ikt: str
    full_name: str
    seat: int | None = None
    late: bool = False


@dataclass(frozen=True)
class RoomPrint:
    """A room of the stream as the prints show it; ``booklets`` per variant are empty before НЦТ's file."""

    room: str
    language_status: str
    seats: int
    desks: int
    applicants: tuple[SeatedApplicant, ...]
    is_reserve: bool = False
    jammers: int = 0
    booklets: Mapping[str, int] = field(default_factory=dict)

    def seated(self) -> list[SeatedApplicant]:
        """The applicants by seat (those without a seat last, by name)."""
        return sorted(self.applicants, key=lambda item: (item.seat is None, item.seat or 0, item.full_name))

    def handout(self) -> dict[int, str]:
        """Each taken seat's variant booklet (empty without booklets); ``Refused`` when none can be found."""
        taken = [item.seat for item in self.applicants if item.seat is not None]
        if not self.booklets or not taken:
            return {}
        order: list[Handout] = handout_order(desk_plan(self.desks, self.seats), self.booklets, taken, room=self.room)
        return {item.seat: item.variant for item in order}


def _document(day: ExamDay, title: str, language: str, *, appendix: str | None = None,
              of_rules: bool = False) -> FormDocument:
    return FormDocument(FormHeader(title=tr(language, title), appendix=appendix, of_rules=of_rules,
                                   subtitle=day.when(language), site=day.site(language)),
                        language, footer_note=FOOTER)


def _room_facts(room: RoomPrint, language: str) -> list[tuple[str, object]]:
    status = tr(language, codebook.ROOM_LANGUAGE_STATUS_NAMES[room.language_status])
    if room.is_reserve:
        status = f"{status} · {tr(language, 'Reserve room')}"
    return [(tr(language, "Language status"), status), (tr(language, "Seats"), room.seats),
            (tr(language, "Applicants"), len(room.applicants))]


def _room_group(day: ExamDay, room: RoomPrint, language: str, columns: int) -> list[tuple[str, int]]:
    """A header row over the table naming the room, repeated on every page the room's list runs over."""
    return [(f"{tr(language, N_('Room {room}')).format(room=room.room)} · {day.when(language)}", columns)]


def _late(item: SeatedApplicant, language: str) -> str:
    return tr(language, "late seating") if item.late else ""


def build_seating_lists(day: ExamDay, rooms: Sequence[RoomPrint], language: str) -> BuiltForm:
    """The seating list of every room (прил. 5 Правил), sorted by seat, with each seat's variant booklet."""
    document = _document(day, N_("Seating list"), language, appendix="5", of_rules=True)
    for index, room in enumerate(rooms):
        if index:
            document.page_break()
        try:
            handout, unsolved = room.handout(), False
        except Refused:  # the seating list must not wait for the booklets: the hand-out print says why
            handout, unsolved = {}, True
        document.heading(tr(language, N_("Room {room}")).format(room=room.room))
        document.key_values(_room_facts(room, language), key_share=0.4)
        rows = [[item.seat, item.ikt, item.full_name, handout.get(item.seat or 0, "—"), _late(item, language), ""]
                for item in room.seated()]
        document.spacer(2)
        document.table([Column(tr(language, "Seat"), 0.6, "right", wrap=False),
                        Column(tr(language, "ИКТ"), 1.1, "center", wrap=False),
                        Column(tr(language, "Surname, name, patronymic"), 4.0),
                        Column(tr(language, "Booklet variant"), 1.0, "center", wrap=False),
                        Column(tr(language, "Note"), 1.0),
                        Column(tr(language, "Signature"), 1.3)], rows, font_size=9,
                       groups=_room_group(day, room, language, 6))
        if unsolved:
            document.paragraph(tr(language, "The room's booklets allow no hand-out with no two neighbouring seats "
                                            "alike: the variant column is left for the representative."), size=8)
        elif not handout:
            document.paragraph(tr(language, "The booklets of the room are not known yet: the variant column is "
                                            "left for the representative."), size=8)
        document.signatures([Signature(tr(language, "Representative of the Ministry in the room")),
                             Signature(tr(language, "Programmer of the Ministry"))], stamp=False)
    return document.build()


def build_room_lists(day: ExamDay, rooms: Sequence[RoomPrint], language: str) -> BuiltForm:
    """The room list of every room (п. 32.1, 72): its applicants by name, with the seat once drawn."""
    document = _document(day, N_("Room list of applicants"), language)
    for index, room in enumerate(rooms):
        if index:
            document.page_break()
        document.heading(tr(language, N_("Room {room}")).format(room=room.room))
        document.key_values(_room_facts(room, language), key_share=0.4)
        people = sorted(room.applicants, key=lambda item: (item.full_name.casefold(), item.ikt))
        rows = [[number, item.full_name, item.ikt, item.seat or "—", _late(item, language), ""]
                for number, item in enumerate(people, start=1)]
        document.spacer(2)
        document.table([Column("№", 0.5, "right", wrap=False),
                        Column(tr(language, "Surname, name, patronymic"), 4.0),
                        Column(tr(language, "ИКТ"), 1.1, "center", wrap=False),
                        Column(tr(language, "Seat"), 0.6, "right", wrap=False),
                        Column(tr(language, "Note"), 1.0),
                        Column(tr(language, "Admitted"), 1.1)], rows, font_size=9,
                       groups=_room_group(day, room, language, 6))
        document.signatures([Signature(tr(language, "Representative of the Ministry in the room"))], stamp=False)
    return document.build()


def build_handout(day: ExamDay, rooms: Sequence[RoomPrint], language: str) -> BuiltForm:
    """Each room's desk plan with the variant booklet of every taken seat (beyond the instruction)."""
    document = _document(day, N_("Booklet hand-out order"), language)
    document.paragraph(tr(language, "Hand the booklets out from seat 1 upwards, each seat the variant shown: no two "
                                    "seats side by side, in front or behind get the same variant. The board is "
                                    "at the top."), size=9)
    for index, room in enumerate(rooms):
        if index:
            document.page_break()
        handout = room.handout()
        document.heading(tr(language, N_("Room {room}")).format(room=room.room))
        given: dict[str, int] = {}
        for variant in handout.values():
            given[variant] = given.get(variant, 0) + 1
        booklets = ", ".join(f"{variant} × {given.get(variant, 0)} / {count}"
                             for variant, count in room.booklets.items())
        document.key_values([*_room_facts(room, language),
                             (tr(language, "Variant × booklets handed out / received"), booklets or "—")],
                            key_share=0.4)
        document.spacer(3)
        document.add(_plan_table(room, handout, document.width))
    return document.build()


def _plan_table(room: RoomPrint, handout: Mapping[int, str], width: float) -> Table:
    """The room seen from the board: a cell per seat (its number, and its variant in bold), aisles between rows."""
    plan = desk_plan(room.desks, room.seats)
    lines = max(position.line for position in plan.positions) + 1
    seat_columns = plan.rows * 2
    # a narrow aisle column after each row of desks but the last
    grid_columns = seat_columns + plan.rows - 1
    seat_width = width / (seat_columns + 0.4 * (plan.rows - 1))
    widths = [seat_width * 0.4 if column % 3 == 2 else seat_width for column in range(grid_columns)]
    size = 9.0 if seat_width > 40 else 7.5
    style = ParagraphStyle("seat", fontName=REGULAR, fontSize=size, leading=size * 1.25, alignment=TA_CENTER)
    cells: list[list[object]] = [[""] * grid_columns for _ in range(lines)]
    commands: list[tuple[object, ...]] = [("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                                          ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    for position in plan.positions:
        column = position.row * 3 + position.side
        variant = handout.get(position.seat)
        text = f"{position.seat}<br/><font name='{BOLD}'>{variant}</font>" if variant else \
            f"<font color='#888888'>{position.seat}<br/>—</font>"
        cells[position.line][column] = Paragraph(text, style)
        commands.append(("BOX", (column, position.line), (column, position.line), 0.6, colors.black))
    table = Table(cells, colWidths=widths)
    table.setStyle(TableStyle(commands))
    return table


# The blanks for the representatives ---------------------------------------------------------------


@dataclass(frozen=True)
class ActSpec:
    """A blank: its appendix (of the instruction, or of the Rules), title, what it records, its table."""

    key: str
    appendix: str
    of_rules: bool
    title: str
    purpose: str
    per_room: bool
    table: str
    """``rooms`` (a row per room), ``checks`` (a checklist), ``people`` (blank rows per incident),
    ``materials`` (issued and returned), ``duties`` (the duties outside the rooms)."""
    columns: tuple[str, ...] = ()
    checks: tuple[str, ...] = ()
    signatures: tuple[str, ...] = ()


_HEAD = N_("Head of the group of representatives of the Ministry")
_REPRESENTATIVE = N_("Representative of the Ministry")
_COMMISSION = N_("Chair of the state commission")

ACTS: Final[tuple[ActSpec, ...]] = (
    ActSpec("app7", "7", False, N_("Act on checking the building's readiness before testing"),
            N_("The state commission and a representative of the law-enforcement bodies check the building before "
               "testing starts (п. 15, 42.3, 47.3)."), False, "checks",
            checks=(N_("Entrances and the metal detectors at the entrance"), N_("Video surveillance works"),
                    N_("Cell-signal jammers are in place"), N_("The medical room and the toilets are ready"),
                    N_("The rooms of the stream are ready (acts of appendix 8)")),
            signatures=(_COMMISSION, N_("Representative of the law-enforcement bodies"), _HEAD)),
    ActSpec("app8", "8", False, N_("Act on checking the room before testing"),
            N_("The duty officer checks the room: its number, the seat numbering, the seats against the seating list, "
               "the wall clock, the board and chalk, and that the jammer works (п. 48.6–48.7, 70)."), True, "checks",
            checks=(N_("The room number is on the door"), N_("The seats are numbered"),
                    N_("Seats against the applicants of the seating list"), N_("A wall clock"),
                    N_("A board and chalk"), N_("The cell-signal jammer works")),
            signatures=(_REPRESENTATIVE, N_("Duty officer of the room"))),
    ActSpec("app19", "19", False, N_("Act on receiving the sealed bags of exam materials"),
            N_("The head of the group receives from the representative of the ДКНБ the bags sealed at НЦТ, one box of "
               "materials per room, and checks the seal numbers against НЦТ's list (п. 43.2–43.3, 48.4)."), False,
            "rooms", columns=(N_("Seal number"), N_("Seal intact, tag stamped"), N_("Remark")),
            signatures=(N_("Representative of the ДКНБ"), _HEAD)),
    ActSpec("app20", "20", False, N_("Assignment of representatives to duties outside the rooms"),
            N_("Escorting applicants along the corridors to the medical room and the toilets, and checking the "
               "technical equipment (п. 43.4)."), False, "duties",
            columns=(N_("Representative (full name)"), N_("Signature")), signatures=(_HEAD,)),
    ActSpec("app21", "21", False, N_("Distribution of representatives to rooms"),
            N_("The head of the group gives each room of the stream its representative of the Ministry (п. 43.5)."),
            False, "rooms", columns=(N_("Representative (full name)"), N_("Signature")), signatures=(_HEAD,)),
    ActSpec("app22", "22", False, N_("Act of issuing and receiving the exam materials"),
            N_("Issued to the representative (п. 43.6, 48.5) and returned after testing (п. 43.21, 155)."), True,
            "materials", signatures=(_HEAD, _REPRESENTATIVE)),
    ActSpec("app34", "34", False, N_("Act on checking the cell-signal jammers"),
            N_("Every jammer in the rooms and corridors is checked at least three times during testing "
               "(п. 132–134)."), False, "rooms",
            columns=(N_("Jammers"), N_("Check 1 (time)"), N_("Check 2 (time)"), N_("Check 3 (time)")),
            signatures=(N_("Technical worker"), _HEAD)),
    ActSpec("app35", "35", False, N_("Act on issuing new answer sheets for spoiled ones"),
            N_("In exceptional cases only; a spoiled sheet is not scanned (п. 156.1)."), True, "people",
            columns=(N_("Seat"), "ИКТ", N_("Surname, name, patronymic"), N_("Spoiled sheet №"),
                     N_("New sheet №")), signatures=(_REPRESENTATIVE, _HEAD)),
    ActSpec("rules4", "4", True, N_("Act on an impostor found at the entrance to the building"),
            N_("Neither the impostor nor the applicant is admitted (п. 43.18, 48.13, 126)."), False, "people",
            columns=("ИКТ", N_("Surname, name, patronymic"), N_("Who came instead (as stated)")),
            signatures=(_REPRESENTATIVE, _HEAD)),
    ActSpec("rules9", "9", True, N_("Act on removing an applicant"),
            N_("For forbidden items or breaking the rules of conduct; the sheet is not scanned (п. 43.17, 48.12, "
               "156.1)."), True, "people",
            columns=(N_("Seat"), "ИКТ", N_("Surname, name, patronymic"), N_("Reason and time")),
            signatures=(_REPRESENTATIVE, _HEAD)),
    ActSpec("rules10", "10", True, N_("Act on an impostor found during testing"),
            N_("The results are not processed; the sheet is not scanned (п. 43.18, 48.13, 156.1)."), True, "people",
            columns=(N_("Seat"), "ИКТ", N_("Surname, name, patronymic"), N_("Who sat instead (as stated)")),
            signatures=(_REPRESENTATIVE, _HEAD)),
    ActSpec("rules11", "11", True, N_("Act on refusing to hand in the materials when time is up"),
            N_("The work is not processed; the sheet is not scanned (п. 43.20, 48.15, 156.1)."), True, "people",
            columns=(N_("Seat"), "ИКТ", N_("Surname, name, patronymic"), N_("Time")),
            signatures=(_REPRESENTATIVE, _HEAD)),
)
ACT_KEYS: Final = tuple(spec.key for spec in ACTS)
_MATERIALS: Final = (N_("Room folder: pass stubs and the room list"), N_("Seating list"),
                     N_("Sealed box: answer sheets, booklets, answer-sheet copies, opening act"))
_DUTIES: Final = (N_("Escorting applicants to the medical room"), N_("Escorting applicants to the toilets"),
                  N_("Checking the technical equipment"))


def act_spec(key: str) -> ActSpec:
    for spec in ACTS:
        if spec.key == key:
            return spec
    raise KeyError(key)


def build_act(day: ExamDay, rooms: Sequence[RoomPrint], key: str, language: str) -> BuiltForm:
    """The blank ``key`` of :data:`ACTS`: one page for the stream, or one page per room."""
    spec = act_spec(key)
    document = _document(day, spec.title, language, appendix=spec.appendix, of_rules=spec.of_rules)
    t = document.t
    for index, room in enumerate(rooms if spec.per_room else [None]):
        if index:
            document.page_break()
        document.paragraph(t(spec.purpose), size=8.5)
        facts: list[tuple[str, object]] = [(t(N_("Stream")), day.stream),
                                           (t(N_("Date")), day.exam_date.strftime("%d.%m.%Y"))]
        if day.address:
            facts.append((t(N_("Address")), day.address))
        if room is not None:
            facts = [(t(N_("Room")), room.room), *facts, *_room_facts(room, language)]
        else:
            facts.append((t(N_("Rooms")), len(rooms)))
        document.key_values(facts, key_share=0.4)
        document.spacer(3)
        _act_table(document, spec, rooms, room)
        document.signatures([Signature(t(role)) for role in spec.signatures], stamp=False,
                            note=t(ASSUMED_LAYOUT) if index == 0 else None)
    return document.build()


def _act_table(document: FormDocument, spec: ActSpec, rooms: Sequence[RoomPrint], room: RoomPrint | None) -> None:
    t = document.t
    blank = [""] * len(spec.columns)
    if spec.table == "checks":
        document.table([Column("№", 0.4, "right", wrap=False), Column(t(N_("What is checked")), 4.0),
                        Column(t(N_("Done / not done")), 1.2), Column(t(N_("Remark")), 2.0)],
                       [[number, t(check), "", ""] for number, check in enumerate(spec.checks, start=1)], font_size=9)
    elif spec.table == "rooms":
        rows: list[list[object]] = []
        for item in rooms:
            known = [item.jammers] if spec.key == "app34" else []
            rows.append([item.room, len(item.applicants), *known, *blank[len(known):]])
        document.table([Column(t(N_("Room")), 0.7, "center", wrap=False), Column(t(N_("Applicants")), 0.9, "right"),
                        *[Column(t(title), 1.6) for title in spec.columns]], rows, font_size=9)
    elif spec.table == "duties":
        document.table([Column("№", 0.4, "right", wrap=False), Column(t(N_("Duty")), 3.0),
                        *[Column(t(title), 2.0) for title in spec.columns]],
                       [[number, t(duty), *blank] for number, duty in enumerate(_DUTIES, start=1)], font_size=9)
    elif spec.table == "materials":
        applicants = 0 if room is None else len(room.applicants)
        document.table([Column("№", 0.4, "right", wrap=False), Column(t(N_("Material")), 4.0),
                        Column(t(N_("Issued")), 1.0), Column(t(N_("Returned")), 1.0), Column(t(N_("Remark")), 1.6)],
                       [[number, t(item), "", "", ""] for number, item in enumerate(_MATERIALS, start=1)],
                       font_size=9)
        document.paragraph(t(N_("Applicants on the seating list: {count}.")).format(count=applicants), size=9)
    else:  # people: blank rows to fill in by hand
        widths = {"ИКТ": 1.1, "Seat": 0.6}
        document.table([Column("№", 0.4, "right", wrap=False),
                        *[Column(t(title), widths.get(title, 2.0)) for title in spec.columns]],
                       [[number, *[_TALL] * len(spec.columns)] for number in range(1, BLANK_ROWS + 1)], font_size=10)
