"""Answer sheets scanned by room, twice (п. 156.1), the passes compared, and the sheets not scanned (прил. 35).

:class:`RoomPassSink` is the scan loop's consumer (:mod:`common.scanning.loop`) for one pass of one
room's envelope: in one transaction per page it stores the page (``SheetScan``, ``page_id`` unique:
never twice) with its reading, every bubble's fill and the band the reader used on it, and files it
under the sheet its pre-printed number names (``AnswerSheet``, one per number and room; a page whose
number is unreadable is a sheet of its own). A page that failed the page check is a rescan request.

:func:`differences` compares a sheet's two passes: a sheet in one pass only, and each bubble whose
decision (marked at ``MARKED_AT``) differs or whose fill differs by more than the reader's error on
those pages. The reader's error is what its band allows for: the band round ``MARKED_AT`` is sized so a
reading within the error of a true borderline mark falls inside it (``PRODUCTION_BAND`` 0.39–0.60 for a
measured error of at most −0.044…+0.032; the wide band for soft and off-range scans), so two readings of
one mark differ by at most twice the error — the band's half-width. :func:`resolve` records the
programmer's decision on a field (audited by the command); until then the sheet carries ``differs``.

:func:`read_sheets` is what identification reads: each sheet with its fields as decided after the passes,
its open problems and its images. :func:`exclude_sheet` / :func:`not_scanned`: прил. 35.
No personal data is stored here: sheets are named by their numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from arm_programmer.draw import stream_draw, stream_of
from common.db.answer_models import AnswerSheet, ExclusionReason, SheetDecision, SheetExclusion, SheetScan
from common.db.models import Room, RoomStream, Stream
from common.db.programmer_models import StreamDraw
from common.db.variant_models import RoomSheets
from common.errors import Refused
from common.i18n import _
from common.omr.layout import Layout
from common.omr.reader import MARKED_AT, PageResult, ambiguous_band
from common.scanning.driver import ScannedPage
from common.scanning.loop import needs_rescan

SCANS_FOLDER: Final = "scans"
PASSES: Final = (1, 2)
ONE_PASS: Final = "one_pass"
DIFFERS: Final = "differs"
AMBIGUOUS: Final = "ambiguous"
MULTIPLE: Final = "multiple"
UNREADABLE: Final = "unreadable"
RESCAN: Final = "rescan"
OTHER_ROOM: Final = "other_room"
EXCLUDED: Final = "excluded"
SHEET_NUMBER_FIELD: Final = "sheet_number"


@dataclass(frozen=True)
class ReadSheet:
    """A sheet of a room's envelope as decided after the passes (what identification reads)."""

    sheet_id: int
    stream_number: int
    room_number: str
    """The envelope's room."""
    sheet_number: str | None
    """As decided after the passes (None: unreadable)."""
    fields: dict[str, str]
    """Every decided field: the reader's fields (``ikt.c01``, ``<subject>.q01``, ``creative``,
    ``<slot>_subject`` …) and its groups (``ikt``, ``seat``, ``variant``, ``stream``, ``room`` …)."""
    flags: tuple[str, ...]
    """Open problems: ``differs``, ``ambiguous``, ``multiple``, ``unreadable``, ``one_pass``, ``rescan``,
    ``other_room``, ``excluded``."""
    image_pass1: str | None
    image_pass2: str | None
    """Kept images, as paths under the data folder (``scans/…``)."""


@dataclass(frozen=True)
class NotScanned:
    """A sheet not scanned (прил. 35)."""

    stream_number: int
    room_number: str
    sheet_number: str
    reason: str
    act: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True)
