"""прил. 28: «Отчет формирования базы данных «База ППЕНТ»» (п. 87–88).

Printed when the database is complete; the original goes to НЦТ, a copy stays at the site, and
the site head signs it, being personally responsible for its content (п. 88). The instruction
does not give the layout; it holds what the database holds (п. 79–86): the site's facts, the room
fund per stream, the schools by language and city/village, and the schedule with the expected
applicants per stream against the seats.
"""

from __future__ import annotations

from collections import Counter

from arm_base_ppent.snapshot import SiteSnapshot
from arm_base_ppent.vocabulary import ROOM_LANGUAGE, ROOM_LANGUAGE_SHORT, SCHOOL_LANGUAGE, VENTILATION, label
from common.codebook import ROOM_LANGUAGE_STATUSES
from common.i18n import N_, tr
from common.reports import BuiltForm, Column, FormDocument, FormHeader, Signature

FORM_KEY = "app28"
TITLE = N_("Report on building the database «Site database»")


def build_app28(snapshot: SiteSnapshot, language: str) -> BuiltForm:
    site = snapshot.site
    document = FormDocument(
        FormHeader(title=document_title(language), appendix="28", site=site.caption(language)),
        language,
        footer_note="ent-base-ppent",
    )
    _site_facts(document, snapshot)
    _room_fund(document, snapshot)
    _schools(document, snapshot)
    _schedule(document, snapshot)
    note = tr(
        language,
        "The site head is personally responsible for the content of the data entered into "
        "the database «Site database» (п. 88).",
    )
    document.signatures(
        [Signature(tr(language, "Head of the test site")), Signature(tr(language, "Site expert"))], note=note
    )
    return document.build()


def document_title(language: str) -> str:
    return tr(language, TITLE)


def _site_facts(document: FormDocument, snapshot: SiteSnapshot) -> None:
    language, site, facts = document.language, snapshot.site, snapshot.site.facts
    document.heading(tr(language, "1. Site facts (п. 86)"))
    used_rooms = {
        room.number for stream in snapshot.streams for room, _reserve, _status in snapshot.rooms_in(stream.number)
    }
    document.key_values(
        [
            (tr(language, "Site code"), site.code),
            (tr(language, "Site name"), site.name(document.language)),
            (tr(language, "Region code"), site.region_code),
            (tr(language, "Building (all rooms, п. 80.1)"), facts.building),
            (tr(language, "Lodging places"), facts.lodging_places),
            (tr(language, "Meal places"), facts.meal_places),
            (tr(language, "Restroom location"), facts.restroom_location),
            (
                tr(language, "Metal detectors: type and number"),
                f"{facts.metal_detector_type}, {facts.metal_detector_count}"
                if facts.metal_detector_type
                else facts.metal_detector_count,
            ),
            (tr(language, "Cell-signal jammers"), facts.jammers_count),
            (tr(language, "Video cameras"), facts.cameras_count),
            (tr(language, "Rooms in the room fund / used in streams"), f"{len(snapshot.rooms)} / {len(used_rooms)}"),
            (tr(language, "Streams in the schedule"), len(snapshot.streams)),
            (tr(language, "Schools and colleges"), len(snapshot.schools)),
        ]
    )


def _room_fund(document: FormDocument, snapshot: SiteSnapshot) -> None:
    language = document.language
    document.heading(tr(language, "2. Room fund per stream (п. 80–82)"))
    columns = [
        Column(tr(language, "Room"), 0.8, "center", wrap=False),
        Column(tr(language, "Language status"), 3.4),
        Column(tr(language, "Desks"), 0.9, "right", wrap=False),
        Column(tr(language, "Seats"), 0.9, "right", wrap=False),
        Column(tr(language, "Reserve"), 1.0, "center"),
        Column(tr(language, "Ventilation"), 1.8),
        Column(tr(language, "Jammers"), 1.1, "right", wrap=False),
        Column(tr(language, "Cameras"), 1.1, "right", wrap=False),
    ]
    if not snapshot.streams:
        document.paragraph(tr(language, "No streams in the schedule yet."))
    for stream in snapshot.streams:
        used = snapshot.rooms_in(stream.number)
        regular = [room for room, reserve, _status in used if not reserve]
        reserve_rooms = [room for room, reserve, _status in used if reserve]
        document.subheading(
            tr(
                language,
                "Stream {stream}, {date}: {rooms} room(s) with {seats} seats; reserve: {reserve} room(s) with "
                "{reserve_seats} seats",
            ).format(
                stream=stream.number,
                date=stream.exam_date.strftime("%d.%m.%Y"),
                rooms=len(regular),
                seats=sum(room.seats for room in regular),
                reserve=len(reserve_rooms),
                reserve_seats=sum(room.seats for room in reserve_rooms),
            )
        )
        if not used:
            document.paragraph(tr(language, "No rooms are used in this stream yet."), size=9)
            continue
        rows = [
            [
                room.number,
                label(ROOM_LANGUAGE, status, language),
                room.desks,
                room.seats,
                tr(language, "reserve") if reserve else "",
                label(VENTILATION, room.ventilation, language),
                room.jammers,
                room.cameras,
            ]
            for room, reserve, status in used
        ]
        rooms = [room for room, _reserve, _status in used]
        total = [
            tr(language, "Total"),
            "",
            sum(room.desks for room in rooms),
            sum(room.seats for room in rooms),
            len(reserve_rooms) or "",
            "",
            sum(room.jammers for room in rooms),
            sum(room.cameras for room in rooms),
        ]
        document.table(columns, rows, total=total)


