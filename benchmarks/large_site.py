"""One large site through the exam's stages (issue 19, second bullet): ``--applicants`` applicants in
``--streams`` streams of ``--rooms`` rooms, the answer sheets of every room scanned twice from the simulated
scanner; time and peak memory per stage and per applicant, and which stage would hold a real exam day back.

    .venv/bin/python benchmarks/large_site.py [--applicants 6000] [--streams 10] [--rooms 14]
        [--scanned-streams N] [--markdown]

Each stage runs in a fresh child process (so its peak resident memory is its own), on the site's numbers
(``applicants ÷ streams`` a stream, ``⌈that ÷ rooms⌉`` seats a room), and reuses the code of the benchmark that
measures it alone:

1. **distribution** — every applicant of the site over ``streams × rooms`` opened rooms (kk and ru rooms
   alternate, about 10 % of the seats spare): :func:`arm_applications.distribution.distribute` on a SQLite
   workstation database (read, place, write every place, commit), the rows written first
   (``benchmarks/distribution.py``'s ``database_seconds``).
2. **draw + exam-day prints** — per stream, the taken-over database of ``benchmarks/programmer_prints.py``
   (one stream, the site's rooms), then the seating draw and every exam-day print (seating lists, room lists,
   desk plans, blanks) as ``programmer_prints.run`` times them.
3. **answer sheets** — per stream: a workstation database with the stream, its rooms opened, the draw recorded,
   НЦТ's specification (ent2018) and each room's block of sheet numbers (``benchmarks/room_scan.py``'s
   ``build_database``: the rows written directly). One filled sheet per seat
   (``arm_programmer.room_simulation.filled_sheet``: random ИКТ, the seat, a variant, stream and room, an answer
   to every task) is "printed and scanned" by the simulated scanner (``arm_programmer.room_simulation.scanner``:
   firm pencil, ``Profile.production`` damage,
   200 dpi, each pass its own seed, so its own damage), twice, into one capture folder per room and pass; pass
   2 has one answer changed in each room. Then, ON ONE CORE (this child pinned to one CPU, OpenCV on one
   thread), every room's pass 1 and pass 2 go through the real scan loop exactly as
   ``ent-programmer scan --room R --pass N --from DIR`` runs it (the folder driver, the image kept, the real
   reader, ``RoomPassSink`` storing each page in its transaction, acknowledged), then ``passes diff``
   (:func:`arm_programmer.sheets.differences`), the sheets read (:func:`arm_programmer.sheets.read_sheets`) and
   the automatic identification (п. 157) against the seating the sheets were filled for. CPU time of the child
   (the folder driver's idle wait at the end of a pass sleeps). The differences other than each room's planted one
   are counted by kind (``unplanted_kinds``) and listed with their capture files (``unplanted_found``): the pages can be
   rendered again from their seeds (:meth:`SimulatedScanner.scan` of that sheet and index) to see what made them.

   **What is simulated how (the fast path).** The slow way renders the whole answer-sheet PDF for every sheet
   (reportlab, then pdfium at 200 dpi, ~0.06 s a page) because each sheet carries its own pre-printed number.
   Here the page is rendered ONCE without its number block, and each sheet's number block (the "№ NNNNNNN" line
   and its Code128 barcode, ``forms.render._draw_number``) is rendered alone from its own one-page PDF and laid
   over it as ink over paper (page × layer ÷ 255) — :func:`fast_printed_page`, which gives the very pixels of
   ``forms.render.render_page_image`` (``tests/test_benchmark_large_site.py`` checks it bit for bit). It takes
   the place of ``common.scanning.simulated._printed_page`` in the rendering processes only; everything after
   it is the simulated scanner's own code: the same pencil model (``common.omr.synth.SheetPainter``), the same
   damage (``common.omr.damage.Profile.production``), the same seeds, the same PNG files. The pages are built stream
   by stream on both cores at low priority before that stream's scanning starts (a page is ~2.4 MB: the site's
   12 000 would not fit on the disk at once; each room's files are deleted once read), and the rendering time is
   reported beside the stage, not in it.
4. **scoring + statement** — per stream, ``benchmarks/scoring.py``'s identified stream (the readings stored as
   the scan loop stores them), then :func:`arm_programmer.scores.score_stream`, the result rows and the
   statement (прил. 4, four copies, every page signed) as ``scoring.run`` times them.
5. **certificates** — per stream, ``benchmarks/certificates.py``'s certificate folder and
   ``print certificates --stream 1 --printer P`` through the command.

Not here: the application forms scanned school by school (``benchmarks/applications_scan.py`` measures that
stage: 5 000 forms) and НЦТ's side (``benchmarks/national.py``).

``--scanned-streams N`` scans the answer sheets of the first N streams only (every other stage still runs for
all): the streams are alike, so the day's scanning is the scanned streams' time × streams ÷ N — say so where the
figures are quoted.

Which stage holds the day back: each stage's time is set against what the day gives it — the scanning against a
160 pages/min scanner feeding the site's 2 × applicants pages (a stage slower than the scanner holds the day
back; one faster waits for the paper), the others against their own time. Results go to
``benchmarks/out/large_site.json``; ``--markdown`` prints the README table.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import io
import json
import math
import multiprocessing
import os
import platform
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

OUT = ROOT / "benchmarks" / "out" / "large_site.json"
SCANNER_PAGES_PER_MINUTE = 160
IDLE = 0.5
DPI = 200


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def in_child(function: Callable[..., dict[str, Any]], *args: Any) -> dict[str, Any]:
    """``function(*args)`` in a fresh process; its figures with the process's peak resident memory."""
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=context) as pool:
        return pool.submit(function, *args).result()


