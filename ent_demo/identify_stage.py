"""The demo's identification stage on the programmer's workstation (issue 15), after the programmer's stage:
every room of stream 1 scanned twice from the simulated scanner (one sheet with the seat written wrong,
the late-seated applicant on a spare sheet in the reserve room, one answer read differently in pass 2; the scanner
proved fit by its check on the scanner-check workstation, when the site checked it),
the difference decided, the automatic identification, the protocol (прил. 36) printed and entered for
the sheets that did not identify, the end of identification reported to НЦТ (п. 176), one sheet
re-identified with the code НЦТ dictates (п. 173–175), and the stream "ready for answer codes" — the
same ``ent-programmer`` commands a user types.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from common.i18n import _, current_language
from common.workstation import NCT, PROGRAMMER, SCANNER_CHECK, DataFolder
from ent_demo.scenario import (
    NCT_PASSWORD,
    SCANNER_MODEL,
    SCANNER_SERIAL,
    SITE_CODE,
    DemoStep,
    Scene,
    run,
    run_json,
    workstation_session,
)

if TYPE_CHECKING:
    from common.testspec import TestSpecification

STREAM = 1


def identify_steps(scene: Scene) -> list[DemoStep]:
    return [
        DemoStep(_("Programmer: stream 1's answer sheets scanned twice by room, a difference decided"),
                 lambda: scan_rooms(scene), PROGRAMMER),
        DemoStep(_("Programmer: identification — automatic, then the protocol (прил. 36) printed and entered"),
                 lambda: enter_protocol(scene), PROGRAMMER),
        DemoStep(_("Programmer: the end of identification to NTC, a re-identification with NTC's code"),
                 lambda: end_and_reidentify(scene), PROGRAMMER),
    ]


def _envelopes(scene: Scene) -> tuple[Any, dict[str, list[Any]], dict[str, list[Any]]]:
    """Each room's envelope for pass 1 and pass 2 (the simulated scanner's sheets)."""
    import numpy as np

    from arm_programmer.draw import drawn_seats
    from arm_programmer.room_simulation import filled_sheet, room_envelope, with_changed_mark
    from arm_programmer.sheets import answer_layouts
    from common.codebook import SHEET_NUMBER_DIGITS, format_code
    from common.db.variant_models import RoomSheets
    from common.omr.synth import group_answers

    first: dict[str, list[Any]] = {}
    with workstation_session(scene, PROGRAMMER, read_only=False) as session:
        layout = answer_layouts(session, STREAM)
        seats = drawn_seats(session, STREAM)
        spare = session.query(RoomSheets).filter_by(spare=True).first()
        for room in sorted({seat.room_number for seat in seats if not seat.late}):
            _layout, sheets = room_envelope(session, STREAM, room, blanks=1)
            first[room] = sheets
        # a late seating into a room of its own (a reserve room kept back) writes on a spare sheet (п. 142);
        # in an opened room the room's envelope holds the applicant's sheet already
        late = [seat for seat in seats if seat.late and seat.room_number not in first]
        for index, seat in enumerate(late):
            number = (spare.first if spare is not None else 9_000_000) + index
            first.setdefault(seat.room_number, []).append(
                filled_sheet(layout, format_code(number, SHEET_NUMBER_DIGITS), seat.ikt, seat.seat, "0001", STREAM,
                             seat.room_number, np.random.default_rng(index)))
    rooms = sorted(first)
    # the first applicant of the first room wrote a seat that is not theirs
    sheet = first[rooms[0]][0]
    first[rooms[0]][0] = replace(sheet, answers={**sheet.answers, **group_answers(layout, "seat", "099")})
    second = {room: list(sheets) for room, sheets in first.items()}
    # pass 2 reads one answer of the last room's first sheet differently
    changed = second[rooms[-1]][0]
    field = next(name for name in sorted(changed.answers) if name.rsplit(".", 1)[-1].startswith("q"))
    second[rooms[-1]][0] = with_changed_mark(changed, field, "A" if changed.answers[field] != "A" else "B")
    return layout, first, second


def _spec(scene: Scene) -> TestSpecification | None:
    """The test specification НЦТ sent for the stream (``None`` before it arrived)."""
    from arm_programmer.variants import stream_specification

    with workstation_session(scene, PROGRAMMER, read_only=False) as session:
        return stream_specification(session, STREAM)


def booklet_subjects(spec: TestSpecification, fields: Mapping[str, str]) -> str:
    """The profile subjects the commission reads off the booklet: the codes of the stream's specification
    (``arm_programmer.scores.profile_codes`` scores by them) — the sheet's marks where they are such codes, else
    the specification's first ones; written ``01-05``."""
    choices = [choice.code for choice in spec.profile_subject_choices]
    marked = [fields.get(f"{slot.code}_subject", "") for slot in spec.profile_slot_subjects]
    if all(code in choices for code in marked) and len(set(marked)) == len(marked):
        return "-".join(marked)
    return "-".join(choices[: spec.profile_slots])


