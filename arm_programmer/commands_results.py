"""``codes open``, ``score`` and ``send results``: the answer codes opened by three people into the database
(п. 176–178; ``arm_programmer.codes``), the stream's sheets scored (п. 179; ``arm_programmer.scores``) and the
results without appeal sent to НЦТ (п. 180). The three passwords are never on the command line
(``--chair-fd``/``--dknb-fd``/``--ministry-fd`` or ``ENT_CHAIR_PASSWORD``/``ENT_DKNB_PASSWORD``/
``ENT_MINISTRY_PASSWORD``, else typed at a prompt without echo)."""

from __future__ import annotations

import argparse

from arm_programmer.commands_sheets import chosen_stream, configure_stream
from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_
from common.secrets import CHAIR_PASSWORD, DKNB_PASSWORD, MINISTRY_PASSWORD, add_secret_option, read_secret


def register(cli: CommandLine) -> None:
    cli.add("codes open", N_("Open a stream's answer codes with the three passwords, once its identification has "
                             "ended (п. 176–178); the key is kept in the database"), _codes_open, _configure_codes)


def _configure_codes(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    for secret in (CHAIR_PASSWORD, DKNB_PASSWORD, MINISTRY_PASSWORD):
        add_secret_option(parser, secret)


def _codes_open(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.codes import codes_opened, gate, open_stream_codes
    from common.security.audit import AuditLog

    folder = context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        held = codes_opened(session, stream)
        if held is None:
            gate(session, stream)  # refused before anyone types a password
    if held is not None:
        return Output(held.message, {"stream": stream, "opened": False, "already": True, "sha256": held.sha256})
    passwords = (read_secret(args, CHAIR_PASSWORD), read_secret(args, DKNB_PASSWORD),
                 read_secret(args, MINISTRY_PASSWORD))
    with context.transaction() as session:
        outcome = open_stream_codes(session, stream, passwords, AuditLog(folder.audit_log), context.operator)
    del passwords
    outcome.raise_if_refused()  # after the commit: a wrong set stays counted
    return Output(outcome.message, {"stream": stream, "opened": outcome.opened, "already": outcome.already,
                                    "sha256": outcome.sha256, "variants": outcome.variants})
