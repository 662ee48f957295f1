"""``import FILE`` and ``applicants``: the programmer's certificate file of a stream on АРМ «Сертификат»
(п. 214–215; :mod:`arm_certificate.certificate_file`)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

import arm_certificate.certificate_file  # noqa: F401 - registers the importer of certificate-file packages
from common.cli import CommandContext, CommandLine, Output
from common.exchange.cli_commands import password_option, taking_package_file
from common.i18n import N_, _
from common.paths import InputFile


def register(cli: CommandLine) -> None:
    cli.add("import", N_("Take a stream's certificate file from АРМ «Программиста Министерства» (п. 214)"), _import,
            _configure_import)
    cli.add("applicants", N_("List the applicants of a stream's certificate file"), _applicants,
            _configure_applicants)


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", action=InputFile, help=_("the certificate-file package (.entpkg)"))
    password_option(parser)


def _configure_applicants(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--stream", type=int, required=True, help=_("stream number"))


def _import(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.certificate_file import stream_of_package, take_certificate_file

    with taking_package_file(context, args, take_certificate_file) as (taken, session):
        if not taken.taken:
            return Output(taken.message, {"taken": False, "message": taken.message})
        stream = stream_of_package(session, taken.package_id)
        if stream is None:
            raise AssertionError("the importer kept no stream")
    return Output(taken.message, {"taken": True, "message": taken.message, "stream": stream.number,
                                  "applicants": stream.applicants})


def _applicants(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_certificate.certificate_file import stream_applicants

    context.require_folder()
    with context.transaction() as session:
        stream, applicants = stream_applicants(session, args.stream)
        head = _("Stream {stream}, {date}, site {site}: {count} applicant(s), {numbered} with a certificate "
                 "number.").format(stream=stream.stream_number, date=stream.exam_date.isoformat(),
                                   site=stream.site_code, count=len(applicants),
                                   numbered=sum(1 for item in applicants if item.certificate_number))
        data = {"stream": stream.stream_number, "date": stream.exam_date.isoformat(), "site_code": stream.site_code,
                "applicants": [asdict(item) for item in applicants]}
    lines = [head]
    for item in applicants:
        subjects = ", ".join(f"{subject['code']} {subject['points']}/{subject['max']}" for subject in item.subjects)
        number = " ".join(part for part in (item.certificate_series, item.certificate_number) if part) or "—"
        lines.append(f"{item.ikt}  {item.full_name}  {item.iin or '—'}  {item.school_code}  {item.test_language}  "
                     f"{subjects}  = {item.total}/{item.max_total}  {number}")
    return Output("\n".join(lines), data)
