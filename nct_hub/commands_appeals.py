"""``ent-nct appeals …``: the applications the sites sent (п. 203.1, 204.1), the Republican commission's
decisions (п. 203–205), the ``appeal-decisions`` package to the site's programmer and НЦТ's prints
(the Rules' прил. 21, 22 and прил. 40)."""

from __future__ import annotations

import argparse

from common.cli import CommandContext, CommandLine, Output
from common.errors import Refused
from common.i18n import N_, _
from common.paths import OutputFolder
from nct_hub.commands_sites import audit, password_option
from nct_hub.db.engine import add_db_option
from nct_hub.db.session import nct_transaction


def register(cli: CommandLine) -> None:
    cli.add("appeals list", N_("The appeal applications the sites sent, with each disputed task's state (п. 203)"),
            _cmd_list, _configure_list)
    cli.add("appeals decide", N_("Record the Republican commission's decision on one disputed task (п. 204–205)"),
            _cmd_decide, _configure_decide)
    cli.add("appeals send-decisions", N_("Seal the Republican commission's decisions of a stream for the site's "
                                         "programmer (п. 203.12, 204.12)"), _cmd_send, _configure_send)


def _configure_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", default=None, help=_("site code"))
    parser.add_argument("--stream", default=None, type=int, help=_("stream number"))
    add_db_option(parser)


def _cmd_list(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.appeals import appeal_data, stream_appeals, summary_lines

    with nct_transaction(context, args.db) as session:
        appeals = stream_appeals(session, args.site, args.stream)
        data = [appeal_data(appeal) for appeal in appeals]
        lines = summary_lines(appeals)
    if not appeals:
        return Output(_("No appeals on file."), [])
    return Output("\n".join(lines), data)


def _configure_decide(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", required=True, help=_("site code"))
    parser.add_argument("--stream", required=True, type=int, help=_("stream number"))
    parser.add_argument("--number", required=True, type=int, help=_("the application's registration number"))
    parser.add_argument("--task", required=True, metavar="SUBJECT:N", help=_("the disputed task, e.g. MATH:12"))
    parser.add_argument("--decision", required=True, choices=("satisfied", "not-satisfied"),
                        help=_("the Republican commission's decision"))
    parser.add_argument("--points", default=None, type=int,
                        help=_("the task's points after a satisfied appeal (default: the commission's proposal)"))
    parser.add_argument("--note", default="", help=_("the decision's note"))
    add_db_option(parser)


def _cmd_decide(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeal_records import TaskDecision
    from nct_hub.appeals import decide

    subject, _sep, number = args.task.partition(":")
    if not subject or not number.isdigit():
        raise Refused(_("Name the task as SUBJECT:N, e.g. MATH:12."))
    with nct_transaction(context, args.db) as session:
        item = decide(session, args.site, args.stream, args.number, subject, int(number),
                      TaskDecision(args.decision), points=args.points, note=args.note, actor=context.operator)
        audit(context, session, "nct.appeal.decide", f"{args.site} {args.stream} {args.number}", subject=subject,
              task=int(number), decision=args.decision, before=item.points, after=item.decided_points)
        after = item.decided_points
    text = _("Application {number}, task {subject}:{task}: {decision}, {points} points.").format(
        number=args.number, subject=subject, task=number, decision=args.decision, points=after)
    return Output(text, {"site_code": args.site, "stream": args.stream, "number": args.number, "subject": subject,
                         "task": int(number), "decision": args.decision, "points": after})


def _configure_send(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", required=True, help=_("site code"))
    parser.add_argument("--stream", required=True, type=int, help=_("stream number"))
    parser.add_argument("--out", required=True, action=OutputFolder, metavar="DIR", help=_("folder for the packages"))
    password_option(parser)
    add_db_option(parser)


def _cmd_send(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeal_records import decisions_payload
    from common.exchange.addresses import workstation
    from nct_hub.appeals import decisions_for
    from nct_hub.keys import load_nct_identity, nct_password
    from nct_hub.sending import send_from_nct

    context.require_folder()
    nct = load_nct_identity(context.data_dir, nct_password(args))
    recipient = workstation(args.site, "programmer")
    with nct_transaction(context, args.db) as session:
        decisions = decisions_for(session, args.site, args.stream)
        payload = decisions_payload(args.site, args.stream, decisions)
        sent = send_from_nct(session, nct=nct, recipient=recipient, kind="appeal-decisions", payload=payload,
                             out_dir=args.out, actor=context.operator, stream=args.stream)
        audit(context, session, "package.send", sent.path.name, kind=sent.kind, recipient=str(recipient),
              sequence=sent.sequence, stream=args.stream, decisions=len(decisions))
    text = _("{count} decisions of stream {stream} sealed for site {site}: {path}").format(
        count=len(decisions), stream=args.stream, site=args.site, path=sent.path)
    return Output(text, {"path": str(sent.path), "sequence": sent.sequence, "payload": payload})