# --- the fast path of the simulated scanner's printing -------------------------------------------------------

def _number_layer(layout: Any, dpi: int, number: str | None) -> Any:
    """The sheet's number block alone (``forms.render._draw_number``) on a white page, grey ``uint8``."""
    import numpy as np
    import pypdfium2 as pdfium
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    from forms import render

    render.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(layout.width_mm * mm, layout.height_mm * mm), invariant=True)
    render._draw_number(canvas, layout, number)
    canvas.showPage()
    canvas.save()
    document = pdfium.PdfDocument(buffer.getvalue())
    try:
        page = document[0]
        image = np.array(page.render(scale=dpi / 72.0, grayscale=True).to_numpy(), dtype=np.uint8, copy=True)
        page.close()
    finally:
        document.close()
    return image[:, :, 0].copy() if image.ndim == 3 else image


@lru_cache(maxsize=4)
def _page_without_number(layout: Any, dpi: int) -> Any:
    from unittest import mock

    from forms import render

    with mock.patch.object(render, "_draw_number", lambda *_args: None):
        return render.render_page_image(layout, dpi, number=None)


def fast_printed_page(layout: Any, dpi: int, number: str | None, printed: tuple[tuple[str, float], ...] = ()) -> Any:
    """What ``common.scanning.simulated._printed_page`` gives, the page rendered once: its number block laid over."""
    import numpy as np

    if printed:
        raise ValueError("printed marks are not on answer sheets")
    base = _page_without_number(layout, dpi)
    layer = _number_layer(layout, dpi, number)
    image = base.copy()
    ink = layer < 255
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    if rows.size:  # ink over paper where the number block has ink (elsewhere the product is the page itself)
        area = (slice(int(rows[0]), int(rows[-1]) + 1), slice(int(columns[0]), int(columns[-1]) + 1))
        image[area] = np.rint(base[area].astype(np.float32) * layer[area].astype(np.float32) / 255.0).astype(np.uint8)
    image.setflags(write=False)
    return image


# --- stage 1: distribution -----------------------------------------------------------------------------------

def site_rooms(applicants: int, streams: int, rooms: int) -> tuple[list[Any], list[Any]]:
    """The site's candidates and opened rooms: kk and ru rooms alternate, ~10 % of the seats spare."""
    import random

    from arm_applications.distribution import Candidate, OpenedRoom
    from common.db.models import LanguageStatus

    per_stream = math.ceil(applicants / streams)
    seats = math.ceil(per_stream * 1.1 / rooms)
    opened = [OpenedRoom(stream, f"{room:02d}", LanguageStatus.KAZAKH if room % 2 else LanguageStatus.RUSSIAN, seats)
              for stream in range(1, streams + 1) for room in range(1, rooms + 1)]
    kazakh_rooms = (rooms + 1) // 2
    candidates = []
    for number in range(1, applicants + 1):
        stream = (number - 1) % streams + 1
        index = (number - 1) // streams
        language = LanguageStatus.KAZAKH if index % rooms < kazakh_rooms else LanguageStatus.RUSSIAN
        candidates.append(Candidate(number, f"{100000000 + number:09d}", stream, language))
    random.Random(19).shuffle(candidates)
    return candidates, opened


