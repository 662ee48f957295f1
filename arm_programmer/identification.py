"""Identification of a stream's answer sheets on the workstation (п. 157–176): the inputs from the
database, the protocol's entries written (audited, in the caller's transaction), re-identification
with НЦТ's code, the end of identification reported to НЦТ, and the stream's state.

The sheets themselves come from the scanning (``arm_programmer.sheets.read_sheets``); the functions
here take them as :class:`~arm_programmer.identify.SheetLike` rows, so the rules stay pure
(:mod:`arm_programmer.identify`, :mod:`arm_programmer.resolution`) and the scanning is read once.

* :func:`enter_sheet` — a lower-table row (п. 167–170): «Исправить», «Досадка», «Удалить бланк»;
  before the end of identification an entry may be entered again (the latest stands, each audited);
* :func:`enter_note` — an upper-table row (п. 166);
* :func:`reidentify` — after the end of identification, the ИКТ, variant or profile subjects of a sheet
  corrected again (п. 173–175, прил. 38) with НЦТ's dictated ``re-identification`` code;
* :func:`end_identification` — nothing left open: the ``identification-end`` package to НЦТ (п. 176).

The audit log gets the sheet's id and number, the decision, seat and variant: never a name.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.draw import DrawnSeat, drawn_seats, stream_of
from arm_programmer.identify import Decision, Identification, SheetLike, Withdrawal, identify, kept_image
from arm_programmer.resolution import (
    Entry,
    Note,
    Resolution,
    check_note,
    check_sheet_entry,
    resolve,
    variant_excess,
)
from common.db.identification_models import ApplicantNote, IdentificationEnd, SheetEntry
from common.db.models import Room, RoomStream, Stream
from common.db.variant_models import RoomBooklets, RoomSheets
from common.errors import Refused
from common.exchange import kinds
from common.i18n import _
from common.omr.layout import Layout
from common.reports import PrintedForm
from common.security.audit import AuditLog
from common.workstation import DataFolder

END_KIND: Final = kinds.IDENTIFICATION_END.name
PAYLOAD_FORMAT: Final = 1
REIDENTIFICATION: Final = "re-identification"


@dataclass(frozen=True)
class StreamInputs:
    """What the identification of a stream reads besides its sheets."""

    seats: tuple[DrawnSeat, ...]
    sheet_numbers: dict[str, list[tuple[int, int]]]
    spare: list[tuple[int, int]]
    booklets: dict[str, dict[str, int]]
    """Per room, the booklets per variant НЦТ gave it (п. 171)."""


def stream_inputs(session: Session, stream_number: int) -> StreamInputs:
    """The stream's seating and the sheet numbers НЦТ gave each room (``Refused`` before the draw or the file)."""
    stream = stream_of(session, stream_number)
    seats = tuple(drawn_seats(session, stream_number))
    if not seats:
        raise Refused(_("The seats of stream {stream} are not drawn yet: identification needs the seating list.")
                      .format(stream=stream_number))
    numbers: dict[str, list[tuple[int, int]]] = {}
    spare: list[tuple[int, int]] = []
    rows = session.execute(select(Room.number, RoomSheets.spare, RoomSheets.first, RoomSheets.last)
                           .join(RoomStream, RoomSheets.room_stream_id == RoomStream.id)
                           .join(Room, RoomStream.room_id == Room.id).where(RoomStream.stream_id == stream.id))
    for room, is_spare, first, last in rows:
        (spare if is_spare else numbers.setdefault(room, [])).append((first, last))
    if not numbers:
        raise Refused(_("НЦТ's variants file for stream {stream} has not been taken: the sheet numbers of the rooms "
                        "are not known (variants import FILE).").format(stream=stream_number))
    booklets: dict[str, dict[str, int]] = {}
    for room, variant, count in session.execute(
            select(Room.number, RoomBooklets.variant, RoomBooklets.booklets)
            .join(RoomStream, RoomBooklets.room_stream_id == RoomStream.id)
            .join(Room, RoomStream.room_id == Room.id).where(RoomStream.stream_id == stream.id)):
        booklets.setdefault(room, {})[variant] = count
    return StreamInputs(seats, numbers, spare, booklets)


def held_entries(session: Session, stream: Stream) -> dict[int, Entry]:
    return {row.sheet_id: Entry(row.sheet_id, Decision(row.decision), row.application_id, row.seat, row.variant,
                                row.subjects)
            for row in session.scalars(select(SheetEntry).where(SheetEntry.stream_id == stream.id))}


