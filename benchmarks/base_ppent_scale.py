"""АРМ «База ППЕНТ» at the largest site: 2 000 schools and 14 rooms in each of 10 streams.

    .venv/bin/python benchmarks/base_ppent_scale.py [--schools 2000] [--figures FILE]

Builds the site in a temporary folder (rooms and streams through the services, the schools from a
filled XLSX template through the import), then times what the expert waits for:
- the import of the spreadsheet;
- the window: opening the schools page (the model gets every row), a search typed into the
  filter, sorting by a column, opening the schedule page (totals per stream and language), moving
  200 schools to another stream and redrawing the totals, the room fund page;
- printing прил. 28 and the directory of schools and colleges (both kept in ``printed/``);
- sealing the site database for НЦТ is not timed here (it needs НЦТ's keys; see
  ``benchmarks/exchange.py`` for package sealing).
The figures are printed as a Markdown table and, with ``--figures``, written to that file.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from base_ppent_support import database, enrolled_folder, school_row, write_xlsx  # noqa: E402

from arm_base_ppent.printing import print_form  # noqa: E402
from arm_base_ppent.rooms import RoomDraft, add_room, set_room_use  # noqa: E402
from arm_base_ppent.school_import import import_schools  # noqa: E402
from arm_base_ppent.sending import site_database_payload  # noqa: E402
from arm_base_ppent.snapshot import load_snapshot  # noqa: E402
from arm_base_ppent.streams import add_stream  # noqa: E402
from common import i18n  # noqa: E402

STREAMS = 10
REGULAR_ROOMS, RESERVE_ROOMS = 12, 2
LANGUAGES = ("kk", "kk", "kk", "kk", "kk", "ru", "ru", "ru", "ru", "en-kk", "en-ru", "kk")


Figure = tuple[str, float, float, str]


def timed(figures: list[Figure], what: str, action: Callable[[], Any], note: str = "") -> Any:
    """Run ``action``; keep its wall time and this process's CPU time (the machine may be busy).

    Garbage left by the step before is collected first, so that no step is charged for another's.
    """
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    result = action()
    figures.append((what, time.perf_counter() - start, time.process_time() - cpu, note))
    return result


def annotate(figures: list[Figure], note: str) -> None:
    figures[-1] = (*figures[-1][:3], note)


def build_site(root: Path, schools: int, figures: list[Figure]) -> Path:
    folder = enrolled_folder(root / "site")
    with database(folder) as session:
        for day in range(STREAMS):
            add_stream(session, date(2027, 6, 10 + day))
        for number in range(1, REGULAR_ROOMS + RESERVE_ROOMS + 1):
            add_room(session, RoomDraft(f"{number:02d}", 60, "mechanical", 1, 2, "Корпус 1, ул. Абая 10"))
        for stream in range(1, STREAMS + 1):
            for number in range(1, REGULAR_ROOMS + RESERVE_ROOMS + 1):
                reserve = number > REGULAR_ROOMS
                language = "kk" if reserve else LANGUAGES[number - 1]
                set_room_use(session, f"{number:02d}", stream, language, reserve)
    rows = [school_row(n, stream=1 + n % STREAMS) for n in range(1, schools + 1)]
    spreadsheet = write_xlsx(root / "schools.xlsx", rows)

    def run_import() -> None:
        with database(folder) as session:
            import_schools(session, spreadsheet)

    timed(figures, f"import {schools} schools from XLSX", run_import)
    return folder.root


def window_figures(folder: Path, figures: list[Figure]) -> None:
    from PySide6.QtCore import QItemSelectionModel, Qt
    from PySide6.QtWidgets import QApplication

    from arm_base_ppent.ui.main_window import PAGES
    from common.ui.app import application
    from common.ui.login import Operator
    from common.ui.shell import WorkstationWindow
    from common.workstation import BASE_PPENT

    application([])
    window = WorkstationWindow(BASE_PPENT, folder, Operator("Benchmark", "site_expert"), PAGES)
    window.resize(1400, 850)
    window.show()
    QApplication.processEvents()
    schools = timed(figures, "window: open the schools page (all rows into the model)",
                    lambda: (window.page("schools"), QApplication.processEvents())[0])
    rows = schools.model.rowCount()
    timed(figures, "window: type a search into the schools filter",
          lambda: (schools.search.setText("школа №17"), QApplication.processEvents()))
    annotate(figures, f"{schools.proxy.rowCount()} of {rows} rows shown")
    schools.search.setText("")
    timed(figures, "window: sort the schools by name",
          lambda: (schools.table.sortByColumn(2, Qt.SortOrder.DescendingOrder), QApplication.processEvents()))
    schedule = timed(figures, "window: open the schedule page (totals per stream and language)",
                     lambda: (window.page("schedule"), QApplication.processEvents())[0])
    selection = schedule.school_table.selectionModel()
    for row in range(200):
        selection.select(schedule.school_proxy.index(row, 0),
                         QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows)
    schedule.target.setCurrentIndex(schedule.target.findData(1))
    timed(figures, "window: move 200 schools to stream 1 and redraw the totals",
          lambda: (schedule.move_selected(), QApplication.processEvents()))
    annotate(figures, schedule.message.text())
    timed(figures, "window: open the room fund page",
          lambda: (window.page("rooms"), QApplication.processEvents()))
    window.close()


def print_figures(folder: Path, figures: list[Figure]) -> None:
    from common.workstation import DataFolder

    data = DataFolder(folder)
    for form in ("app28", "schools-directory"):
        def build_form(form: str = form) -> Any:
            with database(data) as session:
                return print_form(session, data, form, "ru", actor="benchmark")

        printed = timed(figures, f"print {form} (ru)", build_form)
        annotate(figures, f"{printed.pages} pages")
    with database(data) as session:
        snapshot = timed(figures, "read the whole site database (snapshot)", lambda: load_snapshot(session))
        timed(figures, "build the payload for НЦТ", lambda: site_database_payload(snapshot),
              f"{len(snapshot.schools)} schools, {sum(len(r.uses) for r in snapshot.rooms)} room records")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=2000)
    parser.add_argument("--figures", type=Path, help="write the Markdown table to this file too")
    args = parser.parse_args()
    i18n.set_language("ru")
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory() as temporary:
        folder = build_site(Path(temporary), args.schools, figures)
        window_figures(folder, figures)
        print_figures(folder, figures)
    lines = [
        f"# АРМ «База ППЕНТ» at scale: {args.schools} schools, "
        f"{REGULAR_ROOMS + RESERVE_ROOMS} rooms × {STREAMS} streams",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M')} on {platform.system()} {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, Qt offscreen. "
        "Reproduce: `.venv/bin/python benchmarks/base_ppent_scale.py`.",
        "",
        f"Load average when measured: {os.getloadavg()[0]:.1f} (wall time includes waiting for other work; "
        "CPU time is this process's own).",
        "",
        "| what | wall, s | CPU, s | note |",
        "|---|---:|---:|---|",
        *(f"| {what} | {wall:.3f} | {cpu:.3f} | {note} |" for what, wall, cpu, note in figures),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.figures:
        args.figures.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
