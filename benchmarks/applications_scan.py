"""A site's application forms scanned school by school: the scan loop against the reader alone (issue 11).

    .venv/bin/python benchmarks/applications_scan.py [--forms 5000] [--schools 10] [--markdown]

1. Builds a real site the way its users do (НЦТ, «База ППЕНТ» with ``--schools`` schools in two
   streams, the site database and the plan through НЦТ, the applications workstation enrolled, each
   school's journal printed), with ``--forms`` applicants spread over the schools.
2. Fills one application form per applicant — a distinct person on each: Kazakh and Russian
   surnames, names and patronymics from НЦТ's sample lists, a valid ИИН, sex, language (kk, ru, now
   and then en with a history language), the journal row's ИКТ — and "prints and scans" it with the
   simulated scanner and a production scanner's damage (``Profile.production``) at 200 dpi, into one
   capture folder per school. Every image is distinct (the loop never reads a page twice, so copies
   would not be read), built on both cores.
3. On ONE core (this process pinned to one CPU, OpenCV on one thread), per school:
   (a) **the reader alone**: each file decoded by the reader's own decoder
       (``common.omr.images.load_pages``) and read by ``read_page``;
   (b) **the loop**: ``ent-applications scan --school S --from DIR`` (the folder driver, the shared
       loop, the image kept, the form decided and stored, the page acknowledged) on the same files.
   Both in this process's CPU time, so other load on the machine does not distort them (the folder
   driver's idle wait at the end sleeps; wall-clock figures are given beside them). The loop's
   overhead is (b − a) ÷ a.

Results go to ``benchmarks/out/applications_scan.json``; ``--markdown`` prints the README table.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import platform
import random
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from common.files import atomic_write_text  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "applications_scan.json"
TARGET_OVERHEAD = 0.20
SETTLE, IDLE = "0", "0.5"


def build_site(folder: Path, schools: int, per_school: int) -> tuple[Any, list[str]]:
    """The site with its plan on the applications workstation and every journal printed."""
    from applications_support import applications, base_ppent, bins_by_stream, ok, send_site_database
    from exchange_support import Scene

    from nct_hub import sample_data

    scene = Scene(folder / "scene")
    scene.out.mkdir(parents=True)
    ok(scene.nct("init"))
    ok(scene.nct("keys", "init"))
    ok(scene.nct("directories", "import", "--sample"))
    ok(scene.nct("site", "create", "--code", "017", "--name-kk", "Көкшетау ҰБТӨП", "--name-ru", "ППЕНТ Кокшетау",
                 "--region", "11", "--building", "Бас ғимарат"))
    scene.enrol("base-ppent")
    scene.enrol("applications")
    directories = sample_data.generate_directories()
    ok(base_ppent(scene, "streams", "add", "--date", "2027-06-20"))
    ok(base_ppent(scene, "streams", "add", "--date", "2027-06-21"))
    for number in ("01", "02"):
        ok(base_ppent(scene, "rooms", "add", number, "--desks", "30"))
    for stream in ("1", "2"):
        ok(base_ppent(scene, "rooms", "use", "01", "--stream", stream, "--language", "kk"))
        ok(base_ppent(scene, "rooms", "use", "02", "--stream", stream, "--language", "ru"))
    keys = [f"{school.region_code}/{school.district_code}/{school.code}"
            for school in directories.schools_of("11")[:schools]]
    half = (len(keys) + 1) // 2
    ok(base_ppent(scene, "schools", "take", *keys[:half], "--stream", "1"))
    ok(base_ppent(scene, "schools", "take", *keys[half:], "--stream", "2"))
    kk = per_school * 6 // 10
    for bin_code in bins_by_stream(scene):
        ok(base_ppent(scene, "schools", "update", bin_code, "--expected", f"kk={kk},ru={per_school - kk}"))
    ok(base_ppent(scene, "send", password=True))
    send_site_database(scene)
    sent = ok(scene.nct("plan", "send", "--site", "017", "--out", str(scene.out), "--json")).json()
    ok(applications(scene, "plan", "import", sent["path"]))
    plan = ok(applications(scene, "plan", "show", "--json")).json()
    planned = [school["school"] for school in plan["schools"]]
    for school in planned:
        ok(applications(scene, "journals", "print", "--school", school))
    return scene, planned


def people(count: int, seed: int) -> list[dict[str, Any]]:
    """``count`` distinct applicants: Kazakh and Russian names, valid ИИН, a test language."""
    from applications_support import iin

    from nct_hub import sample_reference as reference

    rng = random.Random(seed)
    chosen: list[dict[str, Any]] = []
    for index in range(count):
        female = rng.random() < 0.52
        born = date(2007, 1, 1) + timedelta(days=rng.randint(0, 700))
        surname = rng.choice(reference.SURNAMES)
        surname += "а" if female and surname.endswith(("ов", "ев", "ин")) else ""
        patronymic = rng.choice(reference.PATRONYMIC_STEMS) + ("қызы" if female else "ұлы")
        language = "kk" if rng.random() < 0.6 else "ru" if rng.random() < 0.95 else "en"
        sex = "F" if female else "M"
        chosen.append({
            "surname": surname, "name": rng.choice(reference.FEMALE_NAMES if female else reference.MALE_NAMES),
            "patronymic": patronymic, "sex": sex, "iin_or_date": iin(born.strftime("%y%m%d"), sex, 1 + index % 9000),
            "language": language, "history": rng.choice(("kk", "ru")) if language == "en" else "",
        })
    return chosen


def export_school(job: tuple[str, str, int, int, int, str]) -> tuple[str, int, float]:
    """Fill, print and scan one school's forms into its capture folder (in a worker process)."""
    from applications_support import form

    from common.omr.damage import Profile
    from common.scanning.simulated import SimulatedScanner
    from forms.registry import get_layout

    school, folder, first_ikt, count, seed, prefix = job
    started = time.perf_counter()
    sheets = [form(school, f"{first_ikt + offset:09d}", **person)
              for offset, person in enumerate(people(count, seed))]
    SimulatedScanner(get_layout("application"), sheets, dpi=200, damage_profile=Profile.production(),
                     seed=seed).export(Path(folder), prefix=prefix)
    return school, count, time.perf_counter() - started


