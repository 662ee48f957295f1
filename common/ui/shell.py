"""The shell every workstation window shares.

Header with the workstation and site, the operator chosen at start, the stages of the
workstation's work as a side navigation (in the order of the instruction), a status bar with the
database state, Kazakh / Russian / English switchable at run time and an About box. Pages come from
each program's ``ui`` package; a stage without a page says it is not built yet.
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QModelIndex, QObject, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QActionGroup, QColor
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from common import __version__, i18n, settings
from common.i18n import _
from common.i18n.citation import cite
from common.roles import ROLE_TITLES, operator_roles
from common.status import FolderStatus, folder_status
from common.ui.app import application
from common.ui.login import LoginDialog, Operator
from common.workstation import Stage, Workstation

CHECK_WINDOW = "--check-window"
"""Build the window with every page, close it and exit: the installers' smoke test (see :func:`check_window`)."""
CHECK_OPERATOR = "check-window"
STAGE_PADDING = (6, 7)  # a stage's entry in the side bar: left/right, top/bottom
NAVIGATION_WIDTH = 240  # the stages' side bar: long titles wrap, the pages keep the width of a 1366 screen
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


class ShellEvents(QObject):
    """Signals pages listen to: data changed (redraw), language changed (retranslate)."""

    changed = Signal()
    language_changed = Signal(str)


@dataclass
class ShellContext:
    """What a page gets: where the data is, who works, and the shell's signals."""

    workstation: Workstation
    data_dir: Path
    operator: Operator
    events: ShellEvents
    window: QMainWindow


PageFactory = Callable[[ShellContext], QWidget]


class PlaceholderPage(QWidget):
    """A stage that is not built yet: says so, with the paragraphs of the instruction it covers."""

    def __init__(self, stage: Stage) -> None:
        super().__init__()
        self.stage = stage
        layout = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.body = QLabel()
        self.body.setWordWrap(True)
        layout.addWidget(self.heading)
        layout.addWidget(self.body)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(_(self.stage.title))
        self.body.setText(
            _("This stage ({paragraphs} of the instruction) is not built yet in this version.").format(
                paragraphs=cite(self.stage.paragraphs)
            )
        )


