"""``rooms …``, ``streams …``, ``site …`` and ``totals``: the room fund, the schedule, the site's facts."""

from __future__ import annotations

import argparse
from dataclasses import replace
from datetime import date

from arm_base_ppent.commands import non_negative, to_json
from arm_base_ppent.distribution import distribution
from arm_base_ppent.rooms import (
    RoomDraft,
    add_room,
    clear_room_use,
    list_rooms,
    removal_warning,
    remove_room,
    room_row,
    set_room_use,
    update_room,
)
from arm_base_ppent.site import site_info, update_site_facts
from arm_base_ppent.streams import add_stream, list_streams, remove_stream, set_stream_date
from arm_base_ppent.vocabulary import ROOM_LANGUAGE, ROOM_LANGUAGE_SHORT, VENTILATION, label
from common.cli import CommandContext, CommandLine, Output
from common.codebook import ROOM_LANGUAGE_STATUSES
from common.errors import Refused
from common.i18n import N_, _


def register(cli: CommandLine) -> None:
    cli.add("site show", N_("Show the enrolled site and its facts (п. 86)"), _site_show)
    cli.add(
        "site set",
        N_("Change the site's facts (п. 86) and its building (п. 80.1)"),
        _site_set,
        _configure_site,
    )
    cli.add("rooms list", N_("List the room fund with each room's use per stream"), _rooms_list)
    cli.add("rooms add", N_("Add a room to the room fund (п. 80–81)"), _rooms_add, _configure_room(True))
    cli.add("rooms update", N_("Change a room of the room fund"), _rooms_update, _configure_room(False))
    cli.add(
        "rooms remove",
        N_("Remove a room; one used in streams only with --yes (its use there goes too)"),
        _rooms_remove,
        _configure_remove,
    )
    cli.add(
        "rooms use",
        N_("Use a room in a stream: language status and reserve flag (п. 80.2–80.5)"),
        _rooms_use,
        _configure_use,
    )
    cli.add("rooms unuse", N_("Stop using a room in a stream"), _rooms_unuse, _configure_unuse)
    cli.add("streams list", N_("List the testing schedule (п. 79.2)"), _streams_list)
    cli.add("streams add", N_("Add a stream on an exam date"), _streams_add, _configure_stream_add)
    cli.add("streams date", N_("Change a stream's exam date"), _streams_date, _configure_stream_date)
    cli.add("streams remove", N_("Remove an empty stream"), _streams_remove, _configure_stream_number)
    cli.add("totals", N_("Expected applicants per stream and language against the seats"), _totals)


