"""How fast the distribution places the applicants (issue 13: 100 000 applicants over 1 000 rooms < 1 s).

    .venv/bin/python benchmarks/distribution.py [--applicants 100000] [--rooms 1000] [--markdown]

Times :func:`arm_applications.distribution.distribute_applicants`, the pure rule the ``distribute``
command applies: 1 000 rooms in 5 streams with the four language statuses, 100–125 seats each (a
real room holds fewer; the target puts 100 applicants in a room), about one room in ten a reserve
room; the applicants spread over the streams and languages in proportion to the seats so that they
fit (about 90 % of the seats). The best of three runs is reported, and the
result is checked: every applicant placed, no room over its seats.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from arm_applications.distribution import Candidate, OpenedRoom, distribute_applicants  # noqa: E402
from common.db.models import LanguageStatus  # noqa: E402


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
    if args.markdown:
        print("| applicants | rooms | rooms used | best of 3 | target |")
        print("|---|---|---|---|---|")
        print(f"| {len(candidates):,} | {len(rooms):,} | {len(used):,} | {best:.2f} s | < 1 s |")
    else:
        print(f"{len(candidates)} applicants over {len(rooms)} rooms ({len(used)} used): best {best:.3f} s "
              f"(runs {', '.join(f'{value:.3f}' for value in times)}) on {platform.python_version()}")
    return 0 if best < 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