def _schools(document: FormDocument, snapshot: SiteSnapshot) -> None:
    language = document.language
    document.heading(tr(language, "3. Schools and colleges by language and city/village (п. 83–84)"))
    counts: Counter[tuple[str, str]] = Counter()
    expected: Counter[str] = Counter()
    for school in snapshot.schools:
        counts[(school.language_status, school.settlement)] += 1
        expected[school.language_status] += school.expected_total
    places = ["city", "village"] + ([""] if any(place == "" for _status, place in counts) else [])
    rows: list[list[object]] = []
    for status in [*SCHOOL_LANGUAGE, ""]:
        numbers = [counts[(status, place)] for place in places]
        if not sum(numbers) and status not in ("kk", "ru"):
            continue
        name = label(SCHOOL_LANGUAGE, status, language) if status else tr(language, "not stated")
        rows.append([name, *numbers, sum(numbers), expected[status]])
    columns = [
        Column(tr(language, "Language status of the school"), 3),
        Column(tr(language, "In cities"), 1, "right"),
        Column(tr(language, "In villages"), 1, "right"),
        *([Column(tr(language, "City/village not stated"), 1, "right")] if "" in places else []),
        Column(tr(language, "Schools, total"), 1.1, "right"),
        Column(tr(language, "Expected applicants"), 1.3, "right"),
    ]
    total: list[object] = [tr(language, "Total")]
    total += [sum(int(str(row[index])) for row in rows) for index in range(1, len(columns))]
    document.table(columns, rows, total=total)
    colleges = sum(1 for school in snapshot.schools if school.school_kind == "college")
    document.spacer(1.5)
    document.paragraph(
        tr(language, "Of them colleges: {colleges}; schools: {schools}.").format(
            colleges=colleges, schools=len(snapshot.schools) - colleges
        ),
        size=8.5,
    )


def _schedule(document: FormDocument, snapshot: SiteSnapshot) -> None:
    language = document.language
    document.heading(tr(language, "4. Testing schedule and expected applicants per stream (п. 79.2)"))
    columns = [
        Column(tr(language, "Stream"), 1.0, "center"),
        Column(tr(language, "Date"), 1.6, "center", wrap=False),
        Column(tr(language, "Schools"), 1.1, "right"),
        *(Column(label(ROOM_LANGUAGE_SHORT, status, language), 1.3, "right") for status in ROOM_LANGUAGE_STATUSES),
        Column(tr(language, "total"), 1.0, "right"),
        Column(tr(language, "in rooms"), 1.0, "right"),
        Column(tr(language, "in reserve"), 1.1, "right"),
        Column(tr(language, "short"), 1.0, "right"),
    ]
    groups = [
        ("", 3),
        (tr(language, "Expected applicants"), len(ROOM_LANGUAGE_STATUSES) + 1),
        (tr(language, "Seats"), 3),
    ]
    loads = snapshot.distribution.streams
    rows = [
        [
            load.stream,
            load.exam_date.strftime("%d.%m.%Y") if load.exam_date else "",
            load.schools,
            *(load.language(status).expected for status in ROOM_LANGUAGE_STATUSES),
            load.expected,
            load.seats,
            load.reserve_seats,
            load.shortfall or "",
        ]
        for load in loads
    ]
    total = [
        tr(language, "Total"),
        "",
        sum(load.schools for load in loads),
        *(sum(load.language(status).expected for load in loads) for status in ROOM_LANGUAGE_STATUSES),
        sum(load.expected for load in loads),
        sum(load.seats for load in loads),
        sum(load.reserve_seats for load in loads),
        sum(load.shortfall for load in loads) or "",
    ]
    document.table(columns, rows, total=total, groups=groups)
    unassigned = snapshot.distribution
    if unassigned.unassigned_schools:
        document.paragraph(
            tr(
                language, "Not yet distributed over streams: {schools} school(s), {expected} expected applicant(s)."
            ).format(schools=unassigned.unassigned_schools, expected=unassigned.unassigned_expected),
            size=8.5,
        )
    if any(load.shortfall for load in loads):
        document.paragraph(
            tr(
                language,
                "Where expected applicants of a language exceed its seats, the room fund must be "
                "revised before the database is sent (п. 80).",
            ),
            size=8.5,
        )