# --- site ------------------------------------------------------------------------------------------
def _site_show(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        info = site_info(session)
    facts = info.facts
    lines = [
        _("Site {code}: {name}").format(code=info.code, name=info.name_ru),
        _("Building: {building}").format(building=facts.building or "—"),
        _("Lodging places: {lodging}; meal places: {meals}").format(
            lodging=facts.lodging_places, meals=facts.meal_places
        ),
        _("Restroom: {where}").format(where=facts.restroom_location or "—"),
        _("Metal detectors: {type}, {count}").format(
            type=facts.metal_detector_type or "—", count=facts.metal_detector_count
        ),
        _("Jammers: {jammers}; cameras: {cameras}").format(
            jammers=facts.jammers_count, cameras=facts.cameras_count
        ),
    ]
    return Output("\n".join(lines), to_json(info))


def _configure_site(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--building", help=_("the building all rooms are in (п. 80.1)"))
    parser.add_argument("--lodging", type=non_negative, help=_("lodging places"))
    parser.add_argument("--meals", type=non_negative, help=_("meal places"))
    parser.add_argument("--restroom", help=_("where the restroom is"))
    parser.add_argument("--detector-type", help=_("type of the metal detectors"))
    parser.add_argument("--detectors", type=non_negative, help=_("number of metal detectors"))
    parser.add_argument("--jammers", type=non_negative, help=_("number of cell-signal jammers"))
    parser.add_argument("--cameras", type=non_negative, help=_("number of video cameras"))


def _site_set(context: CommandContext, args: argparse.Namespace) -> Output:
    changes = {
        "building": args.building,
        "lodging_places": args.lodging,
        "meal_places": args.meals,
        "restroom_location": args.restroom,
        "metal_detector_type": args.detector_type,
        "metal_detector_count": args.detectors,
        "jammers_count": args.jammers,
        "cameras_count": args.cameras,
    }
    with context.transaction() as session:
        facts = replace(site_info(session).facts, **{k: v for k, v in changes.items() if v is not None})
        info = update_site_facts(session, facts)
        context.audit(session, "site.facts", info.code)
    return Output(_("The site's facts are saved."), to_json(info))


# --- rooms -----------------------------------------------------------------------------------------
def _configure_number(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("number", help=_("room number: 01, 02 …"))


def _configure_room(adding: bool):  # type: ignore[no-untyped-def]
    def configure(parser: argparse.ArgumentParser) -> None:
        _configure_number(parser)
        if not adding:
            parser.add_argument("--new-number", help=_("give the room another number"))
        parser.add_argument(
            "--desks",
            type=non_negative,
            required=adding,
            help=_("desks in the room; seats = 2 per desk (п. 80.6)"),
        )
        parser.add_argument(
            "--ventilation",
            choices=list(VENTILATION),
            default="natural" if adding else None,
            help=_("type of ventilation (п. 81)"),
        )
        parser.add_argument(
            "--jammers",
            type=non_negative,
            default=0 if adding else None,
            help=_("cell-signal jammers in the room"),
        )
        parser.add_argument(
            "--cameras", type=non_negative, default=0 if adding else None, help=_("video cameras in the room")
        )
        parser.add_argument("--building", help=_("building of the room (default: the site's building)"))

    return configure


def _rooms_list(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        rooms = list_rooms(session)
    lines = [
        _(
            "Room {room}: {seats} seats ({desks} desks), {ventilation}, jammers {jammers}, "
            "cameras {cameras}; streams: {uses}"
        ).format(
            room=room.number,
            seats=room.seats,
            desks=room.desks,
            ventilation=label(VENTILATION, room.ventilation),
            jammers=room.jammers,
            cameras=room.cameras,
            uses=", ".join(
                f"{use.stream} {label(ROOM_LANGUAGE_SHORT, use.language)}" + (" R" if use.reserve else "")
                for use in room.uses
            )
            or "—",
        )
        for room in rooms
    ]
    return Output("\n".join(lines) or _("The room fund is empty."), to_json(rooms))


def _rooms_add(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        building = args.building if args.building is not None else site_info(session).facts.building
        row = add_room(
            session,
            RoomDraft(args.number, args.desks, args.ventilation, args.jammers, args.cameras, building),
        )
        context.audit(session, "rooms.add", row.number, seats=row.seats)
    return Output(
        _("Room {room} added: {seats} seats.").format(room=row.number, seats=row.seats), to_json(row)
    )


def _rooms_update(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_base_ppent.rules import normalise_room_number

    with context.transaction() as session:
        current = next(
            (room for room in list_rooms(session) if room.number == normalise_room_number(args.number)), None
        )
        if current is None:
            raise Refused(_("There is no room {room} in the room fund.").format(room=args.number))
        draft = RoomDraft(
            args.new_number or current.number,
            current.desks if args.desks is None else args.desks,
            args.ventilation or current.ventilation,
            current.jammers if args.jammers is None else args.jammers,
            current.cameras if args.cameras is None else args.cameras,
            current.building if args.building is None else args.building,
        )
        row = update_room(session, current.number, draft)
        context.audit(session, "rooms.update", row.number, seats=row.seats)
    return Output(
        _("Room {room} saved: {seats} seats.").format(room=row.number, seats=row.seats), to_json(row)
    )


def _configure_remove(parser: argparse.ArgumentParser) -> None:
    _configure_number(parser)
    parser.add_argument(
        "--yes", action="store_true", help=_("also remove the room's use in every stream it is used in")
    )


def _rooms_remove(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        warning = removal_warning(room_row(session, args.number))
        if warning and not args.yes:
            raise Refused(warning + " " + _("Repeat with --yes to remove it anyway."))
        remove_room(session, args.number, with_uses=args.yes)
        context.audit(session, "rooms.remove", args.number)
    return Output(_("Room {room} removed.").format(room=args.number), {"removed": args.number})


def _configure_use(parser: argparse.ArgumentParser) -> None:
    _configure_number(parser)
    parser.add_argument("--stream", type=int, required=True, help=_("stream number"))
    parser.add_argument(
        "--language",
        choices=ROOM_LANGUAGE_STATUSES,
        required=True,
        help=_("language status: kk, ru, en-kk (English, history in Kazakh), en-ru"),
    )
    parser.add_argument("--reserve", action="store_true", help=_("a reserve room in this stream"))


def _configure_unuse(parser: argparse.ArgumentParser) -> None:
    _configure_number(parser)
    parser.add_argument("--stream", type=int, required=True, help=_("stream number"))


def _rooms_use(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        row = set_room_use(session, args.number, args.stream, args.language, args.reserve)
        context.audit(
            session, "rooms.use", row.number, stream=args.stream, language=args.language, reserve=args.reserve
        )
    return Output(
        _("Room {room} in stream {stream}: {language}{reserve}").format(
            room=row.number,
            stream=args.stream,
            language=label(ROOM_LANGUAGE, args.language),
            reserve=_(", reserve") if args.reserve else "",
        ),
        to_json(row),
    )


def _rooms_unuse(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        row = clear_room_use(session, args.number, args.stream)
        context.audit(session, "rooms.unuse", row.number, stream=args.stream)
    return Output(
        _("Room {room} is no longer used in stream {stream}.").format(room=row.number, stream=args.stream),
        to_json(row),
    )


# --- streams ---------------------------------------------------------------------------------------
def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a date as YYYY-MM-DD, not {value!r}").format(value=text)
        ) from None


def _configure_stream_add(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--date", type=_date, required=True, help=_("exam date, YYYY-MM-DD"))
    parser.add_argument("--number", type=int, help=_("stream number (default: the next one)"))


def _configure_stream_number(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("number", type=int, help=_("stream number"))


def _configure_stream_date(parser: argparse.ArgumentParser) -> None:
    _configure_stream_number(parser)
    parser.add_argument("--date", type=_date, required=True, help=_("exam date, YYYY-MM-DD"))


def _streams_list(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        streams = list_streams(session)
    lines = [
        _("Stream {stream}: {date}, {rooms} room(s), {schools} school(s)").format(
            stream=s.number, date=s.exam_date.strftime("%d.%m.%Y"), rooms=s.rooms, schools=s.schools
        )
        for s in streams
    ]
    return Output("\n".join(lines) or _("No streams in the schedule yet."), to_json(streams))


def _streams_add(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        row = add_stream(session, args.date, args.number)
        context.audit(session, "streams.add", str(row.number), date=row.exam_date.isoformat())
    return Output(
        _("Stream {stream} added on {date}.").format(
            stream=row.number, date=row.exam_date.strftime("%d.%m.%Y")
        ),
        to_json(row),
    )


def _streams_date(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        row = set_stream_date(session, args.number, args.date)
        context.audit(session, "streams.date", str(row.number), date=row.exam_date.isoformat())
    return Output(
        _("Stream {stream} is on {date}.").format(stream=row.number, date=row.exam_date.strftime("%d.%m.%Y")),
        to_json(row),
    )


def _streams_remove(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        remove_stream(session, args.number)
        context.audit(session, "streams.remove", str(args.number))
    return Output(_("Stream {stream} removed.").format(stream=args.number), {"removed": args.number})


def _totals(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        totals = distribution(session)
    lines = []
    for load in totals.streams:
        parts = [
            f"{label(ROOM_LANGUAGE_SHORT, item.language)} {item.expected}/{item.seats}"
            + (" ⚠" if item.shortfall else "")
            for item in load.languages
            if item.expected or item.seats
        ]
        lines.append(
            _("Stream {stream}: {schools} school(s), expected/seats: {parts}").format(
                stream=load.stream, schools=load.schools, parts="; ".join(parts) or "—"
            )
        )
    if totals.unassigned_schools:
        lines.append(
            _("Not in a stream: {schools} school(s), {expected} expected applicant(s)").format(
                schools=totals.unassigned_schools, expected=totals.unassigned_expected
            )
        )
    data = to_json(totals)
    for stream, load in zip(data["streams"], totals.streams, strict=True):
        stream.update(
            expected=load.expected,
            seats=load.seats,
            reserve_seats=load.reserve_seats,
            shortfall=load.shortfall,
        )
    return Output("\n".join(lines) or _("No streams in the schedule yet."), data)
