"""A site handed over to the programmer's workstation: what the take-over, draw and late-seating tests share."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from applications_support import (
    applications,
    base_ppent,
    form,
    iin,
    ok,
    planned_scene,
    schools_by_expected,
    send_site_database,
)
from base_ppent_support import database
from exchange_support import Run, Scene, run_cli
from sqlalchemy.orm import Session

from common.scanning.simulated import SimulatedScanner, SimulatedSheet
from common.workstation import DataFolder
from forms.registry import get_layout

PEOPLE = {25: [("Абаев", "Арман", "kk"), ("Иванов", "Олег", "ru")], 12: [("Петров", "Иван", "ru")],
          32: [("Қасымов", "Ерлан", "kk")]}


def programmer(scene: Scene, *args: str, **secrets: str) -> Run:
    from arm_programmer.cli import build

    return run_cli(build(), [*args, "--data-dir", str(scene.folder("programmer"))],
                   ENT_PASSWORD=scene.passwords["programmer"], **secrets)


def handed_over_scene(tmp_path_factory: pytest.TempPathFactory, *, reserve_room: bool = True) -> Scene:
    """Stream 1: rooms 01 (kk) and 02 (ru) opened, 03 (kk, 15 desks) a reserve room kept back (unless
    ``reserve_room`` is false); stream 2: room 02 (kk). Closed, distributed, handed over."""
    scene = planned_scene(tmp_path_factory)
    if reserve_room:
        ok(base_ppent(scene, "rooms", "add", "03", "--desks", "15"))
        ok(base_ppent(scene, "rooms", "use", "03", "--stream", "1", "--language", "kk", "--reserve"))
        ok(base_ppent(scene, "send", password=True))
        send_site_database(scene)
    schools = schools_by_expected(scene)
    for school in schools.values():
        ok(applications(scene, "journals", "print", "--school", school))
    serial = 1
    for expected, persons in PEOPLE.items():
        school = schools[expected]
        journal = {state["school"]: state for state in ok(applications(scene, "journals", "list", "--json")).json()}
        first = int(journal[school]["first_ikt"])
        sheets = []
        for offset, (surname, name, language) in enumerate(persons):
            sheets.append(form(school, f"{first + offset:09d}", surname, name, iin_or_date=iin("080101", "M", serial),
                               language=language))
            serial += 10
        folder = scene.out / f"school-{expected}"
        folder.mkdir()
        SimulatedScanner(get_layout("application"), sheets, seed=expected).export(folder)
        ok(applications(scene, "scan", "--school", school, "--from", str(folder), "--settle", "0", "--idle", "0.3"))
    issued = ok(scene.nct("password", "issue", "--site", "017", "--purpose", "close-applications", "--json")).json()
    from arm_applications.cli import build

    closed = run_cli(build(), ["close", "--data-dir", str(scene.folder("applications"))], ENT_CODE=str(issued["code"]))
    assert closed.code == 0, closed.err
    final = ok(applications(scene, "send", "final", "--json")).json()
    ok(scene.nct("import", final["path"]))
    opening = ok(scene.nct("rooms", "open", "--site", "017", "--out", str(scene.out), "--json")).json()
    ok(applications(scene, "rooms", "import", opening["path"]))
    ok(applications(scene, "distribute"))
    scene.enrol("programmer")
    certificates = ok(scene.nct("site", "certificates", "--site", "017", "--role", "applications", "--out",
                                str(scene.out), "--json")).json()
    ok(applications(scene, "package", "open", certificates["path"]))
    handover = ok(applications(scene, "send", "handover", "--json")).json()
    ok(programmer(scene, "handover", "import", handover["path"]))
    return scene


def variants_taken_scene(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, str]:
    """:func:`handed_over_scene` closed, stream 1's test specification and variants file taken, not drawn yet; with
    НЦТ's draw code for stream 1."""
    scene = handed_over_scene(tmp_path_factory)
    code = draw_code(scene, 1)
    ok(programmer(scene, "close"))
    sent = ok(scene.nct("variants", "send", "--site", "017", "--out", str(scene.out), "--json", "--stream", "1",
                        "--spec", "ent2018")).json()
    ok(programmer(scene, "variants", "import", sent["specification_path"]))
    ok(programmer(scene, "variants", "import", sent["path"]))
    return scene, code


