"""The scanner being checked: which driver, which device, its model and settings
(:mod:`common.scanning`), and the simulated one for the demo and the tests.

- ``folder`` — the files a scanner's own capture software wrote into a folder
  (:class:`~common.scanning.watched_folder.WatchedFolder`), taken in the order they were written;
- ``sane`` — a SANE device on Linux, through the document feeder;
- ``simulated`` — prints the control set and scans it (:class:`SimulatedControlScanner`); its faults
  (a turned feed, a streak from dirty glass, sheets left out or swapped) stand for a scanner that
  needs fixing.

The settings recorded with a check are what the operator set: resolution and brightness (−100 …
100, 0 the scanner's default), and for the simulated scanner its faults.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import cv2
import numpy as np

from arm_scanner_check.control_set import ControlSet
from common.errors import Refused
from common.i18n import _
from common.scanning.driver import ScannedPage, ScannerDriver
from common.scanning.simulated import SimulatedScanner, SimulatedSheet

DRIVERS: Final = ("simulated", "folder", "sane")
SIMULATED_MODEL: Final = "ent-arm simulated scanner"
FAULTS: Final = ("skew", "streak", "missing", "swap")
"""Simulated faults: ``skew`` degrees, ``streak`` mm from the sheet's left edge, ``missing`` and
``swap`` sheet positions in the set (1-based; ``swap`` exchanges that sheet with the next)."""
MARGIN_MM: Final = 12.0
"""White capture area around the simulated sheet (a feeder scans a little more than the page)."""
STREAK_DARKENING: Final = 70


@dataclass(frozen=True)
class ScannerChoice:
    """What the operator chose: the driver, the device (a folder for ``folder``, a SANE device name
    for ``sane``), the scanner's model and serial number, and its settings."""

    driver: str
    device: str = ""
    model: str = ""
    serial: str = ""
    dpi: int = 200
    brightness: int = 0
    faults: dict[str, float] = field(default_factory=dict)

    def settings(self) -> dict[str, Any]:
        """The settings recorded with the check (and printed on the report)."""
        data: dict[str, Any] = {"dpi": self.dpi, "brightness": self.brightness}
        if self.driver != "simulated":
            data["device"] = self.device
        if self.faults:
            data["simulated_faults"] = dict(self.faults)
        return data

    @property
    def model_name(self) -> str:
        if self.model:
            return self.model
        return SIMULATED_MODEL if self.driver == "simulated" else self.device


def validate(choice: ScannerChoice) -> None:
    """``Refused`` with one line when the choice cannot be scanned with."""
    if choice.driver not in DRIVERS:
        raise Refused(_("Unknown scanner driver {driver}; expected one of: {drivers}.").format(
            driver=choice.driver, drivers=", ".join(DRIVERS)))  # fmt: skip
    if not 100 <= choice.dpi <= 600:
        raise Refused(_("The resolution must be from 100 to 600 dpi, not {dpi}.").format(dpi=choice.dpi))
    if not -100 <= choice.brightness <= 100:
        raise Refused(_("The brightness must be from −100 to 100, not {value}.").format(value=choice.brightness))
    unknown = sorted(set(choice.faults) - set(FAULTS))
    if unknown:
        raise Refused(_("Unknown simulated fault {fault}; expected one of: {faults}.").format(
            fault=unknown[0], faults=", ".join(FAULTS)))  # fmt: skip
    if choice.faults and choice.driver != "simulated":
        raise Refused(_("Faults can only be simulated with the simulated scanner."))
    if choice.driver == "folder" and not Path(choice.device).is_dir():
        raise Refused(_("No folder {folder} to take the scans from.").format(folder=choice.device))
    if choice.driver == "sane" and not choice.device:
        raise Refused(_("Name the SANE device to scan with (ent-scanner-check devices lists them)."))
    if choice.driver == "folder" and not choice.model:
        raise Refused(_("Name the scanner's model: it is recorded with the check and sent to NTC."))