def held_notes(session: Session, seats: Iterable[DrawnSeat]) -> dict[int, Note]:
    ids = [seat.application_id for seat in seats]
    return {row.application_id: Note(row.application_id, row.note, row.sheet_number)
            for row in session.scalars(select(ApplicantNote).where(ApplicantNote.application_id.in_(ids)))}


def ended(session: Session, stream: Stream) -> IdentificationEnd | None:
    return session.scalar(select(IdentificationEnd).where(IdentificationEnd.stream_id == stream.id))


@dataclass(frozen=True)
class StreamIdentification:
    stream_number: int
    inputs: StreamInputs
    auto: Identification
    resolution: Resolution
    ended: bool


def identify_stream(session: Session, stream_number: int, sheets: Sequence[SheetLike],
                    withdrawn: Mapping[int, Withdrawal] | None = None) -> StreamIdentification:
    """The stream's identification now: automatic, with the protocol's entries laid over it."""
    stream = stream_of(session, stream_number)
    inputs = stream_inputs(session, stream_number)
    auto = identify(sheets, inputs.seats, inputs.sheet_numbers, spare=inputs.spare, withdrawn=withdrawn)
    result = resolve(auto, sheets, held_entries(session, stream), held_notes(session, inputs.seats))
    return StreamIdentification(stream_number, inputs, auto, result, ended(session, stream) is not None)


def _sheet(auto: Identification, sheet_number: str) -> int:
    found = [item.sheet_id for item in auto.sheets if item.sheet_number == sheet_number]
    if not found:
        raise Refused(_("No scanned sheet of the stream has number {sheet}.").format(sheet=sheet_number))
    if len(found) > 1:
        raise Refused(_("Sheet number {sheet} was read on more than one sheet: resolve the scanning first.").format(
            sheet=sheet_number))
    return found[0]


def _application(inputs: StreamInputs, ikt: str | None) -> int | None:
    if not ikt:
        return None
    return next((seat.application_id for seat in inputs.seats if seat.ikt == ikt), -1)


@dataclass(frozen=True)
class Entered:
    sheet_id: int
    sheet_number: str
    decision: str
    revision: int


def _write_entry(session: Session, stream: Stream, current: StreamIdentification, entry: Entry, *, name: str | None,
                 ikt: str | None, actor: str) -> SheetEntry:
    outcome = current.auto.sheet(entry.sheet_id)
    row = session.scalar(select(SheetEntry).where(SheetEntry.sheet_id == entry.sheet_id))
    if row is None:
        row = SheetEntry(stream_id=stream.id, sheet_id=entry.sheet_id, room_number=outcome.room_number, revision=0)
        session.add(row)
    row.decision = entry.decision.value
    row.application_id = entry.application_id
    row.ikt = ikt
    row.seat = entry.seat
    row.variant = entry.variant
    row.subjects = entry.subjects
    row.name_on_sheet = name or None
    row.revision = (row.revision or 0) + 1
    row.entered_by = actor[:100]
    session.flush()
    return row


def _stream_not_ended(session: Session, stream_number: int) -> Stream:
    """The stream, ``Refused`` once its identification has ended (a change then is a re-identification)."""
    stream = stream_of(session, stream_number)
    if ended(session, stream) is not None:
        raise Refused(_("The identification of stream {stream} has ended: a change now is a re-identification "
                        "with НЦТ's code (п. 173).").format(stream=stream_number))
    return stream


def enter_sheet(session: Session, stream_number: int, sheets: Sequence[SheetLike], *, sheet_number: str,
                decision: Decision, ikt: str | None = None, seat: int | None = None, variant: str | None = None,
                subjects: str | None = None, name: str | None = None, audit: AuditLog, actor: str,
                withdrawn: Mapping[int, Withdrawal] | None = None) -> Entered:
    """Enter a lower-table row of the protocol (see the module's text); ``Refused`` after the end of
    identification (that is re-identification) or for what the protocol cannot say."""
    stream = _stream_not_ended(session, stream_number)
    current = identify_stream(session, stream_number, sheets, withdrawn)
    sheet_id = _sheet(current.auto, sheet_number)
    application_id = None if decision is Decision.DELETE else _application(current.inputs, ikt)
    entry = Entry(sheet_id, decision, application_id, seat, variant, subjects)
    others = {key: value for key, value in held_entries(session, stream).items() if key != sheet_id}
    check_sheet_entry(current.auto, current.inputs.seats, entry, others, withdrawn=list(withdrawn or {}))
    row = _write_entry(session, stream, current, entry, name=name, ikt=None if decision is Decision.DELETE else ikt,
                       actor=actor)
    audit.record(session, actor=actor, action="identify.sheet", target=f"stream/{stream_number}/sheet/{sheet_id}",
                 details={"sheet_number": sheet_number, "decision": decision.value, "room": row.room_number,
                          "seat": seat, "variant": variant, "revision": row.revision})
    return Entered(sheet_id, sheet_number, decision.value, row.revision)


