"""What every page of a workstation window shares: its database, one transaction per user action,
a message line under the page, and background work for the slow actions (prints, imports, sends).

Pages call the same services as the commands; a refusal (``Refused``) is shown as one line in red
and nothing is written. After a change the shell's ``events.changed`` tells every page to reload.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QVBoxLayout, QWidget
from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from common.errors import Refused
from common.exchange.importers import ImportContext
from common.exchange.taking import TakenPackage, Taking
from common.i18n import _
from common.ui.shell import ShellContext
from common.workstation import DataFolder

if TYPE_CHECKING:
    from common.reports import PrintedForm
    from common.ui.print_preview import PrintPreviewDialog

T = TypeVar("T")
ERROR_STYLE = "color: #b00020; font-weight: bold;"
DONE_STYLE = "color: #1b5e20;"
HINT_STYLE = "color: #555555;"


class Database:
    """The workstation's database, opened on first use and shared by the pages of one window."""

    def __init__(self, data_dir: Path, actor: str, program: str) -> None:
        self.folder = DataFolder(data_dir)
        self.actor = actor
        self.program = program
        self._engine: Engine | None = None
        self._read_only = False

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            from common.db.engine import open_engine
            from common.db.migrate import ensure_current

            if not self.folder.exists():
                raise Refused(
                    _("No workstation folder at {path}: run '{program} init --data-dir {path}' first.").format(
                        path=self.folder.root, program=self.program
                    )
                )
            from common.db.opening import check_folder, writable
            from common.workstation import ALL_PROGRAMS

            code = next((w.code for w in ALL_PROGRAMS if w.program == self.program), None)
            if code is not None:
                check_folder(self.folder.database, code)
            self._read_only = not writable(self.folder.root)  # a read-only folder can still be looked at
            engine = open_engine(self.folder.database, read_only=self._read_only)
            ensure_current(engine, can_upgrade=not self._read_only)
            self._engine = engine
        return self._engine

    @contextlib.contextmanager
    def transaction(self, *, read_only: bool = False) -> Iterator[Session]:
        from common.db.engine import transaction

        engine = self.engine
        with transaction(engine, read_only=read_only or self._read_only) as session:
            yield session

    def audit(self, session: Session, action: str, target: str | None = None, **details: Any) -> None:
        from common.security.audit import AuditLog

        AuditLog(self.folder.audit_log).record(session, actor=self.actor, action=action, target=target,
                                               details=details or None)

    def import_context(self) -> ImportContext:
        """What the window gives the importers of the packages it takes (as a command does)."""
        from common.security.audit import AuditLog

        return ImportContext(AuditLog(self.folder.audit_log), self.actor)

    def dispose(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def database(context: ShellContext) -> Database:
    """The window's :class:`Database` (made once per window, closed with it)."""
    existing = getattr(context.window, "_workstation_database", None)
    if isinstance(existing, Database):
        return existing
    created = Database(context.data_dir, context.operator.name, context.workstation.program)
    context.window._workstation_database = created  # type: ignore[attr-defined]
    context.window.destroyed.connect(lambda *_args: created.dispose())
    return created


def _io_failure(error: BaseException, folder: Path | None) -> str:
    from common.failures import describe

    message = describe(error, folder or Path.cwd())
    return message if message is not None else _("Unexpected error: {error}").format(error=error)


class Unreadable(str):
    """Why a page's state could not be read (:meth:`Page.peek`): a refusal's line or an I/O failure's."""


class _Signals(QObject):
    finished = Signal(object)
    failed = Signal(str)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], folder: Path | None = None) -> None:
        super().__init__()
        self.work = work
        self.folder = folder
        self.signals = _Signals()

    def run(self) -> None:
        try:
            result = self.work()
        except Refused as refusal:
            self.signals.failed.emit(refusal.message)
        except (OSError, DBAPIError) as error:  # a full disk, a read-only folder: one line
            self.signals.failed.emit(_io_failure(error, self.folder))
        except Exception as error:  # shown to the operator instead of vanishing in the thread
            traceback.print_exc()
            self.signals.failed.emit(_("Unexpected error: {error}").format(error=error))
        else:
            self.signals.finished.emit(result)


