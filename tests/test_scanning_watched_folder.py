"""The watched folder: complete files only, in order, once, across restarts."""

from __future__ import annotations

import io
import itertools
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from common.scanning.driver import ScannedPage, ScannerDriver, ScannerError
from common.scanning.watched_folder import LEDGER_NAME, WatchedFolder

FAST = {"settle_seconds": 0.1, "poll_seconds": 0.02, "idle_timeout": 0.4}


def page_pixels(seed: int, shape: tuple[int, int] = (120, 90)) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)


def png_bytes(pixels: np.ndarray, dpi: int = 200) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG", dpi=(dpi, dpi))
    return buffer.getvalue()


def write_file(path: Path, data: bytes, mtime: float | None = None) -> None:
    path.write_bytes(data)
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def take(folder: WatchedFolder, acknowledge: bool = True) -> list[ScannedPage]:
    pages = []
    for page in folder.acquire():
        pages.append(page)
        if acknowledge:
            folder.acknowledge(page.page_id)
    return pages


def test_a_file_written_slowly_is_taken_once_and_only_when_complete(tmp_path: Path) -> None:
    pixels = page_pixels(1, (400, 300))
    data = png_bytes(pixels)
    finished_at: list[float] = []

    def slow_scanner() -> None:
        with (tmp_path / "scan0001.png").open("wb") as stream:
            for start in range(0, len(data), len(data) // 8 + 1):
                stream.write(data[start : start + len(data) // 8 + 1])
                stream.flush()
                time.sleep(0.1)
        finished_at.append(time.monotonic())

    writer = threading.Thread(target=slow_scanner)
    writer.start()
    folder = WatchedFolder(tmp_path, settle_seconds=0.25, poll_seconds=0.02, idle_timeout=1.5)
    arrivals = []
    for page in folder.acquire():
        arrivals.append((time.monotonic(), page))
        folder.acknowledge(page.page_id)
    writer.join()

    assert len(arrivals) == 1
    arrived_at, page = arrivals[0]
    assert arrived_at >= finished_at[0]
    assert np.array_equal(page.image, pixels)
    assert page.dpi == 200
    assert page.source == "scan0001.png#1"


def test_multi_page_tiff_and_pdf_give_every_page_in_order(tmp_path: Path) -> None:
    tiff_pages = [page_pixels(seed) for seed in (10, 11, 12)]
    buffer = io.BytesIO()
    first, *rest = (Image.fromarray(p) for p in tiff_pages)
    first.save(buffer, "TIFF", save_all=True, append_images=rest, dpi=(300, 300), compression="tiff_lzw")
    write_file(tmp_path / "batch-a.tif", buffer.getvalue(), mtime=1_000_000)

    pdf_pages = [page_pixels(seed, (220, 170)) for seed in (20, 21)]
    buffer = io.BytesIO()
    first, *rest = (Image.fromarray(p) for p in pdf_pages)
    first.save(buffer, "PDF", save_all=True, append_images=rest, resolution=150)
    write_file(tmp_path / "batch-b.pdf", buffer.getvalue(), mtime=1_000_010)

    pages = take(WatchedFolder(tmp_path, **FAST))

    assert [p.source for p in pages] == [
        "batch-a.tif#1",
        "batch-a.tif#2",
        "batch-a.tif#3",
        "batch-b.pdf#1",
        "batch-b.pdf#2",
    ]
    for page, expected in zip(pages[:3], tiff_pages, strict=True):
        assert np.array_equal(page.image, expected)
        assert page.dpi == 300
    for page, expected in zip(pages[3:], pdf_pages, strict=True):
        assert page.image.shape == expected.shape
        assert np.abs(page.image.astype(int) - expected).mean() < 12  # JPEG inside the PDF
        assert page.dpi == 150
    assert len({p.page_id for p in pages}) == 5


def test_files_come_in_the_order_they_were_written_not_by_name(tmp_path: Path) -> None:
    for name, seed, mtime in (("c.png", 3, 1_000_001), ("a.png", 1, 1_000_003), ("b.png", 2, 1_000_002)):
        write_file(tmp_path / name, png_bytes(page_pixels(seed)), mtime=mtime)
    write_file(tmp_path / "notes.txt", b"not a scan")
    write_file(tmp_path / "~partial.png", b"\x89PNG half")

    pages = take(WatchedFolder(tmp_path, **FAST))

    assert [p.source for p in pages] == ["c.png#1", "b.png#1", "a.png#1"]


def test_a_restart_resumes_after_the_last_acknowledged_page(tmp_path: Path) -> None:
    for index in range(4):
        write_file(tmp_path / f"s{index}.png", png_bytes(page_pixels(index)), mtime=1_000_000 + index)

    folder = WatchedFolder(tmp_path, **FAST)
    delivered = []
    for page in folder.acquire():
        delivered.append(page.source)
        if len(delivered) <= 2:
            folder.acknowledge(page.page_id)
        if len(delivered) == 3:
            break  # the program dies while storing the third page: it is never acknowledged
    del folder

    after_crash = take(WatchedFolder(tmp_path, **FAST))
    assert [p.source for p in after_crash] == ["s2.png#1", "s3.png#1"]
    assert take(WatchedFolder(tmp_path, **FAST)) == []
    assert (tmp_path / LEDGER_NAME).exists()


def test_unacknowledged_pages_are_not_repeated_within_one_run(tmp_path: Path) -> None:
    write_file(tmp_path / "s.png", png_bytes(page_pixels(5)))
    folder = WatchedFolder(tmp_path, **FAST)

    assert len(take(folder, acknowledge=False)) == 1
    assert take(folder, acknowledge=False) == []


def test_the_same_scan_saved_twice_is_taken_once(tmp_path: Path) -> None:
    data = png_bytes(page_pixels(7))
    write_file(tmp_path / "first.png", data, mtime=1_000_000)
    assert [p.source for p in take(WatchedFolder(tmp_path, **FAST))] == ["first.png#1"]

    write_file(tmp_path / "copy-of-first.png", data, mtime=1_000_100)
    write_file(tmp_path / "second.png", png_bytes(page_pixels(8)), mtime=1_000_200)
    assert [p.source for p in take(WatchedFolder(tmp_path, **FAST))] == ["second.png#1"]


def test_a_name_reused_for_a_new_scan_is_taken_again(tmp_path: Path) -> None:
    write_file(tmp_path / "scan.png", png_bytes(page_pixels(1)), mtime=1_000_000)
    first = take(WatchedFolder(tmp_path, **FAST))
    write_file(tmp_path / "scan.png", png_bytes(page_pixels(2)), mtime=1_000_500)
    second = take(WatchedFolder(tmp_path, **FAST))

    assert len(first) == len(second) == 1
    assert first[0].page_id != second[0].page_id
    assert np.array_equal(second[0].image, page_pixels(2))


def test_a_broken_file_is_set_aside_and_the_batch_goes_on(tmp_path: Path) -> None:
    write_file(tmp_path / "a-broken.png", png_bytes(page_pixels(1))[:-300], mtime=1_000_000)
    write_file(tmp_path / "b-good.png", png_bytes(page_pixels(2)), mtime=1_000_001)
    folder = WatchedFolder(tmp_path, settle_seconds=0.05, poll_seconds=0.02, idle_timeout=0.8, reject_after_seconds=0.3)

    pages = take(folder)

    assert [p.source for p in pages] == ["b-good.png#1"]
    assert [r.name for r in folder.rejected()] == ["a-broken.png"]
    assert [r.name for r in WatchedFolder(tmp_path, **FAST).rejected()] == ["a-broken.png"]


def test_stop_ends_a_waiting_acquire(tmp_path: Path) -> None:
    folder = WatchedFolder(tmp_path, settle_seconds=0.05, poll_seconds=0.02, idle_timeout=None)
    assert isinstance(folder, ScannerDriver)
    threading.Timer(0.3, folder.stop).start()
    started = time.monotonic()

    assert list(folder.acquire()) == []
    assert time.monotonic() - started < 2


def test_a_damaged_ledger_is_refused_rather_than_forgotten(tmp_path: Path) -> None:
    (tmp_path / LEDGER_NAME).write_text("{ not json", encoding="utf-8")
    with pytest.raises(ScannerError):
        WatchedFolder(tmp_path, **FAST)


def test_a_burst_of_files_waits_one_settling_time_not_one_per_file(tmp_path: Path) -> None:
    for index in range(8):
        write_file(tmp_path / f"s{index}.png", png_bytes(page_pixels(index)), mtime=1_000_000 + index)
    folder = WatchedFolder(tmp_path, settle_seconds=0.4, poll_seconds=0.02, idle_timeout=0.2)
    started = time.monotonic()

    pages = take(folder)

    assert len(pages) == 8
    assert time.monotonic() - started < 0.4 * 4, "a high-speed scanner's files must not queue behind each other"


def bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A small PNG whose header says 20000 × 20000 pixels: decoding it would take 400 MB or more."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * (width + 1) * 16)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_set_aside_at_once_and_the_files_after_it_come(tmp_path: Path) -> None:
    from common import i18n

    i18n.set_language("en")  # the reason is asserted in English; the default language is Russian
    write_file(tmp_path / "a-huge.png", bomb_png(), mtime=1_000_000)
    write_file(tmp_path / "b-good.png", png_bytes(page_pixels(2)), mtime=1_000_001)
    folder = WatchedFolder(tmp_path, settle_seconds=0.05, poll_seconds=0.02, idle_timeout=0.5,
                           reject_after_seconds=3600)  # no waiting: more bytes cannot make it a page

    pages = take(folder)

    assert [p.source for p in pages] == ["b-good.png#1"]
    (rejected,) = folder.rejected()
    assert rejected.name == "a-huge.png" and "larger than any scanned page" in rejected.reason
    again = WatchedFolder(tmp_path, **FAST)  # a restart does not trip over it again
    assert take(again) == [] and [r.name for r in again.rejected()] == ["a-huge.png"]


def test_empty_truncated_and_non_image_files_are_set_aside_with_a_reason_and_the_batch_goes_on(
    tmp_path: Path,
) -> None:
    write_file(tmp_path / "a-empty.png", b"", mtime=1_000_000)
    write_file(tmp_path / "b-letter.jpg", "Құрметті комиссия, …".encode() * 50, mtime=1_000_001)
    tiff = io.BytesIO()
    Image.fromarray(page_pixels(3, (400, 300))).save(tiff, "TIFF")
    write_file(tmp_path / "c-cut.tif", tiff.getvalue()[:5000], mtime=1_000_002)
    write_file(tmp_path / "d-cut.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", mtime=1_000_003)
    write_file(tmp_path / "e-good.png", png_bytes(page_pixels(4)), mtime=1_000_004)
    folder = WatchedFolder(tmp_path, settle_seconds=0.05, poll_seconds=0.02, idle_timeout=1.0,
                           reject_after_seconds=0.2)

    pages = take(folder)

    assert [p.source for p in pages] == ["e-good.png#1"]
    rejected = folder.rejected()
    assert [r.name for r in rejected] == ["a-empty.png", "b-letter.jpg", "c-cut.tif", "d-cut.pdf"]
    assert all(r.reason for r in rejected)


def test_each_acknowledgement_appends_one_line_to_the_ledger_instead_of_rewriting_it(tmp_path: Path) -> None:
    """Recording a page costs the same however many the folder has had: one line appended."""
    for index in range(3):
        write_file(tmp_path / f"s{index}.png", png_bytes(page_pixels(index)), mtime=1_000_000 + index)
    folder = WatchedFolder(tmp_path, **FAST)
    ledger = tmp_path / LEDGER_NAME
    sizes = []
    for page in folder.acquire():
        folder.acknowledge(page.page_id)
        sizes.append(ledger.read_bytes())
    first = sizes[0]
    assert first.count(b"\n") == 1  # the folder's first record: a snapshot
    assert all(later.startswith(earlier) for earlier, later in itertools.pairwise(sizes))  # appended, never rewritten
    assert [data.count(b"\n") for data in sizes] == [1, 2, 3]
    assert take(WatchedFolder(tmp_path, **FAST)) == []
    assert ledger.read_bytes().count(b"\n") == 1  # read back and written again as one snapshot


def test_a_ledger_line_torn_by_a_crash_is_dropped_and_its_page_comes_again(tmp_path: Path) -> None:
    for index in range(3):
        write_file(tmp_path / f"s{index}.png", png_bytes(page_pixels(index)), mtime=1_000_000 + index)
    assert len(take(WatchedFolder(tmp_path, **FAST))) == 3
    ledger = tmp_path / LEDGER_NAME
    whole = ledger.read_bytes()
    ledger.write_bytes(whole[: whole.rindex(b"\n", 0, len(whole) - 1) + 1 + 25])  # the last line cut short

    again = take(WatchedFolder(tmp_path, **FAST))
    assert [p.source for p in again] == ["s2.png#1"]  # its acknowledgement was not durable: it comes again
    assert take(WatchedFolder(tmp_path, **FAST)) == []  # and the ledger written after the torn line reads


def test_a_damaged_ledger_line_before_the_last_is_refused(tmp_path: Path) -> None:
    for index in range(3):
        write_file(tmp_path / f"s{index}.png", png_bytes(page_pixels(index)), mtime=1_000_000 + index)
    assert len(take(WatchedFolder(tmp_path, **FAST))) == 3
    ledger = tmp_path / LEDGER_NAME
    lines = ledger.read_bytes().split(b"\n")
    lines[1] = lines[1][:10]
    ledger.write_bytes(b"\n".join(lines))
    with pytest.raises(ScannerError):
        WatchedFolder(tmp_path, **FAST)


def test_a_ledger_of_the_earlier_format_still_reads(tmp_path: Path) -> None:
    """One JSON snapshot without a final newline, as written before lines were appended."""
    import json

    write_file(tmp_path / "s0.png", png_bytes(page_pixels(0)), mtime=1_000_000)
    write_file(tmp_path / "s1.png", png_bytes(page_pixels(1)), mtime=1_000_001)
    folder = WatchedFolder(tmp_path, **FAST)
    first = next(iter(folder.acquire()))
    folder.stop()
    digest = first.page_id.rpartition(":")[0]
    (tmp_path / LEDGER_NAME).write_text(json.dumps({"version": 1, "acknowledged": {digest: [1]}, "files": {},
                                                    "rejected": {}}), encoding="utf-8")
    assert [p.source for p in take(WatchedFolder(tmp_path, **FAST))] == ["s1.png#1"]
    assert take(WatchedFolder(tmp_path, **FAST)) == []


def test_a_ledger_removed_while_the_folder_is_watched_is_written_again_whole(tmp_path: Path) -> None:
    """Deleting the record mid-batch loses no acknowledgement: the next one writes all it knows."""
    for index in range(3):
        write_file(tmp_path / f"s{index}.png", png_bytes(page_pixels(index)), mtime=1_000_000 + index)
    folder = WatchedFolder(tmp_path, **FAST)
    ledger = tmp_path / LEDGER_NAME
    for page in folder.acquire():
        if page.source == "s1.png#1":
            ledger.unlink()
        folder.acknowledge(page.page_id)
    assert ledger.read_bytes().count(b"\n") == 2  # the snapshot written again, then one appended line
    assert take(WatchedFolder(tmp_path, **FAST)) == []  # s0's acknowledgement survived the deletion