def open_driver(choice: ScannerChoice, control_set: ControlSet) -> ScannerDriver:
    """The driver that will deliver the scanned control set."""
    validate(choice)
    if choice.driver == "simulated":
        return SimulatedControlScanner(control_set, choice)
    if choice.driver == "folder":
        return FolderOnce(Path(choice.device))
    from common.scanning.sane_driver import SaneScanner

    options = {"brightness": choice.brightness} if choice.brightness else {}
    return SaneScanner(choice.device, dpi=choice.dpi, options=options)


class FolderOnce:
    """Every page in a folder a scanner's capture software wrote, in the order written, each time
    (:class:`~common.scanning.watched_folder.WatchedFolder` with a ledger of its own that is thrown
    away afterwards: a check takes the whole set, however often it is run)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._driver: Any = None

    def acquire(self) -> Iterator[ScannedPage]:
        from common.scanning.watched_folder import WatchedFolder

        with tempfile.TemporaryDirectory(prefix="ent-scanner-check-") as scratch:
            self._driver = WatchedFolder(self.folder, ledger=Path(scratch) / "ledger.json", settle_seconds=0.0,
                                         poll_seconds=0.05, idle_timeout=0.3)  # fmt: skip
            for page in self._driver.acquire():
                yield page
                self._driver.acknowledge(page.page_id)

    def acknowledge(self, page_id: str) -> None:
        """Nothing to keep: the next check takes the folder afresh."""

    def stop(self) -> None:
        if self._driver is not None:
            self._driver.stop()


class SimulatedControlScanner:
    """Prints the control set and scans it at ``choice.dpi`` with ``choice``'s brightness and faults."""

    def __init__(self, control_set: ControlSet, choice: ScannerChoice) -> None:
        self.choice = choice
        sheets = [SimulatedSheet(number=sheet.number, printed=sheet.fills) for sheet in control_set.sheets]
        missing = int(choice.faults.get("missing", 0))
        if missing:
            del sheets[missing - 1]
        swap = int(choice.faults.get("swap", 0))
        if 0 < swap < len(sheets):
            sheets[swap - 1], sheets[swap] = sheets[swap], sheets[swap - 1]
        self._scanner = SimulatedScanner(control_set.layout, sheets, dpi=choice.dpi, natural=False)

    def acquire(self) -> Iterator[ScannedPage]:
        for page in self._scanner.acquire():
            image = self._damaged(page.image)
            yield ScannedPage(image=image, source=page.source, page_id=page.page_id, dpi=page.dpi)

    def acknowledge(self, page_id: str) -> None:
        """Nothing to record: the sheets are printed afresh each time."""

    def stop(self) -> None:
        self._scanner.stop()

    def _damaged(self, image: np.ndarray) -> np.ndarray:
        dpi, faults = self.choice.dpi, self.choice.faults
        margin = round(MARGIN_MM * dpi / 25.4)
        scan = cv2.copyMakeBorder(image, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=255)
        skew = float(faults.get("skew", 0.0))
        if skew:
            height, width = scan.shape[:2]
            turn = cv2.getRotationMatrix2D((width / 2, height / 2), skew, 1.0)
            scan = cv2.warpAffine(scan, turn, (width, height), flags=cv2.INTER_LINEAR, borderValue=255)
        streak = faults.get("streak")
        if streak:
            column = margin + round(float(streak) * dpi / 25.4)
            darker = scan[:, column : column + 2].astype(np.int16) - STREAK_DARKENING
            scan[:, column : column + 2] = darker.clip(0, 255).astype(np.uint8)
        if self.choice.brightness:
            # brightness −100 … 100: the paper from 40 % of white to white, print lifted when brighter
            gain = 1.0 + 0.6 * min(self.choice.brightness, 0) / 100.0
            lift = 60.0 * max(self.choice.brightness, 0) / 100.0
            scan = (scan.astype(np.float32) * gain + lift * (1.0 - scan / 255.0)).clip(0, 255).astype(np.uint8)
        return np.ascontiguousarray(scan)
