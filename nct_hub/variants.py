"""The ``test-specification`` and ``variants`` packages: НЦТ → АРМ «Программиста Министерства» (п. 53.1).

For a site and stream НЦТ sends the test specification the stream is tested with and the variants
file: for each room opened for the stream, the numbers of the answer sheets in its box (п. 157.1:
a sheet is identified only in the room it was given to) and how many booklets of each variant it
got (п. 171: a variant found more often than given is identified by прил. 37).

**The allocation** (``nct_hub/db/exam_models.py``), made once per site and stream and kept:

* Rooms: those НЦТ opened for the stream (the rule of ``room-opening``, :mod:`nct_hub.room_opening`,
  from the site database and the site's final applicant file), by number.
* Sheets: each room gets one sheet per seat of the room in the stream, numbered in one block; the
  stream's spare sheets (``codebook.SPARE_SHEETS_SHARE`` of its sheets, at least
  ``SPARE_SHEETS_MIN``) go in the box of its first room — room 01, or the next one if 01 is not used
  (п. 142). Blocks are taken from ``codebook.SHEET_FIRST`` upwards in the order НЦТ allocates, never
  overlap and are never taken back: no sheet number repeats in the country for the exam.
* Booklets: one per seat, dealt over the specification's variants in turn, continuing from room to
  room, so each room's counts differ by one at most and the stream's too.

Sending again for the same site and stream sends the same allocation (a new sequence number): the
material in the boxes was made from it. A different test specification for an allocated stream is
refused, and so is an allocation whose rooms НЦТ no longer opens. The payloads: ``docs/packages.md``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common import codebook
from common.errors import Refused
from common.exchange import kinds
from common.i18n import _
from common.testspec import TestSpecification, load_spec
from nct_hub.db.exam_models import RoomBooklets, SheetBlock, StreamAllocation
from nct_hub.db.import_models import SiteStream
from nct_hub.db.site_models import Site

KIND: Final = kinds.VARIANTS.name
SPECIFICATION_KIND: Final = kinds.TEST_SPECIFICATION.name
PAYLOAD_FORMAT: Final = 1


@dataclass(frozen=True)
class RoomAllocation:
    room: str
    language: str
    reserve: bool
    seats: int
    sheets: tuple[int, int]
    spare_sheets: tuple[int, int] | None
    booklets: dict[str, int]


@dataclass(frozen=True)
class Allocation:
    site: str
    stream: int
    date: str | None
    specification: TestSpecification
    rooms: tuple[RoomAllocation, ...]
    created: bool
    """True when this call allocated it (False: the allocation made earlier, sent again)."""


def sheet_text(number: int) -> str:
    return codebook.format_code(number, codebook.SHEET_NUMBER_DIGITS)


def _opened_rooms(session: Session, site_code: str, stream: int) -> list[dict[str, Any]]:
    from nct_hub.room_opening import room_opening_payload

    payload, _short = room_opening_payload(session, site_code)
    return sorted((use for use in payload["room_streams"] if use["stream"] == stream and use["opened"]),
                  key=lambda use: use["room_number"])


def spare_sheets(sheets: int) -> int:
    """The spare sheets of a stream whose rooms have ``sheets`` sheets (п. 142)."""
    return max(codebook.SPARE_SHEETS_MIN, math.ceil(sheets * codebook.SPARE_SHEETS_SHARE))


def allocate(session: Session, site_code: str, stream: int, spec: TestSpecification | None, actor: str) -> Allocation:
    """The allocation of ``site_code``'s ``stream``, made now (needs ``spec``) or the one made before."""
    if session.get(Site, site_code) is None:
        raise Refused(_("Site {code} is not registered.").format(code=site_code))
    known = session.scalar(select(SiteStream).where(SiteStream.site_code == site_code, SiteStream.stream == stream))
    if known is None:
        raise Refused(_("Site {site} has no stream {stream} in the site database НЦТ holds.").format(
            site=site_code, stream=stream))
    date = None if known.date is None else known.date.isoformat()
    uses = _opened_rooms(session, site_code, stream)
    if not uses:
        raise Refused(_("No room of stream {stream} of site {site} is opened: nothing to allocate.").format(
            stream=stream, site=site_code))
    existing = session.get(StreamAllocation, (site_code, stream))
    if existing is not None:
        return _earlier(session, existing, spec, uses, date)
    if spec is None:
        raise Refused(_("Stream {stream} of site {site} has no allocation yet: name its test specification "
                        "(--spec).").format(stream=stream, site=site_code))
    for use in uses:
        test_language = use["language"].split("-")[0]
        if test_language not in spec.languages:
            raise Refused(_("Room {room} of stream {stream} tests in {language}, which test specification '{spec}' "
                            "does not have.").format(room=use["room_number"], stream=stream,
                                                     language=test_language, spec=spec.code))
    highest = session.scalar(select(func.max(SheetBlock.last)))
    next_number = codebook.SHEET_FIRST if highest is None else highest + 1
    total = sum(use["seats"] for use in uses)
    spare = spare_sheets(total)
    if next_number + total + spare - 1 > codebook.SHEET_LAST:
        raise Refused(_("НЦТ has no answer-sheet numbers left: {count} are needed, up to {last} may be given.").format(
            count=total + spare, last=sheet_text(codebook.SHEET_LAST)))
    session.add(StreamAllocation(site_code=site_code, stream=stream, spec_code=spec.code, spec_sha256=spec.sha256(),
                                 specification=spec.to_dict(), allocated_by=actor))
    dealt = 0
    for use in uses:
        first, next_number = next_number, next_number + use["seats"]
        session.add(SheetBlock(site_code=site_code, stream=stream, room_number=use["room_number"], spare=False,
                               first=first, last=next_number - 1))
        for variant, count in _deal(spec.variants, dealt, use["seats"]).items():
            session.add(RoomBooklets(site_code=site_code, stream=stream, room_number=use["room_number"],
                                     variant=variant, booklets=count))
        dealt += use["seats"]
    session.add(SheetBlock(site_code=site_code, stream=stream, room_number=uses[0]["room_number"], spare=True,
                           first=next_number, last=next_number + spare - 1))
    session.flush()
    return Allocation(site_code, stream, date, spec, _rooms(session, site_code, stream, uses), True)


