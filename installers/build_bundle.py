"""Build the bundle: ``python installers/build_bundle.py`` (from the suite's virtual environment).

1. compiles the message catalogue (``.po`` -> ``.mo``), which the bundle carries instead of Babel;
2. draws the icon (``common/ui/icon.svg`` -> ``build/bundle/ent-arm.ico``) for the executables and
   the installer;
3. runs PyInstaller on ``installers/ent-arm.spec`` -> ``dist/ent-arm/``;
4. runs every bundled program (``installers/smoke.py``) unless ``--no-check``.

The Windows installer is made from ``dist/ent-arm`` afterwards with Inno Setup
(``iscc installers\\ent-arm.iss``); see ``installers/README.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import smoke
from bundle_config import BUNDLE_NAME, HERE, ICON, ROOT, check_programs

LOCALE = ROOT / "common" / "i18n" / "locale"
WORK = ROOT / "build" / "bundle" / "pyinstaller"
CACHE = ROOT / "build" / "bundle" / "cache"
"""PyInstaller's cache (its ``PYINSTALLER_CONFIG_DIR``): inside this checkout, never the user's
``~/.cache/pyinstaller`` or ``%LOCALAPPDATA%\\pyinstaller`` shared by every checkout on the machine."""
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def compile_catalogue() -> list[Path]:
    """Compile every ``ent.po`` to ``ent.mo`` beside it; fuzzy entries are left out, as at run time."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    compiled = []
    with _catalogue_lock():
        for po in sorted(LOCALE.glob("*/LC_MESSAGES/ent.po")):
            with po.open("rb") as handle:
                catalog = read_po(handle)
            buffer = io.BytesIO()
            write_mo(buffer, catalog, use_fuzzy=False)
            mo = po.with_suffix(".mo")
            temporary = mo.with_suffix(".mo.tmp")
            temporary.write_bytes(buffer.getvalue())
            os.replace(temporary, mo)
            compiled.append(mo)
    return compiled


@contextlib.contextmanager
def _catalogue_lock() -> Iterator[None]:
    """Wait while ``tasks.py i18n`` rewrites the ``.po`` files (it holds this lock meanwhile)."""
    with (LOCALE / ".lock").open("a") as handle:
        if os.name != "nt":
            import fcntl

            fcntl.flock(handle, fcntl.LOCK_SH)
        yield


def draw_icon(target: Path = ICON) -> Path:
    """Render the SVG icon at every Windows icon size into one ``.ico`` (Qt draws, Pillow writes)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PIL import Image
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication([sys.argv[0]])
    renderer = QSvgRenderer(str(ROOT / "common" / "ui" / "icon.svg"))
    largest = max(ICON_SIZES)
    image = QImage(largest, largest, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    renderer.render(painter)
    painter.end()
    target.parent.mkdir(parents=True, exist_ok=True)
    png = target.with_suffix(".png")
    if not image.save(str(png)):
        raise SystemExit(f"could not write {png}")
    with Image.open(png) as picture:
        picture.save(target, format="ICO", sizes=[(size, size) for size in ICON_SIZES])
    return target


def run_pyinstaller(clean: bool) -> float:
    """Run PyInstaller on the spec; returns the seconds it took."""
    command = [
        sys.executable, "-m", "PyInstaller", str(HERE / "ent-arm.spec"), "--noconfirm",
        "--distpath", str(ROOT / "dist"), "--workpath", str(WORK), "--log-level", "WARN",
    ]
    if clean:
        command.append("--clean")
    print("[build]", " ".join(command), flush=True)
    start = time.perf_counter()
    subprocess.run(command, check=True, cwd=ROOT, env=pyinstaller_env())
    return time.perf_counter() - start


def pyinstaller_env() -> dict[str, str]:
    """The environment PyInstaller runs in: its cache in this checkout (:data:`CACHE`)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "PYINSTALLER_CONFIG_DIR": str(CACHE)}


def folder_size(folder: Path) -> tuple[int, int]:
    """Total bytes and number of files under ``folder``."""
    files = [path for path in folder.rglob("*") if path.is_file() and not path.is_symlink()]
    return sum(path.stat().st_size for path in files), len(files)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clean", action="store_true", help="empty PyInstaller's cache first")
    parser.add_argument("--no-check", action="store_true", help="do not run the bundled programs afterwards")
    parser.add_argument("--smoke-dir", metavar="DIR", type=Path,
                        help="make the smoke test's user folders in DIR (default: a new temporary folder)")
    args = parser.parse_args(argv)
    check_programs()
    print(f"[build] catalogue: {len(compile_catalogue())} languages compiled", flush=True)
    print(f"[build] icon: {draw_icon().relative_to(ROOT)}", flush=True)
    seconds = run_pyinstaller(args.clean)
    bundle = ROOT / "dist" / BUNDLE_NAME
    size, count = folder_size(bundle)
    print(f"[build] {bundle.relative_to(ROOT)}: {size / 2**20:.0f} MiB in {count} files, built in {seconds:.0f} s")
    if args.no_check:
        return 0
    checks = smoke.run_all(bundle, args.smoke_dir)
    print(smoke.report(checks))
    return 0 if all(check.ok for check in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
