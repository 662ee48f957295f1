"""The stream's test specification and variants file from НЦТ (п. 53.1), on the programmer's workstation.

``variants import FILE`` (or ``package open``) takes a ``test-specification`` or a ``variants`` package
(``ent-nct variants send`` makes both for a stream) into this workstation's database in one
transaction: the specification whole (validated), and for each room of the stream the answer-sheet
numbers given to it (п. 157.1) and its booklets per variant (п. 171). ``variants show --stream N``
reads them back (:func:`stream_variants`). The payloads: ``docs/packages.md``.

Refused, each in one line, and nothing written:

* the package is for another site, or its stream is not a stream of the applicant database taken
  over here (take the database first), or the stream's exam day differs from the file's;
* the variants file's rooms are not the rooms opened for the stream here, a sheet number is not
  7 digits or a room's sheets overlap another's, a variant is not 4 digits;
* the variants file names another test specification than the one held for the stream (either
  may come first; the second must match);
* **a second, different file of the same kind for the same stream**: the sheets and booklets in
  the rooms' boxes were made from the first, so a different one means a mistake at НЦТ — ask НЦТ.
  The same content again (НЦТ sending the same allocation once more) is taken and changes nothing.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.draw import stream_of
from common import codebook
from common.db import workstation_info
from common.db.models import Room, RoomStream, Stream
from common.db.variant_models import RoomBooklets, RoomSheets, StreamSpecification, StreamVariants
from common.errors import Refused
from common.exchange import kinds
from common.exchange.importers import ImportContext, register_importer
from common.exchange.package import OpenedPackage
from common.exchange.store import keep_payload
from common.exchange.taking import TakenPackage, take_package
from common.i18n import _
from common.testspec import TestSpecification, load_spec

KIND: Final = kinds.VARIANTS.name
SPECIFICATION_KIND: Final = kinds.TEST_SPECIFICATION.name
PAYLOAD_FORMAT: Final = 1


def _digest(payload: Mapping[str, Any]) -> str:
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _sheet_text(number: int) -> str:
    return codebook.format_code(number, codebook.SHEET_NUMBER_DIGITS)


def _bad(what: str) -> Refused:
    return Refused(_("The variants file's section {section} is malformed.").format(section=what))


def _stream(session: Session, opened: OpenedPackage) -> Stream:
    """The stream the package is for, after the checks of site, format and stream."""
    payload = opened.payload
    if payload.get("format") != PAYLOAD_FORMAT:
        raise Refused(_("The package from НЦТ is in format {format}, which this program does not know.").format(
            format=payload.get("format")))
    identity = workstation_info.get_identity(session)
    own = None if identity is None else identity.site_code
    if payload.get("site") != own:
        raise Refused(_("The package is for site {inside}, but this workstation is at site {own}.").format(
            inside=payload.get("site"), own=own))
    number = payload.get("stream")
    if not isinstance(number, int) or isinstance(number, bool) or number != opened.manifest.stream:
        raise _bad("stream")
    stream = session.scalar(select(Stream).where(Stream.number == number))
    if stream is None:
        raise Refused(_("Stream {stream} is not a stream of the applicant database here: take over the database "
                        "first (handover import), or the file is for another stream.").format(stream=number))
    return stream


def import_specification(session: Session, opened: OpenedPackage, context: ImportContext) -> str:
    """Importer of ``test-specification`` packages: the stream's specification, kept whole."""
    stream = _stream(session, opened)
    document = opened.payload.get("specification")
    if not isinstance(document, Mapping):
        raise _bad("specification")
    spec = load_spec(document)
    digest = spec.sha256()
    held = session.scalar(select(StreamSpecification).where(StreamSpecification.stream_id == stream.id))
    if held is not None:
        if held.spec_sha256 == digest:
            keep_payload(session, opened)
            return _("Stream {stream} already has this test specification ('{spec}'): nothing changed.").format(
                stream=stream.number, spec=spec.code)
        raise Refused(_("Stream {stream} already has test specification '{held}' (SHA-256 {digest}…); a different "
                        "one is refused: the material was made for the first — ask НЦТ.").format(
            stream=stream.number, held=held.spec_code, digest=held.spec_sha256[:12]))
    variants = session.scalar(select(StreamVariants).where(StreamVariants.stream_id == stream.id))
    if variants is not None and variants.spec_sha256 != digest:
        raise Refused(_("The variants file of stream {stream} is for test specification '{spec}' (SHA-256 {digest}…), "
                        "not this one.").format(stream=stream.number, spec=variants.spec_code,
                                                digest=variants.spec_sha256[:12]))
    session.add(StreamSpecification(stream_id=stream.id, spec_code=spec.code, spec_sha256=digest,
                                    document=spec.to_dict(), package_id=opened.package_id))
    keep_payload(session, opened)
    session.flush()
    return _("Test specification '{spec}' of stream {stream} taken: {subjects} subject(s), {variants} "
             "variant(s).").format(spec=spec.code, stream=stream.number, subjects=len(spec.subjects),
                                   variants=len(spec.variants))


