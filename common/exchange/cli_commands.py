"""Exchange commands every workstation has: ``enrol``, ``package open|list|send``, ``password ...``.

A workstation adds them with ``add_exchange_commands(cli)``. The workstation's key is unlocked
with its enrolment password: ``--password-fd N``, else the ``ENT_PASSWORD`` variable, else a prompt
(never the command line, which other users can read: :mod:`common.secrets`).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from common.cli import EXIT_REFUSED, CommandContext, CommandLine, Output
from common.db import workstation_info
from common.errors import Refused
from common.exchange import importers
from common.exchange.addresses import Address
from common.exchange.audit_head import check_audit_head
from common.exchange.dictated import (
    PURPOSES,
    CodeCheck,
    check_dictated_code,
    password_states,
    unlock_dictated_code,
)
from common.exchange.manifest import AuditHead
from common.exchange.package import open_package
from common.exchange.refusals import AlreadyTaken
from common.exchange.store import (
    PackageRecord,
    accept_package,
    identity_row,
    list_packages,
    load_identity,
    load_trust,
    not_enrolled,
    send_package,
    workstation_ledger,
)
from common.exchange.taking import TakenPackage, Taking
from common.files import read_input_file
from common.i18n import N_, _
from common.paths import InputFile, OutputFolder
from common.secrets import (
    DICTATED_CODE,
    WORKSTATION_PASSWORD,
    add_secret_option,
    read_secret,
)
from common.security.audit import AuditLog
from common.security.enrolment import enrol, open_enrolment

PASSWORD_VARIABLE = WORKSTATION_PASSWORD.variable


def add_exchange_commands(cli: CommandLine) -> None:
    """Add the exchange commands to a workstation's command line."""
    cli.add(
        "enrol",
        N_("Bind this workstation to its site and role with НЦТ's enrolment package"),
        _cmd_enrol,
        _configure_enrol,
    )
    cli.add("package open", N_("Take packages: check each whole, then import it"), _cmd_open, _configure_open)
    cli.add("package list", N_("List the packages taken and sent"), _cmd_list)
    cli.add(
        "package send",
        N_("Seal a JSON payload into a package for НЦТ or another workstation"),
        _cmd_send,
        _configure_send,
    )
    cli.add("password check", N_("Check a password НЦТ dictated"), _cmd_password_check, _configure_password)
    cli.add(
        "password unlock",
        N_("Lift a password lock with НЦТ's unlock code"),
        _cmd_password_unlock,
        _configure_password,
    )
    cli.add("password status", N_("Show what НЦТ's password data this workstation holds"), _cmd_password_status)
    cli.add(
        "audit check-head",
        N_("Check the audit log against a head НЦТ received from this workstation"),
        _cmd_check_head,
        _configure_check_head,
    )


def key_password(args: argparse.Namespace) -> str:
    """The enrolment password: ``--password-fd N``, ``ENT_PASSWORD``, or typed at a prompt."""
    return read_secret(args, WORKSTATION_PASSWORD)


def password_option(parser: argparse.ArgumentParser) -> None:
    """``--password-fd N`` (and the refused ``--password``) for commands that unlock the key."""
    add_secret_option(parser, WORKSTATION_PASSWORD)



def import_context(context: CommandContext) -> importers.ImportContext:
    """What a command gives the importers of the packages it takes: its audit log and operator."""
    return importers.ImportContext(_audit(context), context.operator)


@contextmanager
def taking_package_file(
    context: CommandContext, args: argparse.Namespace, take: Taking
) -> Iterator[tuple[TakenPackage, Session]]:
    """A workstation's "import FILE" command: ``take`` (a :func:`common.exchange.taking.take_package` of the kinds
    it expects) on ``args.file`` with the workstation's password, audited when taken; the caller reads what it
    reports inside the same transaction."""
    context.require_folder()
    password = key_password(args)
    data = read_input_file(args.file)
    with context.transaction() as session:
        taken = take(session, data, password, args.file.name, import_context(context))
        if taken.taken:
            context.audit(session, "package.take", args.file.name, kind=taken.kind, package=taken.package_id)
        yield taken, session


def _audit(context: CommandContext) -> AuditLog:
    return AuditLog(context.folder.audit_log)


# --- enrol -------------------------------------------------------------------------------------


