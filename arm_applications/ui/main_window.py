"""The workstation's window: the shared shell with this workstation's pages."""

from __future__ import annotations

from pathlib import Path

from arm_applications.ui.closing_pages import ClosingPage, DistributionPage
from arm_applications.ui.passes_page import PassesPage
from arm_applications.ui.scanning_page import scanning_page
from arm_applications.ui.stage_pages import (
    ChangesPage,
    JournalsPage,
    PlanPage,
    ReconciliationPage,
    SecretariesPage,
    StatisticsPage,
)
from common.ui.enrolment_page import enrolment_page
from common.ui.shell import PageFactory, run_workstation
from common.workstation import Workstation

PAGES: dict[str, PageFactory] = {
    "enrolment": enrolment_page,
    "plan": PlanPage,
    "secretaries": SecretariesPage,
    "journals": JournalsPage,
    "scanning": scanning_page,
    "reconciliation": ReconciliationPage,
    "changes": ChangesPage,
    "statistics": StatisticsPage,
    "closing": ClosingPage,
    "distribution": DistributionPage,
    "passes": PassesPage,
}


def run(workstation: Workstation, data_dir: Path, argv: list[str]) -> int:
    return run_workstation(workstation, data_dir, argv, PAGES)
