"""``codes open``, ``score`` and ``send results``: the answer codes opened by three people into the database
(п. 176–178; ``arm_programmer.codes``), the stream's sheets scored (п. 179; ``arm_programmer.scores``) and the
results without appeal sent to НЦТ (п. 180). The three passwords are never on the command line
(``--chair-fd``/``--dknb-fd``/``--ministry-fd`` or ``ENT_CHAIR_PASSWORD``/``ENT_DKNB_PASSWORD``/
``ENT_MINISTRY_PASSWORD``, else typed at a prompt without echo)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from arm_programmer.commands_sheets import chosen_stream, configure_stream
from common.cli import CommandContext, CommandLine, Output
from common.exchange.cli_commands import key_password, password_option
from common.i18n import N_, _
from common.secrets import CHAIR_PASSWORD, DKNB_PASSWORD, MINISTRY_PASSWORD, add_secret_option, read_secret


def register(cli: CommandLine) -> None:
    cli.add("codes open", N_("Open a stream's answer codes with the three passwords, once its identification has "
                             "ended (п. 176–178); the key is kept in the database"), _codes_open, _configure_codes)
    cli.add("score", N_("Score a stream's identified sheets by its answer key, per task (п. 179)"), _score,
            configure_stream)
    cli.add("send results", N_("Send a stream's results without appeal to НЦТ (п. 180)"), _send_results,
            _configure_send)


def _configure_codes(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    for secret in (CHAIR_PASSWORD, DKNB_PASSWORD, MINISTRY_PASSWORD):
        add_secret_option(parser, secret)


def _configure_send(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    password_option(parser)


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


def _score(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.scores import score_stream
    from common.security.audit import AuditLog

    folder = context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        scored = score_stream(session, stream, context.operator, AuditLog(folder.audit_log))
    text = _("Stream {stream}: {scored} sheet(s) scored and stored per task; {deleted} deleted sheet(s) left out "
             "(п. 170).").format(stream=stream, scored=scored.scored, deleted=scored.deleted)
    return Output(text, asdict(scored))


def _send_results(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.scores import send_results
    from common.security.audit import AuditLog

    folder = context.require_folder()
    password = key_password(args)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        sent = send_results(session, folder, stream, password=password, actor=context.operator,
                            audit=AuditLog(folder.audit_log))
    counts = sent.payload["counts"]
    return Output(_("The results of stream {stream} are sealed for НЦТ ({scored} scored, {absent} absent, {annulled} "
                    "annulled, {not_admitted} not admitted): {path}").format(
        stream=stream, scored=counts["scored"], absent=counts["absent"], annulled=counts["annulled"],
        not_admitted=counts["not-admitted"], path=sent.path),
        {"stream": stream, "path": sent.path, "counts": counts})