class Difference:
    """One thing the passes disagree on, side by side. ``kind``: ``one_pass`` (the sheet is in one pass
    only; ``pass1``/``pass2`` say which has it), ``sheet_number`` (the number read differently: two
    one-pass sheets at the same place in their passes), ``decision`` (a bubble marked in one pass only)
    or ``fill`` (the fills differ by more than the reader's error)."""

    sheet_id: int
    sheet_number: str | None
    kind: str
    field: str | None
    bubble: str | None
    pass1: str
    pass2: str
    resolved: str | None = None
    """The decision recorded on ``field``, if any."""


# --- rooms ----------------------------------------------------------------------------------------


def find_room(session: Session, stream_number: int, room_number: str) -> RoomStream:
    """The room ``room_number`` as used in stream ``stream_number`` (its number as "01" or "1")."""
    stream = stream_of(session, stream_number)
    wanted = room_number.strip().zfill(2)
    room = session.scalar(select(RoomStream).join(Room, Room.id == RoomStream.room_id)
                          .where(RoomStream.stream_id == stream.id, Room.number == wanted))
    if room is None:
        raise Refused(_("Room {room} is not a room of stream {stream}.").format(room=wanted, stream=stream_number))
    return room


def refuse_before_draw(session: Session, stream_number: int) -> None:
    stream_of(session, stream_number)
    if stream_draw(session, stream_number) is None:
        raise Refused(_("Stream {stream} has not been drawn yet: answer sheets are scanned after the draw.").format(
            stream=stream_number))


def only_stream(session: Session) -> int:
    """The stream ``--stream`` means when left out: the one stream drawn so far (or the only stream)."""
    drawn = list(session.scalars(select(Stream.number).join(StreamDraw, StreamDraw.stream_id == Stream.id)))
    numbers = drawn if drawn else list(session.scalars(select(Stream.number)))
    if len(numbers) != 1:
        raise Refused(_("Name the stream (--stream N): {count} streams could be meant.").format(count=len(numbers)))
    return numbers[0]


# --- scanning -------------------------------------------------------------------------------------


def reading_json(result: PageResult) -> dict[str, Any]:
    data = result.to_json()
    data.pop("bubbles", None)
    return data


class RoomPassSink:
    """The :class:`common.scanning.loop.PageSink` of one pass of one room's envelope."""

    def __init__(self, transaction: Callable[[], AbstractContextManager[Session]], stream_number: int,
                 room_number: str, pass_number: int) -> None:
        if pass_number not in PASSES:
            raise Refused(_("A room is scanned in pass 1 or 2, not {number}.").format(number=pass_number))
        self.transaction = transaction
        self.pass_number = pass_number
        self._stored: set[str] | None = None
        with transaction() as session:
            refuse_before_draw(session, stream_number)
            self.room_stream_id = find_room(session, stream_number, room_number).id

    def done(self, page_id: str) -> bool:
        if self._stored is None:
            with self.transaction() as session:
                self._stored = set(session.scalars(select(SheetScan.page_id)))
        return page_id in self._stored

    def keep(self, page: ScannedPage, image: Path, result: PageResult, rescan: bool) -> SheetScan:
        if self._stored is None:
            self.done(page.page_id)
        assert self._stored is not None
        with self.transaction() as session:
            stored = session.scalar(select(SheetScan).where(SheetScan.page_id == page.page_id))
            if stored is not None:  # stored by another process after this run began: not again
                self._stored.add(page.page_id)
                return stored
            sheet = self._sheet(session, result.sheet_number, rescan)
            low, high = ambiguous_band(result.page_check.dpi, result.page_check.blur_mm)
            scan = SheetScan(page_id=page.page_id, room_stream_id=self.room_stream_id, pass_number=self.pass_number,
                             sheet_id=None if sheet is None else sheet.id, image=image.name, rescan=rescan,
                             reasons=list(needs_rescan(result)), reading=reading_json(result),
                             fills=dict(result.bubbles), band_low=low, band_high=high)
            session.add(scan)
            session.flush()
            session.expunge(scan)
        self._stored.add(page.page_id)
        return scan

    def _sheet(self, session: Session, number: str | None, rescan: bool) -> AnswerSheet | None:
        if number is None:
            if rescan:
                return None
            sheet = AnswerSheet(room_stream_id=self.room_stream_id, sheet_number=None)
        else:
            found = session.scalar(select(AnswerSheet).where(AnswerSheet.room_stream_id == self.room_stream_id,
                                                             AnswerSheet.sheet_number == number))
            if found is not None:
                return found
            sheet = AnswerSheet(room_stream_id=self.room_stream_id, sheet_number=number)
        session.add(sheet)
        session.flush()
        return sheet