@dataclass(frozen=True)
class _Room:
    room: str
    sheets: tuple[int, int]
    spare: tuple[int, int] | None
    booklets: dict[str, int]


def _sheet_range(value: Any, section: str) -> tuple[int, int]:
    if not isinstance(value, Mapping):
        raise _bad(section)
    first, last = value.get("first"), value.get("last")
    if not (isinstance(first, str) and isinstance(last, str)
            and codebook.is_code(first, codebook.SHEET_NUMBER_DIGITS)
            and codebook.is_code(last, codebook.SHEET_NUMBER_DIGITS) and int(first) <= int(last)):
        raise Refused(_("The sheet numbers of {section} are not two numbers of {digits} digits, the first not above "
                        "the last.").format(section=section, digits=codebook.SHEET_NUMBER_DIGITS))
    return int(first), int(last)


def _rooms(payload: Mapping[str, Any]) -> list[_Room]:
    raw = payload.get("rooms")
    if not isinstance(raw, list) or not raw:
        raise _bad("rooms")
    rooms = []
    for number, item in enumerate(raw, start=1):
        section = f"rooms[{number}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("room"), str):
            raise _bad(section)
        room = item["room"]
        sheets = _sheet_range(item.get("sheets"), room)
        spare = None if item.get("spare_sheets") is None else _sheet_range(item["spare_sheets"], room)
        booklets = item.get("variants")
        if not isinstance(booklets, Mapping):
            raise _bad(section)
        for variant, count in booklets.items():
            if not codebook.is_code(str(variant), codebook.VARIANT_DIGITS) or not isinstance(count, int) \
                    or isinstance(count, bool) or count < 0:
                raise Refused(_("Room {room} of the variants file: variant {variant} is not {digits} digits with a "
                                "count of booklets.").format(room=room, variant=variant,
                                                             digits=codebook.VARIANT_DIGITS))
        rooms.append(_Room(room, sheets, spare, dict(booklets)))
    ranges = sorted(block for room in rooms for block in (room.sheets, room.spare) if block is not None)
    for (_first, last), (following, _end) in itertools.pairwise(ranges):
        if following <= last:
            raise Refused(_("The variants file gives sheet number {number} to two rooms.").format(
                number=_sheet_text(following)))
    return rooms


def import_variants(session: Session, opened: OpenedPackage, context: ImportContext) -> str:
    """Importer of ``variants`` packages: each room's sheet numbers and booklets per variant."""
    stream = _stream(session, opened)
    payload = opened.payload
    day = payload.get("date")
    if day is not None and stream.exam_date is not None and str(day) != stream.exam_date.isoformat():
        raise Refused(_("The variants file is for stream {stream} on {day}, but stream {stream} here is on "
                        "{own}.").format(stream=stream.number, day=day, own=stream.exam_date.isoformat()))
    specification = payload.get("specification")
    if not isinstance(specification, Mapping) or not isinstance(specification.get("code"), str) \
            or not isinstance(specification.get("sha256"), str):
        raise _bad("specification")
    digest = _digest(payload)
    held = session.scalar(select(StreamVariants).where(StreamVariants.stream_id == stream.id))
    if held is not None:
        if held.payload_sha256 == digest:
            keep_payload(session, opened)
            return _("Stream {stream} already has this variants file: nothing changed.").format(stream=stream.number)
        raise Refused(_("Stream {stream} already has a different variants file (taken {taken}); a second one is "
                        "refused: the sheets and booklets in the rooms' boxes were made from the first — ask "
                        "НЦТ.").format(stream=stream.number, taken=f"{held.received_at:%Y-%m-%d %H:%M}"))
    spec = session.scalar(select(StreamSpecification).where(StreamSpecification.stream_id == stream.id))
    if spec is not None and spec.spec_sha256 != specification["sha256"]:
        raise Refused(_("The variants file is for test specification '{spec}', not the one stream {stream} has "
                        "('{held}').").format(spec=specification["code"], stream=stream.number, held=spec.spec_code))
    rooms = _rooms(payload)
    uses = {number: use for use, number in session.execute(
        select(RoomStream, Room.number).join(Room, RoomStream.room_id == Room.id)
        .where(RoomStream.stream_id == stream.id, RoomStream.opened.is_(True)))}
    given = [room.room for room in rooms]
    if sorted(given) != sorted(uses) or len(set(given)) != len(given):
        raise Refused(_("The variants file lists rooms {given} for stream {stream}, but the rooms opened here are "
                        "{own}.").format(given=", ".join(given), stream=stream.number,
                                         own=", ".join(sorted(uses)) or "—"))
    for room in rooms:
        use = uses[room.room]
        session.add(RoomSheets(room_stream_id=use.id, spare=False, first=room.sheets[0], last=room.sheets[1]))
        if room.spare is not None:
            session.add(RoomSheets(room_stream_id=use.id, spare=True, first=room.spare[0], last=room.spare[1]))
        for variant, count in room.booklets.items():
            session.add(RoomBooklets(room_stream_id=use.id, variant=variant, booklets=count))
    session.add(StreamVariants(stream_id=stream.id, spec_code=specification["code"],
                               spec_sha256=specification["sha256"], payload_sha256=digest,
                               package_id=opened.package_id))
    keep_payload(session, opened)
    session.flush()
    sheets = sum(room.sheets[1] - room.sheets[0] + 1 for room in rooms)
    return _("Variants file of stream {stream} taken: {rooms} room(s), {sheets} answer sheet(s), {booklets} "
             "booklet(s).").format(stream=stream.number, rooms=len(rooms), sheets=sheets,
                                   booklets=sum(sum(room.booklets.values()) for room in rooms))


