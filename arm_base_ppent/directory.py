"""НЦТ's directory of schools and colleges, as the site database takes schools from it (п. 83).

The directories arrive with the enrolment package or in a later "directories" package
(``ent-base-ppent package open FILE``); the newest one this workstation has taken is used. A school
taken from it brings its code, names, БИН, kind, city/village status and language; the expert
completes the other fields of п. 84.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session

from arm_base_ppent.schools import SchoolRecord, list_schools, save_schools
from common.directories import School
from common.errors import Refused
from common.i18n import _
from common.site import current_site, site_directories


def directory_schools(
    session: Session, *, region_code: str | None = None, district_code: str | None = None
) -> list[School]:
    """Schools of the directory, by default those of the site's region."""
    directories = site_directories(session)
    if directories is None:
        return []
    region = region_code if region_code is not None else current_site(session).region_code
    if not region:
        return list(directories.schools)
    return list(directories.schools_of(region, district_code))


def add_from_directory(
    session: Session, keys: Iterable[tuple[str, str, str]], stream: int | None = None
) -> list[SchoolRecord]:
    """Add the directory's schools with ``keys`` (region, district, code); all or none."""
    directories = site_directories(session)
    if directories is None:
        raise Refused(
            _("No directories from NTC on this workstation yet: take the directories package first.")
        )
    records = []
    for region, district, code in keys:
        school = directories.school(region, district, code)
        if school is None:
            raise Refused(
                _("School {code} of district {district} is not in NTC's directory.").format(
                    code=code, district=district
                )
            )
        records.append(record_from_directory(school, stream))
    known = {record.bin for record in list_schools(session)}
    for record in records:
        if record.bin in known:
            raise Refused(_("The school with БИН {bin} is already in the database.").format(bin=record.bin))
    return save_schools(session, records)


def record_from_directory(school: School, stream: int | None = None) -> SchoolRecord:
    return SchoolRecord(
        code=school.code,
        name_kk=school.name_kk,
        name_ru=school.name_ru,
        bin=school.bin,
        region_code=school.region_code,
        district_code=school.district_code,
        language_status=school.language if school.language in ("kk", "ru", "mixed") else "",
        settlement=school.settlement,
        school_kind=school.kind,
        address=", ".join(part for part in (school.locality_ru,) if part),
        stream=stream,
    )
