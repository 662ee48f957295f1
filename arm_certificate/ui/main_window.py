"""The workstation's window: the shared shell with this workstation's pages."""

from __future__ import annotations

from pathlib import Path

from arm_certificate.ui.file_page import CertificateFilePage
from arm_certificate.ui.numbers_page import NumbersPage
from arm_certificate.ui.printing_page import PrintingPage
from arm_certificate.ui.register_page import RegisterPage
from common.ui.enrolment_page import enrolment_page
from common.ui.shell import PageFactory, run_workstation
from common.workstation import Workstation

PAGES: dict[str, PageFactory] = {
    "enrolment": enrolment_page,
    "import": CertificateFilePage,
    "numbers": NumbersPage,
    "printing": PrintingPage,
    "register": RegisterPage,
}


def run(workstation: Workstation, data_dir: Path, argv: list[str]) -> int:
    return run_workstation(workstation, data_dir, argv, PAGES)