def drawn_scene(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    """:func:`variants_taken_scene` with stream 1 drawn."""
    scene, code = variants_taken_scene(tmp_path_factory)
    ok(programmer(scene, "draw", "--stream", "1", ENT_CODE=code))
    return scene


@contextmanager
def session_of(scene: Scene) -> Iterator[Session]:
    """A transaction on the programmer's workstation database."""
    with database(DataFolder(scene.folder("programmer"))) as session:
        yield session


def draw_code(scene: Scene, stream: int) -> str:
    """НЦТ's seating-draw code for ``stream``, its verifier package taken by the programmer."""
    issued = ok(scene.nct("password", "issue", "--site", "017", "--purpose", "seating-draw", "--stream", str(stream),
                          "--out", str(scene.out), "--json")).json()
    ok(programmer(scene, "package", "open", str(issued["package"])))
    return str(issued["code"])


def audit_entries(scene: Scene, action: str) -> list[dict[str, Any]]:
    log: Path = DataFolder(scene.folder("programmer")).audit_log
    entries = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    return [entry for entry in entries if entry.get("action") == action]


def scan_twice(scene: Scene, room: str, first: list[SimulatedSheet], second: list[SimulatedSheet],
               stream: int = 1) -> None:
    """Scan a room's envelope in pass 1 and pass 2 from the simulated scanner."""
    from arm_programmer.room_simulation import scanner
    from arm_programmer.sheets import answer_layouts

    with session_of(scene) as session:
        layout = answer_layouts(session, stream)
    for number, sheets in ((1, first), (2, second)):
        folder = scene.out / f"room-{room}-pass-{number}"
        folder.mkdir()
        scanner(layout, sheets, pass_number=number).export(folder)
        ok(programmer(scene, "scan", "--room", room, "--pass", str(number), "--stream", str(stream), "--from",
                      str(folder), "--settle", "0", "--idle", "0.3"))


def resolve_differences(scene: Scene, room: str, truth: list[SimulatedSheet], stream: int = 1) -> None:
    """Decide every difference left between a room's passes as the paper sheet (``truth``) has it."""
    sheets = {sheet.number: sheet for sheet in truth}
    diff = ok(programmer(scene, "passes", "diff", "--stream", str(stream), "--room", room, "--json")).json()
    decided: set[tuple[str, str]] = set()
    for item in diff["differences"]:
        key = (item["sheet_number"], item["field"])
        if item["resolved"] is not None or not item["field"] or key in decided or key[0] not in sheets:
            continue
        decided.add(key)
        ok(programmer(scene, "passes", "resolve", "--stream", str(stream), "--room", room, "--sheet", key[0],
                      "--field", item["field"], "--value", sheets[key[0]].answers.get(item["field"], "")))


def seal_answer_codes(scene: Scene, stream: int, document: str) -> list[str]:
    """НЦТ seals ``document`` as the stream's answer codes and the programmer takes the package; the three slips'
    passwords (chair, ДКНБ, Ministry)."""
    from exchange_support import CODE_LINE
    from pdf_support import pdf_text

    key = scene.out / f"answer-key-{stream}.json"
    key.write_text(document, encoding="utf-8")
    sealed = ok(scene.nct("answer-codes", "seal", "--key", str(key), "--site", "017", "--stream", str(stream),
                          "--out", str(scene.out), "--json")).json()
    key.unlink()
    ok(programmer(scene, "package", "open", sealed["package"]))
    return [CODE_LINE.findall(pdf_text(Path(slip)))[0] for slip in sealed["slips"]]


def three_passwords(passwords: list[str]) -> dict[str, str]:
    """The three passwords as the ``codes open`` command reads them from the environment."""
    return {"ENT_CHAIR_PASSWORD": passwords[0], "ENT_DKNB_PASSWORD": passwords[1],
            "ENT_MINISTRY_PASSWORD": passwords[2]}


def sheet_ikt(sheet: SimulatedSheet) -> str:
    """The ИКТ marked on a simulated sheet."""
    return "".join(sheet.answers.get(f"ikt.c{index:02d}", "") for index in range(1, 10))


def identified_stream(tmp_path_factory: pytest.TempPathFactory, *, end: bool = True,
                      ) -> tuple[Scene, list[str], dict[str, SimulatedSheet]]:
    """Stream 1 scanned twice and identified, its end reported to НЦТ unless ``end`` is false; its answer codes
    sealed and taken, not opened; the three slips' passwords. The paper sheets by role: ``absent`` (the
    applicant's, left blank), ``creative`` (sector 6 marked) and ``marked`` (double marks and blanks)."""
    from dataclasses import replace

    from arm_programmer.room_simulation import room_envelope
    from arm_programmer.variants import stream_specification
    from common.testspec import random_answer_key

    scene = drawn_scene(tmp_path_factory)
    with session_of(scene) as session:
        spec = stream_specification(session, 1)
        _layout, room1 = room_envelope(session, 1, "01", blanks=1)
        _layout, room2 = room_envelope(session, 1, "02")
    assert spec is not None
    written = [sheet for sheet in [*room1, *room2] if sheet.answers]
    assert len(written) == 3
    absent, creative, marked = written
    blank = SimulatedSheet(number=absent.number)
    creative_sheet = replace(creative, answers={**{name: value for name, value in creative.answers.items()
                                                   if not name.endswith("_subject")}, "creative": "Y"})
    answers = dict(marked.answers)
    for number in range(1, 6):
        answers[f"history_kz.q{number:02d}"] = "AB"  # a double mark on a single-answer task
        answers.pop(f"math_literacy.q{number:02d}", None)  # left blank
    marked_sheet = replace(marked, answers=answers)
    paper = {"absent": blank, "creative": creative_sheet, "marked": marked_sheet}
    swap = {absent.number: blank, creative.number: creative_sheet, marked.number: marked_sheet}
    for room, sheets in (("01", room1), ("02", room2)):
        envelope = [swap.get(sheet.number, sheet) for sheet in sheets]
        scan_twice(scene, room, envelope, envelope)
        resolve_differences(scene, room, envelope)
    ok(programmer(scene, "identify", "note", "--stream", "1", "--ikt", sheet_ikt(absent), "--note", "absent"))
    if end:
        end_identification(scene)
    passwords = seal_answer_codes(scene, 1, random_answer_key(spec, seed=7).to_json())
    return scene, passwords, paper


def end_identification(scene: Scene, stream: int = 1) -> None:
    """Report the end of the stream's identification and let НЦТ take the report (п. 176)."""
    ended = ok(programmer(scene, "identify", "end", "--stream", str(stream), "--json")).json()
    ok(scene.nct("import", ended["path"]))
