"""The form of one school or college with every parameter of п. 84, checked as the user types."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from arm_base_ppent.schools import SchoolRecord, school_problems
from arm_base_ppent.streams import StreamRow
from arm_base_ppent.vocabulary import (
    FOREIGN_LANGUAGES,
    OWNERSHIP,
    ROOM_LANGUAGE,
    SCHOOL_KIND,
    SCHOOL_LANGUAGE,
    SCHOOL_TYPES,
    SETTLEMENT,
    TRANSPORT,
    label,
)
from common import codebook
from common.i18n import _
from common.ui.page import ERROR_STYLE

GRADES = ("9", "10", "11", "12")
NO_DISTANCE = -1.0


def _choice_box(names: dict[str, str], editable: bool = False) -> QComboBox:
    box = QComboBox()
    box.setEditable(editable)
    box.addItem("—", "")
    for code in names:
        box.addItem(label(names, code), code)
    return box


def _set_choice(box: QComboBox, value: str) -> None:
    index = box.findData(value)
    if index >= 0:
        box.setCurrentIndex(index)
    elif box.isEditable():
        box.setEditText(value)
    else:
        box.setCurrentIndex(0)


def _choice(box: QComboBox) -> str:
    """The code of the chosen item, or the free text typed into an editable box."""
    if box.isEditable():
        text = box.currentText().strip()
        index = box.findText(text)
        if index >= 0:
            return str(box.itemData(index))
        return text if text != "—" else ""
    return str(box.currentData() or "")


class SchoolDialog(QDialog):
    """Edits ``record`` (None: a new school). ``save(record)`` returns a refusal message or None."""

    def __init__(self, parent: QWidget | None, record: SchoolRecord | None, streams: Sequence[StreamRow],
                 other_bins: set[str], save: Callable[[SchoolRecord], str | None]) -> None:
        super().__init__(parent)
        self.setObjectName("schoolDialog")
        self.setWindowTitle(_("School or college") if record else _("New school or college"))
        self.original = record
        self.other_bins = other_bins
        self.save = save
        self._extra_grades = {grade: count for grade, count in (record.students_per_grade if record else {}).items()
                              if grade not in GRADES}
        layout = QVBoxLayout(self)
        columns = QHBoxLayout()
        layout.addLayout(columns)
        left, right = QFormLayout(), QFormLayout()
        columns.addLayout(left, 3)
        columns.addLayout(right, 2)

        def line(name: str, length: int = 0) -> QLineEdit:
            edit = QLineEdit()
            edit.setObjectName(name)
            if length:
                edit.setMaxLength(length)
            edit.textChanged.connect(self.check)
            return edit

        self.code = line("code", codebook.SCHOOL_DIGITS)
        self.region = line("region", codebook.REGION_DIGITS)
        self.district = line("district", codebook.DISTRICT_DIGITS)
        self.bin = line("bin", codebook.BIN_DIGITS)
        self.name_kk = line("nameKk")
        self.name_ru = line("nameRu")
        self.address = line("address")
        codes = QHBoxLayout()
        for caption, edit in ((_("region"), self.region), (_("district"), self.district), (_("school"), self.code)):
            # wide enough for every digit of the code, in any font
            edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("0" * (edit.maxLength() + 1)) + 16)
            codes.addWidget(QLabel(caption))
            codes.addWidget(edit)
        codes.addStretch(1)
        for edit in (self.name_kk, self.name_ru, self.address):
            edit.setMinimumWidth(540)  # a school's whole name, as long as НЦТ's directory writes them
        left.addRow(_("Codes in NTC's directory"), codes)
        left.addRow(_("БИН"), self.bin)
        left.addRow(_("Name in Kazakh"), self.name_kk)
        left.addRow(_("Name in Russian"), self.name_ru)
        left.addRow(_("Address"), self.address)
        self.language = _choice_box(SCHOOL_LANGUAGE)
        self.settlement = _choice_box(SETTLEMENT)
        self.ownership = _choice_box(OWNERSHIP)
        self.school_type = _choice_box(SCHOOL_TYPES, editable=True)
        self.school_kind = _choice_box(SCHOOL_KIND)
        self.transport = _choice_box(TRANSPORT, editable=True)
        self.delivery = line("delivery")
        for box in (self.language, self.settlement, self.ownership, self.school_kind):
            box.currentIndexChanged.connect(self.check)
        left.addRow(_("Language status"), self.language)
        left.addRow(_("City or village"), self.settlement)
        left.addRow(_("Ownership"), self.ownership)
        left.addRow(_("Type of school"), self.school_type)
        left.addRow(_("Kind"), self.school_kind)
        left.addRow(_("Transport for the applicants"), self.transport)
        left.addRow(_("Delivery of the applicants"), self.delivery)
        self.distance = QDoubleSpinBox()
        self.distance.setRange(NO_DISTANCE, 2000)
        self.distance.setDecimals(1)
        self.distance.setSpecialValueText("—")
        self.distance.setSuffix(" " + _("km"))
        left.addRow(_("Distance to the site"), self.distance)

        languages_box = QGroupBox(_("Foreign languages taught"))
        grid = QGridLayout(languages_box)
        self.foreign: dict[str, QCheckBox] = {}
        for index, code in enumerate(FOREIGN_LANGUAGES):
            box = QCheckBox(label(FOREIGN_LANGUAGES, code))
            self.foreign[code] = box
            grid.addWidget(box, index // 3, index % 3)
        right.addRow(languages_box)
        self.students: dict[str, QSpinBox] = {}
        students_box = QGroupBox(_("Students per grade"))
        students_form = QFormLayout(students_box)
        for grade in GRADES:
            spin = QSpinBox()
            spin.setRange(0, 5000)
            self.students[grade] = spin
            students_form.addRow(_("grade {grade}").format(grade=grade), spin)
        right.addRow(students_box)
        self.expected: dict[str, QSpinBox] = {}
        expected_box = QGroupBox(_("Expected applicants by test language"))
        expected_form = QFormLayout(expected_box)
        for code in ROOM_LANGUAGE:
            spin = QSpinBox()
            spin.setObjectName(f"expected-{code}")
            spin.setRange(0, 5000)
            spin.valueChanged.connect(self._total)
            self.expected[code] = spin
            expected_form.addRow(label(ROOM_LANGUAGE, code), spin)
        self.expected_total = QLabel()
        expected_form.addRow(self.expected_total)
        right.addRow(expected_box)
        self.stream = QComboBox()
        self.stream.addItem(_("not yet in a stream"), None)
        for stream in streams:
            self.stream.addItem(_("Stream {stream} — {date}").format(
                stream=stream.number, date=stream.exam_date.strftime("%d.%m.%Y")), stream.number)
        right.addRow(_("Stream"), self.stream)

        self.problems = QLabel()
        self.problems.setObjectName("schoolProblems")
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet(ERROR_STYLE)
        layout.addWidget(self.problems)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        if record is not None:
            self._fill(record)
        self._total()
        self.check()

    def _fill(self, record: SchoolRecord) -> None:
        for edit, value in ((self.code, record.code), (self.region, record.region_code),
                            (self.district, record.district_code), (self.bin, record.bin),
                            (self.name_kk, record.name_kk), (self.name_ru, record.name_ru),
                            (self.address, record.address), (self.delivery, record.delivery)):
            edit.setText(value)
            edit.setCursorPosition(0)  # a long name shows its beginning
        for box, value in ((self.language, record.language_status), (self.settlement, record.settlement),
                           (self.ownership, record.ownership), (self.school_type, record.school_type),
                           (self.school_kind, record.school_kind), (self.transport, record.transport)):
            _set_choice(box, value)
        self.distance.setValue(NO_DISTANCE if record.distance_km is None else record.distance_km)
        for code, box in self.foreign.items():
            box.setChecked(code in record.foreign_languages)
        for grade, spin in self.students.items():
            spin.setValue(int(record.students_per_grade.get(grade, 0)))
        for code, spin in self.expected.items():
            spin.setValue(int(record.expected.get(code, 0)))
        self.stream.setCurrentIndex(max(0, self.stream.findData(record.stream)))

    def record(self) -> SchoolRecord:
        known = [code for code, box in self.foreign.items() if box.isChecked()]
        others = [code for code in (self.original.foreign_languages if self.original else ())
                  if code not in FOREIGN_LANGUAGES]
        students = {grade: spin.value() for grade, spin in self.students.items() if spin.value()}
        distance = self.distance.value()
        return SchoolRecord(
            code=self.code.text().strip(), name_kk=self.name_kk.text(), name_ru=self.name_ru.text(),
            bin=self.bin.text().strip(), region_code=self.region.text().strip(),
            district_code=self.district.text().strip(), address=self.address.text(),
            students_per_grade={**self._extra_grades, **students}, foreign_languages=tuple(known + others),
            language_status=_choice(self.language), settlement=_choice(self.settlement),
            ownership=_choice(self.ownership), school_type=_choice(self.school_type),
            school_kind=_choice(self.school_kind), transport=_choice(self.transport), delivery=self.delivery.text(),
            distance_km=None if distance <= NO_DISTANCE else distance,
            expected={code: spin.value() for code, spin in self.expected.items() if spin.value()},
            stream=self.stream.currentData(),
        )

    def check(self) -> list[str]:
        record = self.record()
        problems = school_problems(record)
        if record.bin in self.other_bins:
            problems.insert(0, _("A school with БИН {bin} is already in the database.").format(bin=record.bin))
        self.problems.setText("\n".join(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)
        return problems

    def _total(self) -> None:
        total = sum(spin.value() for spin in self.expected.values())
        self.expected_total.setText(_("Total: {count}").format(count=total))

    def accept(self) -> None:
        if self.check():
            return
        refusal = self.save(self.record())
        if refusal:
            self.problems.setText(refusal)
            return
        super().accept()
