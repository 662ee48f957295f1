"""``ent-nct plan send``: the site's plan and ИКТ block to its АРМ «Заявления ЕНТ» (``nct_hub.site_plan``)."""

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
