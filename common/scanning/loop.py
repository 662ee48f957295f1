"""The scan loop every scanning workstation shares: the applications (п. 89.7, 94) and, later, the
answer sheets of the exam day.

For each page the driver delivers, in this order:

1. **never twice** — a page whose result the consumer already stored (a crash after storing, before
   the acknowledgement) is only acknowledged again;
2. **the image first** — the page is kept in ``scans/`` under a name made from its page id
   (atomically, once, synced with its folder entry; a second attempt of the same page finds it
   there), so every result has its image and no image is lost. A capture folder's PNG or JPEG file
   is kept by a hard link when it can be (:func:`keep_image`), otherwise written; kept images are
   read-only (POSIX);
3. **read and check** — the page is read against the layouts and its page check decides: a page
   that fails it (resolution, skew, blur, a cut corner, the wrong form…) is stored as a **rescan
   request** that names the reason, and the operator puts the sheet through again (a new page);
4. **the result** — the consumer stores the result in one transaction of its own;
5. **acknowledge** — only then is the driver told, so a crash anywhere before leaves the page to
   come again: the loop resumes where it stopped.

The consumer is a :class:`PageSink`; the loop knows no database. ``on_page`` (if given) hears each
outcome as it happens, for a live page counter.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from common.crashpoints import crash_point
from common.files import atomic_write_bytes, sync_file, sync_folder
from common.omr.layout import Layout
from common.omr.reader import PageResult, read_page
from common.scanning.driver import CaptureFile, ScannedPage, ScannerDriver

if TYPE_CHECKING:
    from common.workstation import DataFolder

Outcome = Literal["stored", "rescan", "already"]

IMAGE_KEPT = "scan.image_kept"
"""Crash point: the page's image is on disk, its result is not stored."""
RESULT_KEPT = "scan.result_kept"
"""Crash point: the result is committed, the driver not yet told."""


class PageSink(Protocol):
    """Where the loop's pages go (the workstation's database)."""

    def done(self, page_id: str) -> bool:
        """Whether a result (or a rescan request) of ``page_id`` is already stored."""
        ...

    def keep(self, page: ScannedPage, image: Path, result: PageResult, rescan: bool) -> Any:
        """Store ``result`` of ``page`` (image at ``image``) in one transaction; ``rescan`` when the page
        check failed. Returns what the consumer wants reported (shown to ``on_page``)."""
        ...


@dataclass(frozen=True)
class PageEvent:
    """One page through the loop."""

    page_id: str
    source: str
    outcome: Outcome
    image: Path | None = None
    reasons: tuple[str, ...] = ()
    """The failed page checks' names when ``outcome`` is ``rescan``."""
    detail: Any = None


@dataclass
class LoopSummary:
    events: list[PageEvent] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for event in self.events if event.outcome == outcome)


def image_path(folder: Path, page_id: str, suffix: str = ".png") -> Path:
    """Where the image of ``page_id`` is kept: one name per page, the same on every attempt."""
    return folder / f"{hashlib.sha256(page_id.encode('utf-8')).hexdigest()[:32]}{suffix}"


def keep_image(folder: Path, page: ScannedPage) -> Path:
    """Keep the page's image unless it is already there; returns the path, durable on return.

    A page that is a whole PNG or JPEG file is kept as the scanner wrote it (encoding a 200-dpi page
    again as PNG costs more than reading it): by a **hard link** to the capture file when that file
    is on the same file system, unchanged since it was read (size and modification time), and the
    link may be made read-only (see :func:`_link`); otherwise its bytes are written. Any other page
    is written as PNG with its dpi. Kept images are read-only (POSIX).
    """
    path = image_path(folder, page.page_id, page.suffix if page.encoded is not None else ".png")
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        if page.encoded is None or page.origin is None or not _link(page.origin, path):
            atomic_write_bytes(path, page.encoded if page.encoded is not None else _png(page))
            _read_only(path)
    else:  # kept by an attempt that may have died before making it read-only and syncing it
        with contextlib.suppress(PermissionError):
            _read_only(path)
        sync_file(path)
    sync_folder(folder)
    return path


