"""``appeal add|vote|rescan|propose|no-show|list|close|print``, ``send appeals``, ``send final-results`` and
``send certificate-file``: the appeals of a stream on the programmer's workstation (ch. 32–39, п. 181–214;
``arm_programmer.appeals``)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import arm_programmer.appeal_exchange  # noqa: F401 - registers the importer of appeal-decisions packages
from arm_programmer.commands_sheets import chosen_stream, configure_stream
from common.cli import CommandContext, CommandLine, Output
from common.exchange.cli_commands import key_password, password_option
from common.i18n import N_, _
from common.paths import InputFile
from common.security.audit import AuditLog


def register(cli: CommandLine) -> None:
    cli.add("appeal add", N_("Register an application on the results (п. 185–186): after the results are announced, "
                             "until 13:00 of the next day"), _add, _configure_add)
    cli.add("appeal vote", N_("Record the appeal commission's vote on a content task (п. 194)"), _vote,
            _configure_vote)
    cli.add("appeal rescan", N_("Keep and read the fresh scan of a technical appeal's sheet (п. 196)"), _rescan,
            _configure_rescan)
    cli.add("appeal propose", N_("Propose on a technical task by the rule of п. 196 (a bubble filled half or more "
                                 "is marked)"), _propose, _configure_propose)
    cli.add("appeal no-show", N_("Mark an application «не явился»: the applicant did not come (п. 192)"), _no_show,
            _configure_number)
    cli.add("appeal list", N_("List a stream's applications and their state (п. 202)"), _list, configure_stream)
    cli.add("appeal close", N_("Close a stream's appeals once every application is settled (п. 209)"), _close,
            configure_stream)
    cli.add("appeal print", N_("Print an appeal form of a stream to PDF in printed/: journal, register, cards, "
                               "protocol, statement (прил. 3, pages signed), report, appeal-report, tasks-report"),
            _print, _configure_print)
    cli.add("send appeals", N_("Send a stream's applications, with the technical appeals' images, to НЦТ (п. 203)"),
            _send_appeals, _configure_send)
    cli.add("send final-results", N_("Send a stream's results with appeal to НЦТ (п. 206)"), _send_final,
            _configure_send)
    cli.add("send certificate-file", N_("Send a stream's certificate file to the site's АРМ «Сертификат» after "
                                        "its appeal (п. 55.2, 214)"), _send_certificate_file, _configure_send)


def _configure_add(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    parser.add_argument("--ikt", required=True, help=_("the applicant's ИКТ"))
    parser.add_argument("--kind", required=True, choices=["content", "technical"],
                        help=_("on the content of tasks or on technical grounds"))
    parser.add_argument("--task", action="append", required=True, metavar="SUBJECT:N:GROUND[:LETTERS]",
                        help=_("a disputed task and its ground (repeat for each task)"))
    parser.add_argument("--chair", required=True, help=_("the appeal commission chair present (п. 200)"))
    parser.add_argument("--received-at", metavar="ISO-TIME", help=_("when the application was received (default: "
                                                                    "now)"))
    parser.add_argument("--received-by", default="", help=_("the Ministry representative who received it"))


def _configure_print(parser: argparse.ArgumentParser) -> None:
    from arm_programmer.appeal_print_service import APPEAL_FORMS
    from arm_programmer.prints import FORM_LANGUAGES

    parser.add_argument("form", choices=list(APPEAL_FORMS), help=_("which form"))
    configure_stream(parser)
    parser.add_argument("--number", type=int, help=_("only this application's card"))
    parser.add_argument("--language", choices=list(FORM_LANGUAGES), help=_("kk or ru"))
    parser.add_argument("--chair", default="", help=_("the appeal commission chair's name, printed for the signature"))
    parser.add_argument("--member", action="append", default=[], help=_("a member's name (repeat for each)"))
    password_option(parser)


def _print(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeal_print_service import print_appeal_form
    from arm_programmer.prints import default_language

    folder = context.require_folder()
    password = key_password(args) if args.form == "statement" else None
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        printed = print_appeal_form(session, folder, stream, args.form, args.language or default_language(),
                                    actor=context.operator, number=args.number, password=password, chair=args.chair,
                                    members=args.member)
    return Output("\n".join(_("Printed {pages} page(s): {path}").format(pages=item.pages, path=item.path)
                            for item in printed),
                  [{"form": item.form, "path": str(item.path), "pages": item.pages} for item in printed])


def _configure_number(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    parser.add_argument("--number", type=int, required=True, help=_("the application's registration number"))


def _configure_vote(parser: argparse.ArgumentParser) -> None:
    _configure_number(parser)
    parser.add_argument("--task", required=True, metavar="SUBJECT:N", help=_("the disputed task"))
    parser.add_argument("--for", dest="votes_for", type=int, required=True, help=_("members voting for"))
    parser.add_argument("--against", dest="votes_against", type=int, required=True,
                        help=_("members voting against"))
    parser.add_argument("--chair-for", choices=["yes", "no"], help=_("the chair's vote, deciding a tie"))


def _configure_rescan(parser: argparse.ArgumentParser) -> None:
    _configure_number(parser)
    parser.add_argument("--image", required=True, action=InputFile, help=_("the fresh scan of the sheet"))


def _configure_propose(parser: argparse.ArgumentParser) -> None:
    _configure_number(parser)
    parser.add_argument("--task", required=True, metavar="SUBJECT:N", help=_("the disputed task"))
    parser.add_argument("--defect", action="store_true", help=_("the commission finds the sheet defective"))


def _configure_send(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    password_option(parser)


def _audit(context: CommandContext) -> AuditLog:
    return AuditLog(context.require_folder().audit_log)


def _add(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeal_records import AppealKind
    from arm_programmer.appeals import add_appeal, parse_claim, parse_moment

    audit = _audit(context)
    claims = [parse_claim(text) for text in args.task]
    received_at = parse_moment(args.received_at)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        appeal = add_appeal(session, stream, args.ikt, AppealKind(args.kind), claims, chair=args.chair,
                            received_by=args.received_by, received_at=received_at, actor=context.operator,
                            audit=audit)
        tasks = [{"subject": task.subject, "task": task.task, "decision": task.decision, "points": task.points,
                  "marks": task.marks, "correct": task.correct} for task in appeal.tasks]
        number, state = appeal.number, appeal.state
    decided = sum(1 for task in tasks if task["decision"] != "pending")
    data = {"stream": stream, "number": number, "state": state, "tasks": tasks}
    text = _("Stream {stream}: application number {number} registered ({tasks} task(s)).").format(
        stream=stream, number=number, tasks=len(claims))
    if decided:
        text += " " + _("{count} task(s) answered right: «не удовлетворено» at once (п. 197).").format(count=decided)
    return Output(text, data)


def _vote(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeals import parse_task, vote

    audit = _audit(context)
    subject, number = parse_task(args.task)
    chair = None if args.chair_for is None else args.chair_for == "yes"
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        proposal = vote(session, stream, args.number, subject, number, args.votes_for, args.votes_against, chair,
                        actor=context.operator, audit=audit)
    return Output(proposal.reason, _proposal_data(stream, proposal))


def _proposal_data(stream: int, proposal: object) -> dict[str, object]:
    from dataclasses import asdict, is_dataclass

    assert is_dataclass(proposal) and not isinstance(proposal, type)
    return {"stream": stream, **asdict(proposal)}


def _rescan(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeals import rescan

    folder = context.require_folder()
    audit = _audit(context)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        appeal = rescan(session, folder.scans, stream, args.number, Path(args.image), actor=context.operator,
                        audit=audit)
        data = {"stream": stream, "number": appeal.number, "image": appeal.appeal_image,
                "fills": {f"{task.subject}:{task.task}": dict(task.appeal_fills) for task in appeal.tasks}}
    return Output(_("Appeal {number}: the fresh scan is kept ({image}) and read.").format(
        number=args.number, image=data["image"]), data)


def _propose(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeals import parse_task, propose

    audit = _audit(context)
    subject, number = parse_task(args.task)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        proposal = propose(session, stream, args.number, subject, number, defect=args.defect,
                           actor=context.operator, audit=audit)
    return Output(proposal.reason, _proposal_data(stream, proposal))


def _no_show(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeals import no_show

    audit = _audit(context)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        no_show(session, stream, args.number, actor=context.operator, audit=audit)
    return Output(_("Appeal {number}: «не явился» (п. 192).").format(number=args.number),
                  {"stream": stream, "number": args.number, "state": "no-show"})


def _list(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeals import appeal_records

    context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        records = appeal_records(session, stream)
    items: list[dict[str, Any]] = [
        {"number": record.number, "ikt": record.ikt, "kind": record.kind.value, "room": record.room_number,
              "state": record.state.value, "received_at": record.received_at.isoformat(),
              "tasks": [{"subject": task.subject, "task": task.task, "ground": task.ground.value,
                         "marks": task.marks, "correct": task.correct, "points": task.points,
                         "fills": dict(task.fills), "appeal_fills": dict(task.appeal_fills),
                         "proposed_points": task.proposed_points, "case": None if task.case is None
                         else task.case.value, "decision": task.decision.value,
                         "decided_points": task.decided_points} for task in record.tasks]}
        for record in records]
    lines = [_("Stream {stream}: {count} application(s).").format(stream=stream, count=len(records))]
    lines += [f"{item['number']:>3}  {item['ikt']}  {item['kind']:<9}  {item['state']:<10}  " + ", ".join(
        f"{task['subject']}:{task['task']} {task['decision']}" for task in item["tasks"]) for item in items]
    return Output("\n".join(lines), {"stream": stream, "appeals": items})


def _close(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeal_exchange import close_appeals

    audit = _audit(context)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        window = close_appeals(session, stream, actor=context.operator, audit=audit)
        closed = window.closed_at
    assert closed is not None
    return Output(_("The appeals of stream {stream} are closed (п. 209).").format(stream=stream),
                  {"stream": stream, "closed_at": closed.isoformat()})


def _send_appeals(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeal_exchange import send_appeals

    folder = context.require_folder()
    audit = _audit(context)
    password = key_password(args)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        sent = send_appeals(session, folder.scans, folder.outbox, stream, password=password,
                            actor=context.operator, audit=audit)
    return Output(_("The appeals of stream {stream} ({count} application(s), {images} image(s)) are sealed for НЦТ: "
                    "{path}").format(stream=stream, count=sent.appeals, images=sent.images, path=sent.path),
                  {"stream": stream, "path": sent.path, "appeals": sent.appeals, "images": sent.images})


def _send_final(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.appeal_exchange import send_final_results

    folder = context.require_folder()
    audit = _audit(context)
    password = key_password(args)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        sent = send_final_results(session, folder.outbox, stream, password=password, actor=context.operator,
                                  audit=audit)
    return Output(_("The results with appeal of stream {stream} ({changes} change(s)) are sealed for НЦТ: {path}")
                  .format(stream=stream, changes=len(sent.payload["changes"]), path=sent.path),
                  {"stream": stream, "path": sent.path, "changes": sent.payload["changes"]})


def _send_certificate_file(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.certificate_file import send_certificate_file

    folder = context.require_folder()
    audit = _audit(context)
    password = key_password(args)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        sent = send_certificate_file(session, folder.outbox, stream, password=password, actor=context.operator,
                                     audit=audit)
    return Output(_("The certificate file of stream {stream} ({count} applicant(s)) is sealed for {recipient}: "
                    "{path}").format(stream=stream, count=sent.applicants, recipient=sent.recipient, path=sent.path),
                  {"stream": stream, "path": sent.path, "applicants": sent.applicants, "recipient": sent.recipient})
