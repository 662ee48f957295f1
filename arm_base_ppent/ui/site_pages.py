"""Enrolment from НЦТ (the site this workstation serves) and «Сведения о ППЕНТ» (п. 86)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)
from sqlalchemy.orm import Session

from arm_base_ppent.directory import site_directories
from arm_base_ppent.site import SiteFacts, SiteInfo, facts_problems, site_info, update_site_facts
from arm_base_ppent.ui.support import ERROR_STYLE, Page
from common.errors import Refused
from common.i18n import _
from common.ui.shell import ShellContext


@dataclass(frozen=True)
class EnrolmentView:
    site: SiteInfo | None
    directory_version: int | None
    directory_schools: int


def _enrolment_view(session: Session) -> EnrolmentView:
    from common.db.workstation_info import get_identity

    identity = get_identity(session)
    if identity is None or identity.site_code is None:
        return EnrolmentView(None, None, 0)
    directories = site_directories(session)
    return EnrolmentView(site_info(session), directories.version if directories else None,
                         len(directories.schools) if directories else 0)


class EnrolmentPage(Page):
    """Shows the enrolled site; enrols the folder with НЦТ's package and its password sheet."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.view: EnrolmentView | None = None
        self.state = QLabel()
        self.state.setObjectName("enrolmentState")
        self.state.setWordWrap(True)
        self.body.addWidget(self.state)
        self.box = QGroupBox()
        form = QFormLayout(self.box)
        self.package = QLineEdit()
        self.package.setObjectName("enrolmentPackage")
        self.browse = QPushButton()
        row = QHBoxLayout()
        row.addWidget(self.package, 1)
        row.addWidget(self.browse)
        self.password = QLineEdit()
        self.password.setObjectName("enrolmentPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.enrol_button = QPushButton()
        self.enrol_button.setObjectName("enrol")
        self.labels = [QLabel(), QLabel()]
        form.addRow(self.labels[0], row)
        form.addRow(self.labels[1], self.password)
        form.addRow(self.enrol_button)
        self.body.addWidget(self.box)
        self.body.addStretch(1)
        self.browse.clicked.connect(self._browse)
        self.enrol_button.clicked.connect(lambda: self.enrol(Path(self.package.text()), self.password.text()))
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        self.view = self.read(_enrolment_view)
        self._render()

    def enrol(self, package: Path, password: str) -> None:
        from common.security.audit import AuditLog
        from common.security.enrolment import enrol, open_enrolment

        if not package.is_file():
            self.show_problem(_("Choose the enrolment package file from NTC."))
            return
        try:
            enrolment = open_enrolment(package.read_bytes(), password, self.context.workstation.code)
        except Refused as refusal:
            self.show_problem(refusal.message)
            return

        def work(session: Session) -> str:
            result = enrol(session, enrolment, self.context.workstation.code, AuditLog(self.db.folder.audit_log),
                           self.db.actor)
            return str(result.site.code)

        self.act(work, lambda code: _("Enrolled at site {site}.").format(site=code))
        self.password.clear()

    def _browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, _("Enrolment package"), str(Path.home()),
                                                    _("Packages (*.entpkg)"))
        if name:
            self.package.setText(name)

    def _render(self) -> None:
        view = self.view
        if view is None or view.site is None:
            self.state.setText(_("This workstation is not enrolled yet. Choose the enrolment package NTC "
                                 "issued for this site and type the password from its sheet."))
            return
        self.message.clear()
        site = view.site
        directories = (_("NTC's directories version {version}: {schools} schools and colleges.").format(
            version=view.directory_version, schools=view.directory_schools) if view.directory_version is not None
            else _("No directories from NTC yet."))
        self.state.setText("\n".join([
            _("Enrolled at test site {code}.").format(code=site.code),
            _("Name in Kazakh: {name}").format(name=site.name_kk),
            _("Name in Russian: {name}").format(name=site.name_ru),
            _("Region code: {region}").format(region=site.region_code),
            directories,
        ]))

    def retranslate(self) -> None:
        self.heading.setText(_("Enrolment from NTC (п. 24.4, 79)"))
        self.box.setTitle(_("Enrol with a package"))
        self.labels[0].setText(_("Package"))
        self.labels[1].setText(_("Password from the sheet"))
        self.browse.setText(_("Browse…"))
        self.enrol_button.setText(_("Enrol"))
        self._render()


