"""The review widget every scanning workstation reuses: one flagged field at a time, worst page first.

The operator sees the field cut out of the scan with every bubble outlined and its measured fill
printed on it (:func:`common.omr.explain.explain`, the picture an appellant is shown too), types
the value the marks show — digits or letters, nothing for an empty field — and presses Enter. The
keyboard alone does it: the value box keeps the focus, Enter confirms, Escape puts back what the
reader read. Each decision goes to ``record`` (the workstation writes it to the audit log under the
operator's name in one transaction, :func:`common.omr.review.record_decision`); a refusal is shown
in red and the field stays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeyEvent, QPixmap
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from common.errors import Refused
from common.i18n import _
from common.omr.explain import explain
from common.omr.images import load_pages
from common.omr.layout import Layout
from common.omr.review import ReviewDecision, ReviewItem, check_value

ERROR_STYLE = "color: #b00020; font-weight: bold;"


def scan_of(item: ReviewItem) -> np.ndarray:
    """The scanned page of ``item``, from its file (the default way to the image)."""
    from pathlib import Path

    for number, image in enumerate(load_pages(Path(item.result.image)), start=1):
        if number == item.result.page:
            return image
    raise Refused(_("{image} has no page {page}.").format(image=item.result.image, page=item.result.page))


class _ValueBox(QLineEdit):
    """The value box: Escape restores the reader's value instead of leaving the widget."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            return
        super().keyPressEvent(event)


class ReviewWidget(QWidget):
    """Flagged fields one after another; ``record`` is called with each decision before moving on."""

    decided = Signal(object)  # ReviewDecision
    finished = Signal()

    def __init__(
        self,
        layout: Layout,
        queue: Sequence[ReviewItem],
        operator: str,
        record: Callable[[ReviewDecision], None],
        image_of: Callable[[ReviewItem], np.ndarray] = scan_of,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("omrReview")
        self.form_layout = layout
        self.queue = list(queue)
        self.operator = operator
        self.record = record
        self.image_of = image_of
        self.position = 0
        self.decisions: list[ReviewDecision] = []
        self.counter = QLabel(self)
        self.title = QLabel(self)
        self.picture = QLabel(self)
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint = QLabel(self)
        self.value = _ValueBox(self)
        self.value.setObjectName("reviewValue")
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        column = QVBoxLayout(self)
        for widget in (self.counter, self.title, self.picture, self.hint, self.value, self.message):
            column.addWidget(widget)
        self.value.returnPressed.connect(self.confirm)
        self.value.escaped.connect(self.restore)
        self.show_current()

    @property
    def current(self) -> ReviewItem | None:
        return self.queue[self.position] if self.position < len(self.queue) else None

    def show_current(self) -> None:
        item = self.current
        self.message.clear()
        self.message.setStyleSheet("")
        if item is None:
            self.counter.setText(_("Nothing left to review."))
            self.title.clear()
            self.picture.clear()
            self.hint.clear()
            self.value.clear()
            self.value.setEnabled(False)
            return
        self.counter.setText(_("Field {done} of {total}").format(done=self.position + 1, total=len(self.queue)))
        field = self.form_layout.field_by_name[item.field]
        self.title.setText(
            _("{field} on {image}, page {page} (sheet {number}, quality {quality:.2f})").format(
                field=item.field,
                image=item.result.image,
                page=item.result.page,
                number=item.result.sheet_number or "—",
                quality=item.result.quality,
            )
        )
        self.hint.setText(
            _("Type what the marks show ({values}; several for a multiple-choice task), then Enter.").format(
                values=" ".join(field.values)
            )
        )
        try:
            picture = explain(self.image_of(item), self.form_layout, item.result, item.field)
        except (Refused, ValueError, OSError) as error:
            self.picture.setText(str(error))
        else:
            height, width = picture.shape[:2]
            image = QImage(picture.data, width, height, 3 * width, QImage.Format.Format_RGB888).copy()
            self.picture.setPixmap(QPixmap.fromImage(image))
        self.value.setEnabled(True)
        self.value.setText(item.read_value)
        self.value.selectAll()
        self.value.setFocus()

    def restore(self) -> None:
        item = self.current
        if item is not None:
            self.value.setText(item.read_value)
            self.value.selectAll()

    def confirm(self) -> None:
        item = self.current
        if item is None:
            return
        try:
            value = check_value(self.form_layout, item.field, self.value.text())
            decision = ReviewDecision(item, value, self.operator)
            self.record(decision)
        except Refused as refusal:
            self.message.setStyleSheet(ERROR_STYLE)
            self.message.setText(str(refusal))
            return
        self.decisions.append(decision)
        self.decided.emit(decision)
        self.position += 1
        self.show_current()
        if self.current is None:
            self.finished.emit()
