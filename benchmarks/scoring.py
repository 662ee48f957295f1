"""How fast a stream is scored on АРМ «Программиста Министерства» (issue 16: scoring 3 000 applicants and printing
their statement < 30 s; the statement's print is timed separately).

    .venv/bin/python benchmarks/scoring.py [--applicants 3000] [--seats 90] [--markdown]

Builds a workstation folder (``ent-programmer init``) holding one stream as the identification leaves it:
the applicants of ``benchmarks/programmer_prints.py`` seated by the draw, the ЕНТ 2018 test specification and
the rooms' sheet numbers and booklets from НЦТ, every applicant's sheet scanned twice (the readings stored as the
scan loop stores them: varied marks, double marks, blanks, multiple-answer sets, some sheets with sector 6
«Творческий экзамен»), a few sheets identified by the protocol (a wrong seat corrected, with the booklet's variant
and subjects) or deleted (п. 170), a few applicants absent, the end of identification and the opened answer key.
Then times, in one run, :func:`arm_programmer.scores.score_stream` — read the sheets, identify, score every
sheet, replace and store the scores per task, commit —, :func:`arm_programmer.scores.result_rows` and
:func:`arm_programmer.statement.statement_pdf` for those rows (прил. 4 in four copies, every page sealed by a
signed QR; the key is a throw-away one, signing costs the same), written to a file.

:func:`build_stream` is also what ``tests/test_scores_recomputed.py`` scores (through the command) and
recomputes independently.
"""

from __future__ import annotations

import argparse
import hashlib
import platform
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

ABSENT_SHARE = 0.01
CORRECTED_SHARE = 0.01
CREATIVE_SHARE = 0.04


@dataclass(frozen=True)
class BuiltStream:
    rooms: int
    applicants: int
    sheets: int
    absent: int
    corrected: int
    deleted: int
    creative: int


def _marks(chooser: random.Random, letters: str, multiple: bool) -> str:
    roll = chooser.random()
    if roll < 0.12:
        return ""  # left blank
    if multiple:
        return "".join(sorted(chooser.sample(letters, chooser.randint(1, 4))))
    if roll < 0.22:
        return "".join(sorted(chooser.sample(letters, 2)))  # a double mark on a single-answer task
    return chooser.choice(letters)


