"""The six programs of the suite and the folder each keeps its data in."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from common.i18n import N_


@dataclass(frozen=True)
class Stage:
    """One stage of a workstation's work, in the order of the instruction.

    ``title`` is an untranslated message id; ``paragraphs`` cites the instruction (``п. 80–82``).
    ``page`` is the dotted path of the page widget factory in the program's ``ui`` package, or
    ``None`` while the stage is not built yet (the window then says so).
    """

    key: str
    title: str
    paragraphs: str
    page: str | None = None


@dataclass(frozen=True)
class Workstation:
    code: str
    program: str
    title: str
    package: str
    stages: tuple[Stage, ...]
    has_window: bool = True

    @property
    def ui_module(self) -> str:
        return f"{self.package}.ui.main_window"

    def default_data_dir(self) -> Path:
        return Path(platformdirs.user_data_dir("ent-arm", appauthor=False)) / self.code


BASE_PPENT = Workstation(
    code="base-ppent",
    program="ent-base-ppent",
    title=N_("Site database workstation"),
    package="arm_base_ppent",
    stages=(
        Stage("enrolment", N_("Enrolment from NTC"), "п. 24.4, 79"),
        Stage("rooms", N_("Room fund"), "п. 80–82"),
        Stage("schools", N_("Schools and colleges"), "п. 83–85"),
        Stage("site", N_("Site facts"), "п. 86"),
        Stage("schedule", N_("Schedule and streams"), "п. 79.2"),
        Stage("reports", N_("Reports"), "п. 85, 87–88"),
        Stage("send", N_("Send to NTC"), "п. 79.3"),
    ),
)

APPLICATIONS = Workstation(
    code="applications",
    program="ent-applications",
    title=N_("Applications workstation"),
    package="arm_applications",
    stages=(
        Stage("enrolment", N_("Enrolment from NTC"), "п. 24.4"),
        Stage("plan", N_("Site plan from NTC"), "п. 89.1"),
        Stage("secretaries", N_("Technical secretaries"), "п. 89.2"),
        Stage("journals", N_("Registration journals"), "п. 90–91"),
        Stage("scanning", N_("Scanning application forms"), "п. 89.7, 94–100"),
        Stage("reconciliation", N_("Reconciliation"), "п. 101–102"),
        Stage("changes", N_("Changes and annulments"), "п. 103–106"),
        Stage("statistics", N_("Daily statistics"), "п. 12"),
        Stage("closing", N_("Closing the database"), "п. 107–109"),
        Stage("distribution", N_("Distribution to rooms"), "п. 110"),
        Stage("passes", N_("Admission passes"), "п. 111–112"),
    ),
)

SCANNER_CHECK = Workstation(
    code="scanner-check",
    program="ent-scanner-check",
    title=N_("Scanner check workstation"),
    package="arm_scanner_check",
    stages=(
        Stage("enrolment", N_("Enrolment from NTC"), "п. 52.2"),
        Stage("control-sheets", N_("Control sheets"), "п. 52.4"),
        Stage("scan", N_("Scanning control sheets"), "п. 52.5"),
        Stage("report", N_("Scanner check report"), "п. 42.5"),
    ),
)

PROGRAMMER = Workstation(
    code="programmer",
    program="ent-programmer",
    title=N_("Ministry programmer workstation"),
    package="arm_programmer",
    stages=(
        Stage("enrolment", N_("Enrolment from NTC"), "п. 52.2"),
        Stage("takeover", N_("Applicant database takeover"), "п. 52.8–10"),
        Stage("seating", N_("Seating draw"), "п. 52.11–13"),
        Stage("prints", N_("Exam-day prints"), "п. 52.11–12"),
        Stage("variants", N_("Variants file"), "п. 53.1"),
        Stage("scanning", N_("Scanning answer sheets"), "п. 156"),
        Stage("identification", N_("Identification"), "п. 157–175"),
        Stage("results", N_("Answer codes, scores and statements"), "п. 176–180"),
        Stage("appeals", N_("Appeals"), "п. 183–208"),
        Stage("final", N_("Certificate file and reports"), "п. 214, 232"),
    ),
)

CERTIFICATE = Workstation(
    code="certificate",
    program="ent-certificate",
    title=N_("Certificate workstation"),
    package="arm_certificate",
    stages=(
        Stage("enrolment", N_("Enrolment from NTC"), "п. 52.2"),
        Stage("import", N_("Certificate file"), "п. 214–215"),
        Stage("numbers", N_("Typographic numbers"), "п. 215–216"),
        Stage("printing", N_("Printing certificates"), "п. 216"),
        Stage("register", N_("Register and acts"), "п. 216–222"),
    ),
)

NCT = Workstation(
    code="nct",
    program="ent-nct",
    title=N_("National Testing Centre"),
    package="nct_hub",
    stages=(
        Stage("sites", N_("Sites and enrolment"), "п. 22–24"),
        Stage("directories", N_("Directories"), "п. 23.1"),
        Stage("passwords", N_("Passwords"), "п. 25, 176–178"),
        Stage("imports", N_("Imports and statistics"), "п. 26–29"),
    ),
    has_window=False,
)

WORKSTATIONS: tuple[Workstation, ...] = (BASE_PPENT, APPLICATIONS, SCANNER_CHECK, PROGRAMMER, CERTIFICATE)
ALL_PROGRAMS: tuple[Workstation, ...] = (*WORKSTATIONS, NCT)


def by_code(code: str) -> Workstation:
    for workstation in ALL_PROGRAMS:
        if workstation.code == code:
            return workstation
    raise KeyError(code)


@dataclass(frozen=True)
class DataFolder:
    """The folder of one workstation (ARCHITECTURE.md): database, scans, exchange, prints, audit."""

    root: Path

    @property
    def database(self) -> Path:
        return self.root / "workstation.sqlite"

    @property
    def scans(self) -> Path:
        return self.root / "scans"

    @property
    def outbox(self) -> Path:
        return self.root / "outbox"

    @property
    def inbox(self) -> Path:
        return self.root / "inbox"

    @property
    def printed(self) -> Path:
        return self.root / "printed"

    @property
    def audit_log(self) -> Path:
        return self.root / "audit.log"

    @property
    def settings(self) -> Path:
        return self.root / "settings.json"

    def create_subfolders(self) -> None:
        """The folder and its subfolders, for the operator's account only (0700, or the ACL on Windows);
        the database file is made empty and 0600, so SQLite's files take that mode."""
        from common.files import PRIVATE_FOLDER_MODE, create_private_file, make_private_folder

        make_private_folder(self.root)
        for folder in (self.scans, self.outbox, self.inbox, self.printed):
            folder.mkdir(mode=PRIVATE_FOLDER_MODE, exist_ok=True)
            if os.name != "nt":  # on Windows the folder's ACL is inherited
                os.chmod(folder, PRIVATE_FOLDER_MODE)
        create_private_file(self.database)

    def exists(self) -> bool:
        return self.database.exists()
