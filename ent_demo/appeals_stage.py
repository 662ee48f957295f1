"""The demo's appeals stage (issue 17), after the results: three applications on stream 1 — one on technical
grounds (a bubble of the answer code filled about 60 % that the test-day reading took as empty), one on the content
of a task the applicant answered right («не удовлетворено» at once, п. 197), one whose applicant does not come
(«не явился») — and a fourth after 13:00 of the next day, refused (п. 185); the journal, the register and the answer
analysis cards printed for the commission; the sheet of the technical appeal scanned afresh and the commission's
proposal by п. 196; the file to НЦТ, which prints прил. 40 and its register, grants the technical task and seals
its decisions; the programmer applies them (the total before → after), closes the stream's appeal, prints the
protocol, the statement with appeal (прил. 3, page 1 checked from its picture) and the report, and sends the
results with appeal, which НЦТ imports and shows — the same commands a user types.

The fresh scan is an honest one: the applicant's sheet is drawn again from what the passes read, with the one
light mark added, put through the simulated scanner and read by ``appeal rescan`` itself.

Re-runnable: a second run finds the applications, the decisions and the closing and goes on from there.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from common.i18n import _
from common.workstation import NCT, PROGRAMMER
from ent_demo.scenario import (
    NCT_PASSWORD,
    SITE_CODE,
    DemoStep,
    Scene,
    render_first_page,
    run,
    run_json,
    workstation_session,
)

STREAM = 1
CHAIR = "Сәрсенбаева Гүлнар"
RECEIVER = "Тұрсынов Марат"
LIGHT_FILL = 0.62
"""How much of the bubble the applicant filled with a light pencil stroke: more than half, so marked (п. 196)."""


def appeals_steps(scene: Scene) -> list[DemoStep]:
    return [
        DemoStep(_("Programmer: three appeal applications on stream 1 registered, a fourth after 13:00 of the next day "
                   "refused"), lambda: register_appeals(scene), PROGRAMMER),
        DemoStep(_("Programmer: the no-show, the technical appeal's fresh scan and proposal (п. 196); the journal, "
                   "the register and the answer analysis cards printed"), lambda: consider(scene), PROGRAMMER),
        DemoStep(_("NTC: the appeals imported, прил. 40 and the register printed, the technical task granted; the "
                   "programmer applies the decisions"), lambda: republican_commission(scene), NCT),
        DemoStep(_("Programmer: the appeals closed; the protocol, the statement with appeal (прил. 3, page 1 checked) "
                   "and the report printed"), lambda: close_and_print(scene), PROGRAMMER),
        DemoStep(_("NTC: the results with appeal imported and shown"), lambda: final_results(scene), NCT),
    ]


def _password(scene: Scene) -> str | None:
    return scene.passwords.get(PROGRAMMER.code)


def _appeals(scene: Scene) -> list[dict[str, Any]] | None:
    listed = run_json(scene, "appeal", "list", "--stream", str(STREAM))
    return None if not isinstance(listed, dict) else list(listed["appeals"])


def _add(scene: Scene, ikt: str, kind: str, task: str, *more: str) -> int:
    return run(scene, PROGRAMMER, "appeal", "add", "--stream", str(STREAM), "--ikt", ikt, "--kind", kind, "--task",
               task, "--chair", CHAIR, "--received-by", RECEIVER, *more)[0]


def _scored(scene: Scene) -> list[Any]:
    """The stream's scored applicants with their stored score rows and the specification and key."""
    from sqlalchemy import select

    from arm_programmer.codes import stream_key
    from arm_programmer.draw import drawn_seats
    from arm_programmer.results import ResultStatus
    from arm_programmer.scores import result_rows
    from common.db.score_models import SheetScoreRow

    with workstation_session(scene, PROGRAMMER, read_only=False) as session:
        spec, key = stream_key(session, STREAM)
        seats = {seat.ikt: seat.application_id for seat in drawn_seats(session, STREAM)}
        found = []
        for row in result_rows(session, STREAM):
            if row.status is not ResultStatus.SCORED or row.ikt not in seats:
                continue
            stored = session.scalar(select(SheetScoreRow).where(SheetScoreRow.application_id == seats[row.ikt]))
            if stored is not None:
                session.expunge(stored)
                found.append((row.ikt, stored))
    return [(ikt, stored, spec, key) for ikt, stored in found]


