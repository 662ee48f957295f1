"""The OMR test corpus, generated once and kept in this checkout's ``.cache/`` for the next runs.

Generating the 200 sheets takes most of the corpus tests' time; reading them is what the tests
check. The corpus is deterministic (a fixed seed; ``test_a_corpus_is_the_same_whatever_the_number
_of_workers``), so it is stored under a key made of everything that shapes it: the parameters, the code
and data it is made from (``common/omr``, ``common/testspec``, ``forms``, the code book, the fonts),
the image libraries' versions and Python's. Any change there
makes a new key and a fresh corpus; every file is checked against its recorded SHA-256 before use.
Set ``ENT_TEST_CORPUS_CACHE=0`` to generate afresh into the test's own folder.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import os
import pickle
import platform
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from forms.corpus import CorpusSheet

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache" / "omr-corpus"
LIBRARIES = ("numpy", "opencv-python-headless", "reportlab", "pypdfium2", "pillow", "zxing-cpp")
INDEX = "sheets.pickle"


def corpus_key(**parameters: object) -> str:
    digest = hashlib.sha256(repr(sorted(parameters.items())).encode())
    digest.update(f"{sys.version_info[:3]} {platform.machine()}".encode())
    for library in LIBRARIES:
        digest.update(f"{library}={importlib.metadata.version(library)}".encode())
    for path in _shaping_files():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:32]


def _shaping_files() -> list[Path]:
    """The code and data a corpus is made from (what ``build_corpus`` imports and reads)."""
    files = [ROOT / "common" / "codebook.py", *sorted((ROOT / "common" / "fonts").glob("*"))]
    for folder in (ROOT / "common" / "omr", ROOT / "common" / "testspec", ROOT / "forms"):
        files += sorted(
            path for path in folder.rglob("*")
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc"
            and path != ROOT / "forms" / "cli.py"
        )
    return files


def cached_corpus(
    build: Callable[[Path], list[CorpusSheet]], fresh_dir: Path, **parameters: object
) -> list[CorpusSheet]:
    """The sheets ``build(folder)`` writes, from the cache when an identical corpus is there."""
    if os.environ.get("ENT_TEST_CORPUS_CACHE") == "0":
        return build(fresh_dir)
    folder = CACHE / corpus_key(**parameters)
    found = _load(folder)
    if found is not None:
        return found
    CACHE.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=CACHE))
    try:
        sheets = build(building)
        record = [
            (replace(sheet, path=None), sheet.path.name, _sha256(sheet.path)) for sheet in sheets if sheet.path
        ]
        assert len(record) == len(sheets), "every sheet is a file"
        (building / INDEX).write_bytes(pickle.dumps(record))
        for old in CACHE.iterdir():  # one corpus kept per checkout: the current one
            if old.is_dir() and not old.name.startswith(".") and old != folder:
                shutil.rmtree(old, ignore_errors=True)
        with contextlib.suppress(OSError):  # another run of this checkout stored it first
            building.rename(folder)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    loaded = _load(folder)
    assert loaded is not None, f"the corpus stored in {folder} cannot be read back"
    return loaded


def _load(folder: Path) -> list[CorpusSheet] | None:
    try:
        record = pickle.loads((folder / INDEX).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError):
        return None
    sheets: list[CorpusSheet] = []
    for sheet, name, sha256 in record:
        path = folder / name
        if not path.is_file() or _sha256(path) != sha256:
            shutil.rmtree(folder, ignore_errors=True)
            return None
        sheets.append(replace(sheet, path=path))
    return sheets


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
