"""The demo's results stage (issue 16), after the identification: НЦТ makes stream 1's answer key and seals it
for the site (a package and three password slips), the programmer takes the package, the three holders read
their slips and open the answer codes — first with one password mistyped (refused by its check character),
then with one of another envelope (refused by the file, counted), then right; прил. 9 is
printed, the stream scored, the statement without appeal (прил. 4) printed and its first page checked from
a picture of it; the results go to НЦТ, which imports them, shows them, builds the applicants' look-up file
and finds one applicant's result in it; the day's statistics go to НЦТ too — the same commands a user types.

Re-runnable: a second run finds the slips and the opened codes and goes on from there.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from common.i18n import _
from common.workstation import NCT, PROGRAMMER
from ent_demo.scenario import (
    NCT_PASSWORD,
    SITE_CODE,
    DemoStep,
    Scene,
    password_on,
    render_first_page,
    run,
    run_json,
    workstation_session,
)

STREAM = 1
HOLDERS = ("chair", "dknb", "ministry")
"""The slips' holders, as ``codes open`` names their options (``--chair-fd`` …) and НЦТ names their slips."""
LOOKUP_COST = "2:19456"
"""The look-up file's key derivation for the demo (``--kdf-cost``, passes:KiB): 2 passes over 19 MiB instead of the
default 4 over 256 MiB."""


def results_steps(scene: Scene) -> list[DemoStep]:
    return [
        DemoStep(_("NTC: stream 1's answer key sealed for the site, the package taken by the programmer"),
                 lambda: seal_codes(scene), NCT),
        DemoStep(_("Programmer: the answer codes opened with the three slips (two wrong ones refused), "
                   "прил. 9 printed"), lambda: open_codes(scene), PROGRAMMER),
        DemoStep(_("Programmer: stream 1 scored, the statement (прил. 4) printed and its first page checked"),
                 lambda: score_and_statement(scene), PROGRAMMER),
        DemoStep(_("NTC: the results imported and shown, the look-up file built, one applicant's result found"),
                 lambda: results_at_nct(scene), NCT),
        DemoStep(_("Programmer: the day's statistics sent to NTC and imported"), lambda: statistics(scene), PROGRAMMER),
    ]


def _password(scene: Scene) -> str | None:
    return scene.passwords.get(PROGRAMMER.code)


def _slips_folder(scene: Scene) -> Path:
    return scene.exchange / f"answer-codes-stream-{STREAM}"


def _slips(scene: Scene) -> dict[str, Path]:
    """The three slips НЦТ wrote for the stream, by holder; empty before the sealing."""
    pattern = f"answer-codes_{SITE_CODE}_s{STREAM:02d}_*-{{holder}}.pdf"
    found = {holder: next(iter(sorted(_slips_folder(scene).glob(pattern.format(holder=holder)))), None)
             for holder in HOLDERS}
    return {holder: path for holder, path in found.items() if path is not None} if all(found.values()) else {}


def seal_codes(scene: Scene) -> bool:
    from common.testspec import random_answer_key
    from ent_demo.identify_stage import _spec

    if _slips(scene):
        print(_("   the answer codes are sealed and taken already"))
        return True
    spec = _spec(scene)
    if spec is None:
        return False
    folder = _slips_folder(scene)
    folder.mkdir(parents=True, exist_ok=True)
    key = scene.exchange / f"answer-key-stream-{STREAM}.json"
    key.write_text(random_answer_key(spec, seed=2027).to_json(), encoding="utf-8")
    print(_("   НЦТ's answer key of stream {stream} for «{spec}»: {path}").format(stream=STREAM, spec=spec.code,
                                                                                 path=key.name))
    try:
        sealed = run_json(scene, "answer-codes", "seal", "--key", str(key), "--site", SITE_CODE, "--stream",
                          str(STREAM), "--out", str(folder), password=NCT_PASSWORD, workstation=NCT)
    finally:
        key.unlink()  # the key in clear stays nowhere: the package holds it sealed
    if not isinstance(sealed, dict):
        return False
    print(_("   sealed; the key file in clear deleted; three slips: {slips}").format(
        slips=", ".join(Path(slip).name for slip in sealed["slips"])))
    return run(scene, PROGRAMMER, "package", "open", sealed["package"], password=_password(scene))[0] == 0


def slip_passwords(scene: Scene) -> dict[str, str]:
    """What each holder reads off their slip: the code line of the slip PDF."""
    passwords = {}
    for holder, path in _slips(scene).items():
        password = password_on(path)
        if password is not None:
            passwords[holder] = password
    return passwords


def _opened(scene: Scene) -> bool:
    from arm_programmer.codes import codes_opened

    with workstation_session(scene, PROGRAMMER, read_only=False) as session:
        return codes_opened(session, STREAM) is not None