# --- the passes -----------------------------------------------------------------------------------


def _current(sheet: AnswerSheet, pass_number: int) -> SheetScan | None:
    """The sheet's page of the pass that counts: its last one that passed the page check."""
    kept = [scan for scan in sheet.scans if scan.pass_number == pass_number and not scan.rescan]
    return kept[-1] if kept else None


def fill_tolerance(first: SheetScan, second: SheetScan) -> float:
    """How far two readings of one mark may differ: the half-width of the wider of the two pages' bands."""
    return max(first.band_high - first.band_low, second.band_high - second.band_low) / 2


def _field_of(bubble: str) -> str:
    return bubble.rsplit(".", 1)[0]


def _sheet_differences(sheet: AnswerSheet) -> list[Difference]:
    first, second = _current(sheet, 1), _current(sheet, 2)
    decided = {decision.field: decision.value for decision in sheet.decisions}
    if first is None or second is None:
        if first is None and second is None:
            return []
        return [Difference(sheet.id, sheet.sheet_number, ONE_PASS, None, None,
                           _("scanned") if first else _("missing"), _("scanned") if second else _("missing"))]
    tolerance = fill_tolerance(first, second)
    found: list[Difference] = []
    for bubble, fill1 in first.fills.items():
        fill2 = second.fills.get(bubble)
        if fill2 is None:
            continue
        marked1, marked2 = fill1 >= MARKED_AT, fill2 >= MARKED_AT
        kind = "decision" if marked1 != marked2 else "fill" if abs(fill1 - fill2) > tolerance else None
        if kind is not None:
            field = _field_of(bubble)
            found.append(Difference(sheet.id, sheet.sheet_number, kind, field, bubble, f"{fill1:.2f}", f"{fill2:.2f}",
                                    decided.get(field)))
    return found


def _room_sheets(session: Session, stream_number: int, room_number: str | None) -> list[tuple[RoomStream, AnswerSheet]]:
    stream = stream_of(session, stream_number)
    statement = (select(RoomStream, AnswerSheet).join(AnswerSheet, AnswerSheet.room_stream_id == RoomStream.id)
                 .join(Room, Room.id == RoomStream.room_id).where(RoomStream.stream_id == stream.id)
                 .options(selectinload(AnswerSheet.scans), selectinload(AnswerSheet.decisions))
                 .order_by(Room.number, AnswerSheet.id))
    if room_number is not None:
        statement = statement.where(RoomStream.id == find_room(session, stream_number, room_number).id)
    return [(room, sheet) for room, sheet in session.execute(statement)]


def differences(session: Session, stream_number: int, room_number: str) -> list[Difference]:
    """Every difference between a room's two passes, sheet by sheet (in scan order), bubble by bubble.
    Two sheets each in one pass only at the same place in their passes are one sheet whose number was
    read differently (``sheet_number``)."""
    sheets = [sheet for _room, sheet in _room_sheets(session, stream_number, room_number)]
    found: list[Difference] = []
    only = {1: _only_in(sheets, 1), 2: _only_in(sheets, 2)}
    paired: set[int] = set()
    for place, sheet in only[1].items():
        other = only[2].get(place)
        if other is not None:
            paired.update((sheet.id, other.id))
            decided = next((item.value for item in sheet.decisions if item.field == SHEET_NUMBER_FIELD), None)
            found.append(Difference(sheet.id, sheet.sheet_number, SHEET_NUMBER_FIELD, SHEET_NUMBER_FIELD, None,
                                    sheet.sheet_number or "?", other.sheet_number or "?", decided))
    for sheet in sheets:
        if sheet.id not in paired:
            found.extend(_sheet_differences(sheet))
    return found