class StageDelegate(QStyledItemDelegate):
    """Sizes a stage's entry for its title wrapped inside the side bar's padding (Qt's own size
    ignores the style sheet's padding, so a title one padding too wide was cut with "…")."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> QSize:  # noqa: N802
        view = self.parent()
        assert isinstance(view, QListWidget)
        horizontal, vertical = STAGE_PADDING
        width = view.viewport().width() - 2 * horizontal - 4  # the padding and the style's text margins
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        needed = option.fontMetrics.boundingRect(QRect(0, 0, max(width, 20), 10_000), Qt.TextFlag.TextWordWrap, text)
        return QSize(view.viewport().width(), needed.height() + 2 * vertical + 2)


class WorkstationWindow(QMainWindow):
    def __init__(
        self,
        workstation: Workstation,
        data_dir: Path,
        operator: Operator,
        pages: dict[str, PageFactory] | None = None,
    ) -> None:
        application()  # fonts with Kazakh letters, style and Qt's translations, once per process
        super().__init__()
        self.workstation = workstation
        self.data_dir = data_dir
        self.operator = operator
        self.events = ShellEvents(self)
        self.context = ShellContext(workstation, data_dir, operator, self.events, self)
        self._factories = pages or {}
        self._pages: dict[str, QWidget] = {}
        self._status = FolderStatus(data_dir=data_dir, exists=False)
        self.setObjectName("workstationWindow")
        screen = QApplication.primaryScreen().availableGeometry()  # a 1366×768 laptop: the whole screen
        self.resize(min(1366, screen.width()), min(768, screen.height()))
        self._build()
        self._unsubscribe = i18n.on_language_changed(self._language_switched)
        self.events.changed.connect(lambda: self.refresh_status(verify_audit=False))
        self.refresh_status()
        self.retranslate()
        self.navigation.setCurrentRow(0)

    # construction ---------------------------------------------------------------------------
    def _build(self) -> None:
        central = QWidget()
        outer = QVBoxLayout(central)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        header = QWidget()
        header.setObjectName("header")
        header.setStyleSheet(
            "#header { background: #1f5f99; } #header QLabel { color: white; }"
            " #title { font-size: 15pt; font-weight: bold; }"
        )
        header_layout = QHBoxLayout(header)
        header_layout.setContentsMargins(16, 10, 16, 10)
        self.title_label = QLabel()
        self.title_label.setObjectName("title")
        self.site_label = QLabel()
        self.operator_label = QLabel()
        self.operator_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        titles = QVBoxLayout()
        titles.addWidget(self.title_label)
        titles.addWidget(self.site_label)
        header_layout.addLayout(titles, 1)
        header_layout.addWidget(self.operator_label)
        outer.addWidget(header)

        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        self.navigation = QListWidget()
        self.navigation.setObjectName("stages")
        self.navigation.setFixedWidth(NAVIGATION_WIDTH)
        self.navigation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.navigation.setWordWrap(True)  # a long stage title takes two lines instead of being cut
        self.navigation.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.navigation.setUniformItemSizes(False)
        self.navigation.setResizeMode(QListView.ResizeMode.Adjust)
        self.navigation.setItemDelegate(StageDelegate(self.navigation))
        self.navigation.setStyleSheet(
            f"QListWidget#stages::item {{ padding: {STAGE_PADDING[1]}px {STAGE_PADDING[0]}px; }}"
        )
        self.stack = QStackedWidget()
        for stage in self.workstation.stages:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, stage.key)
            self.navigation.addItem(item)
            placeholder = QWidget()
            self.stack.addWidget(placeholder)
        self.navigation.currentRowChanged.connect(self._show_stage)
        body.addWidget(self.navigation)
        body.addWidget(self.stack, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(central)
        self.setStyleSheet("QLabel#pageHeading { font-size: 14pt; font-weight: bold; margin-bottom: 6px; }")

        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label, 1)
        self._build_menus()

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.file_menu = bar.addMenu("")
        self.quit_action = QAction(self)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.language_menu = bar.addMenu("")
        group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in i18n.LANGUAGES:
            action = QAction(LANGUAGE_NAMES[code], self, checkable=True)
            action.triggered.connect(lambda _checked=False, c=code: switch_language(c))
            group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.help_menu = bar.addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    # pages ----------------------------------------------------------------------------------
    def _show_stage(self, row: int) -> None:
        if row < 0:
            return
        stage = self.workstation.stages[row]
        page = self._pages.get(stage.key)
        if page is None:
            factory = self._factories.get(stage.key)
            page = factory(self.context) if factory else PlaceholderPage(stage)
            page.setObjectName(f"page-{stage.key}")
            self._pages[stage.key] = page
            old = self.stack.widget(row)
            if old is not None:  # the empty stand-in made in _build
                self.stack.removeWidget(old)
                old.deleteLater()
            self.stack.insertWidget(row, scrollable(page))
        self.stack.setCurrentIndex(row)

    def page(self, key: str) -> QWidget:
        """The page of stage ``key``, opening it (tests and menus use this)."""
        keys = [stage.key for stage in self.workstation.stages]
        self.navigation.setCurrentRow(keys.index(key))
        return self._pages[key]

    # state ----------------------------------------------------------------------------------
    def refresh_status(self, verify_audit: bool = True) -> None:
        """Read the folder's state; the whole audit chain is verified at opening, after a change only
        the entry count is read (``audit verify`` and НЦТ check the chain in full)."""
        previous = None if verify_audit or not self._status.exists else self._status
        self._status = folder_status(self.data_dir, previous)
        self._render_status()

    def _render_status(self) -> None:
        status = self._status
        if not status.exists:
            text = _("No workstation folder at {path}").format(path=status.data_dir)
        elif status.error:
            text = status.error
        else:
            schema = _("Database schema {revision}").format(revision=status.schema_revision)
            if status.schema_current:
                schema += " ✓"
            if status.audit_ok:
                audit = _("audit log intact ({count} entries)").format(count=status.audit_entries)
            else:
                audit = _("audit log BROKEN: {problem}").format(problem=status.audit_problem)
            text = f"{schema} · {audit} · {status.data_dir}"
        self.status_label.setText(text)
        site = status.site_code or _("not enrolled")
        self.site_label.setText(_("Test site: {site}").format(site=site))

    # language -------------------------------------------------------------------------------
    def _language_switched(self, language: str) -> None:
        self.retranslate()
        self.events.language_changed.emit(language)

    def retranslate(self) -> None:
        title = _(self.workstation.title)
        self.setWindowTitle(f"{title} — ent-arm")
        self.title_label.setText(title)
        self.operator_label.setText(
            _("Operator: {name}\n{role}").format(
                name=self.operator.name, role=_(ROLE_TITLES.get(self.operator.role, self.operator.role))
            )
        )
        for row, stage in enumerate(self.workstation.stages):
            item = self.navigation.item(row)
            item.setText(f"{row + 1}. {_(stage.title)}")
            item.setToolTip(f"{_(stage.title)} ({cite(stage.paragraphs)})")
            if stage.key not in self._factories:
                item.setForeground(QColor("#7a7a7a"))
        self.navigation.doItemsLayout()  # titles of another length: entries of another height
        for page in self._pages.values():
            retranslate = getattr(page, "retranslate", None)
            if callable(retranslate):
                retranslate()
        self.file_menu.setTitle(_("&File"))
        self.quit_action.setText(_("&Quit"))
        self.language_menu.setTitle(_("&Language"))
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About"))
        self.language_actions[i18n.current_language()].setChecked(True)
        self._render_status()

    def show_about(self) -> None:
        QMessageBox.about(self, _("About"), about_text(self.workstation, self.data_dir))

    def closeEvent(self, event: object) -> None:  # noqa: N802 - Qt's name
        self._unsubscribe()
        super().closeEvent(event)  # type: ignore[arg-type]


def scrollable(page: QWidget) -> QScrollArea:
    """A page on a small screen scrolls instead of being cut off."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(page)
    return area


