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
   would not be read), built on both cores at low priority. The rendered forms are kept between runs
   (``benchmarks/out/applications_scan_forms/``, one folder per school named by what it depends on,
   about 3 MB a form; ``--cache`` moves it, ``--render-only`` only renders): a rerun reads them
   through a fresh capture folder of hard links (no ledger from the last run) instead of rendering.
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
import re
import shutil
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.cpu import pin_to_one_core  # noqa: E402 (after the path is set)

sys.path.insert(0, str(ROOT / "tests"))

from common.files import atomic_write_text  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "applications_scan.json"
TARGET_OVERHEAD = 0.20
SETTLE, IDLE = "0", "0.5"
RENDERED = ROOT / "benchmarks" / "out" / "applications_scan_forms"
"""Rendered forms kept between runs (about 3 MB a form), one folder per school; ``--cache`` moves it."""
COMPLETE = ".complete"
RENDER_VERSION = "v1"
"""Bump when what a rendered form holds changes (people, layout, damage), so old renderings are not reused."""


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
    """Fill, print and scan one school's forms into its folder of rendered forms (in a worker
    process, at low priority: the machine is shared). The folder is marked complete only at the end,
    so a run stopped half-way renders it again."""
    from applications_support import form

    from common.omr.damage import Profile
    from common.scanning.simulated import SimulatedScanner
    from forms.registry import get_layout

    school, folder, first_ikt, count, seed, prefix = job
    started = time.perf_counter()
    if hasattr(os, "nice"):
        os.nice(10)
    shutil.rmtree(folder, ignore_errors=True)
    Path(folder).mkdir(parents=True)
    sheets = [form(school, f"{first_ikt + offset:09d}", **person)
              for offset, person in enumerate(people(count, seed))]
    SimulatedScanner(get_layout("application"), sheets, dpi=200, damage_profile=Profile.production(),
                     seed=seed).export(Path(folder), prefix=prefix)
    (Path(folder) / COMPLETE).touch()
    return school, count, time.perf_counter() - started


def rendered_folder(cache: Path, school: str, first_ikt: int, count: int, seed: int) -> Path:
    """Where one school's rendered forms are kept between runs: named by everything they depend on."""
    return cache / f"{school.replace('/', '-')}_{first_ikt}_{count}_{seed}_{RENDER_VERSION}"


def rendered_complete(folder: Path, count: int) -> bool:
    """Whether ``folder`` holds all ``count`` rendered forms (a run stopped half-way leaves no mark).
    Two runs must not render into the same folder at once."""
    return (folder / COMPLETE).exists() and sum(1 for path in folder.glob("*.png")) == count


def capture_folder(rendered: Path, folder: Path) -> None:
    """A fresh capture folder holding the rendered forms (hard links, a copy across file systems),
    so every run starts with no ledger and the rendered forms stay as they were."""
    folder.mkdir(parents=True)
    for path in sorted(rendered.iterdir()):
        if path.name.startswith("."):
            continue
        try:
            os.link(path, folder / path.name)
        except OSError:
            shutil.copy2(path, folder / path.name)


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
            rendered = rendered_folder(args.cache, school, journals[school], count, args.seed + index)
            jobs.append((school, str(rendered), journals[school], count, args.seed + index, "scan"))
        missing = [job for job in jobs if not rendered_complete(Path(job[1]), job[3])]
        started = time.perf_counter()
        if missing:
            with concurrent.futures.ProcessPoolExecutor(args.workers) as pool:
                list(pool.map(export_school, missing))
        generation = time.perf_counter() - started
        print(f"rendered {sum(job[3] for job in missing)} forms in {generation:.0f} s "
              f"({len(jobs) - len(missing)} schools' forms reused from {args.cache})", flush=True)
        if args.render_only:
            return {}

        pin_to_one_core()
        rows = []
        for index, (school, rendered, _first, count, _seed, _prefix) in enumerate(jobs):
            folder = work / "capture" / f"school{index:02d}"
            capture_folder(Path(rendered), folder)
            read_cpu, read_wall, files = reader_alone(folder)
            if args.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile(time.process_time)  # CPU time, as measured
                loop_cpu, loop_wall, data = profiler.runcall(loop, scene, school, folder)
                profiler.dump_stats(OUT.parent / f"applications_scan_school{index:02d}.prof")  # for pstats
                stats = pstats.Stats(profiler)
                stats.sort_stats("cumulative").print_stats(re.escape(str(ROOT)) + r"/(common|arm_applications)", 40)
                stats.sort_stats("tottime").print_stats(25)
            else:
                loop_cpu, loop_wall, data = loop(scene, school, folder)
            assert data["pages"] == count == files, (data["pages"], count, files)
            rows.append({"school": school, "forms": count, "reader_cpu": read_cpu, "reader_wall": read_wall,
                         "loop_cpu": loop_cpu, "loop_wall": loop_wall, "counts": data["counts"]})
            shutil.rmtree(folder)  # links to the rendered forms (or a copy of them)
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
        "rendered_forms": sum(job[3] for job in missing),
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
        f"| Building the forms ({figures['rendered_forms']:,} rendered by this run, {figures['generation_workers']} "
        f"processes at low priority; the rest reused) | {figures['generation_seconds']:.0f} s | — | — |",
    ])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--forms", type=int, default=5000, help="applicants (one form each)")
    parser.add_argument("--schools", type=int, default=10, help="schools they come from")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--workers", type=int, default=2, help="processes that build the forms")
    parser.add_argument("--keep", action="store_true", default=None, help="keep the working folder")
    parser.add_argument("--profile", action="store_true",
                        help="profile each school's scan (the suite's functions by cumulative, then own time)")
    parser.add_argument("--markdown", action="store_true", help="print the README table")
    parser.add_argument("--cache", type=Path, default=RENDERED,
                        help="folder of rendered forms kept between runs (default: %(default)s)")
    parser.add_argument("--render-only", action="store_true", help="render the forms into --cache and stop")
    args = parser.parse_args()
    if args.schools < 2 or args.forms < args.schools:
        parser.error("--schools must be at least 2 (two streams) and --forms at least --schools")
    figures = run(args)
    if args.render_only:
        return 0
    OUT.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(OUT, json.dumps(figures, indent=2, ensure_ascii=False))
    print(markdown(figures) if args.markdown else json.dumps({key: value for key, value in figures.items()
                                                              if key != "per_school"}, indent=2))
    return 0 if figures["overhead"] <= TARGET_OVERHEAD else 1


if __name__ == "__main__":
    raise SystemExit(main())
