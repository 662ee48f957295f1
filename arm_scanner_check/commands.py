"""The commands of ``ent-scanner-check``: each does what a button of the window does, headless.

``print-set`` (п. 52.4), ``sets``, ``check --from DIR | --scanner NAME`` (п. 52.5), ``checks``, ``report``
(прил. 18), ``send`` (to НЦТ, п. 42.5), ``fitness`` (is a scanner's last check fit?) and
``devices`` (the SANE scanners). A refusal exits 1 with one translated line and writes nothing.
"""

from __future__ import annotations

import argparse

from common.cli import CommandContext, CommandLine, Output, to_json
from common.errors import Refused
from common.exchange.cli_commands import key_password, password_option
from common.i18n import N_, _
from common.paths import InputFile


def register(cli: CommandLine) -> None:
    cli.add("print-set", N_("Print the next control set and its key into printed/ (п. 52.4)"), _print_set,
            _configure_print_set)  # fmt: skip
    cli.add("check", N_("Scan the control set and judge the scanner fit or not fit (п. 52.5)"), _check,
            _configure_check)  # fmt: skip
    cli.add("sets", N_("List the control sets printed, newest last"), _sets)
    cli.add("checks", N_("List the checks made, newest last"), _checks)
    cli.add("report", N_("Print the scanner check report (прил. 18) into printed/"), _report, _configure_report)
    cli.add("send", N_("Seal every check to NTC into outbox/ (п. 42.5)"), _send, _configure_send)
    cli.add("fitness", N_("Say whether a scanner's last check is fit (exit 1 when it is not)"), _fitness,
            _configure_fitness)  # fmt: skip
    cli.add("devices", N_("List the scanners SANE sees"), _devices)


def _configure_print_set(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--spec",
        action=InputFile,
        metavar="FILE",
        help=_("test specification file (default: the one NTC sent, else the shipped one)"),
    )


def _print_set(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_scanner_check.sets import print_set

    folder = context.require_folder()
    with context.transaction() as session:
        printed = print_set(session, folder, actor=context.operator, spec_file=args.spec)
    text = _("Control set {number}: {sheets} sheets printed from the specification {spec} ({source}): {path}; "
             "key: {key}").format(number=printed.number, sheets=printed.sheets, spec=printed.spec_code,
                                  source=printed.spec_source, path=printed.path, key=printed.key_path)  # fmt: skip
    return Output(text, to_json(printed))


def _fault(text: str) -> tuple[str, float]:
    name, separator, value = text.partition("=")
    try:
        if not separator:
            raise ValueError(text)
        return name.strip(), float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("write a fault as name=number, e.g. skew=5")) from None


def _configure_check(parser: argparse.ArgumentParser) -> None:
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="source_dir", metavar="DIR",
                        help=_("take the scans a scanner's software wrote into this folder"))  # fmt: skip
    source.add_argument("--scanner", metavar="NAME",
                        help=_("scan now: a SANE device name, or 'simulated'"))  # fmt: skip
    parser.add_argument("--set", type=int, dest="set_number", help=_("control set number (default: the newest)"))
    parser.add_argument("--model", default="", help=_("the scanner's model, recorded with the check"))
    parser.add_argument("--serial", default="", help=_("the scanner's serial number"))
    parser.add_argument("--dpi", type=int, default=200, help=_("resolution set on the scanner (default 200)"))
    parser.add_argument("--brightness", type=int, default=0, help=_("brightness set on the scanner, −100 to 100"))
    parser.add_argument("--fault", type=_fault, action="append", default=[], metavar="NAME=VALUE",
                        help=_("simulated scanner only: skew=DEG, streak=MM, missing=N, swap=N"))  # fmt: skip


