"""``ent-nct`` commands for the certificate's QR: the public certificate root, and verifying a QR offline."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Final

from common.cli import CommandContext, CommandLine, Output
from common.errors import Refused
from common.i18n import N_, _
from common.paths import InputFile, OutputFile
from nct_hub.commands_sites import audit, password_option
from nct_hub.db.engine import add_db_option
from nct_hub.db.session import nct_transaction

CERTIFICATE_ROOT_FILE: Final = "certificate-root.pem"


def register(cli: CommandLine) -> None:
    cli.add("verify-certificate", N_("Verify a certificate's QR (a scan, a photograph or its text) offline"),
            _cmd_verify, _configure_verify)
    cli.add("certificate-key issue",
            N_("Issue a site's certificate workstation its QR signing key (a file and its password)"),
            _cmd_key_issue, _configure_key_issue)
    cli.add("certificate-root export", N_("Write НЦТ's public certificate root (what verifies certificates' QR)"),
            _cmd_root_export, _configure_root_export)


def _configure_verify(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="IMAGE|PAYLOAD", help=_("a scan or photograph of the QR, or its text"))
    parser.add_argument("--root", action=InputFile, default=None, metavar="FILE",
                        help=_("НЦТ's public certificate root (default: the one in the data folder's keys)"))


def _root_file(context: CommandContext, root: Path | None) -> Path:
    if root is not None:
        return root
    from nct_hub.keys import keys_folder

    path = keys_folder(context.data_dir) / CERTIFICATE_ROOT_FILE
    if not path.is_file():
        raise Refused(_("No certificate root at {path}: give one with --root.").format(path=path))
    return path


def _cmd_verify(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.security.certificate_qr import TAG, load_root_public, read_payload, verify

    root = load_root_public(_root_file(context, args.root).read_bytes())
    source: str = args.source
    text = source if source.startswith(TAG) else read_payload(Path(source))
    verified = verify(text, root)
    data = verified.data
    subjects = ", ".join(f"{code}: {points}" for code, points in data.subjects)
    lines = [
        _("Genuine certificate, signed by {issuer} with a key НЦТ endorsed.").format(issuer=verified.issuer),
        _("ИКТ: {ikt}").format(ikt=data.ikt),
        _("Name: {name}").format(name=data.name),
        _("Series and number: {series} {number}").format(series=data.series, number=data.number),
        _("Issued: {date}").format(date=data.issued.isoformat()),
        _("Points per subject line of the certificate (line: points): {subjects}").format(subjects=subjects),
        _("Total: {total}").format(total=data.total),
    ]
    return Output("\n".join(lines), {
        "issuer": verified.issuer, "ikt": data.ikt, "name": data.name, "series": data.series,
        "number": data.number, "issued": data.issued.isoformat(),
        "subjects": [{"code": code, "points": points} for code, points in data.subjects], "total": data.total,
    })


def _configure_root_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", action=OutputFile, default=None, metavar="FILE",
                        help=_("where to write it (default: the data folder's keys)"))
    password_option(parser)


def _cmd_root_export(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.files import atomic_write_bytes
    from common.security.certificate_qr import certificate_root, root_public_pem
    from nct_hub.keys import keys_folder, load_keys, nct_password

    context.require_folder()
    keys = load_keys(context.data_dir, nct_password(args))
    path = args.out if args.out is not None else keys_folder(context.data_dir) / CERTIFICATE_ROOT_FILE
    atomic_write_bytes(path, root_public_pem(certificate_root(keys.root_key)))
    return Output(_("НЦТ's public certificate root: {path}").format(path=path), {"path": str(path)})


def _configure_key_issue(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", required=True, help=_("site code"))
    parser.add_argument("--out", action=OutputFile, required=True, metavar="FILE",
                        help=_("the signing key file to write"))
    password_option(parser)
    add_db_option(parser)


def _cmd_key_issue(context: CommandContext, args: argparse.Namespace) -> Output:
    """The key file is encrypted under a new random password printed once, to go separately (as at enrolment)."""
    from common.exchange.addresses import workstation
    from common.files import atomic_write_bytes
    from common.security.certificate_qr import certificate_root, dump_signing_key, issue_signing_key
    from common.security.codes import generate_code
    from nct_hub.enrolment import site_info
    from nct_hub.keys import load_keys, nct_password

    context.require_folder()
    keys = load_keys(context.data_dir, nct_password(args))
    address = workstation(args.site, "certificate")
    password = generate_code()
    with nct_transaction(context, args.db) as session:
        site_info(session, args.site)
        key = issue_signing_key(certificate_root(keys.root_key), str(address))
        atomic_write_bytes(args.out, dump_signing_key(key, password, keys.root_key))
        audit(context, session, "nct.certificate-key.issue", str(address), file=args.out.name)
    lines = [
        _("Certificate signing key for {address}: {path}").format(address=address, path=args.out),
        _("Its password (give it separately): {password}").format(password=password),
    ]
    return Output("\n".join(lines), {"address": str(address), "path": str(args.out), "password": password})