def enter_note(session: Session, stream_number: int, sheets: Sequence[SheetLike], *, ikt: str, note: str,
               sheet_number: str | None = None, audit: AuditLog, actor: str,
               withdrawn: Mapping[int, Withdrawal] | None = None) -> Note:
    """Enter an upper-table row of the protocol (п. 166) for the applicant with ``ikt``."""
    _stream_not_ended(session, stream_number)
    current = identify_stream(session, stream_number, sheets, withdrawn)
    application_id = _application(current.inputs, ikt)
    if application_id is None or application_id < 0:
        raise Refused(_("ИКТ {ikt} is not of an applicant seated in stream {stream}.").format(
            ikt=ikt, stream=stream_number))
    entered = Note(application_id, note, sheet_number)
    check_note(current.resolution, current.auto, entered)
    row = session.scalar(select(ApplicantNote).where(ApplicantNote.application_id == application_id))
    if row is None:
        row = ApplicantNote(application_id=application_id)
        session.add(row)
    row.note, row.sheet_number, row.entered_by = note, sheet_number, actor[:100]
    session.flush()
    audit.record(session, actor=actor, action="identify.note", target=ikt,
                 details={"stream": stream_number, "note": note, "sheet_number": sheet_number})
    return entered


def reidentify(session: Session, stream_number: int, sheets: Sequence[SheetLike], *, sheet_number: str,
               code_ok: bool, ikt: str | None = None, variant: str | None = None, subjects: str | None = None,
               audit: AuditLog, actor: str, withdrawn: Mapping[int, Withdrawal] | None = None) -> Entered:
    """Re-identify an identified sheet after the end of identification (п. 173–175, прил. 38): its ИКТ, variant
    or profile subjects (п. 174), with НЦТ's ``re-identification`` code (``code_ok``: the caller checked it)."""
    stream = stream_of(session, stream_number)
    if ended(session, stream) is None:
        raise Refused(_("The identification of stream {stream} has not ended: correct the protocol's entry "
                        "instead (identify sheet).").format(stream=stream_number))
    if not code_ok:
        raise Refused(_("Re-identification needs НЦТ's password (п. 173)."))
    if ikt is None and variant is None and subjects is None:
        raise Refused(_("Say what re-identification corrects: the ИКТ, the variant or the profile subjects (п. 174)."))
    current = identify_stream(session, stream_number, sheets, withdrawn)
    sheet_id = _sheet(current.auto, sheet_number)
    final = current.resolution.sheet(sheet_id)
    if final.application_id is None:
        raise Refused(_("Sheet {sheet} is not identified: re-identification corrects an identified sheet (п. 173)."
                        ).format(sheet=sheet_number))
    seat = next(item for item in current.inputs.seats if item.application_id == final.application_id)
    new_ikt = ikt or seat.ikt
    application_id = _application(current.inputs, new_ikt)
    others = held_entries(session, stream)
    held = others.pop(sheet_id, None)
    decision = held.decision if held is not None else Decision.CORRECT
    entry = Entry(sheet_id, decision, application_id, final.seat, variant or final.variant, subjects or final.subjects)
    check_sheet_entry(current.auto, current.inputs.seats, entry, others, withdrawn=list(withdrawn or {}))
    row = _write_entry(session, stream, current, entry, name=None, ikt=new_ikt, actor=actor)
    changed = [name for name, value in (("ikt", ikt), ("variant", variant), ("subjects", subjects)) if value]
    audit.record(session, actor=actor, action="identify.reidentify", target=f"stream/{stream_number}/sheet/{sheet_id}",
                 details={"sheet_number": sheet_number, "changed": changed, "variant": entry.variant,
                          "revision": row.revision})
    return Entered(sheet_id, sheet_number, decision.value, row.revision)


