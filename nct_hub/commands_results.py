"""``ent-nct results …``: the results without appeal the sites sent (п. 180), the programmers' daily
statistics (п. 53.6), and the results look-up file applicants find their result in (beyond the
instruction; :mod:`nct_hub.results_lookup`)."""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict
from datetime import date
from typing import TYPE_CHECKING, Any

from common.cli import CommandContext, CommandLine, Output
from common.errors import Refused
from common.files import atomic_write_bytes
from common.i18n import N_, _
from common.paths import InputFile, OutputFile
from common.secrets import Secret, add_secret_option, read_secret
from nct_hub.commands_sites import audit
from nct_hub.db.engine import add_db_option
from nct_hub.db.session import nct_transaction

if TYPE_CHECKING:
    from nct_hub.results_lookup import KdfCost

APPLICANT_IIN = Secret("iin", "ENT_IIN", N_("Applicant's ИИН: "), N_("the applicant's ИИН"))
"""The ИИН is never taken from the command line (other users can read it) and never logged."""


def register(cli: CommandLine) -> None:
    cli.add("results show", N_("A site's results for a stream, without appeal (п. 180) or with it (--final, "
                               "п. 206): counts and averages"),
            _cmd_show, _configure_show)
    cli.add("results daily", N_("The programmers' daily statistics of the exam days (п. 53.6)"),
            _cmd_daily, _configure_daily)
    cli.add("results lookup-file", N_("Build the results look-up file applicants find their result in by ИКТ "
                                      "and ИИН"), _cmd_lookup_file, _configure_lookup_file)
    cli.add("results lookup", N_("Find one applicant's result in a results look-up file by ИКТ and ИИН"),
            _cmd_lookup, _configure_lookup)


def _configure_show(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", required=True, help=_("site code"))
    parser.add_argument("--stream", required=True, type=int, help=_("stream number"))
    parser.add_argument("--final", action="store_true", help=_("the results with appeal (п. 206)"))
    add_db_option(parser)


def _cmd_show(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.results import results_summary, summary_text

    with nct_transaction(context, args.db) as session:
        summary = results_summary(session, args.site, args.stream, final=args.final)
    if summary is None and args.final:
        raise Refused(_("Site {site} has sent no results with appeal for stream {stream}.").format(
            site=args.site, stream=args.stream))  # fmt: skip
    if summary is None:
        raise Refused(_("Site {site} has sent no results for stream {stream}.").format(
            site=args.site, stream=args.stream))  # fmt: skip
    return Output(summary_text(summary), asdict(summary))


def _configure_daily(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", default=None, help=_("site code"))
    add_db_option(parser)


def _cmd_daily(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.daily_statistics import exam_days

    with nct_transaction(context, args.db) as session:
        days = exam_days(session, args.site)
    if not days:
        return Output(_("No programmer has sent daily statistics yet."), [])
    lines = []
    for day in days:
        lines.append(_("Site {site}, {date} (number {number}):").format(
            site=day.site_code, date=day.date, number=day.sequence))  # fmt: skip
        for entry in day.streams:
            average = entry.get("average_total")
            lines.append("  " + _("stream {stream}: seated {seated}, present {present}, identified {identified}, "
                                  "scored {scored}, absent {absent}, annulled {annulled}, not admitted {not_admitted}, "
                                  "average total {average}").format(
                **{key: "—" if entry.get(key) is None else entry.get(key)
                   for key in ("stream", "seated", "present", "identified", "scored", "absent", "annulled",
                               "not_admitted")},
                average="—" if average is None else f"{average:.2f}"))  # fmt: skip
    return Output("\n".join(lines), [asdict(day) for day in days])


def _configure_lookup_file(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", required=True, action=OutputFile, metavar="FILE", help=_("the file to write"))
    parser.add_argument("--site", default=None, help=_("only this site's results"))
    parser.add_argument("--stream", default=None, type=int, help=_("only this stream's results (with --site)"))
    parser.add_argument("--all", action="store_true", help=_("every site's results"))
    parser.add_argument("--workers", type=int, default=None, help=_("processes deriving keys (default: every core)"))
    # Tests only: ITERATIONS:MEMORY_KIB of Argon2id. A lower cost makes guessing cheaper (docs/packages.md).
    parser.add_argument("--kdf-cost", default=None, help=argparse.SUPPRESS)
    add_db_option(parser)


def _cmd_lookup_file(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.results_lookup import DEFAULT_COST, build_lookup_file, entries_from_results

    if args.all == (args.site is not None) or (args.stream is not None and args.site is None):
        raise Refused(_("Name the results to put in the file: --site S [--stream N], or --all."))
    cost = _cost(args.kdf_cost) if args.kdf_cost else DEFAULT_COST
    with nct_transaction(context, args.db) as session:  # read, then derive outside any transaction (minutes)
        entries, without = entries_from_results(session, args.site, args.stream)
    if not entries:
        raise Refused(_("No imported results to put in the look-up file."))
    started = time.monotonic()
    built = build_lookup_file(entries, cost, workers=args.workers, created=date.today().isoformat())
    seconds = time.monotonic() - started
    scope = "all" if args.all else f"{args.site} {args.stream if args.stream is not None else 'all'}"
    with nct_transaction(context, args.db) as session:  # no audit entry unless the file was written
        atomic_write_bytes(args.out, built.data)
        audit(context, session, "nct.results.lookup-file", scope, records=built.records, without_iin=without,
              iterations=cost.iterations, memory_kib=cost.memory_kib)
    lines = [_("{count} results written to {path} in {seconds} s.").format(
        count=built.records, path=args.out, seconds=f"{seconds:.1f}")]  # fmt: skip
    if without:
        lines.append(_("{count} results without an ИИН were left out: nobody could open them.").format(count=without))
    data: dict[str, Any] = {"path": str(args.out), "records": built.records, "without_iin": without,
                            "seconds": round(seconds, 3)}
    return Output("\n".join(lines), data)


def _cost(text: str) -> KdfCost:
    from nct_hub.results_lookup import KdfCost

    try:
        iterations, memory = (int(part) for part in text.split(":"))
    except ValueError:
        message = _("The key derivation's cost {cost} is not one this program accepts.")
        raise Refused(message.format(cost=text)) from None
    return KdfCost(iterations, memory).check()


def _configure_lookup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--file", required=True, action=InputFile, metavar="FILE", help=_("the results look-up file"))
    parser.add_argument("--ikt", required=True, help=_("the applicant's ИКТ"))
    add_secret_option(parser, APPLICANT_IIN)


def _cmd_lookup(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.results_lookup import lookup, result_text

    iin = read_secret(args, APPLICANT_IIN)
    result = lookup(args.file.read_bytes(), args.ikt, iin)
    if result is None:
        return Output(_("No result for this ИКТ and ИИН."), None, exit_code=1)
    return Output(result_text(result), result)