def stage_distribution(applicants: int, streams: int, rooms: int) -> dict[str, Any]:
    from distribution import database_seconds

    from arm_applications.distribution import distribute_applicants

    candidates, opened = site_rooms(applicants, streams, rooms)
    cpu = time.process_time()
    placed = distribute_applicants(candidates, opened)
    pure_cpu = time.process_time() - cpu
    wall = database_seconds(candidates, opened)
    return {"wall_s": wall, "pure_cpu_s": pure_cpu, "placed": len(placed), "rooms": len(opened),
            "peak_mb": _peak_mb()}


# --- stage 2: draw and exam-day prints -----------------------------------------------------------------------

def stage_prints(applicants: int, streams: int, rooms: int, seed: int) -> dict[str, Any]:
    from programmer_prints import build_database, run

    per_stream, seats = _stream_shape(applicants, streams, rooms)
    totals: dict[str, Any] = {"wall_s": 0.0, "cpu_s": 0.0, "draw_s": 0.0, "prints_s": 0.0, "pages": 0, "files": 0,
                              "seated": 0, "rooms": 0}
    for stream in range(1, streams + 1):
        with tempfile.TemporaryDirectory(prefix="large-site-prints-") as name:
            folder = Path(name)
            stream_rooms, seated = build_database(folder, per_stream, seats, seed + stream)
            cpu = time.process_time()
            result = run(folder)
            totals["cpu_s"] += time.process_time() - cpu
        totals["wall_s"] += result["total"]
        totals["draw_s"] += result["draw"]
        totals["prints_s"] += result["prints"]
        totals["pages"] += result["pages"]
        totals["files"] += result["files"]
        totals["seated"] += seated
        totals["rooms"] += stream_rooms
    return {**totals, "peak_mb": _peak_mb()}


def _stream_shape(applicants: int, streams: int, rooms: int) -> tuple[int, int]:
    """Applicants a stream and seats a room (even: two a desk) so that a stream fills ``rooms`` rooms."""
    per_stream = math.ceil(applicants / streams)
    seats = math.ceil(per_stream / rooms)
    return per_stream, seats + seats % 2


# --- stage 3: answer sheets scanned twice ---------------------------------------------------------------------

