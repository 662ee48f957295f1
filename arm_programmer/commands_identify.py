"""``identify auto|sheet|note|reidentify|end|status`` and ``protocol print``: identification of a stream's
answer sheets (п. 157–176; ``arm_programmer.identification``). The re-identification code НЦТ dictates
is never on the command line (``--code-fd`` or ``ENT_CODE``)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from arm_programmer.commands_sheets import chosen_stream, configure_stream
from arm_programmer.identify import SHEET_REASONS, Decision
from common.cli import CommandContext, CommandLine, Output
from common.exchange.cli_commands import key_password, password_option
from common.i18n import N_, _
from common.secrets import DICTATED_CODE, add_secret_option, read_secret

DECISION_NAMES = {"correct": Decision.CORRECT, "late": Decision.LATE, "delete": Decision.DELETE}


def register(cli: CommandLine) -> None:
    cli.add("identify auto", N_("Identify a stream's scanned sheets automatically and list what goes to the "
                                "protocol (п. 157–158)"), _auto, configure_stream)
    cli.add("identify sheet", N_("Enter a lower-table row of the identification protocol: correct, late or delete "
                                 "(п. 167–170)"), _sheet, _configure_sheet)
    cli.add("identify note", N_("Enter an upper-table row of the identification protocol: correct, absent, "
                                "not-admitted or annulled (п. 166)"), _note, _configure_note)
    cli.add("identify reidentify", N_("Re-identify a sheet after the end of identification, with НЦТ's code "
                                      "(п. 173–175)"), _reidentify, _configure_reidentify)
    cli.add("identify end", N_("Report the end of a stream's identification to НЦТ (п. 176)"), _end, _configure_end)
    cli.add("identify status", N_("A stream's identification at a glance: what blocks the answer codes"), _status,
            configure_stream)
    cli.add("protocol print", N_("Print the identification protocol (прил. 36), the variant identification "
                                 "(--form variants, прил. 37) or the re-identifications (--form reidentification, "
                                 "прил. 38) to PDF in printed/"), _print, _configure_print)


def _configure_sheet(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    parser.add_argument("--sheet", required=True, metavar="NUMBER", help=_("the sheet's number"))
    parser.add_argument("--decision", required=True, choices=list(DECISION_NAMES), help=_("the protocol's decision"))
    parser.add_argument("--ikt", help=_("the right ИКТ (from the seating list)"))
    parser.add_argument("--seat", type=int, help=_("the right seat"))
    parser.add_argument("--variant", help=_("the variant on the booklet"))
    parser.add_argument("--subjects", help=_("the profile subjects on the booklet"))
    parser.add_argument("--name", help=_("the name written on the sheet (kept, never logged)"))


def _configure_note(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    parser.add_argument("--ikt", required=True, help=_("the applicant's ИКТ"))
    parser.add_argument("--note", required=True, choices=["correct", "absent", "not-admitted", "annulled"],
                        help=_("the protocol's note"))
    parser.add_argument("--sheet", metavar="NUMBER", help=_("the sheet found by name (for correct)"))


def _configure_reidentify(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    parser.add_argument("--sheet", required=True, metavar="NUMBER", help=_("the sheet's number"))
    parser.add_argument("--ikt", help=_("the right ИКТ"))
    parser.add_argument("--variant", help=_("the right variant"))
    parser.add_argument("--subjects", help=_("the right profile subjects"))
    add_secret_option(parser, DICTATED_CODE)


def _configure_end(parser: argparse.ArgumentParser) -> None:
    configure_stream(parser)
    password_option(parser)


def _configure_print(parser: argparse.ArgumentParser) -> None:
    from arm_programmer.identification import PROTOCOL_FORMS
    from arm_programmer.prints import FORM_LANGUAGES

    configure_stream(parser)
    parser.add_argument("--room", help=_("only this room"))
    parser.add_argument("--language", choices=list(FORM_LANGUAGES), help=_("kk or ru"))
    parser.add_argument("--form", choices=list(PROTOCOL_FORMS),
                        default="identification", help=_("which form (default: the identification protocol)"))


def _auto(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.identification import identify_stream, stream_sheets

    context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        sheets = stream_sheets(session, stream)
        current = identify_stream(session, stream, sheets)
    auto = current.auto
    identified = sum(1 for item in auto.sheets if item.identified)
    lines = [_("Stream {stream}: {sheets} sheet(s), {identified} identified automatically, {protocol} in the "
               "protocol.").format(stream=stream, sheets=len(auto.sheets), identified=identified,
                                   protocol=len(auto.lower_table()))]
    rows: list[dict[str, Any]] = []
    for item in auto.lower_table():
        final = current.resolution.sheet(item.sheet_id)
        why = _("unused sheet") if item.blank else "; ".join(_(SHEET_REASONS[reason]) for reason in item.reasons)
        lines.append(f"  {item.room_number:>4}  {item.sheet_number or '?':>8}  {final.state.value:<10}  {why}")
        rows.append({"sheet_id": item.sheet_id, "room": item.room_number, "sheet_number": item.sheet_number,
                     "blank": item.blank, "reasons": [reason.value for reason in item.reasons],
                     "belongs_to": item.belongs_to, "state": final.state.value,
                     "suggestion": None if item.suggestion is None else item.suggestion.value})
    upper = [{"application_id": item.application_id, "room": item.room_number, "seat": item.seat,
              "status": item.status.value, "may_be_absent": item.may_be_absent,
              "state": current.resolution.applicant(item.application_id).state.value}
             for item in auto.upper_table()]
    return Output("\n".join(lines), {"stream": stream, "sheets": len(auto.sheets), "identified": identified,
                                     "lower": rows, "upper": upper})


def _sheet(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.identification import enter_sheet, stream_sheets
    from common.security.audit import AuditLog

    folder = context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        entered = enter_sheet(session, stream, stream_sheets(session, stream), sheet_number=args.sheet.strip(),
                              decision=DECISION_NAMES[args.decision], ikt=args.ikt, seat=args.seat,
                              variant=args.variant, subjects=args.subjects, name=args.name,
                              audit=AuditLog(folder.audit_log), actor=context.operator)
    return Output(_("Sheet {sheet}: «{decision}» entered (entry {revision}).").format(
        sheet=entered.sheet_number, decision=args.decision, revision=entered.revision), asdict(entered))


def _note(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.identification import enter_note, stream_sheets
    from common.security.audit import AuditLog

    folder = context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        note = enter_note(session, stream, stream_sheets(session, stream), ikt=args.ikt.strip(), note=args.note,
                          sheet_number=args.sheet, audit=AuditLog(folder.audit_log), actor=context.operator)
    return Output(_("ИКТ {ikt}: «{note}» entered.").format(ikt=args.ikt.strip(), note=note.note), asdict(note))


def _reidentify(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.identification import check_reidentification_code, reidentify, stream_sheets
    from common.errors import Refused
    from common.security.audit import AuditLog

    folder = context.require_folder()
    audit = AuditLog(folder.audit_log)
    code = read_secret(args, DICTATED_CODE)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        refusal = check_reidentification_code(session, stream, code=code, audit=audit, actor=context.operator)
    if refusal is not None:
        raise Refused(refusal)
    with context.transaction() as session:
        done = reidentify(session, stream, stream_sheets(session, stream), sheet_number=args.sheet.strip(),
                          code_ok=True, ikt=args.ikt, variant=args.variant, subjects=args.subjects, audit=audit,
                          actor=context.operator)
    return Output(_("Sheet {sheet} re-identified (entry {revision}).").format(sheet=done.sheet_number,
                                                                             revision=done.revision), asdict(done))


def _end(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.identification import end_and_report
    from common.security.audit import AuditLog

    folder = context.require_folder()
    password = key_password(args)
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        report, path = end_and_report(session, folder, stream, password=password, actor=context.operator,
                                      audit=AuditLog(folder.audit_log))
    return Output(_("The end of identification of stream {stream} is reported to НЦТ: {path}").format(
        stream=stream, path=path), {"stream": stream, "path": path, "digest": report.digest,
                                    "payload": report.payload})


def _status(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.identification import stream_state

    context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        state, _current = stream_state(session, stream)
    lines = [_("Stream {stream}: ready for answer codes.").format(stream=stream) if state.ready_for_answer_codes
             else _("Stream {stream}: not ready for answer codes.").format(stream=stream)]
    for room in state.rooms:
        lines.append(_("  room {room}: pass 1 {first}, pass 2 {second}, {differences} difference(s) open, "
                       "{identified} of {sheets} sheet(s) identified").format(
            room=room.room_number, first=room.pass1, second=room.pass2, differences=room.differences,
            identified=room.identified, sheets=room.sheets))
    lines += [f"  - {line}" for line in state.blockers]
    return Output("\n".join(lines), {"stream": stream, "ready_for_answer_codes": state.ready_for_answer_codes,
                                     "ended": state.ended, "blockers": list(state.blockers),
                                     "rooms": [asdict(room) for room in state.rooms]})


def _print(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.identification import print_protocol
    from arm_programmer.prints import default_language

    folder = context.require_folder()
    language = args.language or default_language()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        printed = print_protocol(session, folder, stream, language, actor=context.operator, room=args.room,
                                 form=args.form)
    return Output(_("Printed {pages} page(s): {path}").format(pages=printed.pages, path=printed.path),
                  {"path": str(printed.path), "pages": printed.pages, "language": printed.language})
