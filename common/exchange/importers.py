"""What taking a package does with its payload, per kind.

A workstation module that understands a kind registers an importer — for its own role when other
roles receive the same kind with another use (НЦТ's test specification: the programmer files it per
stream, the scanner check keeps it whole for its control sets); a kind nobody registered is kept whole
(:func:`common.exchange.store.keep_payload`) for the module that will read it later.
An importer runs in the transaction that records the package, after :func:`accept_package`, and
returns one translated line for the operator. It is given the :class:`ImportContext` of the command or window
that takes the package: the workstation's audit log and the operator (an importer that audits
writes to that log, never one it looks for beside the database).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from common.exchange import kinds
from common.exchange.dictated import import_verifiers_package
from common.exchange.package import OpenedPackage
from common.exchange.store import keep_payload, load_trust, remember_peer
from common.i18n import _
from common.security.audit import AuditLog
from common.security.keys import load_certificate_pem


@dataclass(frozen=True)
class ImportContext:
    """What the command or window taking a package gives its importer."""

    audit_log: AuditLog
    """The workstation's audit log, the one the commands record in (the data folder's)."""
    operator: str
    """Who takes the package (``--operator``, ``ENT_OPERATOR`` or the system user; the window's operator)."""


Importer = Callable[[Session, OpenedPackage, ImportContext], str]

_IMPORTERS: dict[tuple[str, str | None], Importer] = {}


def register_importer(kind: str, importer: Importer, *, role: str | None = None) -> None:
    """Make ``importer`` handle packages of ``kind`` (a registered kind) from now on — on the workstations of
    ``role`` only, or on every one when ``role`` is None."""
    kinds.lookup_kind(kind)
    _IMPORTERS[(kind, role)] = importer


def importer_for(kind: str, role: str) -> Importer:
    """The importer for ``kind`` on a workstation of ``role``: its own, else the common one, else keep whole."""
    return _IMPORTERS.get((kind, role)) or _IMPORTERS.get((kind, None), keep_whole)


def keep_whole(session: Session, opened: OpenedPackage, context: ImportContext) -> str:
    keep_payload(session, opened)
    return _("Kept for later use: {kind}.").format(kind=_(kinds.lookup_kind(opened.manifest.kind).title))


def import_certificates(session: Session, opened: OpenedPackage, context: ImportContext) -> str:
    """ "certificates" from НЦТ: the site's workstations one can send packages to."""
    trust = load_trust(session)
    addresses = [
        remember_peer(session, trust, load_certificate_pem(pem)) for pem in opened.payload["certificates"]
    ]
    return _("{count} certificate(s) of other workstations kept.").format(count=len(addresses))


register_importer(kinds.PASSWORD_VERIFIERS.name, import_verifiers_package)
register_importer(kinds.CERTIFICATES.name, import_certificates)