register_importer(SPECIFICATION_KIND, import_specification, role="programmer")
register_importer(KIND, import_variants, role="programmer")


# --- reading them back ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RoomVariants:
    room: str
    language: str
    seats: int
    sheets: tuple[str, str]
    spare_sheets: tuple[str, str] | None
    booklets: dict[str, int]


@dataclass(frozen=True)
class VariantsView:
    stream: int
    date: str | None
    specification: str | None
    """The code of the test specification held for the stream (``None``: not received)."""
    variants_file: bool
    rooms: tuple[RoomVariants, ...] = field(default=())


def stream_variants(session: Session, stream_number: int) -> VariantsView:
    """What this workstation holds from НЦТ for ``stream_number`` (``Refused`` for a stream it does not know)."""
    stream = stream_of(session, stream_number)
    spec = session.scalar(select(StreamSpecification).where(StreamSpecification.stream_id == stream.id))
    held = session.scalar(select(StreamVariants).where(StreamVariants.stream_id == stream.id))
    rooms = []
    if held is not None:
        uses = session.execute(select(RoomStream, Room.number).join(Room, RoomStream.room_id == Room.id)
                               .where(RoomStream.stream_id == stream.id).order_by(Room.number)).all()
        for use, number in uses:
            blocks = {row.spare: (_sheet_text(row.first), _sheet_text(row.last)) for row in
                      session.scalars(select(RoomSheets).where(RoomSheets.room_stream_id == use.id))}
            if False not in blocks:
                continue
            booklets = {row.variant: row.booklets for row in session.scalars(
                select(RoomBooklets).where(RoomBooklets.room_stream_id == use.id).order_by(RoomBooklets.variant))}
            rooms.append(RoomVariants(number, use.language_status.value, use.seats or 0, blocks[False],
                                      blocks.get(True), booklets))
    return VariantsView(stream.number, None if stream.exam_date is None else stream.exam_date.isoformat(),
                        None if spec is None else spec.spec_code, held is not None, tuple(rooms))


def stream_specification(session: Session, stream_number: int) -> TestSpecification | None:
    """The test specification НЦТ sent for ``stream_number``, or ``None`` before it arrives."""
    row = session.scalar(select(StreamSpecification).join(Stream, StreamSpecification.stream_id == Stream.id)
                         .where(Stream.number == stream_number))
    return None if row is None else load_spec(row.document)


def room_booklets(session: Session, stream_number: int, room_number: str) -> dict[str, int]:
    """The booklets per variant НЦТ gave room ``room_number`` in the stream (empty before the variants file)."""
    rows = session.execute(
        select(RoomBooklets.variant, RoomBooklets.booklets)
        .join(RoomStream, RoomBooklets.room_stream_id == RoomStream.id)
        .join(Stream, RoomStream.stream_id == Stream.id).join(Room, RoomStream.room_id == Room.id)
        .where(Stream.number == stream_number, Room.number == room_number).order_by(RoomBooklets.variant))
    return {variant: count for variant, count in rows}


def take_from_nct(session: Session, data: bytes, password: str, name: str, context: ImportContext
                  ) -> TakenPackage:
    """Open, check and import a ``variants`` or ``test-specification`` package in ``session``'s transaction
    (not taken when the same package was taken before)."""

    importers = {KIND: import_variants, SPECIFICATION_KIND: import_specification}
    return take_package(session, data, password, name, context, importers)