def room_seats(per_stream: int, rooms: int) -> list[int]:
    """How many of the stream's applicants sit in each room (as even as the numbers allow)."""
    return [per_stream // rooms + (1 if index < per_stream % rooms else 0) for index in range(rooms)]


def _block(room: int, seats_per_room: int) -> int:
    """The first sheet number of the room's block (``seats_per_room`` + 5 numbers a room)."""
    return (room - 1) * (seats_per_room + 5) + 1


def _people(stream: int, room: int, seats: int, seed: int) -> list[tuple[str, str]]:
    import numpy as np

    rng = np.random.default_rng([seed, stream, room, 0])
    return [(f"{int(rng.integers(10**8, 10**9)):09d}", f"{int(rng.integers(1, 13)):04d}") for _ in range(seats)]


def room_sheets(stream: int, room: int, seats: int, widest: int, seed: int) -> list[Any]:
    import numpy as np

    from arm_programmer.room_simulation import filled_sheet
    from common.testspec import shipped_spec
    from forms.registry import get_layout

    layout = get_layout("answer-sheet", shipped_spec("ent2018"))
    rng = np.random.default_rng([seed, stream, room, 1])
    first = _block(room, widest)
    return [filled_sheet(layout, f"{first + index - 1:07d}", ikt, index, variant, stream, f"{room:02d}", rng)
            for index, (ikt, variant) in enumerate(_people(stream, room, seats, seed), start=1)]


def render_room(job: tuple[int, int, int, int, int, int, str]) -> tuple[float, int]:
    """One room's pass into its capture folder, the fast path (a worker process at low priority)."""
    from arm_programmer.room_simulation import scanner, with_changed_mark
    from common.scanning import simulated
    from common.testspec import shipped_spec
    from forms.registry import get_layout

    stream, room, seats, widest, pass_number, seed, folder = job
    if hasattr(os, "nice") and os.nice(0) < 10:  # once a worker (it renders several rooms)
        os.nice(10)
    simulated._printed_page = fast_printed_page  # type: ignore[assignment]  # the fast path (see the docstring)
    cpu = time.process_time()
    sheets = room_sheets(stream, room, seats, widest, seed)
    if pass_number == 2:
        old = sheets[0].answers["history_kz.q01"]
        sheets[0] = with_changed_mark(sheets[0], "history_kz.q01", "B" if old == "A" else "A")
    layout = get_layout("answer-sheet", shipped_spec("ent2018"))
    Path(folder).mkdir(parents=True)
    paths = scanner(layout, sheets, pass_number=pass_number, seed=seed * 1000 + stream * 20 + room).export(
        Path(folder), prefix=f"p{pass_number}-")
    return time.process_time() - cpu, len(paths)


def scan_stream(database: Path, stream: int, counts: list[int], folders: Path, scans: Path,
                seed: int) -> dict[str, Any]:
    """Every room's two passes through the scan loop, compared, read and identified (one core, this process)."""
    import shutil
    from contextlib import AbstractContextManager

    from sqlalchemy.orm import Session

    from arm_programmer.draw import DrawnSeat
    from arm_programmer.identify import identify
    from arm_programmer.sheets import RoomPassSink, answer_layouts, differences, read_sheets
    from common.db.engine import open_engine, transaction
    from common.db.models import LanguageStatus
    from common.scanning.loop import run_scan_loop
    from common.scanning.watched_folder import WatchedFolder

    engine = open_engine(database)

    def session() -> AbstractContextManager[Session]:
        return transaction(engine)

    figures: dict[str, Any] = {"scan_cpu_s": 0.0, "compare_cpu_s": 0.0, "identify_cpu_s": 0.0, "stored": 0,
                               "rescan": 0, "differences": 0, "flagged": 0, "read": 0, "identified": 0,
                               "protocol": 0, "unplanted_kinds": {}, "unplanted_sheets": 0, "unplanted_found": []}
    with session() as opened:
        layout = answer_layouts(opened, stream)
    widest = max(counts)
    for room, seats in enumerate(counts, start=1):
        number = f"{room:02d}"
        for pass_number in (1, 2):
            cpu = time.process_time()
            sink = RoomPassSink(session, stream, number, pass_number)
            summary = run_scan_loop(WatchedFolder(folders / f"{number}-{pass_number}", settle_seconds=0,
                                                  idle_timeout=IDLE), layout, sink, scans / f"{number}-{pass_number}")
            figures["scan_cpu_s"] += time.process_time() - cpu
            figures["stored"] += summary.count("stored")
            figures["rescan"] += summary.count("rescan")
        cpu = time.process_time()
        with session() as opened:
            found = differences(opened, stream, number)
            read = read_sheets(opened, stream, number)
        figures["compare_cpu_s"] += time.process_time() - cpu
        figures["differences"] += len(found)
        figures["read"] += len(read)
        figures["flagged"] += sum(1 for sheet in read if "differs" in sheet.flags)
        first = _block(room, widest)
        with session() as opened:
            unplanted = unplanted_differences(opened, found, stream, number, f"{first:07d}")
        for kind, count in unplanted["kinds"].items():
            figures["unplanted_kinds"][kind] = figures["unplanted_kinds"].get(kind, 0) + count
        figures["unplanted_sheets"] += unplanted["sheets"]
        figures["unplanted_found"] += unplanted["found"]
        drawn = [DrawnSeat(index, ikt, f"Applicant {index}", stream, number, index, LanguageStatus.KAZAKH, False)
                 for index, (ikt, _variant) in enumerate(_people(stream, room, seats, seed), start=1)]
        cpu = time.process_time()
        identified = identify(read, drawn, {number: [(first, first + widest + 4)]})
        figures["identify_cpu_s"] += time.process_time() - cpu
        figures["identified"] += sum(1 for item in identified.sheets if item.application_id is not None)
        figures["protocol"] += len(identified.lower_table())
        for pass_number in (1, 2):  # the room's files, once read (the disk holds a stream's at most)
            shutil.rmtree(folders / f"{number}-{pass_number}", ignore_errors=True)
            shutil.rmtree(scans / f"{number}-{pass_number}", ignore_errors=True)
    engine.dispose()
    return figures


CHANGED = "history_kz.q01"
"""The answer pass 2 changes on each room's first sheet (:func:`render_room`): the one planted difference."""


def unplanted_differences(session: Any, found: list[Any], stream: int, room: str, planted: str) -> dict[str, Any]:
    """The room's differences other than the planted one (what the simulated scanning made) by kind
    (``sheet_number``, ``one_pass``, ``decision``, ``fill``), the sheets they are on, and each with the
    capture files of its pages (``p<pass>-<place>.png``: scan order is file order) to look at them again."""
    from sqlalchemy import select

    from arm_programmer.sheets import find_room
    from common.db.answer_models import SheetScan

    room_id = find_room(session, stream, room).id
    rows = session.execute(select(SheetScan.id, SheetScan.pass_number, SheetScan.sheet_id)
                           .where(SheetScan.room_stream_id == room_id).order_by(SheetScan.id)).all()
    places: dict[int, int] = {}
    pages: dict[int, list[str]] = {}
    for _scan_id, pass_number, sheet_id in rows:
        places[pass_number] = places.get(pass_number, 0) + 1
        pages.setdefault(sheet_id, []).append(f"p{pass_number}-{places[pass_number]:04d}.png")
    kinds: dict[str, int] = {}
    sheets: set[int] = set()
    listed = []
    for item in found:
        if item.sheet_number == planted and item.field == CHANGED:
            continue
        kinds[item.kind] = kinds.get(item.kind, 0) + 1
        sheets.add(item.sheet_id)
        listed.append({"stream": stream, "room": room, "sheet": item.sheet_number, "kind": item.kind,
                       "field": item.field, "bubble": item.bubble, "pass1": item.pass1, "pass2": item.pass2,
                       "pages": pages.get(item.sheet_id, [])})
    return {"kinds": kinds, "sheets": len(sheets), "found": listed}


def stage_scan(work: str, stream: int, applicants: int, streams: int, rooms: int, seed: int) -> dict[str, Any]:
    """One stream's rooms, rendered beforehand into ``work``, through the scan loop on one core."""
    from room_scan import build_database

    from benchmarks.cpu import pin_to_one_core

    pin_to_one_core()
    per_stream, _seats = _stream_shape(applicants, streams, rooms)
    counts = room_seats(per_stream, rooms)
    wall = time.perf_counter()
    folder = Path(work)
    database = build_database(folder, counts, stream, block=max(counts) + 5)  # the blocks of :func:`_block`
    figures = scan_stream(database, stream, counts, folder / "capture", folder / "scans", seed)
    figures["wall_s"] = time.perf_counter() - wall - IDLE * 2 * rooms
    figures["pages"] = 2 * per_stream
    return {**figures, "peak_mb": _peak_mb()}


def render_stream(work: Path, stream: int, applicants: int, streams: int, rooms: int, seed: int,
                  workers: int) -> dict[str, Any]:
    """One stream's two passes of every room into ``work/capture`` on ``workers`` processes."""
    per_stream, _seats = _stream_shape(applicants, streams, rooms)
    counts = room_seats(per_stream, rooms)
    jobs = [(stream, room, seats, max(counts), pass_number, seed, str(work / "capture" / f"{room:02d}-{pass_number}"))
            for room, seats in enumerate(counts, start=1) for pass_number in (1, 2)]
    wall = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context) as pool:
        done = list(pool.map(render_room, jobs))
    return {"wall_s": time.perf_counter() - wall, "cpu_s": sum(item[0] for item in done),
            "pages": sum(item[1] for item in done)}


