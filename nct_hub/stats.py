"""``ent-nct stats``: national figures by region, site, stream and language (п. 26–29).

From what the sites sent: rooms and seats per stream and language status (reserve rooms apart), the
schools distributed to each stream with their expected applicants, and the applicants of the
applicant files (annulled ones left out) — or, for a site that sent no applicant file yet, of its newest
daily statistics. A registered site that sent nothing yet shows with zeros.
An applicant's stream is the one the file gives, or else the stream of their school when the site
distributed it to exactly one.

Figures come as flat rows (:class:`StatsRow`), one per level — ``language`` within a stream,
``stream``, ``site``, ``region``, ``national`` — so the same data prints as text or CSV.
At site level and above ``rooms`` counts the rooms of the room fund once, while ``seats`` adds up
the places of every stream (the site's testing capacity).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from common import codebook
from common.i18n import _, current_language
from nct_hub.db.directory_models import DirectoryVersion, RegionRow
from nct_hub.db.import_models import (
    Applicant,
    SiteRecord,
    SiteRoom,
    SiteRoomStream,
    SiteSchool,
    SiteStream,
)
from nct_hub.db.site_models import Site

LEVELS = ("language", "stream", "site", "region", "national")


@dataclass(frozen=True)
class StatsRow:
    level: str
    region_code: str
    region_name: str
    site_code: str
    site_name: str
    stream: int | None
    stream_date: date | None
    language: str
    sites: int = 0
    rooms: int = 0
    reserve_rooms: int = 0
    seats: int = 0
    reserve_seats: int = 0
    schools: int = 0
    expected_applicants: int = 0
    applicants: int = 0


@dataclass
class _Cell:
    sites: int = 0
    rooms: int = 0
    reserve_rooms: int = 0
    seats: int = 0
    reserve_seats: int = 0
    schools: int = 0
    expected_applicants: int = 0
    applicants: int = 0

    def add(self, other: _Cell) -> None:
        for item in fields(self):
            setattr(self, item.name, getattr(self, item.name) + getattr(other, item.name))


def national_stats(session: Session) -> list[StatsRow]:
    """Every figure, ordered region → site → stream → language, each group followed by its total."""
    sites, region_names = _sites(session)
    by_language: dict[tuple[str, int | None, str], _Cell] = defaultdict(_Cell)
    by_stream: dict[tuple[str, int | None], _Cell] = defaultdict(_Cell)
    by_site: dict[str, _Cell] = defaultdict(_Cell)
    _add_rooms(session, by_language)
    school_streams = _add_schools(session, by_stream, by_site)
    _add_applicants(session, by_language, school_streams)
    _add_daily_counts(session, by_language)
    for (site, stream, _language), cell in by_language.items():
        by_stream[(site, stream)].add(replace(cell, schools=0, expected_applicants=0))
    for code, rooms in session.execute(select(SiteRoom.site_code, func.count()).group_by(SiteRoom.site_code)):
        by_site[code].rooms = rooms
    dates = {(site, stream): when for site, stream, when in session.execute(
        select(SiteStream.site_code, SiteStream.stream, SiteStream.date))}
    site_codes = sorted({key[0] for key in by_stream} | set(by_site) | set(sites))  # silent sites too
    regions: dict[str, list[str]] = defaultdict(list)
    for code in site_codes:
        regions[sites.get(code, ("", ""))[1]].append(code)
    rows: list[StatsRow] = []
    national = _Cell()
    for region in sorted(regions):
        region_total = _Cell()
        region_name = region_names.get(region, "")
        for site in regions[region]:
            site_name = sites.get(site, ("", ""))[0]
            site_total = _Cell(sites=1, rooms=by_site[site].rooms, schools=by_site[site].schools)
            for stream in sorted({key[1] for key in by_stream if key[0] == site}, key=_stream_order):
                when = dates.get((site, stream)) if stream is not None else None
                base = StatsRow("language", region, region_name, site, site_name, stream, when, "")
                for language in sorted(key[2] for key in by_language if key[:2] == (site, stream)):
                    rows.append(_row(base, by_language[(site, stream, language)], language=language))
                cell = by_stream[(site, stream)]
                rows.append(_row(base, cell, level="stream"))
                site_total.add(replace(cell, rooms=0, reserve_rooms=0, schools=0))
            site_row = StatsRow("site", region, region_name, site, site_name, None, None, "")
            rows.append(_row(site_row, site_total))
            region_total.add(site_total)
        rows.append(_row(StatsRow("region", region, region_name, "", "", None, None, ""), region_total))
        national.add(region_total)
    rows.append(_row(StatsRow("national", "", "", "", "", None, None, ""), national))
    return rows


def _add_rooms(session: Session, by_language: dict[tuple[str, int | None, str], _Cell]) -> None:
    room = SiteRoomStream
    keys = (room.site_code, room.stream, room.language, room.reserve)
    query = select(*keys, func.count(), func.sum(room.seats)).group_by(*keys)
    for site, stream, language, reserve, rooms, seats in session.execute(query):
        cell = by_language[(site, stream, language)]
        if reserve:
            cell.reserve_rooms += rooms
            cell.reserve_seats += int(seats or 0)
        else:
            cell.rooms += rooms
            cell.seats += int(seats or 0)


SchoolKey = tuple[str, str, str, str]


def _add_schools(
    session: Session, by_stream: dict[tuple[str, int | None], _Cell], by_site: dict[str, _Cell]
) -> dict[SchoolKey, list[int]]:
    """Schools per site and stream; returns each directory-coded school's streams."""
    school_streams: dict[SchoolKey, list[int]] = {}
    for site, streams, expected, region, district, school in session.execute(select(
        SiteSchool.site_code, SiteSchool.streams, SiteSchool.expected_applicants,
        SiteSchool.region_code, SiteSchool.district_code, SiteSchool.school_code,
    )):
        streams = list(streams or [])
        by_site[site].schools += 1
        for stream in streams:
            cell = by_stream[(site, stream)]
            cell.schools += 1
            cell.expected_applicants += expected // len(streams)
        if school:
            school_streams[(site, region, district, school)] = streams
    return school_streams