def open_codes(scene: Scene) -> bool:
    passwords = slip_passwords(scene)
    if len(passwords) != len(HOLDERS):
        print(_("   the slips have no passwords on them"))
        return False
    print(_("   the three holders read their slips: {slips}").format(
        slips=", ".join(path.name for path in _slips(scene).values())))
    if not _opened(scene):
        from common.security.codes import ALPHABET

        mistyped = dict(passwords)
        typed = mistyped["ministry"]
        wrong = ALPHABET[(ALPHABET.index(typed[5]) + 1) % len(ALPHABET)]
        mistyped["ministry"] = typed[:5] + wrong + typed[6:]
        print(_("   the Ministry representative mistypes one character:"))
        refused = run(scene, PROGRAMMER, "codes", "open", "--stream", str(STREAM),
                      secrets={f"--{holder}-fd": mistyped[holder] for holder in HOLDERS})[0]
        if refused == 0:
            return False
        from common.security.codes import generate_code

        print(_("   refused before anything is tried; then the ДКНБ representative reads the slip of another "
                "envelope (a well-formed password, but not this file's):"))
        other = {**passwords, "dknb": generate_code()}
        if run(scene, PROGRAMMER, "codes", "open", "--stream", str(STREAM),
               secrets={f"--{holder}-fd": other[holder] for holder in HOLDERS})[0] == 0:
            return False
        print(_("   refused by the sealed file itself, and the wrong attempt counted; the right three:"))
        if run(scene, PROGRAMMER, "codes", "open", "--stream", str(STREAM),
               secrets={f"--{holder}-fd": passwords[holder] for holder in HOLDERS})[0]:
            return False
    else:
        print(_("   the answer codes of stream {stream} are opened already").format(stream=STREAM))
    return run(scene, PROGRAMMER, "codes", "print", "--stream", str(STREAM))[0] == 0


def score_and_statement(scene: Scene) -> bool:
    if run(scene, PROGRAMMER, "score", "--stream", str(STREAM))[0]:
        return False
    printed = run_json(scene, "statement", "print", "--stream", str(STREAM), password=_password(scene))
    if not isinstance(printed, dict):
        return False
    print("   " + _("Printed {pages} page(s): {path}").format(pages=printed["pages"], path=printed["path"]))
    picture = render_first_page(Path(printed["path"]), scene.exchange / f"statement-stream-{STREAM}-page-1.png")
    print(_("   page 1 of the statement scanned to {path}").format(path=picture.name))
    return run(scene, PROGRAMMER, "statement", "check", str(picture))[0] == 0


def one_result(scene: Scene) -> Any:
    """The first scored applicant of the stream with an ИИН, as the programmer's database gives them."""
    from arm_programmer.results import ResultStatus
    from arm_programmer.scores import result_rows

    with workstation_session(scene, PROGRAMMER, read_only=False) as session:
        return next((row for row in result_rows(session, STREAM) if row.status is ResultStatus.SCORED and row.iin),
                    None)


def results_at_nct(scene: Scene) -> bool:
    sent = run_json(scene, "send", "results", "--stream", str(STREAM), password=_password(scene))
    if not isinstance(sent, dict):
        return False
    print(_("   sealed for НЦТ: {path}").format(path=sent["path"]))
    if run(scene, NCT, "import", sent["path"], password=NCT_PASSWORD)[0]:
        return False
    if run(scene, NCT, "results", "show", "--site", SITE_CODE, "--stream", str(STREAM))[0]:
        return False
    lookup_file = scene.exchange / f"results-lookup-{SITE_CODE}-stream-{STREAM}.txt"
    from nct_hub.results_lookup import DEFAULT_COST

    passes, kib = (int(part) for part in LOOKUP_COST.split(":"))
    print(_("   the look-up file with a modest key-derivation cost so that the demo stays quick: {passes} passes over "
            "{memory} MiB per record (a real file: {real_passes} over {real_memory} MiB)").format(
        passes=passes, memory=kib // 1024, real_passes=DEFAULT_COST.iterations,
        real_memory=DEFAULT_COST.memory_kib // 1024))
    if run(scene, NCT, "results", "lookup-file", "--site", SITE_CODE, "--stream", str(STREAM), "--out",
           str(lookup_file), "--kdf-cost", LOOKUP_COST)[0]:
        return False
    row = one_result(scene)
    if row is None:
        return False
    print(_("   an applicant looks up their result with their ИКТ and ИИН (the ИИН through a descriptor):"))
    found = run_json(scene, "results", "lookup", "--file", str(lookup_file), "--ikt", row.ikt, workstation=NCT,
                     secrets={"--iin-fd": row.iin})
    if not isinstance(found, dict):
        return False
    from nct_hub.results_lookup import result_text

    print("\n".join(f"   {line}" for line in result_text(found).splitlines()))
    same = found.get("total") == row.total
    if same:
        print(_("   the same total as the programmer's score: {total} of {most}").format(total=row.total,
                                                                                       most=row.max_total))
    else:
        print(_("   the total differs from the programmer's score"))
    return same


def statistics(scene: Scene) -> bool:
    from sqlalchemy import select

    from common.db.models import Stream

    with workstation_session(scene, PROGRAMMER, read_only=False) as session:
        day = session.scalar(select(Stream.exam_date).where(Stream.number == STREAM))
    if day is None:
        return False
    sent = run_json(scene, "send", "statistics", "--date", day.isoformat(), password=_password(scene))
    if not isinstance(sent, dict):
        return False
    print(_("   sealed for НЦТ: {path}").format(path=sent["path"]))
    if run(scene, NCT, "import", sent["path"], password=NCT_PASSWORD)[0]:
        return False
    return run(scene, NCT, "results", "daily", "--site", SITE_CODE)[0] == 0
