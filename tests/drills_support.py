"""Stages the failure drills (issue 19) share: each built once per test run and handed out as copies."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from applications_support import ok
from exchange_support import Scene
from programmer_support import identified_stream, programmer, three_passwords

_BUILT: dict[str, Scene] = {}


def opened_stage(tmp_path_factory: pytest.TempPathFactory, destination: Path) -> Scene:
    """A copy, at ``destination``, of stream 1 scanned twice, identified, its answer codes opened (not scored)."""
    if "opened" not in _BUILT:
        scene, passwords, _paper = identified_stream(tmp_path_factory)
        ok(programmer(scene, "codes", "open", "--stream", "1", **three_passwords(passwords)))
        keep = Path(tempfile.mkdtemp(prefix="ent-drills-stage-"))
        atexit.register(shutil.rmtree, keep, True)
        _BUILT["opened"] = scene.copy(keep / "scene")
    return _BUILT["opened"].copy(destination)


def overwrite_the_middle(database: Path) -> bytes:
    """Bytes overwritten in the middle of a valid SQLite file (its WAL checkpointed first), as a failing disk or
    a copy gone wrong leaves it; the damaged file's bytes."""
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    for suffix in ("-wal", "-shm"):
        database.with_name(database.name + suffix).unlink(missing_ok=True)
    data = bytearray(database.read_bytes())
    middle = len(data) // 2 // 4096 * 4096
    data[middle:middle + 4 * 4096] = bytes((index * 37 + 11) % 256 for index in range(4 * 4096))
    database.write_bytes(bytes(data))
    return bytes(data)


def photo(path: Path, seed: int = 5) -> Path:
    """A photo-like picture that is no sheet: smooth colour, blurred discs and sensor noise."""
    import cv2
    import numpy as np

    rng = np.random.default_rng(seed)
    height, width = 1200, 1600
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    image = np.zeros((height, width, 3), np.float32)
    for channel in range(3):
        image[..., channel] = 90 + 60 * np.sin(x / rng.uniform(80, 300) + rng.uniform(0, 6)) * np.cos(
            y / rng.uniform(80, 300))
    for _disc in range(25):
        centre = (int(rng.uniform(0, width)), int(rng.uniform(0, height)))
        cv2.circle(image, centre, int(rng.uniform(20, 200)), rng.uniform(0, 255, 3).tolist(), -1)
    image = cv2.GaussianBlur(image, (0, 0), 6) + rng.normal(0, 8, image.shape)
    path.parent.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(path), np.clip(image, 0, 255).astype(np.uint8))
    return path


# --- a small disk that the test fills (issue 19: disk full) ----------------------------------------------------


@contextlib.contextmanager
def mounted(folder: Path, size: str = "4m") -> Iterator[Path]:
    """A small tmpfs at ``folder`` (the tests run as root); unmounted at the end."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def remount(folder: Path, mode: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{mode}", str(folder)], check=True)


def pages_of(size: int) -> int:
    """``size`` bytes rounded up to whole 4 KiB pages: what a file of that size takes on the tmpfs."""
    return (size + 4095) // 4096 * 4096


def taken(path: Path) -> int:
    """The space the file at ``path`` takes on a disk (:func:`pages_of` its size)."""
    return pages_of(path.stat().st_size)


def fill(disk: Path, leave: int = 0) -> Path:
    """Fill the file system of ``disk`` with one file, then give back ``leave`` bytes (whole 4 KiB pages, at least
    ``leave``); the file, to delete when space is freed."""
    filler = disk / "filler"
    with filler.open("wb") as stream, contextlib.suppress(OSError):
        while True:
            stream.write(b"\0" * 65536)
            stream.flush()
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - pages_of(leave)))
    return filler


def snapshot(database: Path, log: Path) -> tuple[list[str], bytes]:
    """A database's rows (SQL dump) and its audit log's bytes: what "nothing was changed" compares."""
    with sqlite3.connect(database) as connection:
        dump = list(connection.iterdump())
    connection.close()
    return dump, log.read_bytes()
