"""``ent-nct`` commands for what НЦТ dictates or seals: passwords and answer codes."""

from __future__ import annotations

import argparse

from common.cli import CommandContext, CommandLine, Output
from common.exchange.dictated import PURPOSES, UNLOCK_CODES
from common.i18n import N_, _
from common.paths import InputFile, OutputFolder
from nct_hub.commands_sites import audit, password_option
from nct_hub.db.engine import add_db_option
from nct_hub.db.session import nct_transaction


def register(cli: CommandLine) -> None:
    cli.add("password issue", N_("Print the code to dictate to a site (and its verifier package with --out)"),
            _cmd_password_issue, _configure_password_issue)
    cli.add("answer-codes seal", N_("Seal a stream's answer key for a site: package and three password slips"),
            _cmd_answer_codes_seal, _configure_answer_codes_seal)


def _configure_password_issue(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", required=True, help=_("site code"))
    parser.add_argument("--purpose", required=True, choices=sorted(PURPOSES), help=_("what the password is for"))
    parser.add_argument("--stream", type=int, default=None, help=_("stream number (seating draw, re-identification)"))
    parser.add_argument("--unlock", type=int, default=None, metavar="N",
                        help=_("print unlock code N (1–{count}) instead").format(count=UNLOCK_CODES))
    parser.add_argument("--out", action=OutputFolder, default=None, metavar="DIR",
                        help=_("also write the verifier package for the workstation into DIR"))
    password_option(parser)
    add_db_option(parser)


def _cmd_password_issue(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.keys import load_keys, nct_password
    from nct_hub.passwords import issue_code, send_verifiers

    context.require_folder()
    keys = load_keys(context.data_dir, nct_password(args))
    with nct_transaction(context, args.db) as session:
        issued = issue_code(session, keys, site_code=args.site, purpose=args.purpose, stream=args.stream,
                            unlock=args.unlock, actor=context.operator)
        sent = None
        if args.out is not None:
            sent = send_verifiers(session, keys, site_code=args.site, purpose=args.purpose, stream=args.stream,
                                  out_dir=args.out, actor=context.operator)
        target = f"{issued.recipient}/{args.purpose}/{args.stream if args.stream is not None else '-'}"
        audit(context, session, "nct.password.issue", target, slot=issued.context.slot,
              package=sent.path.name if sent else None)
    stream = args.stream if args.stream is not None else "—"
    lines = [
        _("{purpose}, site {site}, stream {stream} ({slot}):").format(
            purpose=_(issued.purpose.title), site=issued.context.site_code, stream=stream, slot=issued.context.slot),
        f"    {issued.code}",
    ]
    if sent is not None:
        lines.append(_("Verifier package for {address}: {path}").format(address=sent.recipient, path=sent.path))
    data = {"code": issued.code, "site": issued.context.site_code, "purpose": args.purpose, "stream": args.stream,
            "slot": issued.context.slot, "recipient": str(issued.recipient),
            "package": str(sent.path) if sent else None}
    return Output("\n".join(lines), data)


def _configure_answer_codes_seal(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--key", required=True, action=InputFile, metavar="FILE",
                        help=_("the stream's answer key file"))
    parser.add_argument("--site", required=True, help=_("site code"))
    parser.add_argument("--stream", required=True, type=int, help=_("stream number"))
    parser.add_argument("--out", required=True, action=OutputFolder, metavar="DIR",
                        help=_("folder for the package and the three slips"))
    password_option(parser)
    add_db_option(parser)


def _cmd_answer_codes_seal(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.answer_codes import seal_answer_codes
    from nct_hub.keys import load_nct_identity, nct_password

    context.require_folder()
    nct = load_nct_identity(context.data_dir, nct_password(args))
    with nct_transaction(context, args.db) as session:
        sealed = seal_answer_codes(session, nct, key_file=args.key, site_code=args.site, stream=args.stream,
                                   out_dir=args.out, actor=context.operator)
        audit(context, session, "nct.answer-codes.seal", f"{args.site}/{args.stream}",
              sha256=sealed.sealed_sha256, package=sealed.package.path.name)
    lines = [
        _("Answer codes of stream {stream} sealed for {address}: {path}").format(
            stream=args.stream, address=sealed.package.recipient, path=sealed.package.path),
        _("Three password slips (print, seal, hand over; then delete the files):"),
        *(f"    {path}" for path in sealed.slips),
    ]
    return Output("\n".join(lines), {"package": str(sealed.package.path), "sha256": sealed.sealed_sha256,
                                     "slips": [str(path) for path in sealed.slips]})
