"""``codes open``, ``score`` and ``send results``: the answer codes opened by three people into the database
(п. 176–178; ``arm_programmer.codes``), the stream's sheets scored (п. 179; ``arm_programmer.scores``) and the
results without appeal sent to НЦТ (п. 180). The three passwords are never on the command line
(``--chair-fd``/``--dknb-fd``/``--ministry-fd`` or ``ENT_CHAIR_PASSWORD``/``ENT_DKNB_PASSWORD``/
``ENT_MINISTRY_PASSWORD``, else typed at a prompt without echo)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date

from arm_programmer.commands_sheets import chosen_stream, configure_stream
from common.cli import EXIT_REFUSED, CommandContext, CommandLine, Output
from common.exchange.cli_commands import key_password, password_option
from common.i18n import N_, _
from common.paths import InputFile
from common.reports import PrintedForm
from common.secrets import CHAIR_PASSWORD, DKNB_PASSWORD, MINISTRY_PASSWORD, add_secret_option, read_secret


def register(cli: CommandLine) -> None:
    cli.add("codes open", N_("Open a stream's answer codes with the three passwords, once its identification has "
                             "ended (п. 176–178); the key is kept in the database"), _codes_open, _configure_codes)
    cli.add("score", N_("Score a stream's identified sheets by its answer key, per task (п. 179)"), _score,
            configure_stream)
    cli.add("send results", N_("Send a stream's results without appeal to НЦТ (п. 180)"), _send_results,
            _configure_send)
    cli.add("codes print", N_("Print a stream's opened answer codes (прил. 9, two copies, п. 179) to PDF in printed/"),
            _codes_print, _configure_print)
    cli.add("statement print", N_("Print a stream's statement without appeal (прил. 4, four copies, п. 180), every "
                                  "page sealed by a signed QR, to PDF in printed/"), _statement_print,
            _configure_statement)
    cli.add("statement check", N_("Check a scanned or photographed statement page: its signed QR against the "
                                  "database"), _statement_check, _configure_check)
    cli.add("send statistics", N_("Send the day's statistics of the site's streams to НЦТ (п. 53.6)"),
            _send_statistics, _configure_statistics)


def _configure_codes(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    for secret in (CHAIR_PASSWORD, DKNB_PASSWORD, MINISTRY_PASSWORD):
        add_secret_option(parser, secret)


def _configure_send(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    password_option(parser)


def _configure_print(parser: argparse.ArgumentParser) -> None:
    from arm_programmer.prints import FORM_LANGUAGES

    configure_stream(parser)
    parser.add_argument("--language", choices=list(FORM_LANGUAGES), help=_("kk or ru"))


def _configure_statement(parser: argparse.ArgumentParser) -> None:
    _configure_print(parser)
    password_option(parser)


def _configure_check(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("image", action=InputFile, metavar="IMAGE",
                        help=_("a scan or photograph of a statement page (PNG, JPEG, TIFF or PDF)"))


def _configure_statistics(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", type=date.fromisoformat, metavar="YYYY-MM-DD",
                        help=_("the exam day (default: today)"))
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


def _printed(printed: PrintedForm) -> Output:
    return Output(_("Printed {pages} page(s): {path}").format(pages=printed.pages, path=printed.path),
                  {"form": printed.form, "path": str(printed.path), "pages": printed.pages,
                   "language": printed.language})


def _codes_print(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.prints import default_language
    from arm_programmer.results_prints import print_codes

    folder = context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        printed = print_codes(session, folder, stream, args.language or default_language(), actor=context.operator)
    return _printed(printed)


def _statement_print(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.prints import default_language
    from arm_programmer.results_prints import print_statement

    folder = context.require_folder()
    password = key_password(args)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        printed = print_statement(session, folder, stream, args.language or default_language(), password=password,
                                  actor=context.operator)
    return _printed(printed)


def _statement_check(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.results_prints import check_statement

    context.require_folder()
    with context.transaction() as session:
        checked = check_statement(session, args.image)
    seal = checked.check.seal
    data = {"stream": seal.stream, "copy": seal.copy, "page": seal.page, "pages": seal.pages,
            "signature_valid": checked.check.signature_valid, "matches": checked.check.digest_matches,
            "differing": list(checked.check.differing)}
    trusted = checked.check.signature_valid and checked.check.digest_matches
    return Output(checked.line, data, exit_code=0 if trusted else EXIT_REFUSED)


def _send_statistics(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.results_prints import send_statistics
    from common.security.audit import AuditLog

    folder = context.require_folder()
    password = key_password(args)
    day = args.date or date.today()
    with context.transaction() as session:
        sent = send_statistics(session, folder, day, password=password, actor=context.operator,
                               audit=AuditLog(folder.audit_log))
    return Output(_("The statistics of {date} ({streams} stream(s)) are sealed for НЦТ: {path}").format(
        date=day.strftime("%d.%m.%Y"), streams=sent.streams, path=sent.path),
        {"date": day.isoformat(), "path": sent.path, "payload": sent.payload})