class Page(QWidget):
    """A page with a heading, a body the subclass fills, and a message line at the bottom."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__()
        self.context = context
        self.db = database(context)
        self.busy = False
        self._jobs: list[_Job] = []
        outer = QVBoxLayout(self)
        self.heading = QLabel()
        self.heading.setObjectName("pageHeading")
        self.heading.setStyleSheet("font-size: 13pt; font-weight: bold;")
        outer.addWidget(self.heading)
        self.body = QVBoxLayout()
        outer.addLayout(self.body, 1)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.message)
        context.events.changed.connect(self._changed)

    def show_problem(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def show_done(self, text: str) -> None:
        self.message.setStyleSheet(DONE_STYLE)
        self.message.setText(text)

    def confirm(self, question: str, action: str) -> bool:
        """Ask before a destructive action: ``question`` says what goes (and what goes with it),
        ``action`` names the button that does it; "Cancel" is the default and changes nothing."""
        box = QMessageBox(QMessageBox.Icon.Warning, _("Confirm"), question, QMessageBox.StandardButton.NoButton, self)
        box.setObjectName("confirmation")
        box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.setEscapeButton(cancel)
        box.exec()
        return box.clickedButton() is not None and box.clickedButton() is not cancel

    def act(self, work: Callable[[Session], T], done: str | Callable[[T], str] | None = None) -> T | None:
        """Run one user action in one transaction; a refusal is shown and rolls everything back."""
        try:
            with self.db.transaction() as session:
                result = work(session)
        except Refused as refusal:
            self.show_problem(refusal.message)
            return None
        except (OSError, DBAPIError) as error:  # a full disk, a read-only folder …: one line, rolled back
            self.show_problem(_io_failure(error, self.db.folder.root))
            return None
        if done is not None:
            self.show_done(done(result) if callable(done) else done)
        self.context.events.changed.emit()
        return result

    def take_package_file(self, path: Path, password: str, take: Taking) -> TakenPackage | None:
        """A stage's "take the package" button: ``take`` on the file at ``path`` in one transaction, audited when
        taken, its message shown (the window's side of :func:`common.exchange.cli_commands.taking_package_file`)."""
        from common.files import read_input_file

        def work(session: Session) -> TakenPackage:
            taken = take(session, read_input_file(path), password, path.name, self.db.import_context())
            if taken.taken:
                self.db.audit(session, "package.take", path.name, kind=taken.kind, package=taken.package_id)
            return taken

        return self.act(work, lambda taken: taken.message)

    def read(self, work: Callable[[Session], T]) -> T | None:
        """Read something for display; a refusal (not enrolled yet …) is shown, not raised."""
        try:
            with self.db.transaction() as session:
                return work(session)
        except Refused as refusal:
            self.show_problem(refusal.message)
            return None
        except (OSError, DBAPIError) as error:
            self.show_problem(_io_failure(error, self.db.folder.root))
            return None

    def peek(self, work: Callable[[Session], T]) -> T | Unreadable:
        """Read a page's state line for display in one read-only transaction; a refusal or an I/O failure comes back
        as its one line (shown in the state line, not as an error: nothing was asked yet)."""
        try:
            with self.db.transaction(read_only=True) as session:
                return work(session)
        except Refused as refusal:
            return Unreadable(refusal.message)
        except (OSError, DBAPIError) as error:
            return Unreadable(_io_failure(error, self.db.folder.root))

    def in_background(self, work: Callable[[], T], finished: Callable[[T], None], working: str) -> None:
        """Run a slow action (a print, an import, a send) off the window's thread.

        ``work`` opens its own transactions through ``self.db`` (a long read need not hold the
        database's write lock).
        """
        if self.busy:
            return
        self.busy = True
        self.message.setStyleSheet("")
        self.message.setText(working)

        runnable = _Job(work, self.db.folder.root)
        runnable.setAutoDelete(False)
        self._jobs.append(runnable)

        def succeeded(result: object) -> None:
            self._finish(runnable)
            finished(result)  # type: ignore[arg-type]
            self.context.events.changed.emit()

        def failed(message: str) -> None:
            self._finish(runnable)
            self.show_problem(message)

        runnable.signals.finished.connect(succeeded, Qt.ConnectionType.QueuedConnection)
        runnable.signals.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        QThreadPool.globalInstance().start(runnable)

    def send_sealed(self, password: QLineEdit, seal: Callable[[Session, str], T], finished: Callable[[T], None],
                    working: str) -> None:
        """Seal a package for НЦТ with the workstation's password typed in ``password``: refused at
        once when none is typed; ``seal`` runs in one transaction off the window's thread; when it
        succeeds the password is cleared and ``finished`` shows what was sealed."""
        typed = password.text()
        if not typed:
            self.show_problem(_("Type the workstation's password (from the enrolment sheet)."))
            return

        def work() -> T:
            with self.db.transaction() as session:
                return seal(session, typed)

        def sealed(result: T) -> None:
            password.clear()
            finished(result)

        self.in_background(work, sealed, working)

    def _finish(self, runnable: _Job) -> None:
        self.busy = False
        if runnable in self._jobs:
            self._jobs.remove(runnable)

    def _changed(self) -> None:
        if self.isVisible():
            self.reload()
        else:
            self._stale = True

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt's name
        if getattr(self, "_stale", False):
            self._stale = False
            self.reload()
        super().showEvent(event)

    def reload(self) -> None:
        """Read the page's data again (after any change)."""

    def retranslate(self) -> None:
        """Set every text again in the current language."""


class PrintPage(Page):
    """A page whose print buttons end alike (:meth:`show_printed`): each printed form's pages and path in the
    message line, the last one kept (``last_printed``) and opened in Qt's print preview (``last_preview``)."""

    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        self.last_printed: PrintedForm | None = None
        self.last_preview: PrintPreviewDialog | None = None

    def show_printed(self, printed: PrintedForm | list[PrintedForm]) -> None:
        from common.ui.print_preview import show_print_preview

        forms = printed if isinstance(printed, list) else [printed]
        if not forms:
            return
        self.last_printed = forms[-1]
        self.show_done("\n".join(_("Printed {pages} page(s): {path}").format(pages=form.pages, path=form.path)
                                 for form in forms))
        self.last_preview = show_print_preview(forms[-1].path, self)


def secret_box(name: str) -> QLineEdit:
    """A line for a password or a code НЦТ dictates: what is typed is not shown, copied or pasted."""
    from common.ui.secrets import SecretLine

    return SecretLine(name)
