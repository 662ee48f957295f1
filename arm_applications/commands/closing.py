"""``close``, ``rooms import|list``, ``distribute``, ``send final|counts|handover``: the applicant database
closed with НЦТ's code (п. 13, 107), the rooms НЦТ opened (п. 89.11), the distribution (п. 89.12–89.14,
110) and the packages after it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from dataclasses import asdict

from common.cli import CommandContext, CommandLine, Output
from common.exchange.cli_commands import key_password, password_option, taking_package_file
from common.i18n import N_, _
from common.paths import InputFile
from common.secrets import DICTATED_CODE, add_secret_option, read_secret

SENDS = {
    "final": N_("Seal the final applicant file with the counts to NTC into outbox/ (п. 89.10, 107.5)"),
    "counts": N_("Seal the applicants per room and stream to NTC into outbox/ (п. 89.14)"),
    "handover": N_("Seal the closed, distributed database for the programmer's workstation into outbox/"),
}


def register(cli: CommandLine) -> None:
    cli.add("close", N_("Close the applicant database with the code NTC dictates (п. 13, 107)"), _close,
            _configure_close)
    cli.add("rooms import", N_("Take NTC's room opening: which rooms take applicants in each stream (п. 89.11)"),
            _rooms_import, _configure_rooms_import)
    cli.add("rooms list", N_("List the rooms per stream as NTC opened them, with the applicants placed"), _rooms_list)
    cli.add("distribute", N_("Distribute the applicants to the opened rooms (п. 89.12–89.14, 110)"), _distribute)
    for what, help_text in SENDS.items():
        cli.add(f"send {what}", help_text, _sender(what), password_option)


def _configure_close(parser: argparse.ArgumentParser) -> None:
    add_secret_option(parser, DICTATED_CODE)


def _close(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_applications.closing import close_database, closing_obstacles
    from arm_applications.printing import default_form_language, print_closing_record
    from common.security.audit import AuditLog

    folder = context.require_folder()
    with context.transaction() as session:
        site_code = closing_obstacles(session)
    code = read_secret(args, DICTATED_CODE)
    with context.transaction() as session:
        check, closed = close_database(session, code=code, audit=AuditLog(folder.audit_log), actor=context.operator)
        if closed is not None:
            context.audit(session, "applications.close", site_code, struck=closed.struck,
                          applicants=closed.applicants, annulled=closed.annulled)
    check.raise_if_refused()
    assert closed is not None
    with context.transaction() as session:
        prints = print_closing_record(session, folder, default_form_language(), actor=context.operator)
    lines = [_("The applicant database is closed: {applicants} applicant(s), {annulled} annulled; {struck} free "
               "row(s) struck out with «Z». Send the final file to NTC: send final.").format(
        applicants=closed.applicants, annulled=closed.annulled, struck=closed.struck)]
    lines += [_("Printed {pages} page(s): {path}").format(pages=item.pages, path=item.path) for item in prints]
    return Output("\n".join(lines), {**asdict(closed), "printed": [str(item.path) for item in prints]})


def _configure_rooms_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", action=InputFile, help=_("the room-opening package (.entpkg)"))
    password_option(parser)


def _rooms_import(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_applications.rooms import room_uses, take_room_opening

    with taking_package_file(context, args, take_room_opening) as (taken, session):
        if not taken.taken:
            return Output(taken.message, {"taken": False, "message": taken.message})
        uses = room_uses(session)
    return Output(taken.message, {"taken": True, "message": taken.message, "rooms": [asdict(use) for use in uses]})


def _rooms_list(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_applications.rooms import room_uses, summary_lines

    context.require_folder()
    with context.transaction() as session:
        uses = room_uses(session)
    if not uses:
        return Output(_("NTC has not opened the rooms yet: take its room-opening package (rooms import FILE)."), [])
    return Output("\n".join(summary_lines(uses)), [asdict(use) for use in uses])


def _distribute(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_applications.distribution import distribute

    context.require_folder()
    with context.transaction() as session:
        done = distribute(session)
        context.audit(session, "applications.distribute", None, applicants=done.applicants, rooms=done.rooms,
                      reserve_rooms=done.reserve_rooms)
    return Output(_("{applicants} applicant(s) distributed to {rooms} room(s), {reserve} of them reserve rooms. Print "
                    "the rooms' lists (print distribution) and send the counts to NTC (send counts).").format(
        applicants=done.applicants, rooms=done.rooms, reserve=done.reserve_rooms), asdict(done))


def _sender(what: str) -> Callable[[CommandContext, argparse.Namespace], Output]:
    def send(context: CommandContext, args: argparse.Namespace) -> Output:
        from arm_applications.closing import send_after_closing

        folder = context.require_folder()
        password = key_password(args)
        with context.transaction() as session:
            sent = send_after_closing(session, folder, what, password=password, actor=context.operator)
        return Output(sent.line(), asdict(sent))

    return send
