"""``draw --stream N`` (with НЦТ's dictated code, never on the command line) and ``draw show --stream N``:
the seating draw of a stream, once (п. 52.11; ``arm_programmer.draw``)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from common.cli import CommandContext, CommandLine, Output
from common.errors import Refused
from common.i18n import N_, _
from common.secrets import DICTATED_CODE, add_secret_option, read_secret


def register(cli: CommandLine) -> None:
    cli.add("draw", N_("Draw the seats of a stream with НЦТ's code, once (п. 52.11)"), _draw, _configure_draw)
    cli.add("draw show", N_("Show a stream's drawn seats, by room and seat"), _show, _configure_show)


def _configure_draw(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stream", type=int, default=None, help=_("stream number"))
    add_secret_option(parser, DICTATED_CODE)


def _configure_show(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stream", required=True, type=int, help=_("stream number"))


def _stream_number(args: argparse.Namespace) -> int:
    if args.stream is None:
        raise Refused(_("Say which stream: --stream N."))
    return int(args.stream)


def _draw(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.draw import draw_with_code, stream_draw, stream_of
    from arm_programmer.seating import production_random
    from arm_programmer.takeover import require_closed
    from common.security.audit import AuditLog

    folder = context.require_folder()
    number = _stream_number(args)
    with context.transaction() as session:
        require_closed(session)
        stream_of(session, number)
        drawn = stream_draw(session, number) is not None
    code = "" if drawn else read_secret(args, DICTATED_CODE)  # a repeat is refused (and audited) without a code
    with context.transaction() as session:
        outcome = draw_with_code(session, number, code=code, audit=AuditLog(folder.audit_log),
                                 actor=context.operator, random_source=production_random())
    result = outcome.raise_if_refused()
    text = _("Seats of stream {stream} drawn: {applicants} applicant(s) in {rooms} room(s); digest {digest}.").format(
        stream=number, applicants=result.applicants, rooms=result.rooms, digest=result.digest)
    return Output(text, {**asdict(result), "drawn_at": result.drawn_at.isoformat()})


def _show(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_programmer.draw import drawn_seats, stream_draw, stream_of

    context.require_folder()
    with context.transaction() as session:
        stream_of(session, args.stream)
        held = stream_draw(session, args.stream)
        seats = drawn_seats(session, args.stream)
        summary = None if held is None else {"drawn_at": held.drawn_at.isoformat(), "drawn_by": held.drawn_by,
                                             "digest": held.digest}
    data = {"stream": args.stream, "draw": summary,
            "seats": [{**asdict(seat), "language_status": seat.language_status.value} for seat in seats]}
    if summary is None:
        return Output(_("The seats of stream {stream} are not drawn yet.").format(stream=args.stream), data)
    lines = [_("Stream {stream}: seats drawn {moment} by {actor}, digest {digest}.").format(
        stream=args.stream, moment=summary["drawn_at"], actor=summary["drawn_by"], digest=summary["digest"])]
    room = None
    for seat in seats:
        if seat.room_number != room:
            room = seat.room_number
            lines.append(_("Room {room}:").format(room=room))
        mark = _(" (late seating)") if seat.late else ""
        lines.append(f"  {seat.seat:>3}  {seat.ikt}  {seat.full_name}{mark}")
    return Output("\n".join(lines), data)