def corrected_subjects(spec: TestSpecification, entered: str) -> str:
    """Other profile subjects of the specification than ``entered``: the last one replaced by the next code."""
    codes = entered.split("-")
    choices = [choice.code for choice in spec.profile_subject_choices]
    codes[-1] = next(code for code in choices if code not in codes)
    return "-".join(codes)


def scan_rooms(scene: Scene) -> bool:
    from arm_programmer.room_simulation import scanner

    status = run_json(scene, "identify", "status", "--stream", str(STREAM))
    if isinstance(status, dict) and status["rooms"] and all(room["pass1"] and room["pass2"]
                                                           for room in status["rooms"]):
        return True
    layout, first, second = _envelopes(scene)
    # the scanner checked before the exam (п. 52.4–52.5) proves itself fit at each scan, when the site checked it
    checks = DataFolder(scene.folder(SCANNER_CHECK))
    fit = ("--checks", str(checks.root), "--model", SCANNER_MODEL, "--serial", SCANNER_SERIAL) \
        if checks.database.is_file() else ()
    for room in sorted(first):
        for number, sheets in ((1, first[room]), (2, second[room])):
            folder = scene.exchange / f"scan-stream-{STREAM}-room-{room}-pass-{number}"
            folder.mkdir(parents=True, exist_ok=True)
            scanner(layout, sheets, pass_number=number).export(folder)
            if run(scene, PROGRAMMER, "scan", "--stream", str(STREAM), "--room", room, "--pass", str(number),
                   "--from", str(folder), "--settle", "0", "--idle", "0.5", *fit)[0]:
                return False
        diff = run_json(scene, "passes", "diff", "--stream", str(STREAM), "--room", room)
        if not isinstance(diff, dict):
            return False
        truth = {sheet.number: sheet for sheet in first[room]}
        decided: set[tuple[str, str]] = set()
        for item in diff["differences"]:
            key = (item["sheet_number"], item["field"])
            if item["resolved"] is not None or not item["field"] or key in decided or key[0] not in truth:
                continue
            decided.add(key)
            # the programmer looks at the paper sheet and decides what is marked there
            value = truth[key[0]].answers.get(item["field"], "")
            if run(scene, PROGRAMMER, "passes", "resolve", "--stream", str(STREAM), "--room", room, "--sheet",
                   key[0], "--field", item["field"], "--value", value)[0]:
                return False
    return run(scene, PROGRAMMER, "identify", "status", "--stream", str(STREAM))[0] == 0


