"""The stage «Admission passes» (ch. 21, п. 14, 32.1, 107–108): after the distribution, a school's
passes with stubs and its register of issued passes (прил. 6), a stream's room folders (п. 32.1)
and site journal (прил. 17), and the journal of changes (прил. 13). Each button calls the service the
``passes print`` / ``print …`` commands call, keeps the file in ``printed/`` and opens Qt's print
preview of it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QPushButton
from sqlalchemy.orm import Session

from arm_applications.forms import registers
from arm_applications.forms.passes import LANGUAGE_NAMES
from arm_applications.passes_printing import print_pass_form, print_passes
from arm_applications.plan import school_key, schools_in_order
from arm_applications.printing import FORM_LANGUAGES, default_form_language
from common.i18n import _
from common.reports import PrintedForm
from common.ui.page import Page
from common.ui.shell import ShellContext


class PassesPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.state = QLabel()
        self.state.setObjectName("distributionState")
        self.state.setWordWrap(True)
        self.body.addWidget(self.state)
        self.school = QComboBox()
        self.school.setObjectName("passesSchool")
        self.stream = QComboBox()
        self.stream.setObjectName("passesStream")
        self.language = QComboBox()
        self.language.setObjectName("passesLanguage")
        for code in FORM_LANGUAGES:
            self.language.addItem(code, code)  # named in retranslate
        self.language.setCurrentIndex(FORM_LANGUAGES.index(default_form_language()))
        self.school_label, self.stream_label, self.language_label = QLabel(), QLabel(), QLabel()
        choices = QFormLayout()
        choices.addRow(self.school_label, self.school)
        choices.addRow(self.stream_label, self.stream)
        choices.addRow(self.language_label, self.language)
        self.body.addLayout(choices)
        self.passes_button = self._button("printPasses", self.print_passes)
        self.register_button = self._button("printPassesRegister", lambda: self.print_form(registers.REGISTER_KEY))
        self.folders_button = self._button("printRoomFolders", lambda: self.print_form(registers.FOLDERS_KEY))
        self.journal_button = self._button("printSiteJournal", lambda: self.print_form(registers.SITE_JOURNAL_KEY))
        self.changes_button = self._button("printJournalOfChanges", lambda: self.print_form(registers.CHANGES_KEY))
        school_row, stream_row = QHBoxLayout(), QHBoxLayout()
        for widget in (self.passes_button, self.register_button):
            school_row.addWidget(widget)
        for widget in (self.folders_button, self.journal_button, self.changes_button):
            stream_row.addWidget(widget)
        school_row.addStretch(1)
        stream_row.addStretch(1)
        self.body.addLayout(school_row)
        self.body.addLayout(stream_row)
        self.body.addStretch(1)
        self.last_printed: list[PrintedForm] = []
        self.last_preview: object = None
        self.retranslate()
        self.reload()

    def _button(self, name: str, slot: Callable[[], None]) -> QPushButton:
        button = QPushButton()
        button.setObjectName(name)
        button.clicked.connect(slot)
        return button

    @property
    def school_key(self) -> str | None:
        value = self.school.currentData()
        return str(value) if value else None

    @property
    def stream_number(self) -> int | None:
        value = self.stream.currentData()
        return int(value) if value else None

    def reload(self) -> None:
        from arm_applications.passes import streams
        from arm_applications.rooms import room_uses

        def facts(session: Session) -> tuple[list[str], list[int], int, int]:
            uses = room_uses(session)  # the counts per room, not every placement read on each reload
            return ([school_key(school) for school in schools_in_order(session)],
                    [info.number for info in streams(session)], sum(use.placed for use in uses),
                    sum(1 for use in uses if use.placed))

        found = self.read(facts)
        if found is None:
            return
        schools, numbers, placed, rooms = found
        _refill(self.school, [(key, key) for key in schools])
        _refill(self.stream, [(_("Stream {stream}").format(stream=number), number) for number in numbers])
        self.state.setText(_("{applicants} applicant(s) placed in {rooms} room(s).").format(applicants=placed,
                                                                                           rooms=rooms)
                           if placed else _("The applicants are not distributed into rooms yet: the passes and "
                                            "their registers are printed after the distribution."))

    def print_passes(self) -> None:
        school = self.school_key
        self._print(lambda session: print_passes(session, self.db.folder, actor=self.db.actor, school=school))

    def print_form(self, form: str) -> None:
        language = str(self.language.currentData())
        school = self.school_key if form == registers.REGISTER_KEY else None
        stream = self.stream_number if form in (registers.FOLDERS_KEY, registers.SITE_JOURNAL_KEY) else None
        self._print(lambda session: print_pass_form(session, self.db.folder, form, language, actor=self.db.actor,
                                                    school=school, stream=stream))

    def _print(self, work: Callable[[Session], list[PrintedForm]]) -> None:
        from common.ui.print_preview import show_print_preview

        def job() -> list[PrintedForm]:
            with self.db.transaction() as session:
                return work(session)

        def finished(printed: list[PrintedForm]) -> None:
            self.last_printed = printed
            self.show_done(_("Printed {files} file(s), {pages} page(s):").format(
                files=len(printed), pages=sum(form.pages for form in printed)) + " " +
                ", ".join(form.path.name for form in printed))
            self.last_preview = show_print_preview(printed[0].path, self)

        self.in_background(job, finished, _("Printing…"))

    def retranslate(self) -> None:
        self.heading.setText(_("Admission passes"))
        self.school_label.setText(_("School:"))
        self.stream_label.setText(_("Stream:"))
        self.language_label.setText(_("Form language:"))
        self.passes_button.setText(_("Print the passes with stubs"))
        self.register_button.setText(_("Register of issued passes"))
        self.folders_button.setText(_("Room folders"))
        self.journal_button.setText(_("Site journal of applications"))
        self.changes_button.setText(_("Journal of changes"))
        for index in range(self.language.count()):
            self.language.setItemText(index, _(LANGUAGE_NAMES[str(self.language.itemData(index))]))


def _refill(box: QComboBox, items: list[tuple[str, object]]) -> None:
    if [box.itemData(index) for index in range(box.count())] == [data for _text, data in items]:
        return
    current = box.currentData()
    box.clear()
    for text, data in items:
        box.addItem(text, data)
    index = box.findData(current)
    if index >= 0:
        box.setCurrentIndex(index)
