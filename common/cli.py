"""The command line every program of the suite shares.

A workstation's ``cli.py`` makes a :class:`CommandLine`, adds its commands and calls ``run``.
With no command the workstation opens its window; with one it does the same operation headless.
Output is human-readable text, or JSON with ``--json``. Exit codes: 0 ok, 1 refused (one
translated line on stderr), 2 bad usage.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import importlib
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from common import __version__, i18n, settings
from common.crashpoints import crash_point
from common.errors import Refused
from common.files import private_umask
from common.i18n import N_, _
from common.paths import check_paths
from common.workstation import DataFolder, Workstation

if TYPE_CHECKING:
    from common.security.audit import AuditReport

EXIT_OK, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


@dataclass
class Output:
    """What a command returns: ``text`` for people, ``data`` for ``--json``."""

    text: str
    data: Any = None
    exit_code: int = EXIT_OK


@dataclass
class CommandContext:
    workstation: Workstation
    data_dir: Path
    operator: str
    json: bool
    _engine: Any = field(default=None, repr=False)
    _read_only: bool = field(default=False, repr=False)

    @property
    def folder(self) -> DataFolder:
        return DataFolder(self.data_dir)

    def require_folder(self) -> DataFolder:
        """The folder, once it is known to be a whole database of this program (else one line)."""
        from common.db.opening import check_folder

        if not self.folder.exists():
            raise Refused(
                _("No workstation folder at {path}: run '{program} init --data-dir {path}' first.").format(
                    path=self.data_dir, program=self.workstation.program
                )
            )
        check_folder(self.folder.database, self.workstation.code)
        return self.folder

    @property
    def engine(self) -> Any:
        if self._engine is None:
            from common.db.engine import open_engine
            from common.db.migrate import ensure_current
            from common.db.opening import writable

            self.require_folder()
            self._read_only = not writable(self.folder.root)  # reading commands work in a read-only folder
            self._engine = open_engine(self.folder.database, read_only=self._read_only)
            ensure_current(self._engine, can_upgrade=not self._read_only)
        return self._engine

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """One user action: committed together, or rolled back whole on any error."""
        from common.db.engine import transaction

        engine = self.engine
        with transaction(engine, read_only=self._read_only) as session:
            yield session

    def audit(self, session: Session, action: str, target: str | None = None, **details: Any) -> None:
        """Record ``action`` in the audit log, in the same transaction as the change."""
        from common.security.audit import AuditLog

        AuditLog(self.folder.audit_log).record(
            session, actor=self.operator, action=action, target=target, details=details or None
        )


Handler = Callable[[CommandContext, argparse.Namespace], Output]
Configure = Callable[[argparse.ArgumentParser], None]


@dataclass
class _Command:
    name: str
    help: str
    handler: Handler
    configure: Configure | None


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})


class CommandLine:
    def __init__(self, workstation: Workstation) -> None:
        self.workstation = workstation
        self._commands: list[_Command] = []
        self.add("init", N_("Create an empty workstation folder"), _cmd_init, _configure_init)
        self.add("info", N_("Show version, data folder, schema revision and audit-log state"), _cmd_info)
        self.add("audit verify", N_("Check the audit log's hash chain"), _cmd_audit_verify)

    def add(self, name: str, help: str, handler: Handler, configure: Configure | None = None) -> None:
        """Add command ``name`` (words separated by a space make nested commands: ``rooms add``).

        ``help`` is an untranslated message id; it is translated when the parser is built.
        """
        self._commands.append(_Command(name, help, handler, configure))

    def build_parser(self) -> argparse.ArgumentParser:
        parser = _Parser(prog=self.workstation.program, description=_(self.workstation.title))
        _add_common_options(parser, self.workstation)
        parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}",
                            help=_("show the program's version and exit"))
        tree: dict[str | None, Any] = {}
        for command in self._commands:
            node = tree
            for word in command.name.split():
                node = node.setdefault(word, {})
            node[None] = command
        if self.workstation.has_window:
            parser.add_argument(
                "--check-window", action="store_true", default=False,
                help=_("open the window with every page without a login, close it and exit (0: every page opened)"),
            )
        parser.set_defaults(data_dir=None, lang=None, json=False, operator=None)
        _attach(parser, tree, self.workstation, depth=0)
        return parser

    def run(self, argv: Sequence[str] | None = None) -> int:
        args_list = list(sys.argv[1:] if argv is None else argv)
        early = _early_options(args_list)
        saved = settings.load().get("language")
        i18n.set_language(i18n.resolve_language(early.lang, saved))
        parser = self.build_parser()
        if not early.rest and not _wants_help(args_list):
            if not self.workstation.has_window:
                parser.print_help()
                return EXIT_USAGE
            return self.open_window(early.data_dir, args_list)
        args = parser.parse_args(args_list)
        if getattr(args, "check_window", False):
            parser.error(_("--check-window takes no command"))
        command: _Command | None = getattr(args, "_command", None)
        if command is None:
            parser.print_help()
            return EXIT_USAGE
        data_dir = Path(args.data_dir) if args.data_dir else self.workstation.default_data_dir()
        context = CommandContext(
            workstation=self.workstation,
            data_dir=data_dir.expanduser().resolve(),
            operator=args.operator or os.environ.get("ENT_OPERATOR") or _system_user(),
            json=args.json,
        )
        try:
            with private_umask():  # every file the command makes holds personal data: owner only
                if command.name != "init" and context.folder.database.exists():
                    from common.db.opening import check_folder

                    check_folder(context.folder.database, self.workstation.code)  # another program's folder first
                check_paths(args)  # a missing input or an unwritable output is refused before any password
                output = command.handler(context, args)
        except Refused as refusal:
            return self._refuse(refusal.message, args.json)
        except (OSError, DBAPIError) as error:  # a full disk, a read-only folder …: one line, not a traceback
            from common.failures import describe

            message = describe(error, context.data_dir)
            if message is None:
                raise
            return self._refuse(message, args.json)
        finally:
            if context._engine is not None:
                context._engine.dispose()
        try:
            if args.json:
                payload = output.data if output.data is not None else {"message": output.text}
                print(json.dumps(payload, ensure_ascii=False, indent=2, default=str), flush=True)
            elif output.text:
                print(output.text, flush=True)
        except BrokenPipeError:  # the reader (``| head``) stopped early: not an error of the command
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return output.exit_code

    def _refuse(self, message: str, as_json: bool) -> int:
        if as_json:
            print(json.dumps({"error": message}, ensure_ascii=False))
        print(f"{self.workstation.program}: {message}", file=sys.stderr)
        return EXIT_REFUSED

    def open_window(self, data_dir: str | None, argv: list[str]) -> int:
        module = importlib.import_module(self.workstation.ui_module)
        folder = Path(data_dir) if data_dir else self.workstation.default_data_dir()
        with private_umask():
            result: int = module.run(self.workstation, folder.expanduser().resolve(), argv)
        return result


def _add_common_options(parser: argparse.ArgumentParser, workstation: Workstation) -> None:
    parser.add_argument(
        "--data-dir", metavar="DIR", default=argparse.SUPPRESS,
        help=_("workstation folder (default: {path})").format(path=workstation.default_data_dir()),
    )
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=argparse.SUPPRESS,
                        help=_("language of messages: kk, ru or en"))
    parser.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help=_("print the result as JSON"))
    parser.add_argument("--operator", metavar="NAME", default=argparse.SUPPRESS,
                        help=_("operator name recorded in the audit log"))


def _attach(
    parser: argparse.ArgumentParser, tree: dict[str | None, Any], workstation: Workstation, depth: int
) -> None:
    words = {key: value for key, value in tree.items() if key is not None}
    if not words:
        return
    sub = parser.add_subparsers(metavar=_("COMMAND"), dest=f"_word{depth}")
    for word, node in words.items():
        command: _Command | None = node.get(None)
        subwords = [key for key in node if key is not None]
        help_text = _(command.help) if command else f"{' | '.join(subwords)} …"
        child = sub.add_parser(word, help=help_text, description=help_text)
        _add_common_options(child, workstation)
        if command is not None:
            child.set_defaults(_command=command)
            if command.configure:
                command.configure(child)
        _attach(child, node, workstation, depth + 1)


class _EarlyError(Exception):
    pass


class _EarlyParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise _EarlyError(message)


def _early_options(argv: list[str]) -> argparse.Namespace:
    """The options that matter before the parser is built; ``rest`` is what else was typed.

    A mistake here (``--data-dir`` without a folder) is left to the real parser, which reports it
    with the command's own usage, in the language asked for.
    """
    early = _EarlyParser(add_help=False)
    early.add_argument("--lang", choices=i18n.LANGUAGES)
    early.add_argument("--data-dir")
    early.add_argument("--operator")
    early.add_argument("--json", action="store_true")
    early.add_argument("--auto", action="store_true")
    early.add_argument("--check-window", action="store_true")  # the window's own (common/ui/shell.py)
    try:
        namespace, rest = early.parse_known_args(argv)
    except _EarlyError:
        namespace = argparse.Namespace(lang=_typed_language(argv), data_dir=None, operator=None, json=False,
                                       auto=False, check_window=False)
        rest = [word for word in argv if word not in ("--lang", namespace.lang)] or ["--help"]
    namespace.rest = rest
    return namespace


def _typed_language(argv: list[str]) -> str | None:
    for index, word in enumerate(argv):
        value = word.partition("=")[2] if word.startswith("--lang=") else None
        if word == "--lang" and index + 1 < len(argv):
            value = argv[index + 1]
        if value in i18n.LANGUAGES:
            return value
    return None


def _wants_help(argv: list[str]) -> bool:
    return any(a in ("-h", "--help", "--version") for a in argv)


def _system_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


def _configure_init(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true", help=_("allow a folder that is not empty"))


def _cmd_init(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.db.engine import open_engine
    from common.db.migrate import current_revision, upgrade

    folder = context.folder
    cut_short = folder.exists() and _init_cut_short(folder)  # then it is simply done again
    if folder.exists() and not cut_short:
        from common.db.opening import check_folder

        check_folder(folder.database, context.workstation.code)  # another program's folder: by its name
        raise Refused(_("A workstation folder already exists at {path}.").format(path=folder.root))
    if not cut_short and folder.root.exists() and any(folder.root.iterdir()) and not args.force:
        raise Refused(_("The folder {path} is not empty; choose an empty folder.").format(path=folder.root))
    folder.create_subfolders()
    crash_point("init.after_folders")
    engine = open_engine(folder.database)
    try:
        upgrade(engine)
        from common.db.engine import transaction
        from common.db.workstation_info import set_identity

        with transaction(engine) as session:
            set_identity(session, context.workstation.code)
            context.audit(
                session, "workstation.init", target=context.workstation.code, version=details_version(context)
            )
        revision = current_revision(engine)
    finally:
        engine.dispose()
    text = _("Created the {title} folder at {path} (schema {revision}).").format(
        title=_(context.workstation.title), path=folder.root, revision=revision
    )
    return Output(text, {"data_dir": str(folder.root), "schema": revision})


def _init_cut_short(folder: DataFolder) -> bool:
    """An ``init`` that stopped before its first commit: an empty database and no audit log yet."""
    try:
        return folder.database.stat().st_size == 0 and not folder.audit_log.exists()
    except OSError:
        return False


def to_json(value: Any) -> Any:
    """Plain data for ``--json``: dataclasses as dicts, tuples as lists, dates as ISO text."""
    if is_dataclass(value) and not isinstance(value, type):
        return {key: to_json(item) for key, item in asdict(value).items()}
    if isinstance(value, dict):
        return {str(key): to_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def details_version(context: CommandContext) -> str:
    return f"{context.workstation.program} {__version__}"


def _cmd_info(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.db.migrate import current_revision, head_revision
    from common.db.opening import check_intact
    from common.security.audit import AuditLog

    folder = context.require_folder()
    check_intact(context.engine, folder.root)
    revision = current_revision(context.engine)
    with context.transaction() as session:
        report = AuditLog(folder.audit_log).verify(session)
    return info_output(context, folder.root, revision, head_revision(), report)


def info_output(
    context: CommandContext, root: Path, revision: str | None, head: str | None, report: AuditReport
) -> Output:
    """What ``info`` says of a folder: program, version, folder, schema revision and the audit log's state."""
    data = {
        "program": context.workstation.program,
        "version": __version__,
        "data_dir": str(root),
        "schema_revision": revision,
        "schema_head": head,
        "audit_entries": report.entries,
        "audit_ok": report.ok,
        "audit_problem": report.problem,
    }
    audit_state = (
        _("OK, {count} entries").format(count=report.entries) if report.ok else report.problem or _("broken")
    )
    lines = [
        f"{_(context.workstation.title)} ({context.workstation.program}) {__version__}",
        _("Data folder: {path}").format(path=root),
        _("Schema revision: {revision} (head {head})").format(revision=revision, head=head),
        _("Audit log: {state}").format(state=audit_state),
    ]
    return Output("\n".join(lines), data)


def _cmd_audit_verify(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.db.opening import check_intact
    from common.security.audit import AuditLog

    folder = context.require_folder()
    check_intact(context.engine, folder.root)
    with context.transaction() as session:
        report = AuditLog(folder.audit_log).verify(session)
    data = {"ok": report.ok, "entries": report.entries, "line": report.line, "problem": report.problem}
    if report.ok:
        return Output(_("OK: {count} entries, chain intact.").format(count=report.entries), data)
    return Output(report.problem or _("The audit log is broken."), data, exit_code=EXIT_REFUSED)