def _deal(variants: tuple[str, ...], start: int, count: int) -> dict[str, int]:
    booklets = dict.fromkeys(variants, 0)
    for number in range(start, start + count):
        booklets[variants[number % len(variants)]] += 1
    return {variant: booklets[variant] for variant in variants if booklets[variant]}


def _earlier(session: Session, existing: StreamAllocation, spec: TestSpecification | None,
             uses: list[dict[str, Any]], date: str | None) -> Allocation:
    site_code, stream = existing.site_code, existing.stream
    if spec is not None and spec.sha256() != existing.spec_sha256:
        raise Refused(_("Stream {stream} of site {site} was allocated with test specification '{spec}' "
                        "(SHA-256 {digest}…): its material is made; a different specification is refused.").format(
            stream=stream, site=site_code, spec=existing.spec_code, digest=existing.spec_sha256[:12]))
    allocated = {(row.room_number, row.spare): row for row in session.scalars(select(SheetBlock).where(
        SheetBlock.site_code == site_code, SheetBlock.stream == stream))}
    rooms = sorted(room for room, spare in allocated if not spare)
    opened = [use["room_number"] for use in uses]
    if rooms != opened:
        raise Refused(_("The rooms opened for stream {stream} of site {site} are now {opened}, but its material was "
                        "allocated for {rooms}.").format(stream=stream, site=site_code, opened=", ".join(opened),
                                                         rooms=", ".join(rooms)))
    return Allocation(site_code, stream, date, load_spec(existing.specification),
                      _rooms(session, site_code, stream, uses), False)


def _rooms(session: Session, site_code: str, stream: int, uses: list[dict[str, Any]]) -> tuple[RoomAllocation, ...]:
    blocks = {(row.room_number, row.spare): (row.first, row.last) for row in session.scalars(
        select(SheetBlock).where(SheetBlock.site_code == site_code, SheetBlock.stream == stream))}
    booklets: dict[str, dict[str, int]] = {}
    for row in session.scalars(select(RoomBooklets).where(RoomBooklets.site_code == site_code,
                                                          RoomBooklets.stream == stream).order_by(RoomBooklets.id)):
        booklets.setdefault(row.room_number, {})[row.variant] = row.booklets
    rooms = []
    for use in uses:
        first, last = blocks[(use["room_number"], False)]
        rooms.append(RoomAllocation(use["room_number"], use["language"], bool(use["reserve"]), last - first + 1,
                                    (first, last), blocks.get((use["room_number"], True)),
                                    booklets.get(use["room_number"], {})))
    return tuple(rooms)


def variants_payload(allocation: Allocation) -> dict[str, Any]:
    """The ``variants`` payload of an allocation (the same for the same allocation)."""
    spec = allocation.specification
    return {
        "format": PAYLOAD_FORMAT,
        "site": allocation.site,
        "stream": allocation.stream,
        "date": allocation.date,
        "specification": {"code": spec.code, "sha256": spec.sha256()},
        "rooms": [{
            "room": room.room, "language": room.language, "reserve": room.reserve, "seats": room.seats,
            "sheets": {"first": sheet_text(room.sheets[0]), "last": sheet_text(room.sheets[1])},
            "spare_sheets": None if room.spare_sheets is None else {
                "first": sheet_text(room.spare_sheets[0]), "last": sheet_text(room.spare_sheets[1])},
            "variants": dict(room.booklets),
        } for room in allocation.rooms],
    }


def specification_payload(allocation: Allocation) -> dict[str, Any]:
    """The ``test-specification`` payload: the specification whole, for the site and stream."""
    return {"format": PAYLOAD_FORMAT, "site": allocation.site, "stream": allocation.stream,
            "specification": allocation.specification.to_dict()}


def read_spec_option(value: str) -> TestSpecification:
    """``--spec``: a test specification file (JSON), or the name of one shipped with the suite."""
    from pathlib import Path

    from common.testspec import SHIPPED_SPECS, shipped_spec

    if value in SHIPPED_SPECS and not Path(value).exists():
        return shipped_spec(value)
    return load_spec(Path(value))