def end_payload(stream_number: int, current: StreamIdentification) -> dict[str, Any]:
    """The ``identification-end`` payload (docs/packages.md): counts per room, no personal data."""
    rooms: dict[str, dict[str, int]] = {}
    for sheet in current.resolution.sheets:
        counts = rooms.setdefault(sheet.room_number, {"sheets": 0, "identified": 0, "by_protocol": 0, "deleted": 0,
                                                      "unused": 0, "absent": 0, "annulled": 0, "not_admitted": 0})
        counts["sheets"] += 1
        counts["identified"] += sheet.state.value == "identified"
        counts["by_protocol"] += sheet.by_protocol and sheet.state.value == "identified"
        counts["deleted"] += sheet.state.value == "deleted"
        counts["unused"] += sheet.state.value == "unused"
    for applicant in current.resolution.applicants:
        counts = rooms.setdefault(applicant.room_number, {"sheets": 0, "identified": 0, "by_protocol": 0,
                                                          "deleted": 0, "unused": 0, "absent": 0, "annulled": 0,
                                                          "not_admitted": 0})
        key = applicant.state.value.replace("-", "_")
        if key in counts and key != "identified":
            counts[key] += 1
    return {"format": PAYLOAD_FORMAT, "stream": stream_number,
            "rooms": [{"room": room, **values} for room, values in sorted(rooms.items())]}


def blockers(current: StreamIdentification) -> list[str]:
    """What keeps the stream from the answer codes, one translated line each (empty: ready)."""
    lines = []
    open_sheets = current.resolution.open_sheets()
    if open_sheets:
        lines.append(_("{count} sheet(s) not identified: enter the protocol (прил. 36).").format(
            count=len(open_sheets)))
    open_people = current.resolution.open_applicants()
    if open_people:
        lines.append(_("{count} applicant(s) of the upper table without a note (п. 166).").format(
            count=len(open_people)))
    for excess in variant_excess(current.resolution, current.inputs.booklets):
        lines.append(_("Room {room}: variant {variant} on {found} sheet(s), {given} booklet(s) given — variant "
                       "identification (прил. 37, п. 171): correct the variant of these sheets from their "
                       "booklets.").format(room=excess.room_number, variant=excess.variant or "—", found=excess.found,
                                           given=excess.given))
    return lines


@dataclass(frozen=True)
class EndReport:
    stream_number: int
    digest: str
    payload: dict[str, Any]


def end_identification(session: Session, stream_number: int, sheets: Sequence[SheetLike], *, actor: str,
                       withdrawn: Mapping[int, Withdrawal] | None = None,
                       extra_blockers: Sequence[str] = ()) -> EndReport:
    """Record the end of the stream's identification (п. 176); ``Refused`` while anything blocks it.
    The caller seals :func:`end_payload` to НЦТ in the same transaction and sets the package id."""
    stream = stream_of(session, stream_number)
    held = ended(session, stream)
    if held is not None:
        raise Refused(_("The end of identification of stream {stream} was reported already ({moment}).").format(
            stream=stream_number, moment=f"{held.ended_at:%Y-%m-%d %H:%M} UTC"))
    current = identify_stream(session, stream_number, sheets, withdrawn)
    lines = [*extra_blockers, *blockers(current)]
    if lines:
        raise Refused(_("The identification of stream {stream} cannot end yet: {reasons}").format(
            stream=stream_number, reasons=" ".join(lines)))
    payload = end_payload(stream_number, current)
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()
    session.add(IdentificationEnd(stream_id=stream.id, ended_by=actor[:100], digest=digest))
    session.flush()
    return EndReport(stream_number, digest, payload)


def check_reidentification_code(session: Session, stream_number: int, *, code: str, audit: AuditLog,
                                actor: str) -> str | None:
    """Check НЦТ's dictated ``re-identification`` code for the stream (counted and audited when wrong).

    Returns ``None`` when accepted, else the one-line refusal; the caller commits either way (a wrong
    code's count must stay), then refuses."""
    from common.db import workstation_info
    from common.exchange.dictated import check_dictated_code

    identity = workstation_info.get_identity(session)
    site_code = "" if identity is None or identity.site_code is None else identity.site_code
    check = check_dictated_code(session, site_code=site_code, purpose=REIDENTIFICATION, stream=stream_number,
                                typed=code, audit=audit, actor=actor)
    return None if check.accepted else check.message


# --- the stream's state (``identify status``, the window) ------------------------------------------


