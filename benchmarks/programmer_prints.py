"""How fast the morning of the exam goes on АРМ «Программиста Министерства» (issue 14: the seating draw
and all prints for 3 000 applicants in one stream < 30 s).

    .venv/bin/python benchmarks/programmer_prints.py [--applicants 3000] [--seats 90] [--markdown]

Builds a workstation database (SQLite, at head) the way the take-over leaves it: one site, one
stream, rooms of ``--seats`` seats (two a desk) filled by the distribution in order, each room with
НЦТ's booklets of four variants (``variants import``), names of 15–70 characters, the take-over
closed. Then times, in one run, what the programmer does that morning: :func:`arm_programmer.draw.
draw_stream` (read the placements, draw, write every seat and the draw's digest, commit), then
:func:`arm_programmer.prints.print_exam_day` — the seating lists with the hand-out order, the room
lists, the hand-out order on the desk plans and the twelve blanks, each built, written into
``printed/`` and audited — and commits. Each part's time and the pages printed are reported; the
result is checked: every applicant seated, each room's seating list on pages of its own.
"""

from __future__ import annotations

import argparse
import math
import platform
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SYLLABLES = ("ай", "бе", "гүл", "дана", "ер", "жан", "қасым", "мұхаммед", "нұр", "сұлтан", "те", "ұлы", "ова",
             "ев", "ин", "сейіт", "жаппар", "әли")


def _word(chooser: random.Random, low: int, high: int) -> str:
    return "".join(chooser.choice(SYLLABLES) for _ in range(chooser.randint(low, high))).capitalize()


def build_database(folder: Path, applicants: int, seats: int, seed: int) -> tuple[int, int]:
    """The taken-over, closed database of one stream; returns (rooms, applicants)."""
    from sqlalchemy import insert

    from common.db.engine import open_engine, transaction
    from common.db.migrate import upgrade
    from common.db.models import Applicant, Application, IktRow, Room, RoomStream, School, Site, Stream
    from common.db.programmer_models import TakeoverState
    from common.db.variant_models import RoomBooklets

    chooser = random.Random(seed)
    rooms = math.ceil(applicants / seats)
    engine = open_engine(folder / "workstation.sqlite")
    upgrade(engine)
    with transaction(engine) as session:
        connection = session.connection()
        connection.execute(insert(Site), [{"id": 1, "code": "017", "name_kk": "Астана қаласының №17 тестілеу пункті",
                                           "name_ru": "Пункт тестирования №17 города Астаны", "region_code": "11",
                                           "address": "Астана, Мәңгілік Ел даңғылы, 8"}])
        connection.execute(insert(Stream), [{"id": 1, "site_id": 1, "number": 1, "exam_date": date(2027, 6, 20)}])
        connection.execute(insert(Room), [{"id": number, "site_id": 1, "number": f"{number:02d}",
                                           "desks": seats // 2, "seats": seats, "ventilation": "natural",
                                           "jammers_count": 1} for number in range(1, rooms + 1)])
        connection.execute(insert(RoomStream), [{"id": number, "room_id": number, "stream_id": 1,
                                                 "language_status": "kk" if number % 2 else "ru", "seats": seats,
                                                 "opened": True} for number in range(1, rooms + 1)])
        connection.execute(insert(RoomBooklets), [
            {"room_stream_id": number, "variant": f"{number:02d}{variant:02d}", "booklets": math.ceil(seats / 4)}
            for number in range(1, rooms + 1) for variant in range(1, 5)])
        connection.execute(insert(School), [{"id": 1, "site_id": 1, "code": "0001", "name_kk": "", "name_ru": "",
                                             "region_code": "11", "district_code": "001", "stream_id": 1}])
        numbers = range(1, applicants + 1)
        connection.execute(insert(IktRow), [{"id": number, "ikt": f"{100000000 + number:09d}", "school_id": 1,
                                             "row_number": number, "status": "used"} for number in numbers])
        connection.execute(insert(Applicant), [
            {"id": number, "birth_date": date(2008, 1, 1), "surname": _word(chooser, 1, 6),
             "name": _word(chooser, 1, 4), "patronymic": _word(chooser, 1, 5), "sex": "m",
             "citizenship_code": "398", "nationality_code": "005"}
            for number in numbers])
        connection.execute(insert(Application), [
            {"id": number, "applicant_id": number, "ikt_row_id": number, "school_id": 1, "region_code": "11",
             "district_code": "001", "test_language": "kk" if ((number - 1) // seats + 1) % 2 else "ru",
             "status": "entered", "room_stream_id": (number - 1) // seats + 1, "place": (number - 1) % seats + 1}
            for number in numbers])
        session.add(TakeoverState(id=1, closed_at=datetime.now(UTC), closed_by="bench"))
    engine.dispose()
    return rooms, applicants


def run(folder: Path) -> dict[str, float | int]:
    from arm_programmer.draw import draw_stream, drawn_seats
    from arm_programmer.prints import print_exam_day
    from arm_programmer.seating import production_random
    from common.db.engine import open_engine, transaction
    from common.workstation import DataFolder

    data = DataFolder(folder)
    data.printed.mkdir(parents=True, exist_ok=True)
    engine = open_engine(folder / "workstation.sqlite")
    start = time.perf_counter()
    with transaction(engine) as session:
        drawn = draw_stream(session, 1, code_ok=True, actor="bench", random_source=production_random())
    drawn_at = time.perf_counter()
    with transaction(engine) as session:
        printed = print_exam_day(session, data, 1, "ru", actor="bench")
        seated = len(drawn_seats(session, 1))
    end = time.perf_counter()
    engine.dispose()
    seating = next(item for item in printed if item.form == "seating-list")
    assert seated == drawn.applicants and seating.pages >= drawn.rooms, (seated, seating.pages, drawn.rooms)
    return {"draw": drawn_at - start, "prints": end - drawn_at, "total": end - start, "files": len(printed),
            "pages": sum(item.pages for item in printed), "seating_pages": seating.pages}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=3_000)
    parser.add_argument("--seats", type=int, default=90, help="seats of each room (two a desk)")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        rooms, applicants = build_database(folder, args.applicants, args.seats, args.seed)
        result = run(folder)
    if args.markdown:
        print("| applicants | rooms | draw | all prints (files, pages) | total | target |")
        print("|---|---|---|---|---|---|")
        print(f"| {applicants:,} | {rooms} | {result['draw']:.2f} s | {result['prints']:.1f} s ({result['files']}, "
              f"{result['pages']}) | {result['total']:.1f} s | < 30 s |")
    else:
        print(f"{applicants} applicants in {rooms} rooms of one stream: draw {result['draw']:.2f} s, all prints "
              f"{result['prints']:.1f} s ({result['files']} files, {result['pages']} pages), total "
              f"{result['total']:.1f} s on {platform.python_version()}")
    return 0 if result["total"] < 30 else 1


if __name__ == "__main__":
    raise SystemExit(main())
