"""``scan --room R --pass 1|2``, ``sheets exclude``, ``sheets excluded``, ``passes diff`` and ``passes resolve``:
the answer sheets of each room scanned twice and the passes compared (п. 156.1, прил. 35;
``arm_programmer.sheets``)."""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict
from pathlib import Path

from sqlalchemy.orm import Session

from arm_programmer.sheets import (
    RoomPassSink,
    answer_layouts,
    differences,
    exclude_sheet,
    find_room,
    not_scanned,
    only_stream,
    refuse_before_draw,
    resolve,
)
from common.cli import CommandContext, CommandLine, Output
from common.db.answer_models import ExclusionReason
from common.errors import Refused
from common.i18n import N_, _
from common.scanning.driver import ScannerDriver


def register(cli: CommandLine) -> None:
    cli.add("scan", N_("Scan a room's envelope of answer sheets, pass 1 or 2 (п. 156.1)"), _scan, _configure_scan)
    cli.add("sheets exclude", N_("Record a sheet that is not scanned, with its reason and act (прил. 35)"), _exclude,
            _configure_exclude)
    cli.add("sheets excluded", N_("The sheets of a stream not scanned (прил. 35)"), _excluded, configure_stream)
    cli.add("passes diff", N_("Compare a room's two passes sheet by sheet and bubble by bubble"), _diff,
            _configure_room)
    cli.add("passes resolve", N_("Decide a field of a sheet where the passes differ"), _resolve, _configure_resolve)


def configure_stream(parser: argparse.ArgumentParser) -> None:
    """``--stream N``, left out when one stream is meant (:func:`chosen_stream`); the identification commands too."""
    parser.add_argument("--stream", type=int, help=_("stream number (may be left out when there is one)"))


def _configure_room(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--room", required=True, help=_("room number"))
    configure_stream(parser)


def _configure_scan(parser: argparse.ArgumentParser) -> None:
    _configure_room(parser)
    parser.add_argument("--pass", dest="pass_number", required=True, type=int, choices=(1, 2),
                        help=_("the pass: each envelope is scanned twice"))
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="folder", type=Path, metavar="DIR",
                        help=_("the folder the scanner's capture software writes to"))
    source.add_argument("--scanner", metavar="NAME", help=_("the scanner (a SANE device, or a WIA id on Windows)"))
    parser.add_argument("--settle", type=float, default=2.0, help=_("seconds a file must stay unchanged"))
    parser.add_argument("--idle", type=float, default=10.0, help=_("stop after this many seconds without a page"))
    parser.add_argument("--checks", type=Path, metavar="DIR",
                        help=_("the scanner-check workstation's folder: the scanner's last check there must be fit"))
    parser.add_argument("--model", help=_("the scanner's model as recorded with its check"))
    parser.add_argument("--serial", default="", help=_("the scanner's serial number as recorded with its check"))


def _require_fit(args: argparse.Namespace) -> None:
    """The scanner must be fit (п. 52.5, 42.5) when the scanner-check folder is named: its last check there."""
    if args.checks is None:
        if args.model is not None:
            raise Refused(_("Name the scanner-check workstation's folder (--checks DIR) to prove the scanner fit."))
        return
    if not args.model:
        raise Refused(_("Name the scanner's model (--model) as recorded with its check."))
    from arm_scanner_check.fitness import require_fit_in_folder

    require_fit_in_folder(Path(args.checks), args.model, args.serial)


def _configure_exclude(parser: argparse.ArgumentParser) -> None:
    _configure_room(parser)
    parser.add_argument("--sheet", required=True, metavar="NUMBER", help=_("the sheet's pre-printed number"))
    parser.add_argument("--reason", required=True, choices=[item.value for item in ExclusionReason],
                        help=_("removed, late, impostor or spoiled"))
    parser.add_argument("--act", required=True, help=_("the act's number as written on it"))


def _configure_resolve(parser: argparse.ArgumentParser) -> None:
    _configure_room(parser)
    parser.add_argument("--sheet", required=True, metavar="NUMBER", help=_("the sheet's number"))
    parser.add_argument("--field", required=True, help=_("the field, e.g. math.q07, ikt or sheet_number"))
    parser.add_argument("--value", required=True, help=_("the value read on the sheet (empty: no mark)"))


def chosen_stream(session: Session, args: argparse.Namespace) -> int:
    """The stream ``--stream`` names, or the one stream drawn so far (``sheets.only_stream``)."""
    return int(args.stream) if args.stream is not None else only_stream(session)