def blocks(spec: Any, row: Any) -> dict[str, str]:
    """The sheet's block of each subject code the row was scored in (a profile subject is written in its slot)."""
    chosen = dict(zip(row.profile_subjects, (slot.code for slot in spec.profile_slot_subjects), strict=False))
    return {str(code): chosen.get(str(code), str(code)) for code in row.per_task}


def _tasks(spec: Any, key: Any, row: Any) -> list[tuple[str, int, str, frozenset[str], int, int, Any]]:
    """Each task the applicant was scored on, the common subjects first: the subject code, the number, the marks read,
    the answer code, its points, the most and the rule."""
    tasks = []
    for code, block in blocks(spec, row).items():
        for number in sorted(int(text) for text in row.marks.get(block, {})):
            rule = spec.rule(spec.subject(block).task(number).rule)
            correct = frozenset(key.variants[row.variant][code][number])
            tasks.append((code, number, row.marks[block][str(number)], correct, row.per_task[code][number - 1],
                          int(rule.max_points), rule))
    return tasks


def technical_task(spec: Any, key: Any, row: Any) -> tuple[str, int, str] | None:
    """A task whose points a bubble of the answer code, had it been read, would raise: (subject, number, letter)."""
    for code, number, marks, correct, points, _most, rule in _tasks(spec, key, row):
        for letter in sorted(correct - set(marks)):
            if rule.points(frozenset(marks) | {letter}, correct) > points:
                return code, number, letter
    return None


def right_task(spec: Any, key: Any, row: Any) -> tuple[str, int, str] | None:
    """A task answered right (its most points) and a letter not of its answer code: (subject, number, letter)."""
    for code, number, _marks, correct, points, most, _rule in _tasks(spec, key, row):
        if points == most:
            return code, number, next(letter for letter in "ABCDE" if letter not in correct)
    return None