def build_stream(folder: Path, applicants: int = 3_000, seats: int = 90, seed: int = 2027) -> BuiltStream:
    """The identified stream 1 in a new workstation folder at ``folder`` (see the module's text)."""
    from programmer_prints import build_database
    from sqlalchemy import delete, insert, select

    from arm_programmer.cli import build
    from arm_programmer.draw import draw_stream, drawn_seats
    from arm_programmer.seating import production_random
    from common.db.answer_models import AnswerSheet, SheetScan
    from common.db.engine import open_engine, transaction
    from common.db.identification_models import ApplicantNote, IdentificationEnd, SheetEntry
    from common.db.models import RoomStream
    from common.db.score_models import StreamAnswerKey
    from common.db.variant_models import RoomBooklets, RoomSheets, StreamSpecification
    from common.testspec import random_answer_key, shipped_spec

    if build().run(["init", "--data-dir", str(folder), "--lang", "en"]) != 0:
        raise RuntimeError("init failed")
    rooms, applicants = build_database(folder, applicants, seats, seed)
    spec = shipped_spec("ent2018")
    key = random_answer_key(spec, seed=seed)
    chooser = random.Random(seed)
    engine = open_engine(folder / "workstation.sqlite")
    choices = [choice.code for choice in spec.profile_subject_choices]
    counts = {"sheets": 0, "absent": 0, "corrected": 0, "deleted": 0, "creative": 0}
    with transaction(engine) as session:
        draw_stream(session, 1, code_ok=True, actor="bench", random_source=production_random())
        session.add(StreamSpecification(stream_id=1, spec_code=spec.code, spec_sha256=spec.sha256(),
                                        document=spec.to_dict(), package_id="bench"))
        session.execute(delete(RoomBooklets))
        room_streams = {room_stream.room.number: room_stream.id for room_stream in session.scalars(select(RoomStream))}
        variants = {room: [spec.variants[(index + offset) % len(spec.variants)] for offset in range(4)]
                    for index, room in enumerate(sorted(room_streams))}
        session.execute(insert(RoomBooklets), [{"room_stream_id": room_streams[room], "variant": variant,
                                                "booklets": seats} for room, names in variants.items()
                                               for variant in names])
        session.execute(insert(RoomSheets), [{"room_stream_id": room_streams[room], "spare": False,
                                              "first": index * (seats + 5) + 1, "last": (index + 1) * (seats + 5)}
                                             for index, room in enumerate(sorted(room_streams))])
        seated = drawn_seats(session, 1)
        next_number = {room: index * (seats + 5) + 1 for index, room in enumerate(sorted(room_streams))}
        scans: list[dict[str, object]] = []
        entries: list[SheetEntry] = []
        for seat in seated:
            if chooser.random() < ABSENT_SHARE:
                session.add(ApplicantNote(application_id=seat.application_id, note="absent", entered_by="bench"))
                counts["absent"] += 1
                continue
            number = f"{next_number[seat.room_number]:07d}"
            next_number[seat.room_number] += 1
            creative = chooser.random() < CREATIVE_SHARE
            variant = chooser.choice(variants[seat.room_number])
            fields: dict[str, str] = {"creative": "Y" if creative else ""}
            profile = chooser.sample(choices, 2)
            for slot, code in zip(spec.profile_slot_subjects, profile, strict=True):
                fields[f"{slot.code}_subject"] = "" if creative else code
            for subject in spec.subjects:
                for task in subject.tasks:
                    fields[f"{subject.code}.q{task.number:02d}"] = _marks(chooser, task.option_letters, task.multiple)
            corrected = chooser.random() < CORRECTED_SHARE
            groups = {"ikt": seat.ikt, "seat": f"{seat.seat + 1 if corrected else seat.seat:03d}",
                      "variant": variant, "stream": "01", "room": seat.room_number}
            sheet = AnswerSheet(room_stream_id=room_streams[seat.room_number], sheet_number=number)
            session.add(sheet)
            session.flush()
            reading = {"form": "answer-sheet", "sheet_number": number, "fields": fields, "groups": groups,
                       "flags": []}
            for pass_number in (1, 2):
                scans.append({"page_id": f"{number}-{pass_number}", "room_stream_id": sheet.room_stream_id,
                              "pass_number": pass_number, "sheet_id": sheet.id, "image": f"{number}-{pass_number}.png",
                              "rescan": False, "reasons": [], "reading": reading, "fills": {}, "band_low": 0.38,
                              "band_high": 0.62})
            counts["sheets"] += 1
            counts["creative"] += creative
            if corrected:  # the commission read the seat off the seating list, the booklet's variant and subjects
                counts["corrected"] += 1
                entries.append(SheetEntry(stream_id=1, sheet_id=sheet.id, room_number=seat.room_number,
                                          decision="correct", application_id=seat.application_id, ikt=seat.ikt,
                                          seat=seat.seat, variant=chooser.choice(variants[seat.room_number]),
                                          subjects="" if creative else "-".join(chooser.sample(choices, 2)),
                                          revision=1, entered_by="bench"))
        for room in sorted(room_streams)[:3]:  # a sheet of another site's batch: «Удалить бланк» (п. 170)
            number = f"{next_number[room]:07d}"
            sheet = AnswerSheet(room_stream_id=room_streams[room], sheet_number=number)
            session.add(sheet)
            session.flush()
            reading = {"form": "answer-sheet", "sheet_number": number, "fields": {"history_kz.q01": "A"},
                       "groups": {"ikt": "199999999", "seat": "001", "variant": variants[room][0], "stream": "01",
                                  "room": room}, "flags": []}
            for pass_number in (1, 2):
                scans.append({"page_id": f"{number}-{pass_number}", "room_stream_id": sheet.room_stream_id,
                              "pass_number": pass_number, "sheet_id": sheet.id, "image": f"{number}-{pass_number}.png",
                              "rescan": False, "reasons": [], "reading": reading, "fills": {}, "band_low": 0.38,
                              "band_high": 0.62})
            entries.append(SheetEntry(stream_id=1, sheet_id=sheet.id, room_number=room, decision="delete",
                                      revision=1, entered_by="bench"))
            counts["deleted"] += 1
        session.execute(insert(SheetScan), scans)
        session.add_all(entries)
        session.add(IdentificationEnd(stream_id=1, ended_by="bench", digest="0" * 64, ended_at=datetime.now(UTC)))
        document = key.to_json()
        digest = hashlib.sha256(document.encode()).hexdigest()
        session.add(StreamAnswerKey(stream_id=1, document=document, sha256=digest,
                                    spec_sha256=spec.sha256(), opened_by="bench"))
    engine.dispose()
    return BuiltStream(rooms, applicants, counts["sheets"], counts["absent"], counts["corrected"], counts["deleted"],
                       counts["creative"])