class SiteFactsPage(Page):
    """«Сведения о ППЕНТ» (п. 86) and the building of the room fund (п. 80.1)."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.site = QLabel()
        self.body.addWidget(self.site)
        self.box = QGroupBox()
        form = QFormLayout(self.box)
        self.building = QLineEdit()
        self.building.setObjectName("siteBuilding")
        self.restroom = QLineEdit()
        self.detector_type = QLineEdit()
        self.detector_type.setObjectName("detectorType")
        self.counts: dict[str, QSpinBox] = {}
        for name in ("lodging_places", "meal_places", "metal_detector_count", "jammers_count", "cameras_count"):
            spin = QSpinBox()
            spin.setObjectName(name)
            spin.setRange(0, 100000)
            spin.valueChanged.connect(self.check)
            self.counts[name] = spin
        for edit in (self.building, self.restroom, self.detector_type):
            edit.textChanged.connect(self.check)
        self.labels = [QLabel() for _index in range(8)]
        fields = (self.building, self.counts["lodging_places"], self.counts["meal_places"], self.restroom,
                  self.detector_type, self.counts["metal_detector_count"], self.counts["jammers_count"],
                  self.counts["cameras_count"])
        for text, widget in zip(self.labels, fields, strict=True):
            form.addRow(text, widget)
        self.problems = QLabel()
        self.problems.setObjectName("factsProblems")
        self.problems.setStyleSheet(ERROR_STYLE)
        form.addRow(self.problems)
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveFacts")
        self.save_button.clicked.connect(self.save)
        form.addRow(self.save_button)
        self.body.addWidget(self.box)
        self.body.addStretch(1)
        self.retranslate()
        self.reload()

    def facts(self) -> SiteFacts:
        return SiteFacts(
            building=self.building.text(), restroom_location=self.restroom.text(),
            metal_detector_type=self.detector_type.text(),
            **{name: spin.value() for name, spin in self.counts.items()},
        )

    def reload(self) -> None:
        info = self.read(site_info)
        if info is None:
            self.box.setEnabled(False)
            return
        self.box.setEnabled(True)
        self.site.setText(_("Test site {code}: {name}").format(code=info.code, name=info.name_ru))
        facts = info.facts
        self.building.setText(facts.building)
        self.restroom.setText(facts.restroom_location)
        self.detector_type.setText(facts.metal_detector_type)
        for name, spin in self.counts.items():
            spin.setValue(int(getattr(facts, name)))
        self.check()

    def check(self) -> list[str]:
        problems = facts_problems(self.facts())
        self.problems.setText("\n".join(problems))
        self.save_button.setEnabled(not problems)
        return problems

    def save(self) -> None:
        if self.check():
            return
        facts = self.facts()

        def work(session: Session) -> SiteInfo:
            info = update_site_facts(session, facts)
            self.db.audit(session, "site.facts", info.code)
            return info

        self.act(work, _("The site's facts are saved."))

    def retranslate(self) -> None:
        self.heading.setText(_("Site facts (п. 86)"))
        self.box.setTitle(_("«Сведения о ППЕНТ»"))
        texts = (_("Building of all rooms (п. 80.1)"), _("Lodging places"), _("Meal places"), _("Restroom location"),
                 _("Metal detector type"), _("Metal detectors"), _("Cell-signal jammers"), _("Video cameras"))
        for widget, text in zip(self.labels, texts, strict=True):
            widget.setText(text)
        self.save_button.setText(_("Save"))
        self.check()


def enrolment_page(context: ShellContext) -> EnrolmentPage:
    return EnrolmentPage(context)


def site_facts_page(context: ShellContext) -> SiteFactsPage:
    return SiteFactsPage(context)