def _late_moment(scene: Scene) -> str | None:
    """A minute after the deadline for the stream's applications (13:00 of the day after the results), local time."""
    from sqlalchemy import select

    from arm_programmer.appeals import deadline, window_of
    from common.db.models import Stream

    with workstation_session(scene, PROGRAMMER, read_only=False) as session:
        stream = session.scalar(select(Stream).where(Stream.number == STREAM))
        window = None if stream is None else window_of(session, stream)
        if window is None:
            return None
        return (deadline(window.announced_at).astimezone() + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M")


def register_appeals(scene: Scene) -> bool:
    appeals = _appeals(scene)
    if appeals is None:
        return False
    scored = _scored(scene)
    if not scored:
        return False
    if appeals:
        print(_("   the applications are registered already: {count}").format(count=len(appeals)))
    else:
        people = scored[:3] if len(scored) >= 3 else [scored[0]] * 3
        technical = next(((ikt, found) for ikt, row, spec, key in people
                          if (found := technical_task(spec, key, row)) is not None), None)
        if technical is None:
            print(_("   no task of stream 1 can show an unread mark"))
            return False
        ikt, (block, number, _letter) = technical
        print(_("   an applicant says a bubble filled on the test day was not read (on technical grounds):"))
        if _add(scene, ikt, "technical", f"{block}:{number}:read-as-empty"):
            return False
        others = [item for item in people if item[0] != ikt] or people
        content_ikt, content_row, spec, key = others[0]
        right = right_task(spec, key, content_row)
        if right is None:
            return False
        print(_("   another disputes the answer code of a task they answered right (on content):"))
        if _add(scene, content_ikt, "content", f"{right[0]}:{right[1]}:key-mismatch:{right[2]}"):
            return False
        absent_ikt, absent_row, spec, key = others[-1]
        absent = next((task for task in _tasks(spec, key, absent_row) if task[4] < task[5]), None)
        if absent is None:
            return False
        print(_("   a third applies on content and will not come to the consideration:"))
        if _add(scene, absent_ikt, "content", f"{absent[0]}:{absent[1]}:no-right-answer"):
            return False
    late = _late_moment(scene)
    if late is None:
        return False
    ikt, row, spec, key = scored[-1]
    task = _tasks(spec, key, row)[0]
    print(_("   a fourth application is brought after 13:00 of the day after the results:"))
    if _add(scene, ikt, "content", f"{task[0]}:{task[1]}:incorrect-task", "--received-at", late) == 0:
        return False
    return run(scene, PROGRAMMER, "appeal", "list", "--stream", str(STREAM))[0] == 0


def fresh_scan(scene: Scene, appeal: dict[str, Any]) -> Path | None:
    """The technical appeal's sheet scanned afresh: drawn from what the passes read, with the light mark of the
    disputed bubble that the test-day reading took as empty."""
    from dataclasses import replace

    from arm_programmer.identification import stream_sheets
    from arm_programmer.room_simulation import scanner
    from arm_programmer.sheets import answer_layouts, read_sheets
    from common.omr.synth import MarkSpec
    from common.scanning.simulated import SimulatedSheet

    task = appeal["tasks"][0]
    letter = sorted(set(task["correct"]) - set(task["marks"]))[0]
    scored = {ikt: (row, spec) for ikt, row, spec, _key in _scored(scene)}
    if appeal["ikt"] not in scored:
        return None
    row, spec = scored[appeal["ikt"]]
    with workstation_session(scene, PROGRAMMER, read_only=False) as session:
        layout = answer_layouts(session, STREAM)
        number = {sheet.sheet_id: sheet.sheet_number for sheet in stream_sheets(session, STREAM)}.get(row.sheet_id)
        read = next((sheet for sheet in read_sheets(session, STREAM) if sheet.sheet_id == row.sheet_id), None)
    if read is None or number is None:
        return None
    names = {field.name for field in layout.fields}
    sheet = SimulatedSheet(answers={name: value for name, value in read.fields.items() if name in names and value},
                           number=number)
    field = f"{blocks(spec, row)[task['subject']]}.q{task['task']:02d}"
    sheet = replace(sheet, marks={f"{field}.{letter}": MarkSpec(LIGHT_FILL, "pencil", 0.58)})
    folder = scene.exchange / f"appeal-rescan-stream-{STREAM}-{appeal['number']}"
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    return scanner(layout, [sheet], pass_number=1, seed=5).export(folder)[0]


def consider(scene: Scene) -> bool:
    appeals = _appeals(scene)
    if not appeals:
        return False
    for appeal in appeals:
        if appeal["kind"] == "content" and appeal["state"] == "registered" and all(
                task["decision"] == "pending" for task in appeal["tasks"]):
            print(_("   application {number}: the applicant does not come (п. 192)").format(number=appeal["number"]))
            if run(scene, PROGRAMMER, "appeal", "no-show", "--stream", str(STREAM), "--number",
                   str(appeal["number"]))[0]:
                return False
    technical = next((appeal for appeal in appeals if appeal["kind"] == "technical"), None)
    if technical is None:
        return False
    task = technical["tasks"][0]
    if technical["state"] == "registered" and not task["appeal_fills"]:
        image = fresh_scan(scene, technical)
        if image is None:
            return False
        print(_("   the applicant's sheet is taken from the envelope and scanned afresh: {name}").format(
            name=image.name))
        if run(scene, PROGRAMMER, "appeal", "rescan", "--stream", str(STREAM), "--number", str(technical["number"]),
               "--image", str(image))[0]:
            return False
    if technical["state"] == "registered":
        proposed = run_json(scene, "appeal", "propose", "--stream", str(STREAM), "--number", str(technical["number"]),
                            "--task", f"{task['subject']}:{task['task']}")
        if not isinstance(proposed, dict):
            return False
        print(f"   {proposed['reason']}")
        if not proposed["satisfied"]:
            return False
    return all(run(scene, PROGRAMMER, "appeal", "print", form, "--stream", str(STREAM), "--chair", CHAIR)[0] == 0
               for form in ("journal", "register", "cards"))


def _totals(scene: Scene) -> dict[str, int]:
    from arm_programmer.scores import result_rows

    with workstation_session(scene, PROGRAMMER, read_only=False) as session:
        return {row.ikt: row.total for row in result_rows(session, STREAM) if row.total is not None}


def republican_commission(scene: Scene) -> bool:
    appeals = _appeals(scene)
    if not appeals:
        return False
    technical = next((appeal for appeal in appeals if appeal["kind"] == "technical"), None)
    if technical is None:
        return False
    task = technical["tasks"][0]
    if technical["state"] == "decided":
        print(_("   the Republican commission's decisions are applied already"))
        return run(scene, PROGRAMMER, "appeal", "list", "--stream", str(STREAM))[0] == 0
    sent = run_json(scene, "send", "appeals", "--stream", str(STREAM), password=_password(scene))
    if not isinstance(sent, dict):
        return False
    print(_("   sealed for НЦТ: {path}").format(path=sent["path"]))
    if run(scene, NCT, "import", sent["path"], password=NCT_PASSWORD)[0]:
        return False
    forms = scene.exchange / f"appeals-stream-{STREAM}"
    forms.mkdir(parents=True, exist_ok=True)
    for form in ("technical", "register"):
        if run(scene, NCT, "appeals", "print", "--site", SITE_CODE, "--stream", str(STREAM), "--form", form, "--out",
               str(forms))[0]:
            return False
    subject_task = f"{task['subject']}:{task['task']}"
    nct_appeals = run_json(scene, "appeals", "list", "--site", SITE_CODE, "--stream", str(STREAM), workstation=NCT)
    held = next((item for item in nct_appeals or [] if item["number"] == technical["number"]), None)
    if held is None:
        return False
    if held["tasks"][0]["decided_points"] is None:
        print(_("   the Republican commission compares the two images and grants the task:"))
        if run(scene, NCT, "appeals", "decide", "--site", SITE_CODE, "--stream", str(STREAM), "--number",
               str(technical["number"]), "--task", subject_task, "--decision", "satisfied")[0]:
            return False
    decisions = run_json(scene, "appeals", "send-decisions", "--site", SITE_CODE, "--stream", str(STREAM), "--out",
                         str(scene.exchange), password=NCT_PASSWORD, workstation=NCT)
    if not isinstance(decisions, dict):
        return False
    before = _totals(scene).get(technical["ikt"])
    if run(scene, PROGRAMMER, "package", "open", decisions["path"], password=_password(scene))[0]:
        return False
    after = _totals(scene).get(technical["ikt"])
    if before is None or after is None:
        return False
    print(_("   application {number}: the total {before} → {after}").format(number=technical["number"], before=before,
                                                                           after=after))
    return after > before and run(scene, PROGRAMMER, "appeal", "list", "--stream", str(STREAM))[0] == 0


def _closed(scene: Scene) -> bool:
    from sqlalchemy import select

    from arm_programmer.appeals import window_of
    from common.db.models import Stream

    with workstation_session(scene, PROGRAMMER, read_only=False) as session:
        stream = session.scalar(select(Stream).where(Stream.number == STREAM))
        window = None if stream is None else window_of(session, stream)
        return window is not None and window.closed_at is not None


def close_and_print(scene: Scene) -> bool:
    if _closed(scene):
        print(_("   the appeals of stream {stream} are closed already").format(stream=STREAM))
    elif run(scene, PROGRAMMER, "appeal", "close", "--stream", str(STREAM))[0]:
        return False
    if run(scene, PROGRAMMER, "appeal", "print", "protocol", "--stream", str(STREAM), "--chair", CHAIR)[0]:
        return False
    printed = run_json(scene, "appeal", "print", "statement", "--stream", str(STREAM), password=_password(scene))
    if not isinstance(printed, list) or not printed:
        return False
    statement = Path(printed[0]["path"])
    print("   " + _("Printed {pages} page(s): {path}").format(pages=printed[0]["pages"], path=statement))
    picture = render_first_page(statement, scene.exchange / f"statement-with-appeal-stream-{STREAM}-page-1.png")
    print(_("   page 1 of the statement scanned to {path}").format(path=picture.name))
    if run(scene, PROGRAMMER, "statement", "check", str(picture))[0]:
        return False
    # the programmer's report (прил. 25) and the appeal commission's two reports (прил. 26, 27; п. 213)
    return all(run(scene, PROGRAMMER, "appeal", "print", form, "--stream", str(STREAM), "--chair", CHAIR)[0] == 0
               for form in ("report", "appeal-report", "tasks-report"))


def _final_sent(scene: Scene) -> bool:
    """Whether the programmer has sealed the stream's results with appeal for НЦТ (its audit log says so)."""
    import json

    from common.workstation import DataFolder

    log = DataFolder(scene.folder(PROGRAMMER)).audit_log
    return log.is_file() and any(json.loads(line).get("action") == "final-results.sent"
                                 for line in log.read_text(encoding="utf-8").splitlines() if line.strip())


def final_results(scene: Scene) -> bool:
    if _final_sent(scene):
        print(_("   the results with appeal are sent to НЦТ already"))
    else:
        sent = run_json(scene, "send", "final-results", "--stream", str(STREAM), password=_password(scene))
        if not isinstance(sent, dict):
            return False
        print(_("   sealed for НЦТ: {path}").format(path=sent["path"]))
        if run(scene, NCT, "import", sent["path"], password=NCT_PASSWORD)[0]:
            return False
    return run(scene, NCT, "results", "show", "--site", SITE_CODE, "--stream", str(STREAM), "--final")[0] == 0
