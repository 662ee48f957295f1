"""Scanners on Windows through WIA 2.0 (the Windows Image Acquisition automation layer).

**Untested on real hardware in this project**: the suite is built and tested on Linux. What runs on
Linux is tested with a stand-in for the COM objects (device choice, settings, the feeder loop, error
handling and page conversion); the COM calls themselves follow Microsoft's WIA Automation Layer
reference (``WIA.DeviceManager``, ``Item.Transfer``, property ids from ``wiadef.h``).

WIA rather than TWAIN: every Windows since Vista has the WIA automation layer and a WIA driver for
every document scanner sold, it needs no 32-bit bridge, and it is reachable from Python with
``pywin32`` (the optional extra ``windows``). A scanner that has only a TWAIN driver can still be
used through its own capture software writing into a :class:`~common.scanning.watched_folder.WatchedFolder`.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from common.i18n import _
from common.scanning.driver import ScannedPage, ScannerError
from common.scanning.images import UnreadableImage, decode_pages

# wiadef.h / WIA automation constants
SCANNER_DEVICE_TYPE = 1
WIA_FORMAT_PNG = "{B96B3CAF-0728-11D3-9D7B-0000F81EF32E}"
WIA_DPS_DOCUMENT_HANDLING_SELECT = 3088
WIA_DPS_PAGES = 3096
WIA_IPS_CUR_INTENT = 6146
WIA_IPS_XRES = 6147
WIA_IPS_YRES = 6148
FEEDER, FLATBED = 1, 2
INTENT_COLOUR, INTENT_GREY = 1, 2
WIA_ERROR_PAPER_EMPTY = 0x80210003
WIA_ERROR_PAPER_JAM = 0x80210002
WIA_ERROR_BUSY = 0x80210006
WIA_ERROR_OFFLINE = 0x80210005
WIA_ERROR_COVER_OPEN = 0x80210016


class WiaAutomation(Protocol):
    """What the driver needs from COM: a ``WIA.DeviceManager`` (swapped for a stand-in in tests)."""

    def device_manager(self) -> Any: ...


@dataclass(frozen=True)
class WiaDevice:
    device_id: str
    name: str


class _Win32Automation:
    def device_manager(self) -> Any:
        try:
            import win32com.client
        except ImportError as error:
            raise ScannerError(_("WIA scanning needs Windows and the suite's 'windows' extra (pywin32).")) from error
        return win32com.client.Dispatch("WIA.DeviceManager")


@contextlib.contextmanager
def _com_apartment() -> Iterator[None]:
    """COM must be initialised in each thread that uses it (scanning runs in a worker thread)."""
    try:
        import pythoncom
    except ImportError:
        yield
        return
    pythoncom.CoInitialize()
    try:
        yield
    finally:
        pythoncom.CoUninitialize()


class WiaScanner:
    """A :class:`~common.scanning.driver.ScannerDriver` for one WIA scanner.

    ``device_id``: WIA's DeviceID (see :func:`list_devices`); ``None`` takes the first scanner.
    ``feeder``: scan the document feeder until it is empty, else one page from the flatbed.
    """

    def __init__(
        self,
        device_id: str | None = None,
        *,
        dpi: int = 200,
        colour: bool = False,
        feeder: bool = True,
        automation: WiaAutomation | None = None,
        apartment: Callable[[], contextlib.AbstractContextManager[None]] = _com_apartment,
    ) -> None:
        self.device_id = device_id
        self.dpi = dpi
        self.colour = colour
        self.feeder = feeder
        self._automation = automation or _Win32Automation()
        self._apartment = apartment
        self._stop = threading.Event()

    def acquire(self) -> Iterator[ScannedPage]:
        self._stop.clear()
        with self._apartment():
            device_info = self._find_device()
            device = _connect(device_info)
            self._configure(device)
            item = _item(device)
            index = 0
            while not self._stop.is_set():
                try:
                    picture = item.Transfer(WIA_FORMAT_PNG)
                except Exception as error:
                    code = hresult_of(error)
                    if code == WIA_ERROR_PAPER_EMPTY and (self.feeder or index > 0):
                        return
                    raise ScannerError(_describe(code, error)) from error
                index += 1
                yield page_from_transfer(bytes(picture.FileData.BinaryData), self._name(device_info), index, self.dpi)
                if not self.feeder:
                    return

    def acknowledge(self, page_id: str) -> None:
        """Nothing to record: a scanner cannot deliver a page twice."""

    def stop(self) -> None:
        self._stop.set()

    def _find_device(self) -> Any:
        manager = self._automation.device_manager()
        for info in manager.DeviceInfos:
            if info.Type != SCANNER_DEVICE_TYPE:
                continue
            if self.device_id is None or info.DeviceID == self.device_id:
                return info
        raise ScannerError(_("No WIA scanner is connected (or the chosen one is switched off)."))

    def _configure(self, device: Any) -> None:
        if self.feeder and not set_property(device.Properties, WIA_DPS_DOCUMENT_HANDLING_SELECT, FEEDER):
            raise ScannerError(_("This scanner has no document feeder; choose the flatbed."))
        if not self.feeder:
            set_property(device.Properties, WIA_DPS_DOCUMENT_HANDLING_SELECT, FLATBED)
        set_property(device.Properties, WIA_DPS_PAGES, 1)
        item_properties = _item(device).Properties
        set_property(item_properties, WIA_IPS_CUR_INTENT, INTENT_COLOUR if self.colour else INTENT_GREY)
        for resolution in (WIA_IPS_XRES, WIA_IPS_YRES):
            if not set_property(item_properties, resolution, self.dpi):
                raise ScannerError(_("The scanner does not offer {dpi} dpi.").format(dpi=self.dpi))

    @staticmethod
    def _name(device_info: Any) -> str:
        return str(_property_value(device_info.Properties, "Name") or device_info.DeviceID)


def list_devices(automation: WiaAutomation | None = None) -> list[WiaDevice]:
    manager = (automation or _Win32Automation()).device_manager()
    return [
        WiaDevice(str(info.DeviceID), str(_property_value(info.Properties, "Name") or info.DeviceID))
        for info in manager.DeviceInfos
        if info.Type == SCANNER_DEVICE_TYPE
    ]


def page_from_transfer(data: bytes, device_name: str, index: int, requested_dpi: int) -> ScannedPage:
    """A page from the image file WIA transferred (PNG; BMP from some drivers)."""
    try:
        pages = decode_pages(data, "wia-transfer")
    except UnreadableImage as error:
        raise ScannerError(_("The scanner sent an image that cannot be read.")) from error
    if len(pages) != 1:
        raise ScannerError(_("The scanner sent an image that cannot be read."))
    page = pages[0]
    digest = hashlib.sha256(data).hexdigest()
    return ScannedPage(page.image, f"wia:{device_name}#{index}", f"{digest}:1", page.dpi or requested_dpi)


def set_property(properties: Any, property_id: int, value: int) -> bool:
    """Set a WIA property by id; ``False`` if the device lacks it or refuses the value."""
    for prop in properties:
        if prop.PropertyID == property_id:
            try:
                prop.Value = value
            except Exception:
                return False
            return True
    return False


def _property_value(properties: Any, name: str) -> Any:
    for prop in properties:
        if prop.Name == name:
            return prop.Value
    return None


def _item(device: Any) -> Any:
    return device.Items[1]  # WIA collections count from 1


def _connect(device_info: Any) -> Any:
    try:
        return device_info.Connect()
    except Exception as error:
        raise ScannerError(_describe(hresult_of(error), error)) from error


def hresult_of(error: BaseException) -> int | None:
    """The HRESULT in a pywin32 ``com_error`` (its own, or the one in its exception info)."""
    args: tuple[object, ...] = tuple(getattr(error, "args", ()))
    candidates: list[object] = []
    info = args[2] if len(args) >= 3 else None
    if isinstance(info, tuple) and len(info) >= 6:
        candidates.append(info[5])
    candidates.append(getattr(error, "hresult", None))
    if args:
        candidates.append(args[0])
    for candidate in candidates:
        if isinstance(candidate, int) and (candidate & 0xFFFF0000) == 0x80210000:
            return candidate & 0xFFFFFFFF
    for candidate in candidates:
        if isinstance(candidate, int):
            return candidate & 0xFFFFFFFF
    return None


def _describe(code: int | None, error: BaseException) -> str:
    known = {
        WIA_ERROR_PAPER_EMPTY: _("The scanner has no paper in it."),
        WIA_ERROR_PAPER_JAM: _("Paper jam in the scanner: clear it and scan the remaining sheets again."),
        WIA_ERROR_BUSY: _("The scanner is busy with another program."),
        WIA_ERROR_OFFLINE: _("The scanner is switched off or disconnected."),
        WIA_ERROR_COVER_OPEN: _("The scanner's cover is open."),
    }
    if code in known:
        return known[code]
    shown = f"0x{code:08X}" if code is not None else type(error).__name__
    return _("The scanner reported an error ({code}).").format(code=shown)