def _only_in(sheets: Iterable[AnswerSheet], pass_number: int) -> dict[int, AnswerSheet]:
    """Sheets present in ``pass_number`` only, by their place in that pass's order of pages."""
    order = sorted(((scan.id, sheet) for sheet in sheets
                    for scan in [_current(sheet, pass_number)] if scan is not None), key=lambda item: item[0])
    other = 2 if pass_number == 1 else 1
    return {place: sheet for place, (_scan_id, sheet) in enumerate(order) if _current(sheet, other) is None}


def resolve(session: Session, stream_number: int, room_number: str, sheet_number: str, field: str, value: str,
            operator: str) -> SheetDecision:
    """Record the programmer's decision on ``field`` of the sheet ``sheet_number`` of the room (in the
    caller's transaction; the command audits it). ``field`` is a field of the reading or ``sheet_number``.
    A sheet whose number could not be read is named ``#`` and its id (as ``passes diff`` lists it).

    Deciding ``sheet_number`` says which sheet the pages are: they join the sheet of that number when the
    other pass has it (a number read differently — the passes are then compared bubble by bubble), or the
    sheet takes that number."""
    room = find_room(session, stream_number, room_number)
    sheet = find_sheet(session, room, sheet_number)
    known = {SHEET_NUMBER_FIELD}
    for scan in sheet.scans:
        known.update(scan.reading.get("fields", {}))
        known.update(scan.reading.get("groups", {}))
    if field not in known:
        raise Refused(_("The answer sheet has no field {name}.").format(name=field))
    if field == SHEET_NUMBER_FIELD:
        sheet = _renumber(session, room, sheet, value.strip())
    decision = session.scalar(select(SheetDecision).where(SheetDecision.sheet_id == sheet.id,
                                                          SheetDecision.field == field))
    if decision is None:
        decision = SheetDecision(sheet_id=sheet.id, field=field, value=value, decided_by=operator)
        session.add(decision)
    else:
        decision.value, decision.decided_by = value, operator
    session.flush()
    return decision


def find_sheet(session: Session, room: RoomStream, sheet_number: str) -> AnswerSheet:
    """A scanned sheet of the room by its number, or ``#id`` for one whose number was not read."""
    wanted = sheet_number.strip()
    if wanted.startswith("#") and wanted[1:].isdigit():
        sheet = session.get(AnswerSheet, int(wanted[1:]))
        sheet = sheet if sheet is not None and sheet.room_stream_id == room.id else None
    else:
        sheet = session.scalar(select(AnswerSheet).where(AnswerSheet.room_stream_id == room.id,
                                                         AnswerSheet.sheet_number == wanted))
    if sheet is None:
        raise Refused(_("No sheet {sheet} was scanned in room {room}.").format(sheet=wanted, room=room.room.number))
    return sheet


def _renumber(session: Session, room: RoomStream, sheet: AnswerSheet, number: str) -> AnswerSheet:
    """The pages of ``sheet`` are the sheet ``number``: joined to it when it exists, else renamed."""
    if not number.isdigit():
        raise Refused(_("A sheet number is digits, not {number}.").format(number=number))
    if number == sheet.sheet_number:
        return sheet
    target = session.scalar(select(AnswerSheet).where(AnswerSheet.room_stream_id == room.id,
                                                      AnswerSheet.sheet_number == number))
    if target is None:
        sheet.sheet_number = number
        session.flush()
        return sheet
    both = {scan.pass_number for scan in sheet.scans if not scan.rescan} & {
        scan.pass_number for scan in target.scans if not scan.rescan}
    if both:
        raise Refused(_("Sheet {sheet} already has a page of pass {number}: these are two sheets.").format(
            sheet=number, number=min(both)))
    _refuse_losing_entries(session, sheet, number)
    for scan in list(sheet.scans):
        scan.sheet = target
    taken = {decision.field for decision in target.decisions}
    for decision in list(sheet.decisions):
        if decision.field not in taken:
            decision.sheet = target
    session.flush()
    session.delete(sheet)
    session.flush()
    session.expire(target)
    return target


