"""The workstation's window: the shared shell with this workstation's pages."""

from __future__ import annotations

from pathlib import Path

from arm_base_ppent.ui.output_pages import reports_page, send_page
from arm_base_ppent.ui.rooms_page import rooms_page
from arm_base_ppent.ui.schedule_page import schedule_page
from arm_base_ppent.ui.schools_page import schools_page
from arm_base_ppent.ui.site_pages import site_facts_page
from common.ui.enrolment_page import enrolment_page
from common.ui.shell import PageFactory, run_workstation
from common.workstation import Workstation

PAGES: dict[str, PageFactory] = {
    "enrolment": enrolment_page,
    "rooms": rooms_page,
    "schools": schools_page,
    "site": site_facts_page,
    "schedule": schedule_page,
    "reports": reports_page,
    "send": send_page,
}


def run(workstation: Workstation, data_dir: Path, argv: list[str]) -> int:
    return run_workstation(workstation, data_dir, argv, PAGES)