def enter_protocol(scene: Scene) -> bool:
    from arm_programmer.draw import drawn_seats
    from arm_programmer.sheets import read_sheets

    auto = run_json(scene, "identify", "auto", "--stream", str(STREAM))
    if not isinstance(auto, dict):
        return False
    for language in ("kk", "ru"):
        if run(scene, PROGRAMMER, "protocol", "print", "--stream", str(STREAM), "--language", language)[0]:
            return False
    spec = _spec(scene)
    if spec is None:
        return False
    with workstation_session(scene, PROGRAMMER, read_only=False) as session:
        sheets = {sheet.sheet_number: sheet for sheet in read_sheets(session, STREAM)}
        seats = {seat.ikt: seat for seat in drawn_seats(session, STREAM)}
    for row in auto["lower"]:
        if row["blank"] or row["state"] != "open":
            continue
        sheet = sheets[row["sheet_number"]]
        if row["suggestion"] == "delete":
            args = ["--decision", "delete"]
        else:
            # the commission reads the right ИКТ off the seating list, the seat, variant and subjects off the booklet
            seat = seats.get(sheet.fields.get("ikt", ""))
            if seat is None:
                continue
            args = ["--decision", row["suggestion"], "--ikt", seat.ikt, "--seat", str(seat.seat), "--variant",
                    sheet.fields.get("variant", ""), "--subjects", booklet_subjects(spec, sheet.fields)]
        if run(scene, PROGRAMMER, "identify", "sheet", "--stream", str(STREAM), "--sheet", row["sheet_number"],
               *args)[0]:
            return False
    auto = run_json(scene, "identify", "auto", "--stream", str(STREAM))
    if not isinstance(auto, dict):
        return False
    ikt_of = {seat.application_id: ikt for ikt, seat in seats.items()}
    for person in auto["upper"]:
        # no sheet carries the applicant's ИКТ: «Не явился»
        if person["state"] == "open" and run(scene, PROGRAMMER, "identify", "note", "--stream", str(STREAM), "--ikt",
                                             ikt_of[person["application_id"]], "--note", "absent")[0]:
            return False
    return run(scene, PROGRAMMER, "identify", "status", "--stream", str(STREAM))[0] == 0


def end_and_reidentify(scene: Scene) -> bool:
    from ent_demo.scenario import _secret_descriptor, program

    status = run_json(scene, "identify", "status", "--stream", str(STREAM))
    if not isinstance(status, dict):
        return False
    password = scene.passwords.get(PROGRAMMER.code)
    if not status["ended"]:
        ended = run_json(scene, "identify", "end", "--stream", str(STREAM), password=password)
        if not isinstance(ended, dict):
            return False
        if run(scene, NCT, "import", ended["path"], password=NCT_PASSWORD)[0]:
            return False
        issued = run_json(scene, "password", "issue", "--site", SITE_CODE, "--purpose", "re-identification", "--stream",
                          str(STREAM), "--out", str(scene.exchange), password=NCT_PASSWORD, workstation=NCT)
        if not isinstance(issued, dict) or run(scene, PROGRAMMER, "package", "open", str(issued["package"]),
                                               password=password)[0]:
            return False
        auto = run_json(scene, "identify", "auto", "--stream", str(STREAM))
        if not isinstance(auto, dict):
            return False
        entered = [row for row in auto["lower"] if row["state"] == "identified" and row["suggestion"] == "correct"]
        if entered:
            # the checkers wrote the profile subjects wrongly (п. 174.3): agreed with НЦТ, re-identified
            from arm_programmer.sheets import read_sheets

            with workstation_session(scene, PROGRAMMER, read_only=False) as session:
                fields = next(sheet.fields for sheet in read_sheets(session, STREAM)
                              if sheet.sheet_number == entered[0]["sheet_number"])
            spec = _spec(scene)
            if spec is None:
                return False
            subjects = corrected_subjects(spec, booklet_subjects(spec, fields))
            command = ["identify", "reidentify", "--stream", str(STREAM), "--sheet", entered[0]["sheet_number"],
                       "--subjects", subjects, "--data-dir", str(scene.folder(PROGRAMMER)),
                       "--lang", current_language()]
            with _secret_descriptor(str(issued["code"])) as descriptor:
                assert descriptor is not None
                print(f"   $ {PROGRAMMER.program} {' '.join(command[:-4])} --code-fd 3 3<code-dictated-by-NTC",
                      flush=True)
                if program(PROGRAMMER)([*command, "--code-fd", str(descriptor)]) != 0:
                    return False
    status = run_json(scene, "identify", "status", "--stream", str(STREAM))
    run(scene, PROGRAMMER, "identify", "status", "--stream", str(STREAM))
    return isinstance(status, dict) and bool(status["ready_for_answer_codes"])