def _signer() -> Any:
    """A programmer's key and certificate under a throw-away root: signing costs what the enrolled key costs."""
    from common.exchange.addresses import workstation
    from common.security.keys import Identity, generate_key, issue_certificate, make_root

    root_key, root = make_root()
    key = generate_key()
    return Identity.of(issue_certificate(root_key, root, key.public_key(), workstation("017", "programmer")), key)


def run(folder: Path, language: str = "ru") -> dict[str, float | int]:
    from arm_programmer.codes import stream_key
    from arm_programmer.prints import exam_day
    from arm_programmer.scores import result_rows, score_stream
    from arm_programmer.statement import statement_pdf
    from common.db.engine import open_engine, transaction
    from common.security.audit import AuditLog
    from common.workstation import DataFolder

    data = DataFolder(folder)
    engine = open_engine(data.database)
    signer = _signer()
    start = time.perf_counter()
    with transaction(engine) as session:
        scored = score_stream(session, 1, "bench", AuditLog(data.audit_log))
    stored = time.perf_counter()
    with transaction(engine) as session:
        rows = result_rows(session, 1)
        spec, _key = stream_key(session, 1)
        day = exam_day(session, 1)
    listed = time.perf_counter()
    built = statement_pdf(rows, spec=spec, site_code=day.site_code, site_name=day.site_name_ru, stream=1,
                          exam_date=day.exam_date, language=language, signer=signer)
    (folder / "statement.pdf").write_bytes(built.pdf)
    end = time.perf_counter()
    engine.dispose()
    return {"score": stored - start, "rows": listed - stored, "statement": end - listed, "total": end - start,
            "scored": scored.scored, "results": len(rows), "pages": built.pages}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--applicants", type=int, default=3_000)
    parser.add_argument("--seats", type=int, default=90, help="seats of each room (two a desk)")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name) / "programmer"
        built = build_stream(folder, args.applicants, args.seats, args.seed)
        result = run(folder)
    if args.markdown:
        print("| applicants | rooms | sheets scored | score and store | result rows | statement (прил. 4, 4 copies) "
              "| total | target |")
        print("|---|---|---|---|---|---|---|---|")
        print(f"| {built.applicants:,} | {built.rooms} | {result['scored']:,} | {result['score']:.1f} s | "
              f"{result['rows']:.1f} s | {result['statement']:.1f} s, {result['pages']} pages | "
              f"{result['total']:.1f} s | < 30 s |")
    else:
        print(f"{built.applicants} applicants in {built.rooms} rooms of one stream, {result['scored']} sheets: scored "
              f"and stored per task in {result['score']:.1f} s, {result['results']} result rows in "
              f"{result['rows']:.1f} s, their statement (прил. 4, four copies, every page signed) in "
              f"{result['statement']:.1f} s ({result['pages']} pages); total {result['total']:.1f} s on "
              f"{platform.python_version()}")
    return 0 if result["total"] < 30 else 1


if __name__ == "__main__":
    raise SystemExit(main())