def _refuse_losing_entries(session: Session, sheet: AnswerSheet, number: str) -> None:
    """Joining ``sheet``'s pages to sheet ``number`` removes ``sheet``: refused while the identification
    protocol or the scores name it (they would point at no sheet)."""
    from common.db.identification_models import SheetEntry
    from common.db.score_models import SheetScoreRow

    label = sheet.sheet_number or f"#{sheet.id}"
    entry = session.scalar(select(SheetEntry).where(SheetEntry.sheet_id == sheet.id))
    if entry is not None:
        raise Refused(_("Sheet {sheet} has an entry of the identification protocol («{decision}»): its pages cannot "
                        "join sheet {number}, the entry would name no sheet. Settle both sheets in the protocol "
                        "instead (identify sheet).").format(sheet=label, decision=entry.decision, number=number))
    if session.scalar(select(SheetScoreRow.id).where(SheetScoreRow.sheet_id == sheet.id)) is not None:
        raise Refused(_("Sheet {sheet} is scored: its pages cannot join sheet {number}, the score would name no "
                        "sheet.").format(sheet=label, number=number))


# --- what identification reads --------------------------------------------------------------------


def _ranges(session: Session, room_stream_id: int) -> list[tuple[int, int]]:
    return [(row.first, row.last) for row in session.scalars(select(RoomSheets)
                                                             .where(RoomSheets.room_stream_id == room_stream_id))]


def _in_ranges(number: str | None, ranges: list[tuple[int, int]]) -> bool:
    return number is not None and number.isdigit() and any(first <= int(number) <= last for first, last in ranges)


def read_sheets(session: Session, stream_number: int, room_number: str | None = None) -> list[ReadSheet]:
    """The stream's (or one room's) scanned sheets as decided after the passes, room by room in scan order."""
    rows = _room_sheets(session, stream_number, room_number)
    ranges: dict[int, list[tuple[int, int]]] = {}
    excluded: dict[int, set[str]] = {}
    numbers: dict[int, str] = {}
    result: list[ReadSheet] = []
    for room, sheet in rows:
        if room.id not in ranges:
            ranges[room.id] = _ranges(session, room.id)
            excluded[room.id] = set(session.scalars(select(SheetExclusion.sheet_number)
                                                    .where(SheetExclusion.room_stream_id == room.id)))
            numbers[room.id] = room.room.number
        result.append(_decided(sheet, stream_number, numbers[room.id], ranges[room.id], excluded[room.id]))
    return result


