"""The WIA driver's logic, with a stand-in for Windows' COM objects (the real calls need Windows)."""

from __future__ import annotations

import contextlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from PIL import Image

from common.i18n import _
from common.scanning.driver import ScannerDriver, ScannerError
from common.scanning.windows_driver import (
    FEEDER,
    FLATBED,
    INTENT_GREY,
    SCANNER_DEVICE_TYPE,
    WIA_DPS_DOCUMENT_HANDLING_SELECT,
    WIA_ERROR_PAPER_EMPTY,
    WIA_ERROR_PAPER_JAM,
    WIA_IPS_CUR_INTENT,
    WIA_IPS_XRES,
    WIA_IPS_YRES,
    WiaScanner,
    hresult_of,
    list_devices,
    page_from_transfer,
)


class FakeComError(Exception):
    """Shaped like pywin32's ``com_error``: (hresult, text, excepinfo, argerror)."""

    def __init__(self, scode: int) -> None:
        signed = scode - (1 << 32) if scode >= 1 << 31 else scode
        super().__init__(-2147352567, "Exception occurred.", (0, None, None, None, 0, signed), None)


@dataclass
class FakeProperty:
    PropertyID: int
    Name: str
    Value: Any
    allowed: tuple[Any, ...] | None = None

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "Value" and getattr(self, "allowed", None) is not None and value not in self.allowed:
            raise FakeComError(0x80070057)
        object.__setattr__(self, name, value)


def png(pixels: np.ndarray, dpi: int | None) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))
    return buffer.getvalue()


@dataclass
class FakeItem:
    sheets: list[bytes]
    failure: int | None = None
    Properties: list[FakeProperty] = field(
        default_factory=lambda: [
            FakeProperty(WIA_IPS_CUR_INTENT, "Current Intent", 0),
            FakeProperty(WIA_IPS_XRES, "Horizontal Resolution", 100, allowed=(100, 200, 300)),
            FakeProperty(WIA_IPS_YRES, "Vertical Resolution", 100, allowed=(100, 200, 300)),
        ]
    )

    def Transfer(self, format_id: str) -> Any:  # noqa: N802
        if not self.sheets:
            raise FakeComError(self.failure or WIA_ERROR_PAPER_EMPTY)
        data = self.sheets.pop(0)

        class File:
            class FileData:
                BinaryData = memoryview(data)

        return File()


@dataclass
class FakeDevice:
    item: FakeItem
    has_feeder: bool = True

    def __post_init__(self) -> None:
        self.Properties = [FakeProperty(3096, "Pages", 0)]
        if self.has_feeder:
            handling = FakeProperty(WIA_DPS_DOCUMENT_HANDLING_SELECT, "Document Handling Select", FLATBED)
            self.Properties.append(handling)
        self.Items = {1: self.item}


@dataclass
class FakeDeviceInfo:
    DeviceID: str
    device: FakeDevice
    Type: int = SCANNER_DEVICE_TYPE

    @property
    def Properties(self) -> list[FakeProperty]:  # noqa: N802
        return [FakeProperty(7, "Name", f"Scanner {self.DeviceID}")]

    def Connect(self) -> FakeDevice:  # noqa: N802
        return self.device


@dataclass
class FakeAutomation:
    infos: list[FakeDeviceInfo]

    def device_manager(self) -> Any:
        automation = self

        class Manager:
            DeviceInfos = automation.infos

        return Manager()


@contextlib.contextmanager
def no_com() -> Iterator[None]:
    yield


def scanner_with(
    sheets: list[bytes],
    *,
    feeder: bool = True,
    has_feeder: bool = True,
    dpi: int = 200,
    failure: int | None = None,
) -> tuple[WiaScanner, FakeDevice]:
    device = FakeDevice(FakeItem(list(sheets), failure), has_feeder=has_feeder)
    automation = FakeAutomation(
        [
            FakeDeviceInfo("camera", FakeDevice(FakeItem([])), Type=2),
            FakeDeviceInfo("{6BDD1FC6}\\0001", device),
        ]
    )
    return WiaScanner(dpi=dpi, feeder=feeder, automation=automation, apartment=no_com), device


