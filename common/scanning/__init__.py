"""Scanner drivers behind one interface (:class:`~common.scanning.driver.ScannerDriver`).

- :class:`~common.scanning.watched_folder.WatchedFolder` — files a scanner's capture software writes;
- :class:`~common.scanning.sane_driver.SaneScanner` — SANE on Linux (extra ``sane``);
- :class:`~common.scanning.windows_driver.WiaScanner` — WIA on Windows (extra ``windows``; untested
  on real hardware here, see README.md in this folder);
- :class:`~common.scanning.simulated.SimulatedScanner` — fills, prints and scans forms, for the demo
  and the tests.

The driver modules are imported by name, not here, so that importing this package needs none of
their optional dependencies.
"""

from common.scanning.driver import ScannedPage, ScannerDriver, ScannerError

__all__ = ["ScannedPage", "ScannerDriver", "ScannerError"]
