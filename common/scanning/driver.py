"""The one interface every scanner driver offers.

A consumer loops::

    for page in driver.acquire():
        store(page)                      # in the consumer's own transaction
        driver.acknowledge(page.page_id)  # only after that transaction committed

``acquire`` yields pages in the order the scanner produced them. ``acknowledge`` tells the driver a
page is safely kept; a driver that can re-deliver (the watched folder) delivers every page that was
not acknowledged again after a restart, so a crash loses nothing. The consumer keeps ``page_id`` with
what it stored, so a page re-delivered after a crash between its commit and its acknowledgement is
recognised and only acknowledged. ``stop`` ends a blocking ``acquire`` from another thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from common.errors import Refused


@dataclass(frozen=True, eq=False)
class ScannedPage:
    """One page image as the scanner delivered it.

    ``image`` is ``uint8``: ``H×W`` grey, or ``H×W×3`` colour in OpenCV's BGR order.
    ``source`` says where it came from for people (a file name and page, a device).
    ``page_id`` is stable for the same page (for files: the SHA-256 of the file bytes and the page
    number), so it can serve as the consumer's key against taking a page twice.
    ``dpi`` is the resolution the scanner reported, ``None`` when it did not say.
    ``encoded`` is the scanner's own file when the page is the whole of a PNG or JPEG file (a capture
    folder's), with its ``suffix``: the loop keeps it as it is rather than encode the page again.
    ``origin`` is that file on disk as it was when ``encoded`` was read: the loop may keep the image by
    a hard link to it instead of writing the bytes again.
    """

    image: np.ndarray
    source: str
    page_id: str
    dpi: int | None
    encoded: bytes | None = None
    suffix: str = ".png"
    origin: CaptureFile | None = None


@dataclass(frozen=True)
class CaptureFile:
    """A file of a capture folder with the size and modification time it had when it was read."""

    path: Path
    size: int
    mtime_ns: int


@runtime_checkable
class ScannerDriver(Protocol):
    """What the workstations call; see the module documentation for the loop."""

    def acquire(self) -> Iterator[ScannedPage]:
        """Yield pages in scan order; block while the scanner is expected to deliver more."""
        ...

    def acknowledge(self, page_id: str) -> None:
        """Record that the consumer has safely stored the page ``page_id``."""
        ...

    def stop(self) -> None:
        """Make a running ``acquire`` return after the page it is on (callable from any thread)."""
        ...


class ScannerError(Refused):
    """The scanner or its software failed; the message is one translated line for the operator."""