def pin_to_one_core() -> None:
    import cv2

    cv2.setNumThreads(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def reader_alone(folder: Path) -> tuple[float, float, int]:
    """CPU and wall seconds to decode and read every file of ``folder`` as the loop does."""
    from arm_applications.scanning import application_layout
    from common.omr.images import load_pages
    from common.omr.reader import read_page

    layout = application_layout()
    files = sorted(path for path in folder.iterdir() if not path.name.startswith("."))
    cpu, wall = time.process_time(), time.perf_counter()
    for path in files:
        for image in load_pages(path):
            read_page(image, layout, image_name=path.name)
    return time.process_time() - cpu, time.perf_counter() - wall, len(files)


def loop(scene: Any, school: str, folder: Path) -> tuple[float, float, dict[str, Any]]:
    """CPU and wall seconds of ``ent-applications scan`` on ``folder`` (in this process)."""
    from applications_support import applications, ok

    cpu, wall = time.process_time(), time.perf_counter()
    data = ok(applications(scene, "scan", "--school", school, "--from", str(folder), "--settle", SETTLE,
                           "--idle", IDLE, "--json")).json()
    return time.process_time() - cpu, time.perf_counter() - wall - float(IDLE), data


def run(args: argparse.Namespace) -> dict[str, Any]:
    from applications_support import applications, ok

    per_school = -(-args.forms // args.schools)
    work = Path(tempfile.mkdtemp(prefix="applications-scan-"))
    try:
        started = time.perf_counter()
        scene, schools = build_site(work, args.schools, per_school)
        setup = time.perf_counter() - started
        journals = {state["school"]: int(state["first_ikt"])
                    for state in ok(applications(scene, "journals", "list", "--json")).json()}
        counts = [per_school] * args.schools
        counts[-1] = args.forms - per_school * (args.schools - 1)
        jobs = []
        for index, (school, count) in enumerate(zip(schools, counts, strict=True)):
            folder = work / "capture" / f"school{index:02d}"
            folder.mkdir(parents=True)
            jobs.append((school, str(folder), journals[school], count, args.seed + index, "scan"))
        started = time.perf_counter()
        with concurrent.futures.ProcessPoolExecutor(args.workers) as pool:
            list(pool.map(export_school, jobs))
        generation = time.perf_counter() - started

        pin_to_one_core()
        rows = []
        for school, folder_name, _first, count, _seed, _prefix in jobs:
            folder = Path(folder_name)
            read_cpu, read_wall, files = reader_alone(folder)
            if args.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                loop_cpu, loop_wall, data = profiler.runcall(loop, scene, school, folder)
                pstats.Stats(profiler).sort_stats("cumulative").print_stats(r"apps2/(common|arm_applications)", 30)
            else:
                loop_cpu, loop_wall, data = loop(scene, school, folder)
            assert data["pages"] == count == files, (data["pages"], count, files)
            rows.append({"school": school, "forms": count, "reader_cpu": read_cpu, "reader_wall": read_wall,
                         "loop_cpu": loop_cpu, "loop_wall": loop_wall, "counts": data["counts"]})
            shutil.rmtree(folder)  # 3 MB a form: the disk holds a school's at a time, not the site's
            for kept in (scene.folder("applications") / "scans").iterdir():
                kept.unlink()
            print(f"{school}: {count} forms, reader {count / read_cpu:.1f}/s, loop {count / loop_cpu:.1f}/s, "
                  f"overhead {(loop_cpu - read_cpu) / read_cpu:+.1%}, {data['counts']}", flush=True)
        listed = ok(applications(scene, "applications", "list", "--json")).json()
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
        else:
            print(f"kept in {work}")
    reader = sum(row["reader_cpu"] for row in rows)
    looped = sum(row["loop_cpu"] for row in rows)
    outcome: dict[str, int] = {}
    for row in rows:
        for state, number in row["counts"].items():
            outcome[state] = outcome.get(state, 0) + number
    return {
        "forms": args.forms, "schools": args.schools, "machine": f"{platform.system()} {platform.machine()}, "
        f"Python {platform.python_version()}, {os.cpu_count()} cores",
        "setup_seconds": setup, "generation_seconds": generation, "generation_workers": args.workers,
        "reader_forms_per_second": args.forms / reader, "loop_forms_per_second": args.forms / looped,
        "reader_wall_forms_per_second": args.forms / sum(row["reader_wall"] for row in rows),
        "loop_wall_forms_per_second": args.forms / sum(row["loop_wall"] for row in rows),
        "overhead": (looped - reader) / reader, "outcome": outcome, "applications": len(listed), "per_school": rows,
    }


def markdown(figures: dict[str, Any]) -> str:
    met = "yes" if figures["overhead"] <= TARGET_OVERHEAD else "**no**"
    slowest = max(figures["per_school"], key=lambda row: (row["loop_cpu"] - row["reader_cpu"]) / row["reader_cpu"])
    worst = (slowest["loop_cpu"] - slowest["reader_cpu"]) / slowest["reader_cpu"]
    return "\n".join([
        "| measure | result | target | met |",
        "|---|---|---|---|",
        f"| Forms scanned ({figures['schools']} schools) | {figures['forms']:,}; outcome {figures['outcome']}; "
        f"{figures['applications']:,} applications | — | — |",
        f"| Reader alone, one core (decode + read) | {figures['reader_forms_per_second']:.1f} forms/s | — | — |",
        f"| `ent-applications scan`, one core (folder driver, loop, store) | "
        f"{figures['loop_forms_per_second']:.1f} forms/s | — | — |",
        f"| Loop's overhead over the reader, all schools / worst school | {figures['overhead']:+.1%} / "
        f"{worst:+.1%} | ≤ 20 % | {met} |",
        f"| Wall clock, reader / loop (machine shared) | {figures['reader_wall_forms_per_second']:.1f} / "
        f"{figures['loop_wall_forms_per_second']:.1f} forms/s | — | — |",
        f"| Building the forms ({figures['generation_workers']} processes) | {figures['generation_seconds']:.0f} s | "
        "— | — |",
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forms", type=int, default=5000, help="applicants (one form each)")
    parser.add_argument("--schools", type=int, default=10, help="schools they come from")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2, help="processes that build the forms")
    parser.add_argument("--keep", action="store_true", default=None, help="keep the working folder")
    parser.add_argument("--profile", action="store_true", help="profile each school's scan (tottime, top 25)")
    parser.add_argument("--markdown", action="store_true", help="print the README table")
    args = parser.parse_args()
    if args.schools < 2 or args.forms < args.schools:
        parser.error("--schools must be at least 2 (two streams) and --forms at least --schools")
    figures = run(args)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(OUT, json.dumps(figures, indent=2, ensure_ascii=False))
    print(markdown(figures) if args.markdown else json.dumps({key: value for key, value in figures.items()
                                                              if key != "per_school"}, indent=2))
    return 0 if figures["overhead"] <= TARGET_OVERHEAD else 1


if __name__ == "__main__":
    raise SystemExit(main())