def scan_site(applicants: int, streams: int, rooms: int, seed: int, workers: int,
              scanned: int) -> tuple[dict[str, Any], ...]:
    """Stream by stream: its pages rendered, then scanned in a fresh child, then deleted (a stream's pages take
    about 2.4 MB each, twice over with the images the loop keeps: 6 000 applicants' would not fit at once)."""
    import shutil

    rendering: dict[str, Any] = {"wall_s": 0.0, "cpu_s": 0.0, "pages": 0, "workers": workers}
    scan: dict[str, Any] = {}
    for stream in range(1, scanned + 1):
        work = Path(tempfile.mkdtemp(prefix=f"large-site-stream{stream}-"))
        try:
            for key, value in render_stream(work, stream, applicants, streams, rooms, seed, workers).items():
                rendering[key] += value
            figures = in_child(stage_scan, str(work), stream, applicants, streams, rooms, seed)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        for key, value in figures.items():
            if key == "unplanted_kinds":
                kinds = scan.setdefault(key, {})
                for kind, count in value.items():
                    kinds[kind] = kinds.get(kind, 0) + count
            elif key == "unplanted_found":
                scan[key] = scan.get(key, []) + value
            else:
                scan[key] = max(scan.get(key, 0), value) if key == "peak_mb" else scan.get(key, 0) + value
    scan["cpu_s"] = scan["scan_cpu_s"] + scan["compare_cpu_s"] + scan["identify_cpu_s"]
    return rendering, scan


