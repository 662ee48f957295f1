"""Taking one package file of a known kind, the way a workstation's own "import FILE" command and window do.

``package open`` takes any kind; a stage of a workstation takes the kinds it expects (the site plan, the room
opening, the applicant database, НЦТ's variants …) and refuses another kind with one line pointing to
``package open``. Open, check, accept and import happen in the caller's transaction (all or nothing); a package
taken before is not an error: it is reported as not taken.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from common.errors import Refused
from common.exchange.importers import ImportContext, Importer
from common.i18n import _


@dataclass(frozen=True)
class TakenPackage:
    taken: bool
    """False when this very package was taken before (nothing changed)."""
    message: str
    package_id: str
    kind: str


Taking = Callable[[Session, bytes, str, str, ImportContext], TakenPackage]
"""A stage's taking of a package file: ``(session, data, password, name, context)``, a :func:`take_package` of
the kinds the stage expects."""


def take_package(
    session: Session, data: bytes, password: str, name: str, context: ImportContext,
    importers: Mapping[str, Importer], *, other_kind: str | None = None,
) -> TakenPackage:
    """Open the package file ``name`` (its bytes ``data``) with the workstation's ``password`` and import it with
    the importer of its kind, one of ``importers``, given ``context`` (the taking command's or window's);
    ``other_kind`` (with ``{file}`` and ``{kind}``) is the refusal when it is of another kind."""
    from common.exchange.package import open_package
    from common.exchange.refusals import AlreadyTaken
    from common.exchange.store import accept_package, load_identity, load_trust, workstation_ledger

    me = load_identity(session, password)
    trust = load_trust(session)
    try:
        opened = open_package(data, me, trust, workstation_ledger(session))
    except AlreadyTaken as repeat:
        return TakenPackage(False, repeat.message, "", "")
    kind = opened.manifest.kind
    importer = importers.get(kind)
    if importer is None:
        if other_kind is not None:
            raise Refused(other_kind.format(file=name, kind=kind))
        raise Refused(_("{file} is a package of kind {kind!r}, not {wanted!r}: take it with 'package open'.").format(
            file=name, kind=kind, wanted=next(iter(importers))))
    accept_package(session, opened, trust)
    return TakenPackage(True, importer(session, opened, context), opened.package_id, kind)
