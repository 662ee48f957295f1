"""``ent-nct plan send``: the site's plan and ИКТ block to its АРМ «Заявления ЕНТ» (``nct_hub.site_plan``);
``ent-nct rooms open|counts``: the rooms opened for its applicants and their counts (``nct_hub.room_opening``)."""

from __future__ import annotations

import argparse

from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _
from common.paths import OutputFolder
from nct_hub.commands_sites import audit, password_option
from nct_hub.db.engine import add_db_option
from nct_hub.db.session import nct_transaction


def register(cli: CommandLine) -> None:
    cli.add("plan send", N_("Seal a site's plan and ИКТ block for its applications workstation (п. 89.1)"),
            _cmd_plan_send, _configure_plan_send)
    cli.add("rooms open", N_("Seal which rooms of a site take applicants, per stream, for its applications "
                             "workstation (п. 89.11)"), _cmd_rooms_open, _configure_plan_send)
    cli.add("rooms counts", N_("The applicants per room and stream the sites sent (п. 89.14)"), _cmd_rooms_counts,
            _configure_rooms_counts)


def _configure_plan_send(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", required=True, help=_("site code"))
    parser.add_argument("--out", required=True, action=OutputFolder, metavar="DIR", help=_("folder for the package"))
    password_option(parser)
    add_db_option(parser)


def _cmd_plan_send(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.exchange.addresses import workstation
    from nct_hub.keys import load_nct_identity, nct_password
    from nct_hub.sending import send_from_nct
    from nct_hub.site_plan import KIND, site_plan_payload

    context.require_folder()
    nct = load_nct_identity(context.data_dir, nct_password(args))
    recipient = workstation(args.site, "applications")
    with nct_transaction(context, args.db) as session:
        payload = site_plan_payload(session, args.site, context.operator)
        sent = send_from_nct(session, nct=nct, recipient=recipient, kind=KIND, payload=payload,
                             out_dir=args.out, actor=context.operator)
        blocks = payload["ikt_blocks"]
        audit(context, session, "package.send", sent.path.name, kind=sent.kind, recipient=str(recipient),
              sequence=sent.sequence, ikt_blocks=len(blocks))
    text = _("The plan of site {site} is sealed: {schools} schools, {streams} streams, ИКТ {first}–{last}: "
             "{path}").format(site=args.site, schools=len(payload["schools"]), streams=len(payload["streams"]),
                             first=blocks[0]["first"], last=blocks[-1]["last"], path=sent.path)
    return Output(text, {"path": str(sent.path), "sequence": sent.sequence, "schools": len(payload["schools"]),
                         "streams": len(payload["streams"]), "ikt_blocks": blocks})


def _cmd_rooms_open(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.exchange.addresses import workstation
    from nct_hub.keys import load_nct_identity, nct_password
    from nct_hub.room_opening import KIND, room_opening_payload
    from nct_hub.sending import send_from_nct

    context.require_folder()
    nct = load_nct_identity(context.data_dir, nct_password(args))
    recipient = workstation(args.site, "applications")
    with nct_transaction(context, args.db) as session:
        payload, short = room_opening_payload(session, args.site)
        sent = send_from_nct(session, nct=nct, recipient=recipient, kind=KIND, payload=payload,
                             out_dir=args.out, actor=context.operator)
        opened = [use for use in payload["room_streams"] if use["opened"]]
        audit(context, session, "package.send", sent.path.name, kind=sent.kind, recipient=str(recipient),
              sequence=sent.sequence, opened=len(opened))
    lines = [_("The room opening of site {site} is sealed: {opened} room(s) opened in {streams} stream(s), "
               "{kept} kept back: {path}").format(
        site=args.site, opened=len(opened), streams=len({use["stream"] for use in opened}),
        kept=len(payload["room_streams"]) - len(opened), path=sent.path)]
    lines += [_("Stream {stream}, {language}: {applicants} applicant(s) but only {seats} seat(s) — the site cannot "
                "distribute them.").format(stream=item.stream, language=item.language, applicants=item.applicants,
                                           seats=item.seats) for item in short]
    return Output("\n".join(lines), {"path": str(sent.path), "sequence": sent.sequence,
                                     "room_streams": payload["room_streams"],
                                     "short": [vars(item) for item in short]})


def _configure_rooms_counts(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", default=None, help=_("site code"))
    add_db_option(parser)


def _cmd_rooms_counts(context: CommandContext, args: argparse.Namespace) -> Output:
    from dataclasses import asdict

    from nct_hub.room_opening import room_counts

    with nct_transaction(context, args.db) as session:
        counts = list(room_counts(session, args.site))
    if not counts:
        return Output(_("No site has sent its counts per room yet."), [])
    lines = [_("Site {site}, stream {stream}, room {room}: {language}, {applicants} of {seats} seats").format(
        site=item.site, stream=item.stream, room=item.room, language=item.language, applicants=item.applicants,
        seats=item.seats) for item in counts]
    return Output("\n".join(lines), [asdict(item) for item in counts])