# --- stage 4: scoring and statement --------------------------------------------------------------------------

def stage_scoring(applicants: int, streams: int, rooms: int, seed: int) -> dict[str, Any]:
    from scoring import build_stream, run

    per_stream, seats = _stream_shape(applicants, streams, rooms)
    totals: dict[str, Any] = {"wall_s": 0.0, "cpu_s": 0.0, "score_s": 0.0, "statement_s": 0.0, "scored": 0,
                              "results": 0, "pages": 0}
    for stream in range(1, streams + 1):
        with tempfile.TemporaryDirectory(prefix="large-site-scoring-") as name:
            folder = Path(name) / "programmer"
            with contextlib.redirect_stdout(io.StringIO()):  # ``init``'s line, not the figures
                build_stream(folder, per_stream, seats, seed + stream)
            cpu = time.process_time()
            result = run(folder)
            totals["cpu_s"] += time.process_time() - cpu
        totals["wall_s"] += result["total"]
        totals["score_s"] += result["score"]
        totals["statement_s"] += result["statement"]
        for key in ("scored", "results", "pages"):
            totals[key] += result[key]
    return {**totals, "peak_mb": _peak_mb()}


# --- stage 5: certificates -----------------------------------------------------------------------------------

def stage_certificates(applicants: int, streams: int, seed: int) -> dict[str, Any]:
    import certificates

    per_stream = math.ceil(applicants / streams)
    os.environ["ENT_KEY_PASSWORD"] = certificates.KEY_PASSWORD
    totals: dict[str, Any] = {"wall_s": 0.0, "cpu_s": 0.0, "certificates": 0}
    for stream in range(1, streams + 1):
        with tempfile.TemporaryDirectory(prefix="large-site-certificates-") as name:
            folder = Path(name) / "certificate"
            key_file, _root = certificates.build(folder, per_stream, seed + stream)
            code, text = certificates._cli("signing-key", "install", str(key_file), "--data-dir", str(folder))
            assert code == 0, text
            wall, cpu = time.perf_counter(), time.process_time()
            code, text = certificates._cli("--json", "print", "certificates", "--stream", "1", "--printer", "P",
                                           "--out", str(Path(name) / "stream.pdf"), "--data-dir", str(folder))
            totals["wall_s"] += time.perf_counter() - wall
            totals["cpu_s"] += time.process_time() - cpu
            assert code == 0, text
            totals["certificates"] += json.loads(text)["certificates"]
    return {**totals, "peak_mb": _peak_mb()}


# --- the whole ----------------------------------------------------------------------------------------------

STAGES = ("distribution", "prints", "scan", "scoring", "certificates")
TITLES = {"distribution": "distribution (`distribute` on SQLite)",
          "prints": "seating draw + exam-day prints",
          "scan": "answer sheets: 2 passes scanned, compared, identified (one core)",
          "scoring": "scoring + statement (прил. 4)",
          "certificates": "certificates printed"}

KINDS = {"sheet_number": "sheet number(s) read differently", "one_pass": "sheet(s) in one pass only",
         "decision": "bubble(s) marked in one pass only", "fill": "fill(s) differing beyond the reader's error"}