def property_value(properties: list[FakeProperty], property_id: int) -> Any:
    return next(p.Value for p in properties if p.PropertyID == property_id)


def test_the_feeder_is_emptied_page_by_page_with_the_asked_settings() -> None:
    sheets = [np.full((60, 40), value, np.uint8) for value in (10, 120, 240)]
    scanner, device = scanner_with([png(s, 200) for s in sheets])
    assert isinstance(scanner, ScannerDriver)

    pages = list(scanner.acquire())

    assert [int(p.image[0, 0]) for p in pages] == [10, 120, 240]
    assert [p.source for p in pages] == [f"wia:Scanner {{6BDD1FC6}}\\0001#{n}" for n in (1, 2, 3)]
    assert all(p.dpi == 200 for p in pages)
    assert len({p.page_id for p in pages}) == 3
    assert property_value(device.Properties, WIA_DPS_DOCUMENT_HANDLING_SELECT) == FEEDER
    assert property_value(device.item.Properties, WIA_IPS_XRES) == 200
    assert property_value(device.item.Properties, WIA_IPS_YRES) == 200
    assert property_value(device.item.Properties, WIA_IPS_CUR_INTENT) == INTENT_GREY


def test_the_flatbed_gives_one_page() -> None:
    scanner, device = scanner_with([png(np.zeros((20, 20), np.uint8), None)] * 2, feeder=False)

    pages = list(scanner.acquire())

    assert len(pages) == 1
    assert pages[0].dpi == 200  # the file did not say: the resolution asked for
    assert property_value(device.Properties, WIA_DPS_DOCUMENT_HANDLING_SELECT) == FLATBED


def test_an_empty_flatbed_and_a_jam_are_told_to_the_operator() -> None:
    scanner, _device = scanner_with([], feeder=False)
    with pytest.raises(ScannerError, match=re.escape(_("The scanner has no paper in it."))):
        list(scanner.acquire())

    scanner, _device = scanner_with([png(np.zeros((20, 20), np.uint8), 200)], failure=WIA_ERROR_PAPER_JAM)
    pages = []
    with pytest.raises(
        ScannerError, match=re.escape(_("Paper jam in the scanner: clear it and scan the remaining sheets again."))
    ):
        for page in scanner.acquire():
            pages.append(page)
    assert len(pages) == 1


def test_settings_the_scanner_lacks_are_refused() -> None:
    scanner, _device = scanner_with([], has_feeder=False)
    with pytest.raises(ScannerError, match=re.escape(_("This scanner has no document feeder; choose the flatbed."))):
        list(scanner.acquire())
    scanner, _device = scanner_with([], dpi=600)
    with pytest.raises(ScannerError, match="600"):
        list(scanner.acquire())


def test_no_scanner_connected() -> None:
    scanner = WiaScanner(automation=FakeAutomation([]), apartment=no_com)
    with pytest.raises(ScannerError):
        list(scanner.acquire())


def test_only_scanners_are_listed() -> None:
    _scanner, device = scanner_with([])
    automation = FakeAutomation([FakeDeviceInfo("cam", device, Type=2), FakeDeviceInfo("s1", device)])
    assert [(d.device_id, d.name) for d in list_devices(automation)] == [("s1", "Scanner s1")]


def test_transferred_files_become_pages() -> None:
    colour = np.zeros((30, 20, 3), np.uint8)
    colour[..., 0] = 255  # red in RGB
    buffer = io.BytesIO()
    Image.fromarray(colour).save(buffer, "BMP")

    page = page_from_transfer(buffer.getvalue(), "dev", 4, 300)

    assert page.image.shape == (30, 20, 3)
    assert tuple(page.image[0, 0]) == (0, 0, 255)  # BGR
    assert page.source == "wia:dev#4"
    with pytest.raises(ScannerError):
        page_from_transfer(b"garbage", "dev", 1, 300)


def test_hresults_are_found_in_com_errors() -> None:
    assert hresult_of(FakeComError(WIA_ERROR_PAPER_EMPTY)) == WIA_ERROR_PAPER_EMPTY
    assert hresult_of(ValueError("no code")) is None
