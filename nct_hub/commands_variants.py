"""``ent-nct variants send``: a stream's test specification and variants file for the site's programmer
workstation (п. 53.1; ``nct_hub.variants``)."""

from __future__ import annotations

import argparse

from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _
from common.paths import OutputFolder
from nct_hub.commands_sites import audit, password_option
from nct_hub.db.engine import add_db_option
from nct_hub.db.session import nct_transaction


def register(cli: CommandLine) -> None:
    cli.add("variants send", N_("Seal a stream's test specification and variants file (sheet numbers and variant "
                                "booklets of each room) for the site's programmer workstation (п. 53.1)"),
            _cmd_send, _configure_send)


def _configure_send(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", required=True, help=_("site code"))
    parser.add_argument("--stream", required=True, type=int, help=_("stream number"))
    parser.add_argument("--spec", default=None, metavar="FILE",
                        help=_("the test specification (JSON file, or ent2018 / kt); needed the first time"))
    parser.add_argument("--out", required=True, action=OutputFolder, metavar="DIR", help=_("folder for the packages"))
    password_option(parser)
    add_db_option(parser)


def _cmd_send(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.exchange.addresses import workstation
    from nct_hub.keys import load_nct_identity, nct_password
    from nct_hub.sending import send_from_nct
    from nct_hub.variants import (
        KIND,
        SPECIFICATION_KIND,
        allocate,
        read_spec_option,
        sheet_text,
        specification_payload,
        variants_payload,
    )

    context.require_folder()
    spec = None if args.spec is None else read_spec_option(args.spec)
    nct = load_nct_identity(context.data_dir, nct_password(args))
    recipient = workstation(args.site, "programmer")
    with nct_transaction(context, args.db) as session:
        allocation = allocate(session, args.site, args.stream, spec, context.operator)
        sent_spec = send_from_nct(session, nct=nct, recipient=recipient, kind=SPECIFICATION_KIND,
                                  payload=specification_payload(allocation), out_dir=args.out,
                                  actor=context.operator, stream=args.stream)
        payload = variants_payload(allocation)
        sent = send_from_nct(session, nct=nct, recipient=recipient, kind=KIND, payload=payload, out_dir=args.out,
                             actor=context.operator, stream=args.stream)
        first = min(room.sheets[0] for room in allocation.rooms)
        last = max(max(room.sheets[1], (room.spare_sheets or room.sheets)[1]) for room in allocation.rooms)
        for item in (sent_spec, sent):
            audit(context, session, "package.send", item.path.name, kind=item.kind, recipient=str(recipient),
                  sequence=item.sequence, stream=args.stream, allocated=allocation.created,
                  specification=allocation.specification.code, sheets=f"{sheet_text(first)}–{sheet_text(last)}")
    if allocation.created:
        message = _("Stream {stream} of site {site} allocated: {rooms} room(s), sheets {first}–{last}, test "
                    "specification '{spec}'; sealed: {spec_path}, {path}")
    else:
        message = _("Stream {stream} of site {site} was allocated before; the same allocation is sealed again: "
                    "{rooms} room(s), sheets {first}–{last}, test specification '{spec}': {spec_path}, {path}")
    text = message.format(stream=args.stream, site=args.site, rooms=len(allocation.rooms), first=sheet_text(first),
                          last=sheet_text(last), spec=allocation.specification.code, spec_path=sent_spec.path,
                          path=sent.path)
    return Output(text, {"path": str(sent.path), "specification_path": str(sent_spec.path),
                         "sequence": sent.sequence, "allocated": allocation.created, "payload": payload})