@dataclass(frozen=True)
class RoomState:
    room_number: str
    pass1: int
    pass2: int
    differences: int
    sheets: int
    identified: int
    open_sheets: int


@dataclass(frozen=True)
class StreamState:
    stream_number: int
    rooms: tuple[RoomState, ...]
    blockers: tuple[str, ...]
    ended: bool

    @property
    def ready_for_answer_codes(self) -> bool:
        """Nothing blocks and the end of identification is reported (п. 176–177)."""
        return self.ended and not self.blockers


def scan_blockers(session: Session, stream_number: int) -> list[str]:
    """The scanning's part of what blocks: a room not scanned twice, differences between passes left open."""
    from arm_programmer.sheets import room_counts

    lines = []
    for room in room_counts(session, stream_number):
        if not room.pass1 or not room.pass2:
            lines.append(_("Room {room} is not scanned twice yet (pass 1: {first}, pass 2: {second}).").format(
                room=room.room_number, first=room.pass1, second=room.pass2))
        elif room.differences:
            lines.append(_("Room {room}: {count} difference(s) between the passes not decided (passes diff).")
                         .format(room=room.room_number, count=room.differences))
    return lines


def stream_sheets(session: Session, stream_number: int) -> list[SheetLike]:
    from arm_programmer.sheets import read_sheets

    return list(read_sheets(session, stream_number))


def stream_state(session: Session, stream_number: int) -> tuple[StreamState, StreamIdentification]:
    """Rooms scanned, differences open, sheets identified, and what blocks the answer codes."""
    from arm_programmer.sheets import room_counts

    sheets = stream_sheets(session, stream_number)
    current = identify_stream(session, stream_number, sheets)
    counts = {room.room_number: room for room in room_counts(session, stream_number)}
    rooms = []
    for number in sorted(set(counts) | {sheet.room_number for sheet in current.resolution.sheets}):
        in_room = [sheet for sheet in current.resolution.sheets if sheet.room_number == number]
        count = counts.get(number)
        read = [sheet for sheet in sheets if sheet.room_number == number]
        # a reserve room kept back (a late seating) is not among the opened rooms' counts: count its sheets
        first = count.pass1 if count else sum(1 for sheet in read if sheet.image_pass1)
        second = count.pass2 if count else sum(1 for sheet in read if sheet.image_pass2)
        rooms.append(RoomState(number, first, second, count.differences if count else 0, len(in_room),
                               sum(1 for sheet in in_room if sheet.state.value == "identified"),
                               sum(1 for sheet in in_room if sheet.state.value == "open")))
    lines = [*scan_blockers(session, stream_number), *blockers(current)]
    if not lines and not current.ended:
        lines.append(_("The end of identification is not reported to НЦТ yet (identify end, п. 176)."))
    return StreamState(stream_number, tuple(rooms), tuple(lines), current.ended), current


def end_and_report(session: Session, folder: DataFolder, stream_number: int, *, password: str, actor: str,
                   audit: AuditLog) -> tuple[EndReport, str]:
    """End the stream's identification and seal the ``identification-end`` package to НЦТ (п. 176) in the
    caller's transaction; returns the report and the package's path in ``outbox/``."""
    from common.exchange.addresses import NCT_ADDRESS
    from common.exchange.store import load_identity, load_trust, send_package

    sheets = stream_sheets(session, stream_number)
    report = end_identification(session, stream_number, sheets, actor=actor,
                                extra_blockers=scan_blockers(session, stream_number))
    sent = send_package(session, identity=load_identity(session, password), trust=load_trust(session),
                        recipient=NCT_ADDRESS, kind=END_KIND, payload=report.payload, outbox=folder.outbox,
                        audit=audit, actor=actor, stream=stream_number)
    row = ended(session, stream_of(session, stream_number))
    if row is not None:
        row.package_id = f"{sent.sequence}"
    audit.record(session, actor=actor, action="identify.end", target=f"stream/{stream_number}",
                 details={"digest": report.digest, "package": sent.path.name})
    return report, str(sent.path)


PROTOCOL_FORMS: Final = ("identification", "variants", "reidentification")


