"""The scan loop every scanning workstation shares: the applications (п. 89.7, 94) and, later, the
answer sheets of the exam day.

For each page the driver delivers, in this order:

1. **never twice** — a page whose result the consumer already stored (a crash after storing, before
   the acknowledgement) is only acknowledged again;
2. **the image first** — the page is written to ``scans/`` under a name made from its page id
   (atomically, once; a second write of the same page finds it there), so every result has its
   image and no image is lost;
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

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from common.crashpoints import crash_point
from common.files import atomic_write_bytes
from common.omr.layout import Layout
from common.omr.reader import PageResult, read_page
from common.scanning.driver import ScannedPage, ScannerDriver

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
    """Write the page's image unless it is already there; returns the path. A page that is a whole
    PNG or JPEG file is kept as the scanner wrote it (encoding a 200-dpi page again as PNG costs
    more than reading it); any other page is written as PNG with its dpi."""
    path = image_path(folder, page.page_id, page.suffix if page.encoded is not None else ".png")
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, page.encoded if page.encoded is not None else _png(page))
    return path


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