def _add_applicants(
    session: Session, by_language: dict[tuple[str, int | None, str], _Cell],
    school_streams: dict[SchoolKey, list[int]],
) -> None:
    person = Applicant
    keys = (person.site_code, person.stream, person.region_code, person.district_code, person.school_code,
            person.test_language, person.history_language)
    query = select(*keys, func.count()).where(person.status != "annulled").group_by(*keys)
    for site, stream, region, district, school, language, history, count in session.execute(query):
        if stream is None:
            candidates = school_streams.get((site, region, district, school), [])
            stream = candidates[0] if len(candidates) == 1 else None
        status = f"en-{history}" if language == "en" else language
        by_language[(site, stream, status)].applicants += count


def _add_daily_counts(session: Session, by_language: dict[tuple[str, int | None, str], _Cell]) -> None:
    """Sites that sent no applicant file yet: their applicants from the newest daily statistics (п. 12)."""
    from nct_hub.daily_statistics import daily_applicants

    with_files = set(session.scalars(select(Applicant.site_code).distinct()))
    for site, stream, language, count in daily_applicants(session):
        if site not in with_files:
            by_language[(site, stream, language)].applicants += count


def _stream_order(stream: int | None) -> int:
    return stream if stream is not None else 10**codebook.STREAM_DIGITS


def _row(base: StatsRow, cell: _Cell, **changes: Any) -> StatsRow:
    return replace(base, **{**asdict(cell), **changes})


def _sites(session: Session) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """Site code → (name, region code), НЦТ's site register first; region code → name."""
    kazakh = current_language() == "kk"
    latest = session.scalar(select(func.max(DirectoryVersion.version)))
    region_names: dict[str, str] = {}
    if latest is not None:
        for code, name_kk, name_ru in session.execute(
            select(RegionRow.code, RegionRow.name_kk, RegionRow.name_ru).where(RegionRow.version == latest)
        ):
            region_names[code] = name_kk if kazakh else name_ru
    sites = {code: (name, region) for code, name, region in session.execute(
        select(SiteRecord.site_code, SiteRecord.name, SiteRecord.region_code))}
    for code, name, region in _registered_sites(session, kazakh):
        reported = sites.get(code, ("", ""))
        sites[code] = (name or reported[0], region or reported[1])
    return sites, region_names


