"""The workstation's window: the shared shell with this workstation's pages."""

from __future__ import annotations

from pathlib import Path

from arm_programmer.ui.appeals_page import AppealsPage
from arm_programmer.ui.final_page import FinalPage
from arm_programmer.ui.identify_page import IdentifyPage
from arm_programmer.ui.prints_page import PrintsPage
from arm_programmer.ui.results_page import ResultsPage
from arm_programmer.ui.room_scan_page import RoomScanPage
from arm_programmer.ui.seating_page import SeatingPage
from arm_programmer.ui.takeover_page import TakeoverPage
from arm_programmer.ui.variants_page import VariantsPage
from common.ui.enrolment_page import enrolment_page
from common.ui.shell import PageFactory, run_workstation
from common.workstation import Workstation

PAGES: dict[str, PageFactory] = {
    "enrolment": enrolment_page, "takeover": TakeoverPage, "seating": SeatingPage, "prints": PrintsPage,
    "variants": VariantsPage,
    "scanning": RoomScanPage,
    "identification": IdentifyPage,
    "results": ResultsPage,
    "appeals": AppealsPage,
    "final": FinalPage,
}


def run(workstation: Workstation, data_dir: Path, argv: list[str]) -> int:
    return run_workstation(workstation, data_dir, argv, PAGES)
