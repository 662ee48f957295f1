"""``schools …``, ``import`` and ``template``: schools and colleges (п. 83–84) and their streams."""

from __future__ import annotations

import argparse

from arm_base_ppent.commands import pairs, to_json
from arm_base_ppent.directory import add_from_directory, directory_schools
from arm_base_ppent.school_import import import_schools, write_template
from arm_base_ppent.schools import (
    SchoolRecord,
    add_school,
    assign_stream,
    find_school,
    list_schools,
    remove_schools,
    school_record,
    update_school,
)
from arm_base_ppent.vocabulary import OWNERSHIP, SCHOOL_LANGUAGE, SETTLEMENT
from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _, current_language
from common.paths import InputFile, OutputFile


def register(cli: CommandLine) -> None:
    cli.add("schools list", N_("List the schools and colleges"), _list, _configure_list)
    cli.add(
        "schools add",
        N_("Add a school or college with the parameters of п. 84"),
        _add,
        _configure_fields(True),
    )
    cli.add("schools update", N_("Change a school, found by its БИН"), _update, _configure_fields(False))
    cli.add("schools remove", N_("Remove schools by БИН"), _remove, _configure_bins)
    cli.add("schools assign", N_("Put schools into a stream (п. 79.2)"), _assign, _configure_assign)
    cli.add(
        "schools directory",
        N_("List NTC's directory schools of the site's region"),
        _directory,
        _configure_directory,
    )
    cli.add(
        "schools take", N_("Add schools from NTC's directory by region/district/code"), _take, _configure_take
    )
    cli.add(
        "import",
        N_("Import schools from an XLSX or CSV file made from the template"),
        _import,
        _configure_import,
    )
    cli.add(
        "template", N_("Write the school import template (.xlsx or .csv)"), _template, _configure_template
    )


def _summary(school: SchoolRecord) -> str:
    stream = _("stream {stream}").format(stream=school.stream) if school.stream else _("no stream")
    name = school.name(current_language())
    return f"{school.bin}  {school.region_code}/{school.district_code}/{school.code}  {name}  ({stream}, " \
           f"{school.expected_total})"


