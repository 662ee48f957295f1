"""How fast the distribution places the applicants (issue 13: 100 000 applicants over 1 000 rooms < 1 s).

    .venv/bin/python benchmarks/distribution.py [--applicants 100000] [--rooms 1000] [--markdown]

Times :func:`arm_applications.distribution.distribute_applicants`, the pure rule the ``distribute``
command applies: 1 000 rooms in 5 streams with the four language statuses, 100–125 seats each (a
real room holds fewer; the target puts 100 applicants in a room), about one room in ten a reserve
room; the applicants spread over the streams and languages in proportion to the seats so that they
fit (about 90 % of the seats). The best of three runs is reported, and the
result is checked: every applicant placed, no room over its seats.

``--database`` also times :func:`arm_applications.distribution.distribute` on a workstation
database (SQLite, at head) holding the same applicants and rooms: read the applications and the
opened rooms, place them, write every application's room and place, commit.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arm_applications.distribution import Candidate, OpenedRoom, distribute_applicants  # noqa: E402
from common.db.models import LanguageStatus  # noqa: E402


def database_seconds(candidates: list[Candidate], rooms: list[OpenedRoom]) -> float:
    """The whole ``distribute`` on SQLite: the rows written in bulk first, then timed."""
    from datetime import UTC, date, datetime

    from sqlalchemy import insert

    from arm_applications.distribution import distribute
    from common.db.engine import open_engine, transaction
    from common.db.migrate import upgrade
    from common.db.models import (
        Applicant,
        ApplicantDatabaseState,
        Application,
        IktRow,
        Room,
        RoomStream,
        School,
        Site,
        Stream,
    )

    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(Path(folder) / "workstation.sqlite")
        upgrade(engine)
        with transaction(engine) as session:
            connection = session.connection()
            streams = sorted({room.stream_number for room in rooms})  # 5 here; the site's in large_site.py
            connection.execute(insert(Site), [{"id": 1, "code": "017", "name_kk": "", "name_ru": "",
                                               "region_code": "11"}])
            connection.execute(insert(Stream), [{"id": number, "site_id": 1, "number": number,
                                                 "exam_date": date(2027, 6, 19 + number)} for number in streams])
            numbers = sorted({room.room_number for room in rooms})
            room_ids = {number: index for index, number in enumerate(numbers, start=1)}
            connection.execute(insert(Room), [{"id": index, "site_id": 1, "number": number, "desks": 60,
                                               "seats": 125, "ventilation": "natural"}
                                              for number, index in room_ids.items()])
            connection.execute(insert(RoomStream), [
                {"room_id": room_ids[room.room_number], "stream_id": room.stream_number,
                 "language_status": room.language_status, "is_reserve": room.is_reserve, "seats": room.seats,
                 "opened": True} for room in rooms])
            connection.execute(insert(School), [{"id": number, "site_id": 1, "code": f"{number:04d}", "name_kk": "",
                                                 "name_ru": "", "region_code": "11", "district_code": "001",
                                                 "stream_id": number} for number in streams])
            connection.execute(insert(IktRow), [{"id": item.application_id, "ikt": item.ikt,
                                                 "school_id": item.stream_number,
                                                 "row_number": item.application_id, "status": "used"}
                                                for item in candidates])
            connection.execute(insert(Applicant), [{"id": item.application_id, "birth_date": date(2008, 1, 1),
                                                    "surname": "А", "name": "Б", "sex": "m",
                                                    "citizenship_code": "398", "nationality_code": "005"}
                                                   for item in candidates])
            languages = {"kk": ("kk", None), "ru": ("ru", None), "en-kk": ("en", "kk"), "en-ru": ("en", "ru")}
            connection.execute(insert(Application), [
                {"id": item.application_id, "applicant_id": item.application_id, "ikt_row_id": item.application_id,
                 "school_id": item.stream_number, "region_code": "11", "district_code": "001",
                 "test_language": languages[item.language_status.value][0],
                 "history_language": languages[item.language_status.value][1]} for item in candidates])
            now = datetime.now(UTC)
            session.add(ApplicantDatabaseState(id=1, closed_at=now, closed_by="bench", rooms_opened_at=now))
        start = time.perf_counter()
        with transaction(engine) as session:
            done = distribute(session)
        seconds = time.perf_counter() - start
        engine.dispose()
    assert done.applicants == len(candidates)
    return seconds


def build(applicants: int, rooms: int, seed: int) -> tuple[list[Candidate], list[OpenedRoom]]:
    chooser = random.Random(seed)
    languages = list(LanguageStatus)
    opened = [OpenedRoom(1 + number % 5, f"{number // 5 % 100:02d}{number // 500}",
                         languages[number // 5 % 4], chooser.randint(100, 125), chooser.random() < 0.1)
              for number in range(rooms)]
    seats = Counter[tuple[int, LanguageStatus]]()
    for room in opened:
        seats[(room.stream_number, room.language_status)] += room.seats
    total = sum(seats.values())
    groups = list(seats)
    quota = {group: int(seats[group] * min(applicants / total, 1.0)) for group in groups}
    for group in groups:  # the rounding's remainder, where seats are left
        spare = min(seats[group] - quota[group], applicants - sum(quota.values()))
        quota[group] += max(spare, 0)
    candidates = []
    for group in groups:
        for _ in range(quota[group]):
            number = len(candidates) + 1
            candidates.append(Candidate(number, f"{100000000 + number:09d}", group[0], group[1]))
    chooser.shuffle(candidates)
    return candidates[:applicants], opened


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=100_000)
    parser.add_argument("--rooms", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--markdown", action="store_true")
    parser.add_argument("--database", action="store_true", help="also time distribute on a SQLite database")
    args = parser.parse_args()
    candidates, rooms = build(args.applicants, args.rooms, args.seed)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        placed = distribute_applicants(candidates, rooms)
        times.append(time.perf_counter() - start)
    used = Counter((item.stream_number, item.room_number) for item in placed)
    capacity = {(room.stream_number, room.room_number): room.seats for room in rooms}
    assert len(placed) == len(candidates) and all(count <= capacity[key] for key, count in used.items())
    best = min(times)
    stored = database_seconds(candidates, rooms) if args.database else None
    if args.markdown:
        print("| applicants | rooms | rooms used | best of 3 | target |")
        print("|---|---|---|---|---|")
        print(f"| {len(candidates):,} | {len(rooms):,} | {len(used):,} | {best:.2f} s | < 1 s |")
        if stored is not None:
            print(f"| the same through `distribute` on SQLite (read, place, write, commit) | | | {stored:.2f} s | — |")
    else:
        print(f"{len(candidates)} applicants over {len(rooms)} rooms ({len(used)} used): best {best:.3f} s "
              f"(runs {', '.join(f'{value:.3f}' for value in times)}) on {platform.python_version()}")
        if stored is not None:
            print(f"distribute on a SQLite database (read, place, write, commit): {stored:.2f} s")
    return 0 if best < 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
