"""A generated, realistic sample of НЦТ's directories, sites and applicants, for the demo and tests.

The regions and districts are real (``sample_reference``); schools, colleges, БИН, sites and
applicants are invented by a seeded generator, so the same seed always gives the same data and
no real school or person appears. ``python -m nct_hub.sample_data`` rewrites the shipped CSV files
in ``nct_hub/data``; the tests check that they are what the generator makes.
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from common import codebook
from common.directories import (
    Citizenship,
    Directories,
    District,
    Nationality,
    Region,
    School,
    build_directories,
)
from common.exchange.manifest import Manifest
from nct_hub import sample_reference as reference

SEED = 2018
SAMPLE_CREATED_AT = "2018-01-15T09:00:00+06:00"

# Schools and colleges per district by its size (1 small … 5 large): city, village.
_CITY_SCHOOLS = {1: 8, 2: 16, 3: 26, 4: 38, 5: 52}
_VILLAGE_SCHOOLS = {1: 9, 2: 15, 3: 22, 4: 30, 5: 38}
_CITY_COLLEGES = {1: 1, 2: 3, 3: 4, 4: 7, 5: 9}


@dataclass
class _Bins:
    """Unique, valid, plausible БИН: registration year and month, legal entity, head office."""

    rng: random.Random
    used: set[str]

    def next(self) -> str:
        while True:
            year = self.rng.choice([*range(95, 100), *range(0, 13)])
            first11 = f"{year:02d}{self.rng.randint(1, 12):02d}40{self.rng.randint(0, 99999):05d}"
            check = codebook.iin_check_digit(first11)
            if check is not None and first11 + str(check) not in self.used:
                self.used.add(first11 + str(check))
                return first11 + str(check)


def generate_directories(seed: int = SEED) -> Directories:
    """The sample directories (version 0: not yet imported by НЦТ)."""
    rng = random.Random(seed)
    bins = _Bins(random.Random(seed + 1), set())
    regions: list[Region] = []
    districts: list[District] = []
    schools: list[School] = []
    for sample in reference.REGIONS:
        regions.append(Region(sample.code, sample.name_kk, sample.name_ru))
        city_numbers: dict[str, int] = {}  # schools are numbered per city, across a city's districts
        college_names: set[str] = set()
        for index, place in enumerate(sample.districts, start=1):
            district_code = codebook.format_code(index, codebook.DISTRICT_DIGITS)
            districts.append(District(sample.code, district_code, place.name_kk, place.name_ru))
            locality = _city_names(sample, place) if place.settlement == "city" else None
            generated = (
                _city_schools(rng, sample, place, locality, city_numbers, college_names)
                if locality is not None
                else _village_schools(rng, sample, place)
            )
            for number, (kind, name_kk, name_ru, town_kk, town_ru, language) in enumerate(generated, 1):
                schools.append(School(
                    sample.code, district_code, codebook.format_code(number, codebook.SCHOOL_DIGITS), kind,
                    name_kk, name_ru, bins.next(), place.settlement, town_kk, town_ru, language,
                ))
    nationalities = [Nationality(*row) for row in reference.NATIONALITIES]
    citizenships = sorted((Citizenship(*row) for row in reference.CITIZENSHIPS), key=lambda entry: entry.code)
    return build_directories(0, SAMPLE_CREATED_AT, {
        "regions": regions, "districts": districts, "schools": schools,
        "nationalities": nationalities, "citizenships": citizenships,
    })


_Generated = tuple[str, str, str, str, str, str]  # kind, name kk, name ru, locality kk, locality ru, language


def _city_names(region: reference.SampleRegion, place: reference.SampleDistrict) -> tuple[str, str]:
    if place.name_kk.endswith(" қаласы"):
        return place.name_kk.removesuffix(" қаласы"), place.name_ru.removeprefix("город ")
    return region.name_kk.removesuffix(" қаласы"), region.name_ru.removeprefix("город ")


def _language(rng: random.Random, region: reference.SampleRegion) -> str:
    if rng.random() < region.kazakh_share:
        return "kk"
    return "ru" if rng.random() < 0.6 else "mixed"


def _city_schools(
    rng: random.Random, region: reference.SampleRegion, place: reference.SampleDistrict,
    city: tuple[str, str], numbers: dict[str, int], college_names: set[str],
) -> Iterator[_Generated]:
    count = max(3, _CITY_SCHOOLS[place.size] + rng.randint(-3, 3))
    if region.name_kk.endswith(" қаласы"):  # a district of Astana, Almaty or Shymkent
        count = count * 2 // 3
    for _index in range(count):
        number = numbers[city[0]] = numbers.get(city[0], 0) + 1
        roll = rng.random()
        if roll < 0.1:
            name_kk, name_ru = f"№{number} гимназия", f"Гимназия №{number}"
        elif roll < 0.15:
            name_kk, name_ru = f"№{number} мектеп-лицей", f"Школа-лицей №{number}"
        elif roll < 0.27:
            namesake_kk, namesake_ru = rng.choice(reference.SCHOOL_NAMESAKES)
            name_kk = f"{namesake_kk} атындағы №{number} жалпы орта білім беретін мектеп"
            name_ru = f"Средняя общеобразовательная школа №{number} имени {namesake_ru}"
        else:
            name_kk = f"№{number} жалпы орта білім беретін мектеп"
            name_ru = f"Средняя общеобразовательная школа №{number}"
        yield "school", name_kk, name_ru, city[0], city[1], _language(rng, region)
    colleges = _CITY_COLLEGES[place.size] + rng.randint(-1, 1)
    for _index in range(max(0, colleges)):
        type_kk, type_ru = rng.choice(reference.COLLEGE_TYPES)
        name_kk, name_ru = f"{city[0]} {type_kk}", f"{type_ru} г. {city[1]}"
        copy = 1
        while name_kk in college_names:
            copy += 1
            name_kk, name_ru = f"{city[0]} №{copy} {type_kk}", f"{type_ru} №{copy} г. {city[1]}"
        college_names.add(name_kk)
        yield "college", name_kk, name_ru, city[0], city[1], "mixed" if rng.random() < 0.7 else "kk"


def _village_schools(
    rng: random.Random, region: reference.SampleRegion, place: reference.SampleDistrict
) -> Iterator[_Generated]:
    pool = list(reference.VILLAGES)
    if region.kazakh_share < 0.6:
        pool += list(reference.RUSSIAN_VILLAGES)
    count = min(len(pool), max(4, _VILLAGE_SCHOOLS[place.size] + rng.randint(-3, 3)))
    for village_kk, village_ru in rng.sample(pool, count):
        if rng.random() < 0.15:
            namesake_kk, namesake_ru = rng.choice(reference.SCHOOL_NAMESAKES)
            name_kk = f"{namesake_kk} атындағы жалпы орта білім беретін мектеп"
            name_ru = f"Средняя общеобразовательная школа имени {namesake_ru}"
        else:
            name_kk = f"{village_kk} жалпы орта білім беретін мектебі"
            name_ru = f"Средняя общеобразовательная школа села {village_ru}"
        yield "school", name_kk, name_ru, village_kk, village_ru, _language(rng, region)
    if place.size >= 3:
        village_kk, village_ru = rng.choice(pool)
        yield ("college", f"{village_kk} аграрлық-техникалық колледжі",
               f"Аграрно-технический колледж с. {village_ru}", village_kk, village_ru, "mixed")


def write_sample_directory(folder: Path, seed: int = SEED) -> list[Path]:
    """Write the five sample CSV files into ``folder``."""
    from nct_hub.directories import write_directory_files

    return write_directory_files(folder, generate_directories(seed))


# --- Sites and applicants (no real person: invented names, valid but random ИИН) ----------------
def sample_site_database(
    directories: Directories, site_code: str, region_code: str, *, streams: int = 3,
    rooms: int = 12, schools: int = 50, seed: int = SEED, first_date: date = date(2018, 6, 20),
) -> dict[str, Any]:
    """A "site-database" payload (docs/packages.md) of a plausible site in ``region_code``."""
    rng = random.Random(f"{seed}-{site_code}")
    region = directories.region(region_code)
    if region is None:
        raise ValueError(f"no region {region_code} in the sample directories")
    candidates = list(directories.schools_of(region_code))
    chosen = rng.sample(candidates, min(schools, len(candidates)))
    room_rows = []
    room_streams = []
    statuses = ("kk", "kk", "ru", "kk", "ru", "en-kk", "kk", "ru", "kk", "en-ru", "kk", "ru", "kk", "ru")
    for number in range(1, rooms + 1):
        desks = rng.choice((15, 20, 25, 30))
        room_number = codebook.format_code(number, codebook.ROOM_DIGITS)
        room_rows.append({"number": room_number, "desks": desks, "seats": desks * codebook.SEATS_PER_DESK,
                          "ventilation": rng.choice(("natural", "supply and exhaust")),
                          "jammers": 1, "cameras": 2})
        for stream in range(1, streams + 1):
            room_streams.append({
                "stream": stream, "room_number": room_number,
                "language": statuses[(number + stream) % len(statuses)],
                "reserve": number > rooms - min(2, rooms // 6), "seats": desks * codebook.SEATS_PER_DESK,
            })
    school_rows = []
    for index, school in enumerate(chosen):
        graduates = rng.randint(8, 90)
        kazakh = graduates if school.language == "kk" else graduates // 2 if school.language == "mixed" else 0
        school_rows.append({
            "bin": school.bin, "name": school.name_kk, "region_code": school.region_code,
            "district_code": school.district_code, "school_code": school.code,
            "language": school.language, "settlement": school.settlement,
            "streams": [index % streams + 1], "expected_applicants": graduates,
            "expected_by_language": {"kk": kazakh, "ru": graduates - kazakh, "en-kk": 0, "en-ru": 0},
            "details": {"address": school.locality_kk, "students_by_grade": {"11": graduates},
                        "foreign_languages": ["en"], "ownership": "state",
                        "distance_km": rng.randint(1, 120)},
        })
    return {
        "format": 1,
        "site": {"code": site_code, "name": f"ППЕНТ {site_code}", "region_code": region_code,
                 "address": region.name_kk, "building": "1", "directory_version": directories.version or None,
                 "facts": {"lodging_places": rng.randint(0, 300), "meal_places": rng.randint(50, 400),
                           "restroom_location": "on every floor", "metal_detector_type": "arch",
                           "metal_detectors": 2, "jammers": rooms, "cameras": rooms * 2}},
        "streams": [{"stream": stream, "date": (first_date + timedelta(days=stream - 1)).isoformat()}
                    for stream in range(1, streams + 1)],
        "rooms": room_rows,
        "room_streams": room_streams,
        "schools": school_rows,
    }


def sample_applicants(
    directories: Directories, count: int, *, region_code: str | None = None, streams: int = 3,
    seed: int = SEED, first_ikt: int = 100_000_001,
) -> dict[str, Any]:
    """An "applicants" payload (docs/packages.md) of ``count`` invented applicants."""
    from nct_hub.applicant_file import APPLICANT_COLUMNS

    rng = random.Random(seed)
    schools = directories.schools_of(region_code) if region_code else directories.schools
    nationalities = [entry.code for entry in directories.nationalities]
    rows: list[list[Any]] = []
    for offset in range(count):
        school = schools[rng.randrange(len(schools))]
        female = rng.random() < 0.52
        born = date(2000, 1, 1) + timedelta(days=rng.randint(0, 730))
        iin = _iin(rng, born, female)
        test_language = "kk" if rng.random() < 0.65 else "ru" if rng.random() < 0.93 else "en"
        surname = rng.choice(reference.SURNAMES)
        surname += "а" if female and surname.endswith(("ов", "ев", "ин")) else ""
        patronymic = rng.choice(reference.PATRONYMIC_STEMS) + ("қызы" if female else "ұлы")
        rows.append([
            f"{first_ikt + offset:0{codebook.IKT_DIGITS}d}", iin, surname,
            rng.choice(reference.FEMALE_NAMES if female else reference.MALE_NAMES), patronymic,
            "F" if female else "M", born.isoformat(), "398" if rng.random() < 0.97 else "643",
            nationalities[0] if rng.random() < 0.7 else rng.choice(nationalities),
            school.region_code, school.district_code, school.code, test_language,
            rng.choice(codebook.HISTORY_LANGUAGES) if test_language == "en" else None,
            "entered" if rng.random() < 0.95 else "changed", rng.randint(1, streams), None,
        ])
    return {"format": 1, "applicants": {"columns": list(APPLICANT_COLUMNS), "rows": rows}}


_SENDER_ROLE = {
    "site-database": "base-ppent", "applicants": "applications", "daily-statistics": "applications",
    "results": "programmer", "appeals": "programmer", "certificate-numbers": "certificate",
}


def sample_manifest(
    kind: str, site_code: str, sequence: int, *, stream: int | None = None, role: str | None = None,
    created_at: datetime | None = None,
) -> Manifest:
    """The manifest of a package of ``kind`` a site's workstation sends НЦТ (for tests and benchmarks
    that import payloads without sealing them)."""
    from common.exchange.addresses import NCT_ADDRESS, workstation

    return Manifest(
        kind=kind, sender=workstation(site_code, role or _SENDER_ROLE.get(kind, "programmer")),
        recipient=NCT_ADDRESS, site_code=site_code, stream=stream, sequence=sequence,
        created_at=created_at or datetime(2018, 6, 1, 9, 0, tzinfo=UTC) + timedelta(minutes=sequence),
        payload_digest="0" * 64,
    )


def _iin(rng: random.Random, born: date, female: bool) -> str:
    century = 5 if born.year >= 2000 else 3
    while True:
        first11 = f"{born:%y%m%d}{century + (1 if female else 0)}{rng.randint(0, 9999):04d}"
        check = codebook.iin_check_digit(first11)
        if check is not None:
            return first11 + str(check)


def main() -> int:
    parser = argparse.ArgumentParser(description="Write the generated sample directory as CSV files.")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("data"))
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    for path in write_sample_directory(args.out, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
