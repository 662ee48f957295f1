"""``ent-nct certificates show``: the certificate numbers the sites' АРМ «Сертификат» sent (п. 217;
:mod:`nct_hub.certificate_numbers`)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _
from nct_hub.db.engine import add_db_option
from nct_hub.db.session import nct_transaction


def register(cli: CommandLine) -> None:
    cli.add("certificates show", N_("The certificate numbers and spoiled blanks the sites sent (п. 217)"),
            _cmd_show, _configure_show)


def _configure_show(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", default=None, help=_("site code"))
    parser.add_argument("--stream", default=None, type=int, help=_("stream number"))
    add_db_option(parser)


def _cmd_show(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.certificate_numbers import certificates, spoiled_blanks

    with nct_transaction(context, args.db) as session:
        listed = certificates(session, args.site, args.stream)
        spoiled = [{"site_code": row.site_code, "stream": row.stream, "series": row.series, "number": row.number,
                    "reason": row.reason, "ikt": row.ikt} for row in spoiled_blanks(session, args.site, args.stream)]
    data = {"certificates": [asdict(item) for item in listed], "spoiled": spoiled}
    if not listed and not spoiled:
        return Output(_("No certificate numbers are received yet."), data)
    lines = [_("{count} certificate(s), {spoiled} spoiled blank(s):").format(count=len(listed),
                                                                                spoiled=len(spoiled))]
    lines += [f"{item.site_code}  {item.stream}  {item.ikt}  {item.series} {item.number}  {item.issued_on}"
              for item in listed]
    lines += [_("{site}  {stream}  spoiled {blank}: {reason}").format(
        site=row["site_code"], stream=row["stream"], blank=f"{row['series']} {row['number']}", reason=row["reason"])
        for row in spoiled]
    return Output("\n".join(lines), data)