def run_site(applicants: int, streams: int, rooms: int, seed: int = 19, workers: int = 2,
             scanned: int | None = None) -> dict[str, Any]:
    """Every stage at the given scale, the answer sheets of the first ``scanned`` streams (all by default)."""
    scanned = streams if scanned is None else min(scanned, streams)
    result: dict[str, Any] = {"applicants": applicants, "streams": streams, "rooms": rooms, "scanned_streams": scanned}
    result["distribution"] = in_child(stage_distribution, applicants, streams, rooms)
    result["prints"] = in_child(stage_prints, applicants, streams, rooms, seed)
    result["rendering"], result["scan"] = scan_site(applicants, streams, rooms, seed, workers, scanned)
    result["scoring"] = in_child(stage_scoring, applicants, streams, rooms, seed)
    result["certificates"] = in_child(stage_certificates, applicants, streams, seed)
    per_stream, _seats = _stream_shape(applicants, streams, rooms)
    applicants_run = per_stream * streams
    result["seated"] = applicants_run
    scanner_s = result["scan"]["pages"] * 60 / SCANNER_PAGES_PER_MINUTE
    result["scanner_s"] = scanner_s
    # the day's share of each stage: the scanning of every stream (streams are alike: the scanned ones scaled up)
    whole = streams / scanned
    day = {stage: result[stage]["wall_s"] if stage != "scan" else max(result[stage]["cpu_s"], scanner_s) * whole
           for stage in STAGES}
    result["day_s"] = day
    result["holds_back"] = max(day, key=lambda stage: day[stage])
    for stage in STAGES:
        seconds = result[stage]["cpu_s"] if stage == "scan" else result[stage]["wall_s"]
        result[stage]["ms_per_applicant"] = seconds * 1000 / (per_stream * scanned if stage == "scan"
                                                               else applicants_run)
    result["python"] = platform.python_version()
    result["date"] = time.strftime("%Y-%m-%d")
    result["load_average"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    return result


def markdown(result: dict[str, Any]) -> str:
    lines = [f"{result['seated']:,} applicants, {result['streams']} stream(s) × {result['rooms']} rooms; the answer "
             f"sheets of {result['scanned_streams']} stream(s) scanned ({result['scan']['pages']:,} pages):", "",
             "| stage | time | per applicant | peak memory | checked |", "|---|---|---|---|---|"]
    scan = result["scan"]
    checks = {
        "distribution": f"{result['distribution']['placed']:,} placed in {result['distribution']['rooms']} rooms",
        "prints": f"{result['prints']['seated']:,} seated; {result['prints']['files']} files, "
                  f"{result['prints']['pages']:,} pages",
        "scan": f"{scan['stored']:,} pages stored, {scan['rescan']} rescan; {scan['differences']} differences, "
                f"{scan['flagged']} sheets flagged; {scan['identified']:,} identified, {scan['protocol']} to the "
                f"protocol",
        "scoring": f"{result['scoring']['scored']:,} sheets scored, {result['scoring']['pages']} statement pages",
        "certificates": f"{result['certificates']['certificates']:,} certificates",
    }
    for stage in STAGES:
        item = result[stage]
        time_text = (f"{item['cpu_s']:.1f} s CPU ({item['wall_s']:.1f} s wall)" if stage == "scan"
                     else f"{item['wall_s']:.1f} s")
        lines.append(f"| {TITLES[stage]} | {time_text} | {item['ms_per_applicant']:.1f} ms | "
                     f"{item['peak_mb']:.0f} MB | {checks[stage]} |")
    rendering = result["rendering"]
    lines += ["", f"The simulated paper (not timed as a stage): {rendering['pages']:,} pages rendered and damaged in "
              f"{rendering['wall_s']:.0f} s on {rendering['workers']} workers ({rendering['cpu_s']:.0f} s CPU, "
              f"{rendering['cpu_s'] * 1000 / max(rendering['pages'], 1):.0f} ms a page).",
              f"A 160 pages/min scanner feeds the {scan['pages']:,} pages in {result['scanner_s']:.0f} s; the loop "
              f"reads them at {scan['pages'] * 60 / max(scan['cpu_s'], 1e-9):.0f} pages/min on one core.",
              f"Read differently between the two scans besides the planted change of each room: "
              f"{scan['unplanted_sheets']} of {scan['pages'] // 2:,} sheets — "
              + ", ".join(f"{count} {KINDS.get(kind, kind)}" for kind, count in sorted(scan["unplanted_kinds"].items()))
              + ".",
              f"Holds the day back: **{result['holds_back']}** ({result['day_s'][result['holds_back']]:.0f} s of "
              f"the day for all {result['streams']} stream(s)"
              + (f", the scanning scaled up from {result['scanned_streams']}" if result['scanned_streams'] !=
                 result['streams'] else "") + ")."]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--applicants", type=int, default=6000)
    parser.add_argument("--streams", type=int, default=10)
    parser.add_argument("--rooms", type=int, default=14)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--workers", type=int, default=2, help="processes that build the simulated pages")
    parser.add_argument("--scanned-streams", type=int, default=None,
                        help="scan the answer sheets of this many streams only (default: all)")
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    result = run_site(args.applicants, args.streams, args.rooms, args.seed, args.workers, args.scanned_streams)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(markdown(result) if args.markdown else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