def _configure_enrol(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--package", metavar="FILE", required=True, action=InputFile, help=_("the enrolment package"))
    password_option(parser)


def _cmd_enrol(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    data = _read(args.package)
    enrolment = open_enrolment(data, key_password(args), context.workstation.code)
    try:
        with context.transaction() as session:
            result = enrol(session, enrolment, context.workstation.code, _audit(context), context.operator)
    except AlreadyTaken as repeat:  # the same package twice is a no-op that says so
        return Output(repeat.message, {"taken": False, "message": repeat.message})
    lines = [
        _("Enrolled: {address}, site {site} ({name}).").format(
            address=result.address, site=result.site.code, name=result.site.name_ru
        ),
        _("НЦТ root fingerprint: {fingerprint} — compare it with the password sheet.").format(
            fingerprint=result.root_fingerprint
        ),
    ]
    if result.directories:
        lines.append(_("Directories taken."))
    data_out = {
        "address": str(result.address),
        "site": result.site.to_dict(),
        "root_fingerprint": result.root_fingerprint,
        "certificate_fingerprint": result.certificate_fingerprint,
        "directories": result.directories,
        "password_verifiers": result.verifiers,
    }
    return Output("\n".join(lines), data_out)


def _read(path: Path) -> bytes:
    return read_input_file(path)


# --- packages ----------------------------------------------------------------------------------


def _configure_open(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", metavar="FILE", nargs="+", action=InputFile, help=_("package files (.entpkg)"))
    password_option(parser)


def _cmd_open(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    with context.transaction() as session:
        enrolled = identity_row(session) is not None
    if not enrolled:
        raise not_enrolled()
    password = key_password(args)
    with context.transaction() as session:
        me = load_identity(session, password)
    lines: list[str] = []
    results: list[dict[str, Any]] = []
    given = import_context(context)
    for path in args.files:
        data = _read(path)
        try:
            with context.transaction() as session:
                trust = load_trust(session)
                opened = open_package(data, me, trust, workstation_ledger(session))
                accept_package(session, opened, trust)
                summary = importers.importer_for(opened.manifest.kind, context.workstation.code)(
                    session, opened, given)
                manifest = opened.manifest
                context.audit(
                    session,
                    "package.take",
                    path.name,
                    kind=manifest.kind,
                    sender=str(manifest.sender),
                    stream=manifest.stream,
                    sequence=manifest.sequence,
                    package=opened.package_id,
                )
        except AlreadyTaken as repeat:
            lines.append(f"{path.name}: {repeat.message}")
            results.append({"file": str(path), "taken": False, "message": repeat.message})
            continue
        except Refused as refusal:
            if len(args.files) == 1:
                raise
            raise Refused(f"{path.name}: {refusal.message}") from refusal
        lines.append(
            _("{file}: taken — {kind} number {number} from {sender}. {summary}").format(
                file=path.name,
                kind=manifest.kind,
                number=manifest.sequence,
                sender=manifest.sender,
                summary=summary,
            )
        )
        results.append(
            {
                "file": str(path),
                "taken": True,
                "kind": manifest.kind,
                "sender": str(manifest.sender),
                "sequence": manifest.sequence,
                "stream": manifest.stream,
                "message": summary,
            }
        )
    return Output("\n".join(lines), {"packages": results})


def _cmd_list(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    with context.transaction() as session:
        records = list_packages(session)
    if not records:
        return Output(_("No packages yet."), {"packages": []})
    lines = [_package_line(record) for record in records]
    data = [
        {
            "direction": r.direction,
            "party": r.party,
            "kind": r.kind,
            "stream": r.stream,
            "sequence": r.sequence,
            "at": r.at.isoformat(),
            "name": r.name,
        }
        for r in records
    ]
    return Output("\n".join(lines), {"packages": data})


def _package_line(record: PackageRecord) -> str:
    arrow = "←" if record.direction == "in" else "→"
    stream = "-" if record.stream is None else str(record.stream)
    return (
        f"{record.at:%Y-%m-%d %H:%M} {arrow} {record.party:<18} {record.kind:<20} {stream:>3} "
        f"#{record.sequence}  {record.name}"
    )


def _configure_send(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", required=True, help=_("kind of package"))
    parser.add_argument("--to", required=True, metavar="ADDRESS", help=_("recipient: nct or SITE/ROLE"))
    parser.add_argument("--stream", type=int, default=None, help=_("stream number, if the package has one"))
    parser.add_argument("--payload", required=True, action=InputFile, metavar="FILE", help=_("JSON payload file"))
    parser.add_argument("--attach", action=InputFile, nargs="*", default=[], metavar="FILE", help=_("files to attach"))
    parser.add_argument("--out", action=OutputFolder, metavar="DIR", help=_("folder for the package (default: outbox)"))
    password_option(parser)


def _cmd_send(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    try:
        recipient = Address.parse(args.to)
        payload = json.loads(_read(args.payload))
    except ValueError as error:
        raise Refused(_("Bad recipient or payload: {reason}").format(reason=error)) from error
    if not isinstance(payload, dict):
        raise Refused(_("The payload file must hold a JSON object."))
    attachments = {path.name: _read(path) for path in args.attach}
    password = key_password(args)
    with context.transaction() as session:
        me = load_identity(session, password)
        sent = send_package(
            session,
            identity=me,
            trust=load_trust(session),
            recipient=recipient,
            kind=args.kind,
            payload=payload,
            outbox=args.out or context.folder.outbox,
            audit=_audit(context),
            actor=context.operator,
            stream=args.stream,
            attachments=attachments,
        )
    text = _("Sealed {kind} number {number} for {recipient}: {path}").format(
        kind=sent.kind, number=sent.sequence, recipient=sent.recipient, path=sent.path
    )
    return Output(
        text,
        {
            "path": str(sent.path),
            "kind": sent.kind,
            "recipient": str(sent.recipient),
            "sequence": sent.sequence,
            "stream": sent.stream,
            "bytes": sent.size,
        },
    )


# --- dictated passwords ------------------------------------------------------------------------


def _configure_password(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--purpose", required=True, choices=sorted(PURPOSES), help=_("what the password is for"))
    parser.add_argument("--stream", type=int, default=None, help=_("stream number"))
    add_secret_option(parser, DICTATED_CODE)


def _site_code(context: CommandContext) -> str:
    with context.transaction() as session:
        info = workstation_info.get_identity(session)
    if info is None or info.site_code is None:
        raise not_enrolled()
    return info.site_code


def _cmd_password_check(context: CommandContext, args: argparse.Namespace) -> Output:
    return _dictated(context, args, check_dictated_code, "accepted")


def _cmd_password_unlock(context: CommandContext, args: argparse.Namespace) -> Output:
    return _dictated(context, args, unlock_dictated_code, "unlocked")


def _dictated(
    context: CommandContext, args: argparse.Namespace, operation: Callable[..., CodeCheck], outcome: str
) -> Output:
    """Check (or unlock with) a code НЦТ dictated; the attempt is committed even when refused."""
    context.require_folder()
    site = _site_code(context)
    with context.transaction() as session:
        check = operation(
            session,
            site_code=site,
            purpose=args.purpose,
            stream=args.stream,
            typed=read_secret(args, DICTATED_CODE),
            audit=_audit(context),
            actor=context.operator,
        )
    check.raise_if_refused()
    return Output(check.message, {outcome: True})


def _cmd_password_status(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    with context.transaction() as session:
        states = password_states(session)
    if not states:
        return Output(_("No password data from НЦТ yet."), {"passwords": []})
    lines = [
        _("{purpose} stream {stream}: failures {failures}, {state}, {unlocks} unlock code(s) left").format(
            purpose=state.purpose,
            stream=state.stream if state.stream is not None else "—",
            failures=state.failures,
            state=_("locked") if state.locked else _("open"),
            unlocks=state.unlock_codes,
        )
        for state in states
    ]
    data = [state.__dict__ for state in states]
    return Output("\n".join(lines), {"passwords": data})


# --- audit head ------------------------------------------------------------------------------


def _configure_check_head(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--entries", type=int, required=True, help=_("number of entries in НЦТ's head"))
    parser.add_argument("--digest", required=True, help=_("hash of the last entry in НЦТ's head"))


def _cmd_check_head(context: CommandContext, args: argparse.Namespace) -> Output:
    folder = context.require_folder()
    check = check_audit_head(AuditHead(args.entries, args.digest.strip().lower()), folder.audit_log)
    data = {"ok": check.ok, "entries": check.entries, "problem": check.problem}
    if check.ok:
        return Output(
            _("OK: the audit log holds the chain НЦТ received, {count} entries.").format(count=args.entries), data
        )
    return Output(check.problem or "", data, exit_code=EXIT_REFUSED)