def _decided(sheet: AnswerSheet, stream_number: int, room_number: str, ranges: list[tuple[int, int]],
             excluded: set[str]) -> ReadSheet:
    first, second = _current(sheet, 1), _current(sheet, 2)
    decided = {decision.field: decision.value for decision in sheet.decisions}
    flags: list[str] = []
    fields: dict[str, str] = {}
    readings = [scan.reading for scan in (first, second) if scan is not None]
    if not readings:
        flags.append(RESCAN)
    elif len(readings) == 1:
        flags.append(ONE_PASS)
    for reading in reversed(readings):  # pass 1 wins where they differ (and is flagged)
        fields.update(reading.get("groups", {}))
        fields.update(reading.get("fields", {}))
    open_fields: set[str] = set()
    if first is not None and second is not None:
        open_fields.update(item.field for item in _sheet_differences(sheet) if item.field is not None)
        for source in ("fields", "groups"):
            for name, value in first.reading.get(source, {}).items():
                if second.reading.get(source, {}).get(name) != value:
                    open_fields.add(name)
    kinds: dict[str, set[str]] = {}
    for reading in readings:
        for flag in reading.get("flags", []):
            kinds.setdefault(flag["kind"], set()).add(flag.get("field") or "")
    fields.update(decided)
    if open_fields - set(decided) - _groups_resolved(open_fields, decided, readings):
        flags.append(DIFFERS)
    for kind in (AMBIGUOUS, MULTIPLE):
        if kinds.get(kind, set()) - set(decided):
            flags.append(kind)
    number = decided.get(SHEET_NUMBER_FIELD, sheet.sheet_number)
    if number is None or UNREADABLE in kinds:
        flags.append(UNREADABLE)
    if number is not None and ranges and not _in_ranges(number, ranges):
        flags.append(OTHER_ROOM)
    if number is not None and number in excluded:
        flags.append(EXCLUDED)
    fields.pop(SHEET_NUMBER_FIELD, None)
    return ReadSheet(sheet.id, stream_number, room_number, number, fields, tuple(flags),
                     None if first is None else f"{SCANS_FOLDER}/{first.image}",
                     None if second is None else f"{SCANS_FOLDER}/{second.image}")


def _groups_resolved(open_fields: set[str], decided: dict[str, str], readings: list[dict[str, Any]]) -> set[str]:
    """Open fields settled by a decision on a wider or narrower name: a group decided settles its cells
    (``ikt`` settles ``ikt.c03``), and a group whose differing cells are all decided is settled."""
    settled = {name for name in open_fields if "." in name and name.split(".", 1)[0] in decided}
    groups = {name for reading in readings for name in reading.get("groups", {})}
    for group in groups & open_fields:
        cells = {name for name in open_fields if name.startswith(f"{group}.")}
        if cells and cells <= set(decided) | settled:
            settled.add(group)
    return settled


# --- sheets not scanned (прил. 35) ----------------------------------------------------------------


def exclude_sheet(session: Session, stream_number: int, room_number: str, sheet_number: str, reason: str, act: str,
                  operator: str) -> SheetExclusion:
    """Record that the sheet is not scanned, with its reason and act (the command audits it)."""
    room = find_room(session, stream_number, room_number)
    number = sheet_number.strip()
    if not number.isdigit():
        raise Refused(_("A sheet number is digits, not {number}.").format(number=sheet_number))
    try:
        why = ExclusionReason(reason)
    except ValueError:
        raise Refused(_("The reason is one of: {reasons}.").format(
            reasons=", ".join(item.value for item in ExclusionReason))) from None
    if not act.strip():
        raise Refused(_("Name the act drawn up (прил. 35)."))
    if session.scalar(select(SheetExclusion.id).where(SheetExclusion.room_stream_id == room.id,
                                                      SheetExclusion.sheet_number == number)) is not None:
        raise Refused(_("Sheet {sheet} of room {room} is already recorded as not scanned.").format(
            sheet=number, room=room.room.number))
    exclusion = SheetExclusion(room_stream_id=room.id, sheet_number=number, reason=why, act=act.strip(),
                               recorded_by=operator)
    session.add(exclusion)
    session.flush()
    return exclusion


def not_scanned(session: Session, stream_number: int) -> list[NotScanned]:
    """The stream's sheets not scanned (прил. 35), room by room."""
    stream = stream_of(session, stream_number)
    rows = session.execute(select(SheetExclusion, Room.number)
                           .join(RoomStream, RoomStream.id == SheetExclusion.room_stream_id)
                           .join(Room, Room.id == RoomStream.room_id).where(RoomStream.stream_id == stream.id)
                           .order_by(Room.number, SheetExclusion.sheet_number))
    return [NotScanned(stream_number, room, item.sheet_number, item.reason.value, item.act, item.recorded_at,
                       item.recorded_by) for item, room in rows]


