"""Everything the site database holds, read once: what the prints and the package to НЦТ are made of."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from arm_base_ppent.distribution import Distribution, compute_distribution
from arm_base_ppent.rooms import RoomRow, list_rooms
from arm_base_ppent.schools import SchoolRecord, list_schools
from arm_base_ppent.site import SiteInfo, site_info
from arm_base_ppent.streams import StreamRow, list_streams


@dataclass(frozen=True)
class SiteSnapshot:
    site: SiteInfo
    streams: tuple[StreamRow, ...]
    rooms: tuple[RoomRow, ...]
    schools: tuple[SchoolRecord, ...]
    distribution: Distribution

    def rooms_in(self, stream: int) -> list[tuple[RoomRow, bool, str]]:
        """The rooms used in ``stream``: (room, reserve, language status), regular rooms first."""
        used = []
        for room in self.rooms:
            use = room.use_in(stream)
            if use is not None:
                used.append((room, use.reserve, use.language))
        return sorted(used, key=lambda item: (item[1], item[0].number))


def load_snapshot(session: Session) -> SiteSnapshot:
    streams, rooms, schools = list_streams(session), list_rooms(session), list_schools(session)
    return SiteSnapshot(
        site=site_info(session),
        streams=tuple(streams),
        rooms=tuple(rooms),
        schools=tuple(schools),
        distribution=compute_distribution(streams, rooms, schools),
    )