def _check(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_scanner_check.checking import record_check, scan_control_set, verdict_line
    from arm_scanner_check.scanners import ScannerChoice
    from arm_scanner_check.sets import load_set

    folder = context.require_folder()
    if args.source_dir is not None:
        choice = ScannerChoice("folder", args.source_dir, args.model, args.serial, args.dpi, args.brightness,
                               dict(args.fault))  # fmt: skip
    else:
        driver = "simulated" if args.scanner == "simulated" else "sane"
        device = "" if driver == "simulated" else args.scanner
        choice = ScannerChoice(driver, device, args.model, args.serial, args.dpi, args.brightness, dict(args.fault))
    with context.transaction() as session:
        _row, control_set = load_set(session, args.set_number)
    outcome = scan_control_set(control_set, choice)
    with context.transaction() as session:
        set_row, _set = load_set(session, control_set.number)
        stored = record_check(session, folder, set_row, choice, outcome, actor=context.operator)
    lines = [verdict_line(stored)]
    lines += [f"  - {finding}" for finding in stored.findings]
    return Output("\n".join(lines), to_json(stored))


def _sets(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_scanner_check.sets import list_sets, set_line

    with context.transaction() as session:
        sets = list_sets(session)
    if not sets:
        return Output(_("No control set is printed yet: print one first (ent-scanner-check print-set)."), [])
    lines = [set_line(entry) for entry in sets]
    return Output("\n".join(lines), to_json(sets))


def _checks(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_scanner_check.checking import list_checks

    with context.transaction() as session:
        checks = list_checks(session)
    if not checks:
        return Output(_("No scanner has been checked yet."), [])
    lines = []
    for check in checks:
        verdict = _("fit") if check.fit else _("not fit")
        lines.append(f"{check.id}  {check.checked_at.astimezone():%Y-%m-%d %H:%M}  "
                     f"{check.scanner_model} {check.scanner_serial}  {verdict}")  # fmt: skip
        lines += [f"    - {finding}" for finding in check.findings]
    return Output("\n".join(lines), to_json(checks))


def _configure_report(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--check", type=int, dest="check_id", help=_("check number (default: the newest)"))
    parser.add_argument(
        "--language",
        choices=["kk", "ru", "both"],
        help=_("kk or ru, or both (default: the language of the messages when it is kk or ru)"),
    )


def _report(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_scanner_check.reporting import FORM_LANGUAGES, default_form_language, print_report

    folder = context.require_folder()
    language = args.language or default_form_language()
    languages = list(FORM_LANGUAGES) if language == "both" else [language]
    with context.transaction() as session:
        printed = [print_report(session, folder, lang, actor=context.operator, check_id=args.check_id)
                   for lang in languages]  # fmt: skip
    lines = [_("Printed {pages} page(s): {path}").format(pages=item.pages, path=item.path) for item in printed]
    return Output("\n".join(lines), to_json(printed))


def _configure_send(parser: argparse.ArgumentParser) -> None:
    password_option(parser)


def _send(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_scanner_check.sending import send_checks

    folder = context.require_folder()
    password = key_password(args)
    with context.transaction() as session:
        sent = send_checks(session, folder, password=password, actor=context.operator)
    text = _("The scanner checks are sealed for NTC: {path} ({checks} check(s), {reports} report(s), "
             "package {sequence}).").format(path=sent.path, checks=sent.checks, reports=sent.reports,
                                            sequence=sent.sequence)  # fmt: skip
    return Output(text, to_json(sent))


def _configure_fitness(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--model", required=True, help=_("the scanner's model, as recorded with its checks"))
    parser.add_argument("--serial", default="", help=_("the scanner's serial number"))


def _fitness(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_scanner_check.fitness import require_fit

    with context.transaction() as session:
        check = require_fit(session, args.model, args.serial)
    scanner = f"{args.model} {args.serial}".strip()
    date = f"{check.checked_at.astimezone():%d.%m.%Y}"
    text = _("The scanner {scanner} is fit: check {number} of {date}.").format(
        scanner=scanner, number=check.id, date=date
    )
    return Output(text, to_json(check))


def _devices(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.scanning.sane_driver import list_devices

    try:
        devices = list_devices()
    except Refused:
        raise
    except Exception as error:  # SANE missing or failing: one line
        raise Refused(_("SANE cannot list the scanners: {reason}").format(reason=error)) from error
    if not devices:
        return Output(_("SANE sees no scanner."), [])
    return Output("\n".join(f"{device.name}  {device.vendor} {device.model}" for device in devices), to_json(devices))
