"""The "site-plan" package: НЦТ → АРМ «Заявления ЕНТ» (п. 89.1; SPEC.md, registration journal).

Made from the site database НЦТ imported from АРМ «База ППЕНТ» (``site-database``, п. 79.3): the
site, its streams with the seats per language, its schools with their stream and expected
applicants — plus the site's ИКТ blocks. НЦТ allocates the blocks here: they never overlap and are
never taken back, so an ИКТ is unique in the country; a site whose plan outgrows its blocks gets
another one. The payload is documented in ``docs/packages.md``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common import codebook
from common.errors import Refused
from common.i18n import _
from nct_hub.db.import_models import ReceivedPackage, SiteRecord, SiteRoomStream, SiteSchool, SiteStream
from nct_hub.db.site_models import IktBlock, Site

KIND: Final = "site-plan"
PAYLOAD_FORMAT: Final = 1
_IKT_LIMIT: Final = 10**codebook.IKT_DIGITS - 1


@dataclass(frozen=True)
class Block:
    first: int
    last: int

    @property
    def size(self) -> int:
        return self.last - self.first + 1


def ikt_text(value: int) -> str:
    return f"{value:0{codebook.IKT_DIGITS}d}"


def site_blocks(session: Session, site_code: str) -> list[Block]:
    rows = session.scalars(select(IktBlock).where(IktBlock.site_code == site_code).order_by(IktBlock.first))
    return [Block(row.first, row.last) for row in rows]


def allocate_blocks(session: Session, site_code: str, expected: int, actor: str) -> list[Block]:
    """The site's blocks, with new ones added until they hold ``IKT_BLOCK_COVER`` ИКТ per expected applicant."""
    blocks = site_blocks(session, site_code)
    wanted = max(codebook.IKT_BLOCK_SIZE, codebook.IKT_BLOCK_COVER * expected)
    while sum(block.size for block in blocks) < wanted:
        highest = session.scalar(select(func.max(IktBlock.last)))
        first = codebook.IKT_FIRST if highest is None else highest + 1
        last = first + codebook.IKT_BLOCK_SIZE - 1
        if last > _IKT_LIMIT:
            raise Refused(_("НЦТ has no ИКТ left to allocate: every {digits}-digit ИКТ is in a block.").format(
                digits=codebook.IKT_DIGITS))
        session.add(IktBlock(site_code=site_code, first=first, last=last, allocated_by=actor))
        session.flush()
        blocks.append(Block(first, last))
    return blocks


def site_plan_payload(session: Session, site_code: str, actor: str) -> dict[str, Any]:
    """The plan of ``site_code`` (allocating its ИКТ blocks in this transaction if it needs them)."""
    site = session.get(Site, site_code)
    if site is None:
        raise Refused(_("Site {code} is not registered.").format(code=site_code))
    record = session.get(SiteRecord, site_code)
    if record is None:
        raise Refused(_("НЦТ has no site database of site {code} yet: import the package from АРМ «База ППЕНТ» "
                        "first.").format(code=site_code))
    received = session.get(ReceivedPackage, record.received_id)
    streams = session.scalars(select(SiteStream).where(SiteStream.site_code == site_code)
                              .order_by(SiteStream.stream)).all()
    seats: dict[int, dict[str, int]] = defaultdict(dict)
    for use in session.scalars(select(SiteRoomStream).where(SiteRoomStream.site_code == site_code,
                                                            SiteRoomStream.reserve.is_(False))):
        seats[use.stream][use.language] = seats[use.stream].get(use.language, 0) + use.seats
    schools = session.scalars(select(SiteSchool).where(SiteSchool.site_code == site_code)
                              .order_by(SiteSchool.region_code, SiteSchool.district_code,
                                        SiteSchool.school_code)).all()
    if not schools:
        raise Refused(_("The site database of site {code} has no schools: nothing to plan.").format(code=site_code))
    expected = sum(school.expected_applicants for school in schools)
    blocks = allocate_blocks(session, site_code, expected, actor)
    return {
        "format": PAYLOAD_FORMAT,
        "site": {"code": site.code, "name_kk": site.name_kk, "name_ru": site.name_ru,
                 "region_code": site.region_code or record.region_code, "address": record.address},
        "site_database": None if received is None else received.sequence,
        "streams": [{"stream": stream.stream, "date": None if stream.date is None else stream.date.isoformat(),
                     "seats_by_language": dict(sorted(seats.get(stream.stream, {}).items()))}
                    for stream in streams],
        "schools": [{
            "bin": school.bin,
            "name_ru": school.name,
            "name_kk": str(school.details.get("name_kk") or school.name),
            "region_code": school.region_code,
            "district_code": school.district_code,
            "school_code": school.school_code,
            "language": school.language or None,
            "settlement": school.settlement or None,
            "stream": school.streams[0] if school.streams else None,
            "expected_applicants": school.expected_applicants,
            "expected_by_language": dict(school.expected_by_language),
        } for school in schools],
        "ikt_blocks": [{"first": ikt_text(block.first), "last": ikt_text(block.last)} for block in blocks],
    }
