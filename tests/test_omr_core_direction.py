"""One direction between the reader's core and the forms: ``common/omr`` never imports ``forms/``
(the forms' definitions and renderers, and the corpus built from them, sit above the reader)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from import_blocker import blocker

ROOT = Path(__file__).resolve().parent.parent
CORE = ROOT / "common" / "omr"

BLOCKER = blocker(("forms",), "the reader's core imports forms")


def core_modules() -> list[str]:
    return [f"common.omr.{path.stem}" for path in sorted(CORE.glob("*.py")) if path.stem != "__init__"]


def test_no_module_of_the_core_names_forms_anywhere_in_its_imports() -> None:
    offenders = []
    for path in sorted(CORE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names if name == "forms" or name.startswith("forms.")]
    assert offenders == []


def test_every_core_module_imports_with_forms_blocked() -> None:
    done = subprocess.run(
        [sys.executable, "-c", BLOCKER, *core_modules()], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_reader_reads_a_layout_it_is_handed_with_forms_blocked(tmp_path: Path) -> None:
    """A worker process of the reader gets the layout pickled, so reading needs no forms either."""
    import pickle

    import cv2

    from forms.registry import get_layout
    from forms.render import render_page_image

    layout = get_layout("answer-sheet")
    image = tmp_path / "page.png"
    cv2.imwrite(str(image), render_page_image(layout, 150, number="0000007"))
    (tmp_path / "layout.pickle").write_bytes(pickle.dumps(layout))
    script = BLOCKER.split("failed = []")[0] + (
        "import pickle, pathlib\n"
        "from common.omr.reader import read_files\n"
        f"layout = pickle.loads(pathlib.Path({str(tmp_path / 'layout.pickle')!r}).read_bytes())\n"
        f"[result] = read_files(layout, [pathlib.Path({str(image)!r})], workers=1)\n"
        "print(result.form, result.sheet_number, [flag.kind for flag in result.flags])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["answer-sheet", "0000007", "['blank']"]
