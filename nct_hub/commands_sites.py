"""``ent-nct`` commands for keys, sites, enrolment and sending packages.

НЦТ's audit log lives in its folder (``ent-nct init``); its chain head lives in НЦТ's database (SQLite
there, or PostgreSQL with ``--db``), so each command records its entry in the transaction of its data
(:mod:`nct_hub.audit`).
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.cli import CommandContext, CommandLine, Output
from common.errors import Refused
from common.exchange.addresses import WORKSTATION_ROLES, Address
from common.files import read_input_file
from common.i18n import N_, _
from common.paths import InputFile, OutputFile, OutputFolder
from common.secrets import NCT_PASSWORD, add_secret_option
from nct_hub.db.engine import add_db_option
from nct_hub.db.session import nct_transaction
from nct_hub.db.site_models import Site


def register(cli: CommandLine) -> None:
    cli.add("keys init", N_("Make НЦТ's root and exchange keys (once)"), _cmd_keys_init, _configure_password)
    cli.add("site create", N_("Register a test site"), _cmd_site_create, _configure_site_create)
    cli.add("site list", N_("List the registered sites"), _cmd_site_list, add_db_option)
    cli.add("enrolment make", N_("Make one workstation's enrolment package and its password sheet"),
            _cmd_enrolment_make, _configure_enrolment_make)
    cli.add("package send", N_("Seal a JSON payload into a package for an enrolled workstation"),
            _cmd_package_send, _configure_package_send)
    cli.add("site certificates", N_("Send a workstation the certificates of its site's other workstations"),
            _cmd_site_certificates, _configure_site_certificates)


def audit(context: CommandContext, session: Session, action: str, target: str | None, **details: Any) -> None:
    """Record ``action`` in НЦТ's audit log, in ``session``'s transaction (the one that writes the data)."""
    from nct_hub.audit import record

    record(context, session, action, target, **details)


def password_option(parser: argparse.ArgumentParser) -> None:
    add_secret_option(parser, NCT_PASSWORD)


def _configure_password(parser: argparse.ArgumentParser) -> None:
    password_option(parser)
    add_db_option(parser)


def _cmd_keys_init(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.security.keys import fingerprint
    from nct_hub.audit import audit_transaction
    from nct_hub.keys import ROOT_CERTIFICATE_FILE, init_keys, keys_folder, nct_password

    context.require_folder()
    password = nct_password(args, confirm=True)
    with audit_transaction(context, args.db) as audited:  # keys are files: no НЦТ data to go with
        keys = init_keys(context.data_dir, password)
        printed = fingerprint(keys.root)
        audited.record("nct.keys.init", "root", fingerprint=printed)
    root_path = keys_folder(context.data_dir) / ROOT_CERTIFICATE_FILE
    text = _("НЦТ's keys made. Root certificate: {path}\nRoot fingerprint: {fingerprint}").format(
        path=root_path, fingerprint=printed)
    return Output(text, {"root_certificate": str(root_path), "fingerprint": printed})


def _configure_site_create(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--code", required=True, help=_("site code"))
    parser.add_argument("--name-kk", required=True, help=_("name in Kazakh"))
    parser.add_argument("--name-ru", required=True, help=_("name in Russian"))
    parser.add_argument("--region", required=True, help=_("region code"))
    parser.add_argument("--building", default="", help=_("the building the rooms are in (п. 80.1)"))
    add_db_option(parser)


def _cmd_site_create(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.enrolment import create_site

    with nct_transaction(context, args.db) as session:
        site = create_site(session, code=args.code, name_kk=args.name_kk, name_ru=args.name_ru,
                           region_code=args.region, building=args.building, actor=context.operator)
        data = {"code": site.code, "name_kk": site.name_kk, "name_ru": site.name_ru,
                "region_code": site.region_code, "building": site.building}
        audit(context, session, "nct.site.create", data["code"], region=data["region_code"])
    return Output(_("Site {code} created: {name}.").format(code=data["code"], name=data["name_ru"]), data)


def _cmd_site_list(context: CommandContext, args: argparse.Namespace) -> Output:
    with nct_transaction(context, args.db) as session:
        rows = session.scalars(select(Site).order_by(Site.code))
        sites = [(site.code, site.name_kk, site.name_ru, site.region_code) for site in rows]
    if not sites:
        return Output(_("No sites yet."), {"sites": []})
    lines = [f"{code}  {region:>2}  {name_ru} / {name_kk}" for code, name_kk, name_ru, region in sites]
    data = [{"code": code, "name_kk": kk, "name_ru": ru, "region_code": region} for code, kk, ru, region in sites]
    return Output("\n".join(lines), {"sites": data})


def _configure_enrolment_make(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", required=True, help=_("site code"))
    parser.add_argument("--role", required=True, choices=WORKSTATION_ROLES, help=_("workstation"))
    parser.add_argument("--out", required=True, action=OutputFile, metavar="FILE",
                        help=_("the enrolment package to write"))
    parser.add_argument("--sheet", action=OutputFile, metavar="FILE.pdf",
                        help=_("the password sheet (default: beside the package, .pdf)"))
    password_option(parser)
    add_db_option(parser)


def _directories(session: Any) -> dict[str, Any] | None:
    from nct_hub.directories import directories_payload

    try:
        return directories_payload(session)
    except Refused:
        return None  # no directories yet: they follow later in a "directories" package


def _cmd_enrolment_make(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.enrolment import make_enrolment
    from nct_hub.keys import load_keys, nct_password

    context.require_folder()
    keys = load_keys(context.data_dir, nct_password(args))
    with nct_transaction(context, args.db) as session:
        made = make_enrolment(session, keys, site_code=args.site, role=args.role, out=args.out, sheet=args.sheet,
                              actor=context.operator, directories=_directories(session))
        audit(context, session, "nct.enrolment.make", str(made.address), package=made.package.name,
              certificate=made.certificate_fingerprint)
    text = "\n".join([
        _("Enrolment package for {address}: {path}").format(address=made.address, path=made.package),
        _("Password sheet (print it, hand it over to: {holder}; then delete the file): {path}").format(
            holder=_(made.holder), path=made.sheet),
        _("Root fingerprint: {fingerprint}").format(fingerprint=made.root_fingerprint),
    ])
    return Output(text, {"address": str(made.address), "package": str(made.package), "sheet": str(made.sheet),
                         "holder": made.holder, "root_fingerprint": made.root_fingerprint})


def _configure_package_send(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--kind", required=True, help=_("kind of package"))
    parser.add_argument("--to", required=True, metavar="SITE/ROLE", help=_("the workstation"))
    parser.add_argument("--stream", type=int, default=None, help=_("stream number, if the package has one"))
    parser.add_argument("--payload", required=True, action=InputFile, metavar="FILE", help=_("JSON payload file"))
    parser.add_argument("--attach", action=InputFile, nargs="*", default=[], metavar="FILE", help=_("files to attach"))
    parser.add_argument("--out", required=True, action=OutputFolder, metavar="DIR", help=_("folder for the package"))
    password_option(parser)
    add_db_option(parser)


def _cmd_package_send(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.keys import load_nct_identity, nct_password
    from nct_hub.sending import send_from_nct

    try:
        recipient = Address.parse(args.to)
        payload = json.loads(read_input_file(args.payload))
        attachments = {path.name: read_input_file(path) for path in args.attach}
    except (OSError, ValueError) as error:
        raise Refused(_("Bad recipient, payload or attachment: {reason}").format(reason=error)) from error
    if not isinstance(payload, dict):
        raise Refused(_("The payload file must hold a JSON object."))
    context.require_folder()
    nct = load_nct_identity(context.data_dir, nct_password(args))
    with nct_transaction(context, args.db) as session:
        sent = send_from_nct(session, nct=nct, recipient=recipient, kind=args.kind, payload=payload,
                             out_dir=args.out, actor=context.operator, stream=args.stream, attachments=attachments)
        audit(context, session, "package.send", sent.path.name, kind=sent.kind, recipient=str(sent.recipient),
              stream=sent.stream, sequence=sent.sequence)
    text = _("Sealed {kind} number {number} for {recipient}: {path}").format(
        kind=sent.kind, number=sent.sequence, recipient=sent.recipient, path=sent.path)
    return Output(text, {"path": str(sent.path), "kind": sent.kind, "recipient": str(sent.recipient),
                         "sequence": sent.sequence, "stream": sent.stream})


def _configure_site_certificates(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", required=True, help=_("site code"))
    parser.add_argument("--role", required=True, choices=WORKSTATION_ROLES, help=_("the receiving workstation"))
    parser.add_argument("--out", required=True, action=OutputFolder, metavar="DIR", help=_("folder for the package"))
    password_option(parser)
    add_db_option(parser)


def _cmd_site_certificates(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.exchange import kinds
    from common.exchange.addresses import workstation
    from common.security.keys import certificate_pem
    from nct_hub.enrolment import current_certificates
    from nct_hub.keys import load_nct_identity, nct_password
    from nct_hub.sending import send_from_nct

    context.require_folder()
    nct = load_nct_identity(context.data_dir, nct_password(args))
    recipient = workstation(args.site, args.role)
    with nct_transaction(context, args.db) as session:
        others = {role: cert for role, cert in current_certificates(session, recipient.site_code or "").items()
                  if role != args.role}
        sent = send_from_nct(session, nct=nct, recipient=recipient, kind=kinds.CERTIFICATES.name,
                             payload={"certificates": [certificate_pem(cert) for cert in others.values()]},
                             out_dir=args.out, actor=context.operator)
        audit(context, session, "package.send", sent.path.name, kind=sent.kind, recipient=str(recipient),
              sequence=sent.sequence)
    text = _("Certificates of {count} workstation(s) sealed for {recipient}: {path}").format(
        count=len(others), recipient=recipient, path=sent.path)
    return Output(text, {"path": str(sent.path), "roles": sorted(others)})
