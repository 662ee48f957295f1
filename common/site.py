"""The site a workstation is enrolled at, and the НЦТ directories it holds (Qt-free)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.db.models import Site
from common.db.workstation_info import get_identity
from common.directories import Directories, load_directories_payload
from common.errors import Refused
from common.i18n import _

DIRECTORIES_KIND = "directories"


def current_site(session: Session) -> Site:
    """The site this workstation is enrolled at; ``Refused`` before enrolment."""
    identity = get_identity(session)
    if identity is None or identity.site_code is None:
        raise Refused(_("This workstation is not enrolled yet: enrol it with its package from NTC first."))
    site = session.scalar(select(Site).where(Site.code == identity.site_code))
    if site is None:
        raise Refused(
            _("The enrolled site {code} has no record in this database; enrol again.").format(
                code=identity.site_code
            )
        )
    return site


def site_directories(session: Session) -> Directories | None:
    """The newest directories this workstation holds, or None before any arrived.

    They arrive with the enrolment package or in a later "directories" package; the enrolment's
    copy is kept as a "directories" payload too.
    """
    payload = _newest_directories_payload(session)
    return load_directories_payload(payload) if payload is not None else None


def _newest_directories_payload(session: Session) -> dict[str, Any] | None:
    from common.exchange.store import latest_payload

    stored = latest_payload(session, DIRECTORIES_KIND)
    return stored.payload if stored is not None and isinstance(stored.payload, dict) else None


@dataclass(frozen=True)
class EnrolmentState:
    """What the enrolment page shows: the site, and the directories that came from НЦТ."""

    site_code: str
    name_kk: str
    name_ru: str
    region_code: str
    directory_version: int | None
    directory_schools: int


def enrolment_state(session: Session) -> EnrolmentState | None:
    """The enrolled site and directories; None before enrolment."""
    identity = get_identity(session)
    if identity is None or identity.site_code is None:
        return None
    site = current_site(session)
    directories = site_directories(session)
    return EnrolmentState(
        site_code=site.code,
        name_kk=site.name_kk,
        name_ru=site.name_ru,
        region_code=site.region_code,
        directory_version=directories.version if directories else None,
        directory_schools=len(directories.schools) if directories else 0,
    )