def answer_layouts(session: Session, stream_number: int) -> Layout:
    """The stream's answer-sheet layout, built from the test specification НЦТ sent for it."""
    from arm_programmer.variants import stream_specification
    from forms.registry import get_layout

    spec = stream_specification(session, stream_number)
    if spec is None:
        raise Refused(_("Stream {stream} has no test specification from НЦТ yet: take the variants file first "
                        "(variants import).").format(stream=stream_number))
    return get_layout("answer-sheet", spec)


@dataclass(frozen=True)
class PassCounts:
    """A room's sheets and pages as scanned so far (the window's and the command's summary)."""

    room_number: str
    pass1: int
    pass2: int
    rescans: int
    differences: int
    not_scanned: int


def room_counts(session: Session, stream_number: int) -> list[PassCounts]:
    """Per room of the stream: sheets scanned in each pass, rescan requests, open differences, sheets excluded."""
    stream = stream_of(session, stream_number)
    rooms = session.execute(select(RoomStream, Room.number).join(Room, Room.id == RoomStream.room_id)
                            .where(RoomStream.stream_id == stream.id, RoomStream.opened.is_(True))
                            .order_by(Room.number)).all()
    counts: list[PassCounts] = []
    for room, number in rooms:
        scans = session.scalars(select(SheetScan).where(SheetScan.room_stream_id == room.id)).all()
        sheets: dict[int, set[int | None]] = {}
        for scan in scans:
            if not scan.rescan:
                sheets.setdefault(scan.pass_number, set()).add(scan.sheet_id)
        open_items = [item for item in differences(session, stream_number, number) if item.resolved is None] \
            if sheets.get(1) and sheets.get(2) else []
        excluded = len(session.scalars(select(SheetExclusion.id).where(SheetExclusion.room_stream_id == room.id)).all())
        counts.append(PassCounts(number, len(sheets.get(1, ())), len(sheets.get(2, ())),
                                 sum(1 for scan in scans if scan.rescan), len(open_items), excluded))
    return counts


def _result_of(scan: SheetScan) -> PageResult:
    """The stored reading as a :class:`PageResult` again (with its fills), for :mod:`common.omr.explain`."""
    from common.omr.reader import Flag

    reading = scan.reading
    flags = [Flag(item.get("field"), item["kind"], tuple(item.get("bubbles", ())), item.get("reason"))
             for item in reading.get("flags", [])]
    return PageResult(scan.image, int(reading.get("page", 1)), reading.get("form"),
                      sheet_number=reading.get("sheet_number"), orientation=int(reading.get("orientation", 0)),
                      quality=float(reading.get("quality", 0.0)), transform=reading.get("transform"),
                      fields=dict(reading.get("fields", {})), groups=dict(reading.get("groups", {})),
                      bubbles=dict(scan.fills), flags=flags)


def field_crops(session: Session, scans: Path, stream_number: int, sheet_id: int,
                field: str | None) -> tuple[bytes | None, bytes | None]:
    """The sheet's pass-1 and pass-2 pictures of ``field`` (or of the whole page) from :mod:`common.omr.explain`,
    as PNG: each bubble with its measured fill and decision. None for a pass without the sheet."""
    from common.omr.explain import explain_png
    from common.omr.images import load_pages

    sheet = session.get(AnswerSheet, sheet_id)
    if sheet is None:
        raise Refused(_("There is no scanned sheet number {number}.").format(number=sheet_id))
    layout = answer_layouts(session, stream_number)
    pictures: list[bytes | None] = []
    for pass_number in PASSES:
        scan = _current(sheet, pass_number)
        if scan is None:
            pictures.append(None)
            continue
        image = next(iter(load_pages(scans / scan.image)))
        wanted = field if field in layout.field_by_name else None
        pictures.append(explain_png(image, layout, _result_of(scan), wanted))
    return pictures[0], pictures[1]