def _link(origin: CaptureFile, path: Path) -> bool:
    """Keep ``origin`` at ``path`` by a hard link; False (nothing left at ``path``) when it cannot be.

    A hard link shares the capture file's content, so what the capture software does to its file
    afterwards matters: deleting it, or replacing it by a new file under the same name (how capture
    software writes), leaves the kept image as it was; writing into the same file in place would
    change it. So the link is made read-only (write permission removed from the file, which the
    capture file shares — it can still be deleted or replaced) and, when that is refused (a file of
    another user), the image is written instead. Not on Windows, where a read-only file cannot be
    deleted and the capture software could no longer clear its folder. No link either when the
    capture file changed since it was read (its bytes are the page's id) or the file systems differ.
    """
    if os.name != "posix":
        return False
    try:
        os.link(origin.path, path)
    except OSError:  # another file system (EXDEV), links refused (EPERM), a file system without them
        return False
    try:
        status = path.stat()
        if (status.st_size, status.st_mtime_ns) != (origin.size, origin.mtime_ns):
            path.unlink()  # changed since it was read: keep the bytes that were read
            return False
        _read_only(path)
        sync_file(path)  # the capture software may not have synced its file
    except PermissionError:
        path.unlink(missing_ok=True)
        return False
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return True


def _read_only(path: Path) -> None:
    """Write permission removed (POSIX; on Windows the read-only attribute would also forbid deleting)."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o222:
        os.chmod(path, mode & ~0o222)


def _png(page: ScannedPage) -> bytes:
    import io

    from PIL import Image

    picture = Image.fromarray(page.image if page.image.ndim == 2 else page.image[:, :, ::-1])
    buffer = io.BytesIO()
    options: dict[str, Any] = {"dpi": (page.dpi, page.dpi)} if page.dpi else {}
    picture.save(buffer, "PNG", compress_level=1, **options)
    return buffer.getvalue()


def needs_rescan(result: PageResult) -> tuple[str, ...]:
    """The reasons a page must go through the scanner again (empty when it may be used)."""
    if result.page_check.ok and not result.unreadable:
        return ()
    reasons = tuple(problem.check for problem in result.page_check.problems)
    return reasons or tuple(flag.reason or flag.kind for flag in result.flags if flag.kind == "unreadable")


def run_scan_loop(
    driver: ScannerDriver,
    layouts: Layout | Sequence[Layout],
    sink: PageSink,
    scans: Path,
    *,
    on_page: Callable[[PageEvent], None] | None = None,
) -> LoopSummary:
    """Take every page ``driver`` delivers through the steps of the module's documentation."""
    summary = LoopSummary()
    for page in driver.acquire():
        if sink.done(page.page_id):
            event = PageEvent(page.page_id, page.source, "already")
        else:
            path = keep_image(scans, page)
            crash_point(IMAGE_KEPT)
            result = read_page(page.image, layouts, image_name=path.name)
            reasons = needs_rescan(result)
            detail = sink.keep(page, path, result, bool(reasons))
            crash_point(RESULT_KEPT)
            event = PageEvent(page.page_id, page.source, "rescan" if reasons else "stored", path, reasons, detail)
        driver.acknowledge(page.page_id)
        summary.events.append(event)
        if on_page is not None:
            on_page(event)
    return summary


def scan_into(
    folder: DataFolder,
    driver: ScannerDriver,
    layouts: Layout | Sequence[Layout],
    sink: PageSink,
    *,
    on_page: Callable[[PageEvent], None] | None = None,
) -> LoopSummary:
    """:func:`run_scan_loop` into the workstation ``folder``'s ``scans/``, as the scanning commands and pages run it:
    an I/O failure that stops it (a full disk) is ``Refused`` with the line saying how many pages of this run are
    kept (:func:`common.failures.scanning`)."""
    from common.failures import scanning

    heard = 0

    def counted(event: PageEvent) -> None:
        nonlocal heard
        heard += 1
        if on_page is not None:
            on_page(event)

    with scanning(folder.root, lambda: heard):
        return run_scan_loop(driver, layouts, sink, folder.scans, on_page=counted)