def print_protocol(session: Session, folder: DataFolder, stream_number: int, language: str, *, actor: str,
                   room: str | None = None, form: str = "identification") -> PrintedForm:
    """Print into ``printed/`` (audited) the identification protocol (прил. 36) of the stream's rooms (or one
    room), the variant identification (``variants``, прил. 37) or the re-identifications (прил. 38)."""
    from arm_programmer.prints import exam_day
    from arm_programmer.protocol import (
        PROTOCOL_KEY,
        REIDENTIFICATION_KEY,
        VARIANTS_KEY,
        ReidentifiedRow,
        VariantRow,
        build_protocol,
        build_reidentification,
        build_variant_identification,
        protocol_rooms,
    )
    from common.reports import save_printed

    sheets = stream_sheets(session, stream_number)
    current = identify_stream(session, stream_number, sheets)
    day = exam_day(session, stream_number)
    suffix = f"stream-{stream_number}" + (f"-room-{room}" if room else "")
    if form == "variants":
        number_of = {sheet.sheet_id: sheet.sheet_number or "?" for sheet in current.resolution.sheets}
        rows = [VariantRow(item.room_number, item.variant, item.given, item.found, number_of[sheet_id])
                for item in variant_excess(current.resolution, current.inputs.booklets)
                if room in (None, item.room_number) for sheet_id in item.sheet_ids]
        return save_printed(folder, VARIANTS_KEY, build_variant_identification(day, rows, language), session=session,
                            actor=actor, suffix=suffix)
    if form == "reidentification":
        stream = stream_of(session, stream_number)
        number_of = {sheet.sheet_id: sheet.sheet_number or "?" for sheet in current.resolution.sheets}
        entries = session.scalars(select(SheetEntry).where(SheetEntry.stream_id == stream.id, SheetEntry.revision > 1)
                                  .order_by(SheetEntry.room_number, SheetEntry.sheet_id))
        redone = [ReidentifiedRow(row.room_number, number_of.get(row.sheet_id, "?"), row.ikt or "",
                                  "" if row.seat is None else str(row.seat), row.variant or "", row.subjects or "",
                                  row.revision, f"{row.entered_at:%d.%m.%Y %H:%M} UTC")
                  for row in entries if room in (None, row.room_number)]
        return save_printed(folder, REIDENTIFICATION_KEY, build_reidentification(day, redone, language),
                            session=session, actor=actor, suffix=suffix)
    rooms = protocol_rooms(current.auto, current.inputs.seats, sheets)
    if room is not None:
        rooms = [item for item in rooms if item.room == room]
        if not rooms:
            raise Refused(_("Room {room} has no scanned sheet in stream {stream}.").format(room=room,
                                                                                        stream=stream_number))
    return save_printed(folder, PROTOCOL_KEY, build_protocol(day, rooms, language), session=session, actor=actor,
                        suffix=suffix)


def sheet_explain_png(session: Session, root: Path, stream_number: int, sheet_number: str) -> bytes | None:
    """The ``explain`` picture of a sheet's pass-1 image (pass 2 when pass 1 has none): the page read again
    with the stream's layout, each bubble's fill and decision drawn over it — what the commission's row
    is about. ``None`` when the sheet has no image or the page cannot be located."""
    from arm_programmer.sheets import answer_layouts

    sheet = next((item for item in stream_sheets(session, stream_number) if item.sheet_number == sheet_number), None)
    relative = None if sheet is None else kept_image(sheet)
    if relative is None:
        return None
    return explain_image(root / relative, answer_layouts(session, stream_number))


def explain_image(path: Path, layout: Layout, field: str | None = None) -> bytes | None:
    """The ``explain`` picture of the page at ``path`` read again with ``layout`` — the whole page, or one ``field``
    of it; ``None`` when the image is missing or unreadable, the page cannot be located or has no such field."""
    return explain_fields(path, layout, [field]).get(field)


def explain_fields(path: Path, layout: Layout, fields: Iterable[str | None]) -> dict[str | None, bytes]:
    """:func:`explain_image` of each of ``fields`` (``None``: the whole page), the page read once: a field the
    layout does not have is left out, and all are when the page cannot be read or located."""
    from common.omr.explain import explain_png
    from common.omr.images import load_pages
    from common.omr.reader import read_page

    wanted = [field for field in dict.fromkeys(fields) if field is None or layout.bubbles_by_field.get(field)]
    if not wanted or not path.is_file():
        return {}
    image = next(iter(load_pages(path)), None)
    if image is None:
        return {}
    result = read_page(image, layout, image_name=path.name)
    if result.transform is None or not result.bubbles:
        return {}
    return {field: explain_png(image, layout, result, field=field) for field in wanted}
