"""How long the PyInstaller bundle takes to build, how big it is, and how fast its programs start.

    .venv/bin/python benchmarks/bundle_build.py [--clean] [--runs 5] [--markdown]

Builds ``dist/ent-arm`` exactly as ``installers/build_bundle.py`` does (catalogue, icon, PyInstaller;
``--clean`` empties PyInstaller's cache first, as on a fresh machine), then measures:
- the folder: total size, file count, the executables, the largest parts of ``_internal``;
- start-up: the median wall time of ``--help``, ``info`` on a workstation folder and
  ``ent-omr forms``, from the bundle and, for comparison, from the virtual environment's scripts;
- the smoke checks of ``installers/smoke.py`` (every program, workstation and НЦТ commands, a
  sheet printed and read back, a window opened offscreen): how many pass.
Needs PyInstaller in the environment (``python tasks.py bundle`` installs it).
"""

from __future__ import annotations

import argparse
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "installers"))

import build_bundle  # noqa: E402
import smoke  # noqa: E402
from bundle_config import BUNDLE_NAME, PROGRAMS  # noqa: E402

BIN = Path(sys.executable).parent


def median_seconds(command: list[str], runs: int, env: dict[str, str]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env, timeout=300)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def largest_parts(internal: Path, count: int = 8) -> list[tuple[str, int]]:
    sizes = []
    for child in internal.iterdir():
        if child.is_dir():
            size = sum(path.stat().st_size for path in child.rglob("*") if path.is_file() and not path.is_symlink())
        else:
            size = child.stat().st_size
        sizes.append((child.name, size))
    return sorted(sizes, key=lambda item: -item[1])[:count]


def start_up(bundle: Path, runs: int) -> list[tuple[str, float, float]]:
    """(what, bundle seconds, virtual-environment seconds) for each start-up measurement."""
    suffix = smoke.EXE_SUFFIX
    with tempfile.TemporaryDirectory(prefix="ent-arm-bench-") as temporary:
        home = Path(temporary)
        env = smoke.isolated_env(home)
        folder = home / "w"
        subprocess.run([str(bundle / f"ent-applications-cli{suffix}"), "init", "--data-dir", str(folder)],
                       check=True, capture_output=True, env=env)
        cases = [
            ("ent-applications --help", ["ent-applications-cli", "--help"], ["ent-applications", "--help"]),
            ("ent-applications info", ["ent-applications-cli", "info", "--data-dir", str(folder)],
             ["ent-applications", "info", "--data-dir", str(folder)]),
            ("ent-nct --help", ["ent-nct-cli", "--help"], ["ent-nct", "--help"]),
            ("ent-omr forms", ["ent-omr", "forms"], ["ent-omr", "forms"]),
        ]
        results = []
        for what, bundled, installed in cases:
            frozen = median_seconds([str(bundle / (bundled[0] + suffix)), *bundled[1:]], runs, env)
            script = BIN / (installed[0] + suffix)
            venv = median_seconds([str(script), *installed[1:]], runs, env) if script.exists() else float("nan")
            results.append((what, frozen, venv))
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first (a cold build)")
    parser.add_argument("--runs", type=int, default=5, help="runs per start-up measurement (median)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()

    bundle = ROOT / "dist" / BUNDLE_NAME
    if args.clean:
        shutil.rmtree(bundle, ignore_errors=True)
    start = time.perf_counter()
    build_bundle.compile_catalogue()
    build_bundle.draw_icon()
    pyinstaller_seconds = build_bundle.run_pyinstaller(args.clean)
    total_seconds = time.perf_counter() - start
    size, files = build_bundle.folder_size(bundle)
    executables = [bundle / (name + smoke.EXE_SUFFIX) for program in PROGRAMS for name, _c in program.executables]
    exe_bytes = sum(path.stat().st_size for path in executables)
    parts = largest_parts(bundle / "_internal")
    timings = start_up(bundle, args.runs)
    checks = smoke.run_all(bundle)
    passed = sum(check.ok for check in checks)

    machine = f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, {_cores()} cores"
    mib = 2**20
    if args.markdown:
        print(f"Bundle build ({machine}; {'cold' if args.clean else 'warm'} PyInstaller cache)\n")
        print("| measure | value |\n|---|---|")
        print(f"| build, whole (catalogue, icon, PyInstaller) | {total_seconds:.0f} s |")
        print(f"| PyInstaller alone | {pyinstaller_seconds:.0f} s |")
        print(f"| dist/{BUNDLE_NAME} | {size / mib:.0f} MiB, {files} files |")
        print(f"| {len(executables)} executables together | {exe_bytes / mib:.1f} MiB |")
        for name, part in parts:
            print(f"| _internal/{name} | {part / mib:.0f} MiB |")
        print(f"\n| start-up (median of {args.runs}) | bundle | .venv script |\n|---|---|---|")
        for what, frozen, venv in timings:
            print(f"| {what} | {frozen:.2f} s | {venv:.2f} s |")
        print(f"\nSmoke checks: {passed} of {len(checks)} passed.")
        for check in checks:
            if not check.ok:
                print(f"- FAILED {check.name}: {check.detail}")
    else:
        print(f"{machine}")
        print(f"build {total_seconds:.0f} s (PyInstaller {pyinstaller_seconds:.0f} s); "
              f"{size / mib:.0f} MiB in {files} files; executables {exe_bytes / mib:.1f} MiB")
        for name, part in parts:
            print(f"  _internal/{name}: {part / mib:.0f} MiB")
        for what, frozen, venv in timings:
            print(f"  start-up {what}: bundle {frozen:.2f} s, .venv {venv:.2f} s")
        print(smoke.report(checks))
    return 0 if passed == len(checks) else 1


def _cores() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    sys.exit(main())
