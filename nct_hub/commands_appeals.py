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
    cli.add("appeals print", N_("Print НЦТ's appeal forms of a stream in Kazakh and Russian: the register (прил. 21 "
                                "Правил), the content protocol (прил. 22 Правил), the technical protocol (прил. 40)"),
            _cmd_print, _configure_print)


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


def _configure_print(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", required=True, help=_("site code"))
    parser.add_argument("--stream", required=True, type=int, help=_("stream number"))
    parser.add_argument("--form", required=True, choices=("register", "protocol", "technical"),
                        help=_("register (прил. 21 Правил), protocol (прил. 22 Правил) or technical (прил. 40)"))
    parser.add_argument("--out", required=True, action=OutputFolder, metavar="DIR", help=_("folder for the forms"))
    parser.add_argument("--languages", default="kk,ru", help=_("the forms' languages (default: kk,ru)"))
    add_db_option(parser)


def _cmd_print(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.files import atomic_write_bytes
    from nct_hub.appeal_prints import protocol_pdf, register_pdf, technical_pdf
    from nct_hub.appeals import appeal_data, appeal_images, stream_appeals
    from nct_hub.db.site_models import Site

    languages = [language.strip() for language in args.languages.split(",") if language.strip()]
    if not languages or any(language not in ("kk", "ru", "en") for language in languages):
        raise Refused(_("The forms are printed in kk, ru (or en for tests), not {languages}.").format(
            languages=args.languages))  # fmt: skip
    paths = []
    with nct_transaction(context, args.db) as session:
        appeals = stream_appeals(session, args.site, args.stream)
        if not appeals:
            raise Refused(_("Site {site} has sent no appeals for stream {stream}.").format(
                site=args.site, stream=args.stream))  # fmt: skip
        site = session.get(Site, args.site)
        data = [appeal_data(appeal) for appeal in appeals]
        images = {appeal.number: [(image.role, image.data) for image in appeal_images(session, appeal)]
                  for appeal in appeals if appeal.kind == "technical"}
        if args.form == "technical" and not images:
            raise Refused(_("Site {site} has sent no technical appeals for stream {stream}.").format(
                site=args.site, stream=args.stream))  # fmt: skip
        for language in languages:
            name = "" if site is None else f" — {site.name_kk if language == 'kk' else site.name_ru}"
            label = f"{args.site}{name}"
            if args.form == "register":
                built = register_pdf(data, site=label, stream=args.stream, language=language)
            elif args.form == "protocol":
                built = protocol_pdf(data, site=label, stream=args.stream, language=language)
            else:
                built = technical_pdf(data, images, site=label, stream=args.stream, language=language)
            path = args.out / f"appeals-{args.form}-{args.site}-s{args.stream:02d}-{language}.pdf"
            atomic_write_bytes(path, built.pdf)
            paths.append(path)
            audit(context, session, "nct.appeals.print", path.name, form=args.form, site=args.site,
                  stream=args.stream, language=language, pages=built.pages)
    return Output("\n".join(_("Printed: {path}").format(path=path) for path in paths),
                  {"paths": [str(path) for path in paths]})
