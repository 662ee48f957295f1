"""``ent-nct`` commands for НЦТ's data: directories, imports of what sites send, national statistics.

Every command takes ``--db URL`` (PostgreSQL: ``postgresql://user@host/nct``); without it НЦТ's
database is ``nct.sqlite`` in the data folder made by ``ent-nct init``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from common.cli import CommandContext, CommandLine, Output
from common.crashpoints import crash_point
from common.directories import KIND_TITLES, KINDS
from common.errors import Refused
from common.files import atomic_write_text
from common.i18n import N_, _
from common.paths import InputFile, OutputFile, OutputFolder
from nct_hub.commands_sites import audit, password_option
from nct_hub.db.engine import add_db_option, transaction
from nct_hub.db.session import nct_engine, nct_transaction
from nct_hub.imports import ImportResult


def register(cli: CommandLine) -> None:
    cli.add("directories import", N_("Import directories from CSV or XLSX files as a new version"),
            _cmd_directories_import, _configure_directories_import)
    cli.add("directories template", N_("Write an empty directory template (XLSX file or folder of CSV)"),
            _cmd_directories_template, _configure_target)
    cli.add("directories export", N_("Write a directory version to an XLSX file or a folder of CSV"),
            _cmd_directories_export, _configure_export)
    cli.add("directories list", N_("List the directory versions"), _cmd_directories_list, add_db_option)
    cli.add("directories send", N_("Seal the directories for the enrolled workstations of sites"),
            _cmd_directories_send, _configure_directories_send)
    cli.add("import", N_("Import packages sent by sites (site database, applicants, results …)"),
            _cmd_import, _configure_import)
    cli.add("stats", N_("National figures by region, site, stream and language"), _cmd_stats,
            _configure_stats)


# --- directories -------------------------------------------------------------------------------
def _configure_directories_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="*", action=InputFile, metavar="FILE",
                        help=_("CSV files named after the directories, or an XLSX workbook"))
    parser.add_argument("--sample", action="store_true",
                        help=_("import the generated sample directory shipped with the program"))
    parser.add_argument("--note", default="", help=_("a note kept with the version"))
    add_db_option(parser)


def _cmd_directories_import(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.directories import import_directories, sample_files

    paths = list(args.files) + (sample_files() if args.sample else [])
    if not paths:
        raise Refused(_("Name the directory files to import, or use --sample."))
    context.require_folder()  # for the audit log, even when the data go to PostgreSQL
    with nct_transaction(context, args.db) as session:
        result = import_directories(session, paths, context.operator, args.note)
        crash_point("nct.directories.after_data")
        audit(context, session, "nct.directories.import", f"version {result.version}",
              counts=result.counts, imported=list(result.imported))
    lines = [_("Directory version {version} imported.").format(version=result.version)]
    for kind in KINDS:
        source = _("from the files") if kind in result.imported else _("carried over")
        lines.append(f"  {_(KIND_TITLES[kind])}: {result.counts[kind]} ({source})")
    data = {"version": result.version, "counts": result.counts, "imported": list(result.imported),
            "carried_over": list(result.carried_over)}
    return Output("\n".join(lines), data)


def _configure_target(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", type=Path, metavar="FILE.xlsx|FOLDER",
                        help=_("an .xlsx file, or a folder for one CSV file per directory"))


def _cmd_directories_template(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.directories import write_directory_files

    written = write_directory_files(args.target)
    return Output(_("Template written: {files}").format(files=", ".join(str(path) for path in written)),
                  {"files": [str(path) for path in written]})


def _configure_export(parser: argparse.ArgumentParser) -> None:
    _configure_target(parser)
    parser.add_argument("--version", dest="directory_version", type=int, default=None,
                        help=_("directory version (default: the latest)"))
    add_db_option(parser)


def _cmd_directories_export(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.directories import load_directories, write_directory_files

    with nct_transaction(context, args.db) as session:
        directories = load_directories(session, args.directory_version)
    written = write_directory_files(args.target, directories)
    text = _("Directory version {version} written: {files}").format(
        version=directories.version, files=", ".join(str(path) for path in written))
    return Output(text, {"version": directories.version, "files": [str(path) for path in written]})


def _cmd_directories_list(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.directories import list_versions

    with nct_transaction(context, args.db) as session:
        versions = list_versions(session)
    if not versions:
        return Output(_("НЦТ has no directories yet: import them with 'ent-nct directories import'."), [])
    lines = []
    for info in versions:
        sizes = ", ".join(f"{_(KIND_TITLES[kind])} {info.counts[kind]}" for kind in KINDS)
        when = info.created_at.strftime("%Y-%m-%d %H:%M")
        lines.append(_("Version {version} of {date} by {operator}: {sizes}").format(
            version=info.version, date=when, operator=info.created_by, sizes=sizes))
    data = [
        {"version": info.version, "created_at": info.created_at.isoformat(), "created_by": info.created_by,
         "sources": info.sources, "note": info.note, "counts": info.counts}
        for info in versions
    ]
    return Output("\n".join(lines), data)


def _configure_directories_send(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", action="append", default=[], metavar="CODE",
                        help=_("a site (repeat for several; default: every site with enrolled workstations)"))
    parser.add_argument("--out", required=True, action=OutputFolder, metavar="DIR", help=_("folder for the packages"))
    parser.add_argument("--version", dest="directory_version", type=int, default=None,
                        help=_("directory version (default: the latest)"))
    password_option(parser)
    add_db_option(parser)


def _cmd_directories_send(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.directories import send_directories
    from nct_hub.keys import load_nct_identity, nct_password

    context.require_folder()
    me = load_nct_identity(context.data_dir, nct_password(args))
    with nct_transaction(context, args.db) as session:
        sent = send_directories(session, me, args.site, args.out, context.operator, args.directory_version)
        for item in sent:
            audit(context, session, "package.send", item.path.name, kind=item.kind, recipient=str(item.recipient),
                  sequence=item.sequence)
    lines = [_("Sealed {kind} number {number} for {recipient}: {path}").format(
        kind=item.kind, number=item.sequence, recipient=item.recipient, path=item.path) for item in sent]
    data = [{"path": str(item.path), "recipient": str(item.recipient), "sequence": item.sequence} for item in sent]
    return Output("\n".join(lines) or _("No enrolled workstation to send to."), data)


# --- import ------------------------------------------------------------------------------------
def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", action=InputFile, metavar="FILE",
                        help=_("packages (.entpkg) from sites"))
    password_option(parser)
    add_db_option(parser)


def _cmd_import(context: CommandContext, args: argparse.Namespace) -> Output:
    """Each file in its own transaction (data, ledger, audit head and entry together): one bad package
    does not hold back the others. Each file gets one line: results on stdout, refusals and warnings on
    stderr; the exit code is 1 if any file was refused or flagged."""
    from nct_hub.imports import import_file
    from nct_hub.keys import load_nct_identity, nct_password, nct_trust

    context.require_folder()
    me = load_nct_identity(context.data_dir, nct_password(args))
    engine = nct_engine(context, args.db)
    lines: list[str] = []
    data: list[dict[str, Any]] = []
    failed = 0
    try:
        with transaction(engine) as session:
            trust = nct_trust(context.data_dir, session)
        for path in args.files:
            try:
                with transaction(engine) as session:
                    result = import_file(session, path, me, trust, context.operator)
                    if result.imported:
                        crash_point("nct.import.after_data")
                        audit(context, session, "nct.import", f"{result.site_code} {result.kind} #{result.sequence}",
                              stream=result.stream, counts=result.counts, audit_head=result.head_verdict)
            except Refused as refusal:
                failed += 1
                _complain(context, f"{path.name}: {refusal.message}")
                data.append({"file": str(path), "error": refusal.message})
                continue
            except Exception as error:
                failed += 1
                message = _("Not imported: unexpected error ({error}); nothing of this file was kept.").format(
                    error=type(error).__name__)
                _complain(context, f"{path.name}: {message}")
                data.append({"file": str(path), "error": message})
                continue
            lines.append(f"{path.name}: {_describe(result)}")
            data.append({"file": str(path), "kind": result.kind, "site": result.site_code,
                         "stream": result.stream, "sequence": result.sequence, "imported": result.imported,
                         "superseded": result.superseded_sequence, "counts": result.counts,
                         "audit_head": result.head_verdict, "warning": result.warning})
            if result.warning:
                failed += 1
                _complain(context, f"{path.name}: {result.warning}")
    finally:
        engine.dispose()
    return Output("\n".join(lines), data, exit_code=1 if failed else 0)


def _complain(context: CommandContext, line: str) -> None:
    """A refusal or a warning: on stderr, as every program prints refusals (stdout keeps results and JSON)."""
    print(f"{context.workstation.program}: {line}", file=sys.stderr, flush=True)


_COUNT_LABELS = {
    "streams": N_("streams"), "rooms": N_("rooms"), "room_streams": N_("rooms in streams"),
    "schools": N_("schools"), "applicants": N_("applicants"), "annulled": N_("annulled"),
}


def _describe(result: ImportResult) -> str:
    if not result.imported:
        return str(result.message)
    counts = ", ".join(f"{_(_COUNT_LABELS[key]) if key in _COUNT_LABELS else key} {value}"
                       for key, value in result.counts.items())
    from common.exchange.kinds import lookup_kind

    text = _("{kind} of site {site}, number {number}, imported ({counts}).").format(
        kind=_(lookup_kind(result.kind).title), site=result.site_code, number=result.sequence, counts=counts or "—")
    if result.superseded_sequence is not None:
        text += " " + _("It supersedes number {number}.").format(number=result.superseded_sequence)
    return text


# --- stats -------------------------------------------------------------------------------------
def _configure_stats(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--csv", action="store_true", help=_("print CSV instead of text"))
    parser.add_argument("--out", action=OutputFile, default=None, metavar="FILE",
                        help=_("write to this file instead of printing"))
    add_db_option(parser)


def _cmd_stats(context: CommandContext, args: argparse.Namespace) -> Output:
    from dataclasses import asdict

    from nct_hub.stats import national_stats, stats_csv, stats_text

    with nct_transaction(context, args.db) as session:
        rows = national_stats(session)
    text = stats_csv(rows) if args.csv else stats_text(rows)
    data = [asdict(row) for row in rows]
    if args.out is not None:
        atomic_write_text(args.out, text)
        return Output(_("Written to {path}.").format(path=args.out), data)
    return Output(text.rstrip("\n"), data)