def about_text(workstation: Workstation, data_dir: Path) -> str:
    return "<br>".join(
        [
            f"<b>{_(workstation.title)}</b>",
            _("Version {version}").format(version=__version__),
            _("Data folder: {path}").format(path=data_dir),
            _("Part of ent-arm, the software of the Unified National Testing sites."),
        ]
    )


def switch_language(language: str) -> None:
    """Switch every open window to ``language`` and remember the choice."""
    i18n.set_language(language)
    settings.save({"language": language})


def run_workstation(
    workstation: Workstation, data_dir: Path, argv: list[str], pages: dict[str, PageFactory]
) -> int:
    """Open the workstation: operator login, then the main window; returns the exit code.

    With ``--check-window`` in ``argv``: no login, :func:`check_window` instead.
    """
    if CHECK_WINDOW in argv:
        return check_window(workstation, data_dir, [word for word in argv if word != CHECK_WINDOW], pages)
    app = application(argv)
    dialog = LoginDialog(workstation)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return 0
    window = WorkstationWindow(workstation, data_dir, dialog.operator(), pages)
    window.show()
    return int(QApplication.exec() if app else 0)


def check_window(workstation: Workstation, data_dir: Path, argv: list[str], pages: dict[str, PageFactory]) -> int:
    """``ent-<workstation> --check-window``: build the main window, open every stage's page, close it.

    What a bundle or an installation is checked with (``installers/smoke.py``): every module, Qt
    plugin, font and translation a page needs is loaded, with no login dialog to answer (the
    operator is ``check-window`` in the workstation's first role) and nothing written. Works with
    ``QT_QPA_PLATFORM=offscreen``. Exit 0 when every page opened; 1 when one failed (its stage and
    the error on stderr).
    """
    application(argv)
    failures: list[str] = []
    previous = sys.excepthook

    def record(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        failures.append("".join(traceback.format_exception(kind, error, trace)).rstrip())

    sys.excepthook = record  # an error in a slot (a page made on a stage change) comes here, not up the stack
    roles = operator_roles(workstation.code)
    window = WorkstationWindow(workstation, data_dir, Operator(CHECK_OPERATOR, roles[0] if roles else ""), pages)
    failed: list[str] = []
    try:
        window.show()
        for row, stage in enumerate(workstation.stages):
            before = len(failures)
            window.navigation.setCurrentRow(row)
            QApplication.processEvents()
            if len(failures) > before or stage.key not in window._pages:
                failed.append(stage.key)
    finally:
        sys.excepthook = previous
        window.close()
        window.deleteLater()
        QApplication.processEvents()
    for problem in failures:
        print(problem, file=sys.stderr)
    if failed:
        print(
            _("The window of {title} did not open every page; failed: {stages}.").format(
                title=_(workstation.title), stages=", ".join(failed)
            ),
            file=sys.stderr,
        )
        return 1
    built = sum(1 for stage in workstation.stages if stage.key in pages)
    print(
        _("The window of {title} opened all {count} stages ({built} with their pages).").format(
            title=_(workstation.title), count=len(workstation.stages), built=built
        ),
        flush=True,
    )
    return 0
