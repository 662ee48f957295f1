"""Scanning a school's application forms with the secretary present (п. 89.7, 94–100): the scan
with a live page counter; the review panel — flagged forms worst first, each doubtful mark in the
shared review widget (``common.ui.omr_review``: the field cut out of the scan, the value typed as
the marks show), a rule break fixed by sector (``iin`` = the value on the applicant's papers) or the
form set aside; the school's prints; its applications with their statuses."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
)
from sqlalchemy.orm import Session

from arm_applications.plan import applications_of, find_school, school_key, schools_in_order
from arm_applications.printing import SCHOOL_FORMS, default_form_language, print_school_form
from arm_applications.scanning import (
    ApplicationSink,
    FormSummary,
    application_layout,
    fix_form,
    flagged_forms,
    held_directories,
    problem_text,
    scan_target,
    set_aside,
)
from common.i18n import _
from common.omr.review import ReviewDecision, ReviewItem
from common.scanning.loop import LoopSummary, PageEvent
from common.ui.omr_review import ReviewWidget
from common.ui.page import Page
from common.ui.shell import ShellContext


class _Counter(QObject):
    page = Signal(object)


class ScanningPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.pages_seen = 0
        self.settle_seconds = 2.0
        """How long a file in the folder must stay unchanged before it is taken."""
        self.idle_seconds = 10.0
        """The scan ends after this long without a new page."""
        self.school = QComboBox()
        self.school.setObjectName("scanSchool")
        self.folder = QLineEdit()
        self.folder.setObjectName("scanFolder")
        self.browse = QPushButton()
        self.browse.clicked.connect(self._browse)
        self.scan_button = QPushButton()
        self.scan_button.setObjectName("scanStart")
        self.scan_button.clicked.connect(self.scan)
        self.counter = QLabel()
        self.counter.setObjectName("scanCounter")
        row = QHBoxLayout()
        for widget in (self.school, self.folder, self.browse, self.scan_button, self.counter):
            row.addWidget(widget)
        row.setStretch(1, 1)
        self.body.addLayout(row)

        self.review_box = QGroupBox()
        review = QHBoxLayout(self.review_box)
        self.flagged = QListWidget()
        self.flagged.setObjectName("flaggedForms")
        self.flagged.currentRowChanged.connect(self._show_form)
        review.addWidget(self.flagged, 1)
        panel = QVBoxLayout()
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.review_area = QVBoxLayout()
        self.review: ReviewWidget | None = None
        """The shared review widget over the current form's doubtful marks (the field cut out of the scan)."""
        self.field = QLineEdit()
        self.field.setObjectName("fixField")
        self.value = QLineEdit()
        self.value.setObjectName("fixValue")
        self.value.returnPressed.connect(self.fix)
        self.fix_button = QPushButton()
        self.fix_button.setObjectName("fixForm")
        self.fix_button.clicked.connect(self.fix)
        self.aside_button = QPushButton()
        self.aside_button.setObjectName("setAside")
        self.aside_button.clicked.connect(self.set_aside)
        values = QHBoxLayout()
        for widget in (self.field, self.value, self.fix_button, self.aside_button):
            values.addWidget(widget)
        panel.addWidget(self.problems)
        panel.addLayout(self.review_area, 1)
        panel.addLayout(values)
        review.addLayout(panel, 2)
        self.body.addWidget(self.review_box, 2)

        prints = QHBoxLayout()
        self.form = QComboBox()
        self.form.setObjectName("schoolForm")
        for key in SCHOOL_FORMS:
            self.form.addItem(key, key)
        self.print_button = QPushButton()
        self.print_button.setObjectName("printSchoolForm")
        self.print_button.clicked.connect(self.print_form)
        prints.addWidget(self.form)
        prints.addWidget(self.print_button)
        prints.addStretch(1)
        self.body.addLayout(prints)
        self.applications = QListWidget()
        self.applications.setObjectName("schoolApplications")
        self.body.addWidget(self.applications, 1)
        self.school.currentIndexChanged.connect(lambda _index: self.reload())
        self.retranslate()
        self.reload()

    # -- data ---------------------------------------------------------------------------------
    @property
    def school_key(self) -> str | None:
        value = self.school.currentData()
        return str(value) if value else None

    def reload(self) -> None:
        schools = self.read(lambda session: [school_key(school) for school in schools_in_order(session)]) or []
        if [self.school.itemData(index) for index in range(self.school.count())] != schools:
            current = self.school_key
            self.school.blockSignals(True)
            self.school.clear()
            for key in schools:
                self.school.addItem(key, key)
            if current in schools:
                self.school.setCurrentIndex(schools.index(current))
            self.school.blockSignals(False)
        key = self.school_key
        if key is None:
            return

        def load(session: Session) -> tuple[list[FormSummary], list[str]]:
            school = find_school(session, key)
            lines = [f"{application.ikt}  {application.status.value}  {application.test_language.value}"
                     for application in applications_of(session, school)]
            return flagged_forms(session, school), lines

        loaded = self.read(load)
        if loaded is None:
            return
        forms, lines = loaded
        self.forms = forms
        self.flagged.clear()
        for item in forms:
            problems = ", ".join(f"{field}/{code}" for code, field in item.problems)
            self.flagged.addItem(QListWidgetItem(f"{item.id}  {item.ikt or '—'}  {problems}"))
        self.applications.clear()
        self.applications.addItems(lines)
        if forms:
            self.flagged.setCurrentRow(0)
        else:
            self.problems.clear()
            self._drop_review()

    # -- scanning -----------------------------------------------------------------------------
    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, _("The folder the scanner writes to"))
        if chosen:
            self.folder.setText(chosen)

    def scan(self) -> None:
        from common.scanning.loop import scan_into
        from common.scanning.watched_folder import WatchedFolder

        key, folder = self.school_key, Path(self.folder.text().strip())
        if key is None or not folder.is_dir():
            self.show_problem(_("Choose the school and the folder the scanner writes to."))
            return

        target = self.read(lambda session: scan_target(session, key))
        if target is None:
            return
        counter = _Counter()
        counter.page.connect(self._page_done, Qt.ConnectionType.QueuedConnection)
        self._counter = counter
        self.pages_seen = 0
        sink = ApplicationSink(self.db.transaction, target.school_id, target.directories)
        driver = WatchedFolder(folder, settle_seconds=self.settle_seconds, idle_timeout=self.idle_seconds)

        def work() -> LoopSummary:  # a full disk: refused, the pages before kept
            return scan_into(self.db.folder, driver, application_layout(), sink, on_page=counter.page.emit)

        self.in_background(work, self._scanned, _("Scanning…"))

    def _page_done(self, event: PageEvent) -> None:
        self.pages_seen += 1
        self.counter.setText(_("Pages: {count}").format(count=self.pages_seen))
        if event.outcome == "rescan":
            self.show_problem(_("Page {number}: scan it again — {reasons}.").format(
                number=self.pages_seen, reasons=", ".join(event.reasons)))

    def _scanned(self, summary: LoopSummary) -> None:
        self.counter.setText(_("Pages: {count}").format(count=len(summary.events)))
        self.show_done(_("{pages} page(s): {stored} stored, {rescan} to scan again, {already} taken before.").format(
            pages=len(summary.events), stored=summary.count("stored"), rescan=summary.count("rescan"),
            already=summary.count("already")))

    # -- review -------------------------------------------------------------------------------
    def current_form(self) -> FormSummary | None:
        row = self.flagged.currentRow()
        forms = getattr(self, "forms", [])
        return forms[row] if 0 <= row < len(forms) else None

    def _show_form(self, _row: int) -> None:
        item = self.current_form()
        self._drop_review()
        if item is None:
            return
        self.problems.setText("\n".join(f"{field}: {problem_text(code)}" for code, field in item.problems))
        sector = next((field for _code, field in item.problems if "." not in field), "")
        self.field.setText(sector)
        self.value.clear()
        queue = self._queue(item)
        if queue:
            self.review = ReviewWidget(application_layout(), queue, self.db.actor, self._recorder(item.id))
            self.review.finished.connect(lambda: QTimer.singleShot(0, self._reviewed))
            self.review_area.addWidget(self.review)

    def _queue(self, item: FormSummary) -> list[ReviewItem]:
        """The form's doubtful marks still open, for the review widget (the scan read again for its geometry)."""
        from common.omr.images import load_pages
        from common.omr.reader import read_page
        from common.omr.review import review_queue

        path = self.db.folder.scans / item.image
        doubtful = {field for code, field in item.problems if code in ("04", "20")}
        if not doubtful or not path.exists():
            return []
        layout = application_layout()
        result = read_page(next(iter(load_pages(path))), layout, image_name=str(path))
        return [entry for entry in review_queue([result], layout) if entry.field in doubtful]

    def _recorder(self, form_id: int) -> Callable[[ReviewDecision], None]:
        def record(decision: ReviewDecision) -> None:
            with self.db.transaction() as session:
                fixed = fix_form(session, form_id, {decision.item.field: decision.value}, held_directories(session))
                self.db.audit(session, "review.fix", str(fixed.id), fields=[decision.item.field], state=fixed.state)
            self.show_done(_("Form {number}: {state}.").format(number=fixed.id, state=fixed.state))

        return record

    def _reviewed(self) -> None:
        self.context.events.changed.emit()

    def _drop_review(self) -> None:
        if self.review is not None:
            self.review_area.removeWidget(self.review)
            self.review.deleteLater()
            self.review = None

    def fix(self) -> None:
        item = self.current_form()
        field, value = self.field.text().strip(), self.value.text().strip()
        if item is None or not field:
            return

        def work(session: Session) -> FormSummary:
            fixed = fix_form(session, item.id, {field: value}, held_directories(session))
            self.db.audit(session, "review.fix", str(fixed.id), fields=[field], state=fixed.state)
            return fixed

        self.act(work, lambda fixed: _("Form {number}: {state}.").format(number=fixed.id, state=fixed.state))

    def set_aside(self) -> None:
        item = self.current_form()
        if item is None:
            return

        def work(session: Session) -> FormSummary:
            done = set_aside(session, item.id)
            self.db.audit(session, "review.set-aside", str(done.id))
            return done

        self.act(work, lambda done: _("Form {number}: {state}.").format(number=done.id, state=done.state))

    # -- prints -------------------------------------------------------------------------------
    def print_form(self) -> None:
        key, form = self.school_key, str(self.form.currentData())
        if key is None:
            return

        def work(session: Session) -> Any:
            return print_school_form(session, self.db.folder, form, key, default_form_language(),
                                     actor=self.db.actor)

        self.act(work, lambda printed: _("Printed {pages} page(s): {path}").format(pages=printed.pages,
                                                                                   path=printed.path))

    def retranslate(self) -> None:
        self.heading.setText(_("Scanning application forms"))
        self.folder.setPlaceholderText(_("the folder the scanner's capture software writes to"))
        self.browse.setText(_("Folder…"))
        self.scan_button.setText(_("Scan"))
        self.counter.setText(_("Pages: {count}").format(count=self.pages_seen))
        self.review_box.setTitle(_("Forms waiting for review, worst first"))
        self.field.setPlaceholderText(_("the field, e.g. surname.c03"))
        self.value.setPlaceholderText(_("the value read on the image"))
        self.fix_button.setText(_("Confirm"))
        self.aside_button.setText(_("Set aside"))
        self.print_button.setText(_("Print"))


def scanning_page(context: ShellContext) -> ScanningPage:
    return ScanningPage(context)

