"""Qt's own print preview of a produced PDF: QtPdf shows the very file that was kept in
``printed/``, so what the operator checks on screen is what goes to paper and to the archive.

Print renders each page at the printer's resolution (at most 300 dpi) and paints it on the
QPrinter chosen in the standard print dialog; «Open folder» shows the file in the system's file
manager.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QApplication, QDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from common.i18n import _

MAX_PRINT_DPI = 300


class PrintPreviewDialog(QDialog):
    """Shows ``pdf_path`` page after page, with Print, Open folder and Close."""

    open_url = staticmethod(QDesktopServices.openUrl)  # replaced in tests

    def __init__(self, pdf_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.pdf_path = pdf_path
        self.setObjectName("printPreview")
        # A page's width, and as tall as the screen allows: on a 1366×768 screen the buttons stay on it.
        screen = (parent.screen() if parent is not None else QApplication.primaryScreen()).availableGeometry()
        self.resize(min(900, screen.width() - 40), min(1000, screen.height() - 60))
        self.document = QPdfDocument(self)
        self.document.load(str(pdf_path))
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pages_label = QLabel()
        self.pages_label.setWordWrap(True)  # a long folder path must not widen the dialog past the screen
        self.print_button = QPushButton()
        self.print_button.setObjectName("print")
        self.folder_button = QPushButton()
        self.folder_button.setObjectName("openFolder")
        self.close_button = QPushButton()
        self.print_button.clicked.connect(lambda: self.print_document())
        self.folder_button.clicked.connect(self.open_folder)
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pages_label, 1)
        buttons.addWidget(self.folder_button)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addLayout(buttons)
        self.print_button.setDefault(True)
        self.retranslate()

    @property
    def page_count(self) -> int:
        return int(self.document.pageCount())

    def retranslate(self) -> None:
        self.setWindowTitle(_("Print preview: {name}").format(name=self.pdf_path.name))
        self.pages_label.setText(
            _("{pages} page(s) · saved as {path}").format(pages=self.page_count, path=self.pdf_path)
        )
        self.print_button.setText(_("&Print…"))
        self.folder_button.setText(_("Open &folder"))
        self.close_button.setText(_("&Close"))

    def print_document(self, printer: QPrinter | None = None) -> bool:
        """Print through the standard print dialog, or straight to ``printer`` when given."""
        if printer is None:
            printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            printer.setDocName(self.pdf_path.name)
            dialog = QPrintDialog(printer, self)
            dialog.setMinMax(1, max(1, self.page_count))
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
        print_pdf(self.document, printer)
        return True

    def open_folder(self) -> None:
        self.open_url(QUrl.fromLocalFile(str(self.pdf_path.parent)))


def print_pdf(document: QPdfDocument, printer: QPrinter) -> None:
    """Paint the pages of ``document`` (the printer's page range, else all) onto ``printer``."""
    first, last = printer.fromPage(), printer.toPage()
    pages = range(first - 1, last) if first > 0 and last >= first else range(document.pageCount())
    painter = QPainter()
    if not painter.begin(printer):
        return
    try:
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        for count, page in enumerate(pages):
            if count:
                printer.newPage()
            points = document.pagePointSize(page)
            pixels = QSize(round(points.width() * dpi / 72), round(points.height() * dpi / 72))
            image = document.render(page, pixels)
            target = painter.viewport()
            scaled = pixels.scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.setViewport(target.x(), target.y(), scaled.width(), scaled.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(target)
    finally:
        painter.end()


def show_print_preview(pdf_path: Path, parent: QWidget | None = None) -> PrintPreviewDialog:
    """Open the preview of ``pdf_path`` without blocking; the caller may keep the dialog."""
    dialog = PrintPreviewDialog(pdf_path, parent)
    dialog.open()
    return dialog
