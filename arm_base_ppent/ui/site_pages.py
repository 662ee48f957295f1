"""Enrolment from НЦТ (the site this workstation serves) and «Сведения о ППЕНТ» (п. 86)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
)
from sqlalchemy.orm import Session

from arm_base_ppent.site import SiteFacts, SiteInfo, facts_problems, site_info, update_site_facts
from common.i18n import _, current_language
from common.ui.page import ERROR_STYLE, Page
from common.ui.shell import ShellContext


class SiteFactsPage(Page):
    """«Сведения о ППЕНТ» (п. 86) and the building of the room fund (п. 80.1)."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.info: SiteInfo | None = None
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
        self.info = info
        self._render_site()
        facts = info.facts
        self.building.setText(facts.building)
        self.restroom.setText(facts.restroom_location)
        self.detector_type.setText(facts.metal_detector_type)
        for name, spin in self.counts.items():
            spin.setValue(int(getattr(facts, name)))
        self.check()

    def _render_site(self) -> None:
        info = self.info
        if info is not None:
            name = info.name_kk if current_language() == "kk" else info.name_ru
            self.site.setText(_("Test site {code}: {name}").format(code=info.code, name=name))

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
        self._render_site()
        self.check()


def site_facts_page(context: ShellContext) -> SiteFactsPage:
    return SiteFactsPage(context)