def _configure_list(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stream", type=int, help=_("only the schools of this stream"))
    parser.add_argument("--search", default="", help=_("only schools whose name, code or БИН contains this"))


def _list(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        schools = list_schools(session)
    words = args.search.casefold().split()
    chosen = [
        school
        for school in schools
        if (args.stream is None or school.stream == args.stream)
        and all(
            word in f"{school.bin} {school.code} {school.name_kk} {school.name_ru}".casefold()
            for word in words
        )
    ]
    return Output("\n".join(_summary(school) for school in chosen) or _("No schools."), to_json(chosen))


def _configure_fields(adding: bool):  # type: ignore[no-untyped-def]
    def configure(parser: argparse.ArgumentParser) -> None:
        if not adding:
            parser.add_argument("bin_now", metavar="BIN", help=_("the БИН of the school to change"))
        parser.add_argument("--bin", required=adding, help=_("БИН, 12 digits"))
        parser.add_argument("--code", required=adding, help=_("school code in NTC's directory, 4 digits"))
        parser.add_argument("--name-kk", required=adding, help=_("name in Kazakh"))
        parser.add_argument("--name-ru", required=adding, help=_("name in Russian"))
        parser.add_argument("--address")
        parser.add_argument("--region", required=adding, help=_("region code, 2 digits"))
        parser.add_argument("--district", required=adding, help=_("district code, 3 digits"))
        parser.add_argument("--language", choices=list(SCHOOL_LANGUAGE), help=_("language status"))
        parser.add_argument("--settlement", choices=list(SETTLEMENT), help=_("city or village"))
        parser.add_argument("--ownership", choices=list(OWNERSHIP))
        parser.add_argument("--type", dest="school_type", help=_("type of school"))
        parser.add_argument("--kind", dest="school_kind", help=_("school or college"))
        parser.add_argument("--foreign", help=_("foreign languages taught, e.g. en,de"))
        parser.add_argument("--students", help=_("students per grade, e.g. 9=60,11=48"))
        parser.add_argument(
            "--expected", help=_("expected applicants per language, e.g. kk=30,ru=10,en-kk=2")
        )
        parser.add_argument("--transport", help=_("transport bringing the applicants"))
        parser.add_argument("--delivery", help=_("how the applicants are delivered"))
        parser.add_argument("--distance", type=float, help=_("distance to the site, km"))
        parser.add_argument("--stream", type=int, help=_("stream number"))

    return configure


def _record_from(args: argparse.Namespace, base: SchoolRecord | None) -> SchoolRecord:
    def pick(value: object, current: object) -> object:
        return current if value is None else value

    base = base or SchoolRecord(code="", name_kk="", name_ru="", bin="", region_code="", district_code="")
    return SchoolRecord(
        code=str(pick(args.code, base.code)),
        bin=str(pick(args.bin, base.bin)),
        name_kk=str(pick(args.name_kk, base.name_kk)),
        name_ru=str(pick(args.name_ru, base.name_ru)),
        address=str(pick(args.address, base.address)),
        region_code=str(pick(args.region, base.region_code)),
        district_code=str(pick(args.district, base.district_code)),
        language_status=str(pick(args.language, base.language_status)),
        settlement=str(pick(args.settlement, base.settlement)),
        ownership=str(pick(args.ownership, base.ownership)),
        school_type=str(pick(args.school_type, base.school_type)),
        school_kind=str(pick(args.school_kind, base.school_kind)),
        foreign_languages=tuple(filter(None, (p.strip() for p in args.foreign.split(","))))
        if args.foreign is not None
        else base.foreign_languages,
        students_per_grade=pairs(args.students, "--students")
        if args.students is not None
        else base.students_per_grade,
        expected=pairs(args.expected, "--expected") if args.expected is not None else base.expected,
        transport=str(pick(args.transport, base.transport)),
        delivery=str(pick(args.delivery, base.delivery)),
        distance_km=args.distance if args.distance is not None else base.distance_km,
        stream=args.stream if args.stream is not None else base.stream,
    )


def _add(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        school = add_school(session, _record_from(args, None))
        context.audit(session, "schools.add", school.bin, code=school.code)
    return Output(_("School added: {school}").format(school=_summary(school)), to_json(school))


def _update(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        current = school_record(find_school(session, args.bin_now))
        school = update_school(session, args.bin_now, _record_from(args, current))
        context.audit(session, "schools.update", school.bin, code=school.code)
    return Output(_("School saved: {school}").format(school=_summary(school)), to_json(school))


def _configure_bins(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("bins", nargs="+", metavar="BIN", help=_("БИН of each school"))


def _remove(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        count = remove_schools(session, args.bins)
        context.audit(session, "schools.remove", None, bins=list(args.bins))
    return Output(_("{count} school(s) removed.").format(count=count), {"removed": count})


def _configure_assign(parser: argparse.ArgumentParser) -> None:
    _configure_bins(parser)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--stream", type=int, help=_("stream number"))
    group.add_argument("--none", action="store_true", help=_("take the schools out of any stream"))


def _assign(context: CommandContext, args: argparse.Namespace) -> Output:
    stream = None if args.none else args.stream
    with context.transaction() as session:
        count = assign_stream(session, args.bins, stream)
        context.audit(session, "schools.assign", None, bins=list(args.bins), stream=stream)
    if stream is None:
        return Output(
            _("{count} school(s) taken out of their stream.").format(count=count), {"assigned": count}
        )
    return Output(
        _("{count} school(s) put into stream {stream}.").format(count=count, stream=stream),
        {"assigned": count, "stream": stream},
    )


def _configure_directory(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--region", help=_("region code (default: the site's region)"))
    parser.add_argument("--district", help=_("district code"))


def _directory(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        schools = directory_schools(session, region_code=args.region, district_code=args.district)
    lines = [f"{s.region_code}/{s.district_code}/{s.code}  {s.bin}  {s.name_ru}" for s in schools]
    return Output(
        "\n".join(lines) or _("No directory schools (no directories from NTC yet?)."), to_json(schools)
    )


def _configure_take(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "keys",
        nargs="+",
        metavar="REGION/DISTRICT/CODE",
        help=_("directory key of each school, e.g. 10/001/0042"),
    )
    parser.add_argument("--stream", type=int, help=_("put the schools into this stream"))


def _take(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.errors import Refused

    keys = []
    for key in args.keys:
        parts = key.split("/")
        if len(parts) != 3:
            raise Refused(
                _("Write a directory key as REGION/DISTRICT/CODE, e.g. 10/001/0042, not {key}.").format(
                    key=key
                )
            )
        keys.append((parts[0], parts[1], parts[2]))
    with context.transaction() as session:
        added = add_from_directory(session, keys, args.stream)
        context.audit(session, "schools.take", None, codes=[school.code for school in added])
    return Output(_("{count} school(s) taken from NTC's directory.").format(count=len(added)), to_json(added))


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", action=InputFile, help=_("the filled template, .xlsx or .csv"))
    parser.add_argument(
        "--update",
        action="store_true",
        help=_("overwrite schools whose БИН is already in the database instead of refusing"),
    )


def _import(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        result = import_schools(session, args.file, update=args.update)
        context.audit(session, "schools.import", args.file.name, added=result.added, updated=result.updated)
    return Output(
        _("Imported {rows} row(s) from {name}: {added} added, {updated} updated.").format(
            rows=result.rows, name=args.file.name, added=result.added, updated=result.updated
        ),
        to_json(result),
    )


def _configure_template(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", action=OutputFile, help=_("where to write it; .csv for CSV, otherwise XLSX"))


def _template(context: CommandContext, args: argparse.Namespace) -> Output:
    path = write_template(args.file.expanduser().resolve())
    return Output(_("Template written to {path}.").format(path=path), {"path": str(path)})