def _driver(args: argparse.Namespace) -> ScannerDriver:
    if args.folder is not None:
        from common.scanning.watched_folder import WatchedFolder

        if not Path(args.folder).is_dir():
            raise Refused(_("{path} is not a folder.").format(path=args.folder))
        return WatchedFolder(Path(args.folder), settle_seconds=args.settle, idle_timeout=args.idle)
    if os.name == "nt":
        from common.scanning.windows_driver import WiaScanner

        return WiaScanner(args.scanner or None)
    from common.scanning.sane_driver import SaneScanner

    return SaneScanner(args.scanner)


def _scan(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.scanning.loop import PageEvent, scan_into

    folder = context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        refuse_before_draw(session, stream)
        room = find_room(session, stream, args.room).room.number
        layout = answer_layouts(session, stream)
    _require_fit(args)
    sink = RoomPassSink(context.transaction, stream, room, args.pass_number)
    lines: list[str] = []
    pages = [0]

    def heard(event: PageEvent) -> None:
        pages[0] += 1
        if event.outcome == "rescan":
            lines.append(_("Page {number}: scan it again — {reasons}.").format(
                number=pages[0], reasons=", ".join(event.reasons)))

    summary = scan_into(folder, _driver(args), layout, sink, on_page=heard)  # a full disk: refused
    stored, rescans = summary.count("stored"), summary.count("rescan")
    with context.transaction() as session:
        context.audit(session, "scan.room", f"{stream}/{room}", pass_number=args.pass_number,
                      pages=len(summary.events), stored=stored, rescan=rescans,
                      scanner=f"{args.model or ''} {args.serial}".strip() or None)
    lines.insert(0, _("Stream {stream}, room {room}, pass {number}: {pages} page(s) taken now, {stored} stored, "
                      "{rescan} to scan again.").format(stream=stream, room=room, number=args.pass_number,
                                                        pages=len(summary.events), stored=stored, rescan=rescans))
    return Output("\n".join(lines), {"stream": stream, "room": room, "pass": args.pass_number,
                                     "pages": len(summary.events), "stored": stored, "rescan": rescans,
                                     "events": [{"outcome": event.outcome, "reasons": list(event.reasons)}
                                                for event in summary.events]})


def _exclude(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        exclusion = exclude_sheet(session, stream, args.room, args.sheet, args.reason, args.act, context.operator)
        room = find_room(session, stream, args.room).room.number
        context.audit(session, "sheet.excluded", exclusion.sheet_number, stream=stream, room=room,
                      reason=exclusion.reason.value, act=exclusion.act)
        data = {"stream": stream, "room": room, "sheet": exclusion.sheet_number, "reason": exclusion.reason.value,
                "act": exclusion.act}
    return Output(_("Sheet {sheet} of room {room} is recorded as not scanned ({reason}, act {act}).").format(
        sheet=data["sheet"], room=room, reason=data["reason"], act=data["act"]), data)


def _excluded(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        items = not_scanned(session, stream)
    lines = [f"{item.room_number}  {item.sheet_number}  {item.reason}  {item.act}" for item in items]
    return Output("\n".join(lines) or _("No sheet of stream {stream} is recorded as not scanned.").format(
        stream=stream), [{**asdict(item), "recorded_at": item.recorded_at.isoformat()} for item in items])


def _diff(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        room = find_room(session, stream, args.room).room.number
        items = differences(session, stream, room)
    open_items = [item for item in items if item.resolved is None]
    lines = [_("Room {room}: {count} difference(s) between the passes, {open} not decided.").format(
        room=room, count=len(items), open=len(open_items))]
    for item in items:
        decided = "" if item.resolved is None else "  → " + item.resolved
        sheet = item.sheet_number or f"#{item.sheet_id}"
        lines.append(f"{sheet:>8}  {item.kind:<13} {item.bubble or item.field or '':<16} "
                     f"{item.pass1:>8} | {item.pass2:<8}{decided}")
    return Output("\n".join(lines), {"stream": stream, "room": room, "differences": [asdict(item) for item in items]})


def _resolve(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    with context.transaction() as session:
        stream = chosen_stream(session, args)
        room = find_room(session, stream, args.room).room.number
        decision = resolve(session, stream, room, args.sheet, args.field, args.value, context.operator)
        context.audit(session, "sheet.resolved", args.sheet.strip(), stream=stream, room=room, field=decision.field,
                      value=decision.value)
    return Output(_("Sheet {sheet}: {field} decided as «{value}».").format(sheet=args.sheet.strip(),
                                                                          field=decision.field, value=decision.value),
                  {"stream": stream, "room": room, "sheet": args.sheet.strip(), "field": decision.field,
                   "value": decision.value})
