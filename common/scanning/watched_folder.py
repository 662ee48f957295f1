"""A folder that a high-speed scanner's own capture software writes into.

Files (TIFF incl. multi-page, PNG, JPEG, multi-page PDF) are taken in the order they were written
(modification time, then name), each only once they are complete: size and modification time
unchanged for ``settle_seconds`` and the whole file decodes. A page is recorded as taken only when the
consumer acknowledges it; the record (the ledger, see :meth:`WatchedFolder._load_ledger`: a snapshot
line then one appended, synced line per acknowledgement) survives restarts, so after a crash the
unacknowledged pages come again and the acknowledged ones never do. A file whose
content was already taken (the same bytes under another name) is skipped. A file that stays
undecodable for ``reject_after_seconds`` is set aside in the ledger (see :meth:`rejected`) instead of
holding up the batch.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common.files import append_synced, atomic_write_text
from common.i18n import _
from common.scanning.driver import CaptureFile, ScannedPage, ScannerError
from common.scanning.images import SUPPORTED_SUFFIXES, UnreadableImage, decode_pages, file_digest, page_id_for

LEDGER_NAME = ".ent-scan-ledger.json"
KEPT_AS_IS = (".png", ".jpg", ".jpeg")
"""Single-page files of these kinds reach the loop with their bytes, kept as the scanner wrote them."""
_LEDGER_VERSION = 1
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _FileState:
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class RejectedFile:
    name: str
    reason: str


class WatchedFolder:
    """A :class:`~common.scanning.driver.ScannerDriver` over a folder of image files.

    ``idle_timeout``: ``acquire`` returns after that many seconds without a new page while no file
    is still being written (``None``: it waits until :meth:`stop`). ``ledger``: where the record of
    taken pages lives (default: a hidden file in the folder itself, so it travels with the scans).
    """

    def __init__(
        self,
        folder: Path,
        *,
        ledger: Path | None = None,
        settle_seconds: float = 2.0,
        poll_seconds: float = 0.5,
        idle_timeout: float | None = None,
        reject_after_seconds: float = 60.0,
    ) -> None:
        self.folder = Path(folder)
        self.ledger_path = ledger or self.folder / LEDGER_NAME
        self.settle_seconds = settle_seconds
        self.poll_seconds = poll_seconds
        self.idle_timeout = idle_timeout
        self.reject_after_seconds = reject_after_seconds
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._ledger_written = False
        self._ledger = self._load_ledger()
        self._first_seen: dict[str, tuple[_FileState, float]] = {}
        self._delivered_files: dict[str, _FileState] = {}
        self._in_flight: dict[str, tuple[str, _FileState, str, int]] = {}
        self._waiting_for_file = False

    # -- the driver interface -------------------------------------------------------------------

    def acquire(self) -> Iterator[ScannedPage]:
        """Yield every page not yet acknowledged, oldest file first; then wait for new files."""
        self._stop.clear()
        last_delivery = time.monotonic()
        while not self._stop.is_set():
            delivered = False
            for page in self._poll():
                delivered = True
                yield page
                if self._stop.is_set():
                    return
            now = time.monotonic()
            if delivered or self._waiting_for_file:
                last_delivery = now
            elif self.idle_timeout is not None and now - last_delivery >= self.idle_timeout:
                return
            self._stop.wait(self.poll_seconds)

    def acknowledge(self, page_id: str) -> None:
        """Record page ``page_id`` as safely stored; it will never be delivered again."""
        with self._lock:
            flight = self._in_flight.pop(page_id, None)
            digest, _separator, number = page_id.rpartition(":")
            event: dict[str, Any] = {"ack": digest, "page": int(number) if number.isdigit() else None}
            if flight is not None:
                name, state, digest_of_file, page_count = flight
                event["file"] = {"name": name, "size": state.size, "mtime_ns": state.mtime_ns,
                                 "sha256": digest_of_file, "pages": page_count}
            _apply_event(self._ledger, event)
            self._record(event)

    def stop(self) -> None:
        self._stop.set()

    def rejected(self) -> list[RejectedFile]:
        """Files set aside because they never became a readable image (for the operator to see)."""
        entries = sorted(self._ledger["rejected"].items())
        return [RejectedFile(name, entry["reason"]) for name, entry in entries]

    # -- one look at the folder -------------------------------------------------------------------

    def _poll(self) -> Iterator[ScannedPage]:
        candidates = self._candidates()
        settled = [self._settled(path.name, state) for path, state in candidates]  # every file's clock runs
        self._waiting_for_file = False
        for (path, state), ready in zip(candidates, settled, strict=True):
            if self._stop.is_set():
                return
            if not ready:
                self._waiting_for_file = True
                return  # keep the order: nothing after a file still being written
            try:
                data = path.read_bytes()
                pages = decode_pages(data, path.name)
                if _stat(path) != state:
                    raise UnreadableImage(path.name)
            except (OSError, UnreadableImage) as error:
                permanent = isinstance(error, UnreadableImage) and error.permanent
                if self._unreadable_for_too_long(path.name, state, error, at_once=permanent):
                    continue
                self._waiting_for_file = True
                return
            self._first_seen.pop(path.name, None)
            self._delivered_files[path.name] = state
            digest = file_digest(data)
            taken = set(self._ledger["acknowledged"].get(digest, []))
            if len(taken) >= len(pages):
                log.info("scan file %s skipped: the same pages were taken before", path.name)
            for number, page in enumerate(pages, start=1):
                page_id = page_id_for(digest, number)
                if number in taken or page_id in self._in_flight:
                    continue
                self._in_flight[page_id] = (path.name, state, digest, len(pages))
                whole = len(pages) == 1 and path.suffix.lower() in KEPT_AS_IS
                yield ScannedPage(page.image, f"{path.name}#{number}", page_id, page.dpi,
                                  encoded=data if whole else None, suffix=path.suffix.lower() if whole else ".png",
                                  origin=CaptureFile(path, state.size, state.mtime_ns) if whole else None)

    def _candidates(self) -> list[tuple[Path, _FileState]]:
        found: list[tuple[Path, _FileState]] = []
        try:
            entries = list(self.folder.iterdir())
        except OSError as error:
            log.warning("cannot list the scan folder: %s", error)
            return []
        for path in entries:
            name = path.name
            if name.startswith((".", "~")) or path.suffix.lower() not in SUPPORTED_SUFFIXES:
                continue
            try:
                state = _stat(path)
            except OSError:
                continue
            if not path.is_file() or self._already_taken(name, state):
                continue
            found.append((path, state))
        found.sort(key=lambda item: (item[1].mtime_ns, item[0].name))
        return found

    def _already_taken(self, name: str, state: _FileState) -> bool:
        if self._delivered_files.get(name) == state:
            return True
        rejected = self._ledger["rejected"].get(name)
        if rejected and (rejected["size"], rejected["mtime_ns"]) == (state.size, state.mtime_ns):
            return True
        known = self._ledger["files"].get(name)
        if not known or (known["size"], known["mtime_ns"]) != (state.size, state.mtime_ns):
            return False
        taken = self._ledger["acknowledged"].get(known["sha256"], [])
        return len(taken) >= int(known["pages"])

    def _settled(self, name: str, state: _FileState) -> bool:
        now = time.monotonic()
        seen = self._first_seen.get(name)
        if seen is None or seen[0] != state:
            self._first_seen[name] = (state, now)
            return self.settle_seconds <= 0
        return now - seen[1] >= self.settle_seconds

    def _unreadable_for_too_long(
        self, name: str, state: _FileState, error: Exception, *, at_once: bool = False
    ) -> bool:
        """Set the file aside (in the ledger, with the reason) once it has stayed unreadable long
        enough — or at once when waiting cannot help — so the files after it are delivered."""
        seen = self._first_seen.get(name)
        if not at_once and (seen is None or time.monotonic() - seen[1] < self.reject_after_seconds):
            return False
        log.warning("scan file %s set aside: it does not decode (%s)", name, error)
        with self._lock:
            event = {"reject": name, "size": state.size, "mtime_ns": state.mtime_ns,
                     "reason": str(error) or type(error).__name__}
            _apply_event(self._ledger, event)
            self._record(event)
        self._first_seen.pop(name, None)
        return True

    # -- the ledger ------------------------------------------------------------------------------

    def _load_ledger(self) -> dict[str, Any]:
        """The ledger's first line is a snapshot (``version``, ``acknowledged``, ``files``,
        ``rejected``), written atomically; each acknowledgement or file set aside after it is one
        line appended and synced (:meth:`_record`), so recording a page costs the same however many
        pages the folder has had. A crash while appending can leave the last line torn: it recorded
        nothing that was promised (the page was not yet acknowledged, so it comes again and the
        consumer, which stored it, only acknowledges it), so it is dropped. Any other unreadable
        line is refused — forgetting pages would take them twice. On loading, the ledger is written
        again as one snapshot (the torn line gone, the file short). A ledger of the earlier format,
        a single snapshot, reads as it is."""
        empty: dict[str, Any] = {"version": _LEDGER_VERSION, "acknowledged": {}, "files": {}, "rejected": {}}
        try:
            data = self.ledger_path.read_bytes()
        except FileNotFoundError:
            self._ledger_written = False
            return empty
        except OSError:
            raise self._unreadable() from None
        lines = data.split(b"\n")
        complete = data.endswith(b"\n")
        if complete:
            lines.pop()  # the empty piece after the last newline
        try:
            loaded = json.loads(lines[0])
        except ValueError:
            loaded = None
        if not isinstance(loaded, dict) or loaded.get("version") != _LEDGER_VERSION:
            raise self._unreadable()
        ledger = {**empty, **loaded}
        for index, line in enumerate(lines[1:], start=1):
            try:
                event = json.loads(line)
                _apply_event(ledger, event)
            except (ValueError, KeyError, TypeError, AttributeError):
                if index == len(lines) - 1:
                    log.warning("the last line of the scan ledger was torn by a crash; it is dropped")
                    break
                raise self._unreadable() from None
        if len(lines) > 1 or not complete:
            atomic_write_text(self.ledger_path, _snapshot(ledger))
        self._ledger_written = True
        return ledger

    def _unreadable(self) -> ScannerError:
        return ScannerError(
            _("The record of scanned files {path} cannot be read; restore it from a backup.").format(
                path=self.ledger_path
            )
        )

    def _record(self, event: dict[str, Any]) -> None:
        """Append ``event`` (already applied to the ledger in memory) as one synced line; the first
        record of a folder writes the snapshot that holds it."""
        if self._ledger_written:
            line = (json.dumps(event, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
            with contextlib.suppress(FileNotFoundError):  # the ledger removed meanwhile: a snapshot below
                append_synced(self.ledger_path, line, create=False)
                return
        atomic_write_text(self.ledger_path, _snapshot(self._ledger))  # the folder's first record
        self._ledger_written = True


def _snapshot(ledger: dict[str, Any]) -> str:
    return json.dumps(ledger, sort_keys=True, separators=(",", ":")) + "\n"


def _apply_event(ledger: dict[str, Any], event: dict[str, Any]) -> None:
    """One line of the ledger applied to it: an acknowledged page (with its file once the file's
    pages were delivered) or a file set aside."""
    if "reject" in event:
        ledger["rejected"][str(event["reject"])] = {"size": int(event["size"]), "mtime_ns": int(event["mtime_ns"]),
                                                    "reason": str(event["reason"])}
        return
    pages: list[int] = ledger["acknowledged"].setdefault(str(event["ack"]), [])
    number = event["page"]
    if number is not None and int(number) not in pages:
        pages.append(int(number))
        pages.sort()
    file = event.get("file")
    if file is not None:
        ledger["files"][str(file["name"])] = {"size": int(file["size"]), "mtime_ns": int(file["mtime_ns"]),
                                              "sha256": str(file["sha256"]), "pages": int(file["pages"])}


def _stat(path: Path) -> _FileState:
    status = path.stat()
    return _FileState(status.st_size, status.st_mtime_ns)
