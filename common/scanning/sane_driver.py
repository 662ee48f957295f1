"""Scanners on Linux through SANE (``python-sane``, the optional extra ``sane``).

``SaneScanner("fujitsu:fi-7160:1234", dpi=200, source="adf")`` scans the whole feeder in one
``acquire``; with the flatbed (``source=None`` on a flatbed-only device) it scans one page. Options
that differ between backends are matched by meaning: ``source="adf"`` picks the device's feeder
source whatever its backend calls it, ``colour=False`` its grey mode. Other backend options pass
through ``options`` by their SANE names (``{"test-picture": "Grid"}``).
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from common.i18n import _
from common.scanning.driver import ScannedPage, ScannerError
from common.scanning.images import pil_to_array

log = logging.getLogger(__name__)

_FEEDER_WORDS = ("adf", "feeder")
_GREY_MODES = ("gray", "grey", "grayscale", "greyscale")
_COLOUR_MODES = ("color", "colour", "24bit color")


@dataclass(frozen=True)
class SaneDevice:
    name: str
    vendor: str
    model: str
    kind: str


def _sane_module() -> Any:
    try:
        import sane
    except ImportError as error:
        raise ScannerError(
            _("SANE support is not installed: install the suite with the 'sane' extra (python-sane).")
        ) from error
    return sane


def list_devices() -> list[SaneDevice]:
    """The scanners SANE sees (network scanners included: this can take a few seconds)."""
    sane = _sane_module()
    sane.init()
    try:
        return [SaneDevice(*entry) for entry in sane.get_devices()]
    finally:
        sane.exit()


class SaneScanner:
    """A :class:`~common.scanning.driver.ScannerDriver` for one SANE device.

    ``source``: ``"adf"`` (the document feeder, every page until it is empty), ``"flatbed"``, or
    ``None`` (the device's default, one page). Scanned pages are not re-deliverable, so
    :meth:`acknowledge` has nothing to record: after a crash the operator rescans the unsaved sheets.
    """

    def __init__(
        self,
        device: str,
        *,
        dpi: int = 200,
        colour: bool = False,
        source: str | None = "adf",
        options: Mapping[str, object] | None = None,
    ) -> None:
        self.device_name = device
        self.dpi = dpi
        self.colour = colour
        self.source = source
        self.options = dict(options or {})
        self._stop = threading.Event()

    def acquire(self) -> Iterator[ScannedPage]:
        sane = _sane_module()
        self._stop.clear()
        sane.init()
        try:
            try:
                device = sane.open(self.device_name)
            except (sane._sane.error, RuntimeError) as error:
                raise ScannerError(
                    _("The scanner {device} cannot be opened: {reason}").format(device=self.device_name, reason=error)
                ) from error
            try:
                self._configure(device, sane._sane.error)
                yield from self._pages(device, sane)
            finally:
                device.close()
        finally:
            sane.exit()

    def acknowledge(self, page_id: str) -> None:
        """Nothing to record: a scanner cannot deliver a page twice."""

    def stop(self) -> None:
        """Stop after the current page (the feeder keeps the sheets not yet drawn in)."""
        self._stop.set()

    def _configure(self, device: Any, sane_error: type[Exception]) -> None:
        """Set source, mode and resolution (in that order: a source may change the others' ranges)."""
        options = {option[1]: option for option in device.get_options() if option[1]}
        wanted: dict[str, object] = {}
        if self.source is not None and "source" in options:
            words = _FEEDER_WORDS if self.source == "adf" else (self.source.lower(),)
            wanted["source"] = _choose(options["source"][-1], words, self.device_name, "source")
        if "mode" in options:
            modes = _COLOUR_MODES if self.colour else _GREY_MODES
            wanted["mode"] = _choose(options["mode"][-1], modes, self.device_name, "mode")
        wanted["resolution"] = self.dpi
        wanted.update(self.options)
        for name, value in wanted.items():
            if name not in options:
                raise ScannerError(
                    _("The scanner {device} has no setting '{option}'.").format(device=self.device_name, option=name)
                )
            try:
                setattr(device, name.replace("-", "_"), value)
            except (AttributeError, ValueError, TypeError, sane_error) as error:
                raise ScannerError(
                    _("The scanner {device} refused {option} = {value}.").format(
                        device=self.device_name, option=name, value=value
                    )
                ) from error

    def _pages(self, device: Any, sane: Any) -> Iterator[ScannedPage]:
        feeder = self.source == "adf"
        scans = device.multi_scan() if feeder else iter([device.scan()])
        index = 0
        while not self._stop.is_set():
            try:
                picture = next(scans)
            except StopIteration:
                return
            except sane._sane.error as error:
                raise ScannerError(
                    _("The scanner {device} stopped: {reason}").format(device=self.device_name, reason=error)
                ) from error
            index += 1
            image = pil_to_array(picture)
            yield ScannedPage(
                image=image,
                source=f"sane:{self.device_name}#{index}",
                page_id=_pixel_id(image, index),
                dpi=self.dpi,
            )
            if not feeder:
                return


def _choose(offered: object, words: tuple[str, ...], device: str, option: str) -> str:
    """The first offered value that names one of ``words`` (exact names first)."""
    values = [value for value in offered if isinstance(value, str)] if isinstance(offered, list) else []
    for value in values:
        if value.lower() in words:
            return value
    for value in values:
        if any(word in value.lower() for word in words):
            return value
    raise ScannerError(
        _("The scanner {device} offers no suitable {option} (it has: {values}).").format(
            device=device, option=option, values=", ".join(values) or "-"
        )
    )


def _pixel_id(image: np.ndarray, index: int) -> str:
    digest = hashlib.sha256(np.ascontiguousarray(image).tobytes())
    digest.update(repr(image.shape).encode())
    return f"{digest.hexdigest()}:{index}"
