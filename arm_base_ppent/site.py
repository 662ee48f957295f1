"""The test site this workstation is enrolled at, and «Сведения о ППЕНТ» (п. 86)."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.db.models import Site
from common.errors import Refused
from common.i18n import _
from common.site import current_site

__all__ = ["SiteFacts", "SiteInfo", "current_site", "ensure_site", "facts_problems", "site_info",
           "update_site_facts"]


@dataclass(frozen=True)
class SiteFacts:
    """The facts of п. 86, and the building all rooms are in (п. 80.1)."""

    building: str = ""
    lodging_places: int = 0
    meal_places: int = 0
    restroom_location: str = ""
    metal_detector_type: str = ""
    metal_detector_count: int = 0
    jammers_count: int = 0
    cameras_count: int = 0


@dataclass(frozen=True)
class SiteInfo:
    code: str
    name_kk: str
    name_ru: str
    region_code: str
    facts: SiteFacts

    def name(self, language: str) -> str:
        return self.name_kk if language == "kk" else self.name_ru

    def caption(self, language: str) -> str:
        """How the site is named on paper: «017 — Name»."""
        return f"{self.code} — {self.name(language)}"


COUNT_FIELDS = ("lodging_places", "meal_places", "metal_detector_count", "jammers_count", "cameras_count")


def ensure_site(session: Session, code: str, name_kk: str, name_ru: str, region_code: str) -> Site:
    """The ``Site`` row of ``code``, created from the enrolment's details when it is missing."""
    site = session.scalar(select(Site).where(Site.code == code))
    if site is None:
        site = Site(code=code, name_kk=name_kk, name_ru=name_ru, region_code=region_code)
        session.add(site)
        session.flush()
    return site


def site_info(session: Session) -> SiteInfo:
    site = current_site(session)
    return _info(site)


def facts_problems(facts: SiteFacts) -> list[str]:
    """What is wrong with ``facts`` as typed; empty when they can be saved."""
    problems = []
    for name in COUNT_FIELDS:
        if getattr(facts, name) < 0:
            problems.append(_("Counts of places, detectors, jammers and cameras cannot be negative."))
            break
    if facts.metal_detector_count > 0 and not facts.metal_detector_type.strip():
        problems.append(_("Name the type of the metal detectors (п. 86)."))
    return problems


def update_site_facts(session: Session, facts: SiteFacts) -> SiteInfo:
    """Save the facts of п. 86; ``Refused`` with the first problem of :func:`facts_problems`."""
    problems = facts_problems(facts)
    if problems:
        raise Refused(problems[0])
    site = current_site(session)
    clean = replace(
        facts,
        building=facts.building.strip(),
        restroom_location=facts.restroom_location.strip(),
        metal_detector_type=facts.metal_detector_type.strip(),
    )
    site.address = clean.building
    for field in fields(SiteFacts):
        if field.name != "building":
            value = getattr(clean, field.name)
            setattr(site, field.name, value if value != "" or field.name in COUNT_FIELDS else None)
    session.flush()
    return _info(site)


def _info(site: Site) -> SiteInfo:
    return SiteInfo(
        code=site.code,
        name_kk=site.name_kk,
        name_ru=site.name_ru,
        region_code=site.region_code,
        facts=SiteFacts(
            building=site.address or "",
            lodging_places=site.lodging_places or 0,
            meal_places=site.meal_places or 0,
            restroom_location=site.restroom_location or "",
            metal_detector_type=site.metal_detector_type or "",
            metal_detector_count=site.metal_detector_count or 0,
            jammers_count=site.jammers_count or 0,
            cameras_count=site.cameras_count or 0,
        ),
    )