def _registered_sites(session: Session, kazakh: bool) -> list[tuple[str, str, str]]:
    """The sites of ``ent-nct site create``: code, name in the operator's language, region code."""
    name = Site.name_kk if kazakh else Site.name_ru
    found = session.execute(select(Site.code, name, Site.region_code))
    return [(str(code), str(title or ""), str(region or "")) for code, title, region in found]


# --- Output ------------------------------------------------------------------------------------
CSV_COLUMNS = tuple(item.name for item in fields(StatsRow))


def stats_csv(rows: Sequence[StatsRow]) -> str:
    """CSV (UTF-8, comma, header of column ids) of every row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        values = asdict(row)
        writer.writerow(["" if values[column] is None else values[column] for column in CSV_COLUMNS])
    return buffer.getvalue()


def stats_text(rows: Sequence[StatsRow]) -> str:
    """An indented report for people, in the operator's language: each total above its details."""
    children: dict[tuple[str, ...], list[StatsRow]] = defaultdict(list)
    for row in rows:
        children[_parent_key(row)].append(row)
    national = [row for row in rows if row.level == "national"]
    lines = [_("Republic of Kazakhstan: {figures}").format(figures=_figures(row)) for row in national]
    if not children[("region",)]:
        lines.append(_("Nothing imported from the sites yet."))
    for region in children[("region",)]:
        name = f"{region.region_code} {region.region_name}".strip() or _("region not given")
        lines += ["", _("Region {region}: {figures}").format(region=name, figures=_figures(region))]
        for site in children[("site", region.region_code)]:
            title = f"{site.site_code} {site.site_name}".strip()
            lines.append("  " + _("Site {site}: {figures}").format(site=title, figures=_figures(site)))
            for stream in children[("stream", site.site_code)]:
                label = (_("stream {number}").format(number=stream.stream) if stream.stream is not None
                         else _("applicants not yet in a stream"))
                when = f" ({stream.stream_date.isoformat()})" if stream.stream_date else ""
                lines.append(f"    {label}{when}: {_figures(stream)}")
                for language in children[("language", site.site_code, str(stream.stream))]:
                    lines.append(f"      {_language_name(language.language)}: {_figures(language)}")
    return "\n".join(lines)


def _parent_key(row: StatsRow) -> tuple[str, ...]:
    if row.level == "language":
        return ("language", row.site_code, str(row.stream))
    if row.level == "stream":
        return ("stream", row.site_code)
    if row.level == "site":
        return ("site", row.region_code)
    return (row.level,)


def _figures(row: StatsRow) -> str:
    parts = []
    if row.level in ("national", "region"):
        parts.append(_("sites {count}").format(count=row.sites))
    if row.rooms or row.reserve_rooms:
        rooms = _("rooms {count}").format(count=row.rooms)
        if row.reserve_rooms:
            rooms += " " + _("(+{count} reserve)").format(count=row.reserve_rooms)
        parts.append(rooms)
    if row.seats or row.reserve_seats:
        if row.level in ("national", "region", "site"):  # a room serves every stream: its seats count per stream
            parts.append(_("seats over all streams {count}").format(count=row.seats))
        else:
            parts.append(_("seats {count}").format(count=row.seats))
    if row.level != "language":
        parts.append(_("schools {count}").format(count=row.schools))
    if row.expected_applicants:
        parts.append(_("expected {count}").format(count=row.expected_applicants))
    parts.append(_("applicants {count}").format(count=row.applicants))
    return ", ".join(parts)


def _language_name(status: str) -> str:
    if status in codebook.ROOM_LANGUAGE_STATUSES:
        return codebook.room_language_status_name(status)
    return status
