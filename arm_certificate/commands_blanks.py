"""``packs add``, ``packs list``, ``assign``, ``spoil`` and ``send certificate-numbers``: the typographic blanks
and the certificate numbers of АРМ «Сертификат» (п. 215–217, 222; :mod:`arm_certificate.blanks`)."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date

from common.cli import CommandContext, CommandLine, Output
from common.errors import Refused
from common.exchange.cli_commands import key_password, password_option
from common.i18n import N_, _
from common.security.audit import AuditLog


def register(cli: CommandLine) -> None:
    cli.add("packs add", N_("Record a pack of certificate blanks received from НЦТ: --series S --first N --count C, "
                            "or --barcode TEXT --count C"), _packs_add, _configure_packs_add)
    cli.add("packs list", N_("List the packs of certificate blanks: range, issued, spoiled and clean"), _packs_list)
    cli.add("assign", N_("Give a stream's applicants without a number the next clean blanks, or one applicant one "
                         "named blank (--ikt, --blank)"), _assign, _configure_assign)
    cli.add("spoil", N_("Record a certificate blank as spoiled, with the reason (п. 222)"), _spoil, _configure_spoil)
    cli.add("send certificate-numbers", N_("Send a stream's certificate numbers and the spoiled blanks to НЦТ "
                                           "(п. 217)"), _send, _configure_send)


def _audit(context: CommandContext) -> AuditLog:
    return AuditLog(context.require_folder().audit_log)


def _configure_packs_add(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--series", default=None, help=_("the blanks' series (letters)"))
    parser.add_argument("--first", default=None, help=_("the first blank's number as printed (leading zeros kept)"))
    parser.add_argument("--barcode", default=None, help=_("the first blank's barcode as the reader types it"))
    parser.add_argument("--count", type=int, required=True, help=_("how many blanks the pack holds"))


def _packs_add(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.blanks import add_pack, parse_blank, typed_pack

    if args.barcode is not None:
        if args.series is not None or args.first is not None:
            raise Refused(_("Give either --barcode or --series and --first, not both."))
        series, first, digits = parse_blank(args.barcode)
    else:
        if args.series is None or args.first is None:
            raise Refused(_("Give --series and --first, or --barcode."))
        series, first, digits = typed_pack(args.series, args.first)
    audit = _audit(context)
    with context.transaction() as session:
        line = add_pack(session, series, first, args.count, digits, actor=context.operator, audit=audit)
    return Output(_("Pack {series} {first}–{last} ({count} blank(s)) is recorded.").format(
        series=line.series, first=line.first, last=line.last, count=line.count), asdict(line))


def _packs_list(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.blanks import list_packs

    context.require_folder()
    with context.transaction() as session:
        lines = list_packs(session)
    if not lines:
        return Output(_("No pack of blanks is recorded yet (packs add)."), [])
    text = [_("{series} {first}–{last}: {count} blank(s), {issued} issued, {spoiled} spoiled, {clean} clean").format(
        **asdict(line)) for line in lines]
    return Output("\n".join(text), [asdict(line) for line in lines])


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("not a date (YYYY-MM-DD): {text}").format(text=text)) from None


def _configure_assign(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stream", type=int, required=True, help=_("stream number"))
    parser.add_argument("--ikt", default=None, help=_("one applicant's ИКТ (with --blank)"))
    parser.add_argument("--blank", default=None, help=_("the blank to give that applicant, e.g. \"AA 0012345\""))
    parser.add_argument("--date", type=_day, default=None, help=_("the certificates' date (default: today)"))


def _assign(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.blanks import assign_blank, assign_stream

    if (args.ikt is None) != (args.blank is None):
        raise Refused(_("Give --ikt and --blank together."))
    on = args.date or date.today()
    audit = _audit(context)
    with context.transaction() as session:
        if args.ikt is not None:
            assigned = [assign_blank(session, args.stream, args.ikt, args.blank, on, actor=context.operator,
                                     audit=audit)]
        else:
            assigned = assign_stream(session, args.stream, on, actor=context.operator, audit=audit)
    data = [{**asdict(item), "issued_on": item.issued_on.isoformat()} for item in assigned]
    if not assigned:
        return Output(_("Every applicant of stream {stream} has a certificate number already.").format(
            stream=args.stream), data)
    lines = [_("Stream {stream}: {count} certificate number(s) assigned.").format(stream=args.stream,
                                                                                  count=len(assigned))]
    lines += [f"{item.ikt}  {item.series} {item.number}  {item.issued_on.isoformat()}" for item in assigned]
    return Output("\n".join(lines), data)


def _configure_spoil(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("blank", metavar="BLANK", help=_("the blank, e.g. \"AA 0012345\""))
    parser.add_argument("--reason", required=True,
                        help=_("why the blank is spoiled (no names; at most 300 characters)"))


def _spoil(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.blanks import spoil

    audit = _audit(context)
    with context.transaction() as session:
        spoiled = spoil(session, args.blank, args.reason, actor=context.operator, audit=audit)
    if spoiled.ikt is None:
        text = _("Blank {blank} is recorded as spoiled.").format(blank=spoiled.blank)
    else:
        text = _("Blank {blank} is recorded as spoiled; the applicant with ИКТ {ikt} has no certificate number "
                 "now (assign).").format(blank=spoiled.blank, ikt=spoiled.ikt)
    return Output(text, asdict(spoiled))


def _configure_send(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stream", type=int, required=True, help=_("stream number"))
    password_option(parser)


def _send(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.blanks import send_certificate_numbers

    folder = context.require_folder()
    audit = _audit(context)
    password = key_password(args)
    with context.transaction() as session:
        sent = send_certificate_numbers(session, folder.outbox, args.stream, password=password,
                                        actor=context.operator, audit=audit)
    return Output(_("The certificate numbers of stream {stream} ({count} certificate(s), {spoiled} spoiled "
                    "blank(s)) are sealed for НЦТ: {path}").format(stream=sent.stream, count=sent.certificates,
                                                                    spoiled=sent.spoiled, path=sent.path),
                  asdict(sent))
