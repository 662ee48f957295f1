"""Passwords НЦТ dictates: issued from the root key, checked offline, counted, locked, unlocked, audited."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from exchange_support import Scene, shared_scene

from common.i18n import set_language
from common.security.codes import generate_code


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Scene:
    return shared_scene(tmp_path_factory.mktemp("dictated") / "scene")


@pytest.fixture
def scene(base: Scene, tmp_path: Path) -> Scene:
    return base.copy(tmp_path / "scene")


def issue(scene: Scene, *args: str) -> dict[str, object]:
    result = scene.nct("password", "issue", "--site", "017", *args, "--json")
    assert result.code == 0, result.err
    data: dict[str, object] = result.json()
    return data


def check(scene: Scene, code: str, stream: str = "2", purpose: str = "seating-draw", role: str = "programmer"):
    arguments = ["password", "check", "--purpose", purpose]
    if stream:
        arguments += ["--stream", stream]
    return scene.ws(role, *arguments, password=False, ENT_CODE=code)


def failures(scene: Scene) -> int:
    states = scene.ws("programmer", "password", "status", "--json", password=False).json()["passwords"]
    return int(next(state["failures"] for state in states if state["purpose"] == "seating-draw"))


def test_the_seating_draw_password_locks_after_five_wrong_and_an_unlock_code_lifts_it(scene: Scene) -> None:
    issued = issue(scene, "--purpose", "seating-draw", "--stream", "2", "--out", str(scene.out))
    code = str(issued["code"])
    assert issued["recipient"] == "017/programmer"
    assert issue(scene, "--purpose", "seating-draw", "--stream", "2")["code"] == code  # derived, not stored
    taken = scene.ws("programmer", "package", "open", str(issued["package"]))
    assert taken.code == 0, taken.err

    wrong = generate_code()
    left = [check(scene, wrong).err for _ in range(4)]
    assert ["4 attempt(s) left" in left[0], "1 attempt(s) left" in left[3]] == [True, True]
    typo = check(scene, code[:-1] + ("0" if code[-1] != "0" else "1"))
    assert typo.code == 1 and "typing error" in typo.err
    assert failures(scene) == 4  # a typing error is not counted as a guess
    locked = check(scene, wrong)
    assert locked.code == 1 and "locked" in locked.err and "unlock code 1" in locked.err
    still = check(scene, code)
    assert still.code == 1 and "locked" in still.err  # even the right code waits for the unlock

    unlock = str(issue(scene, "--purpose", "seating-draw", "--stream", "2", "--unlock", "1")["code"])
    assert unlock != code
    bad_unlock = scene.ws(
        "programmer",
        "password",
        "unlock",
        "--purpose",
        "seating-draw",
        "--stream",
        "2",
        password=False,
        ENT_CODE=wrong,
    )
    assert bad_unlock.code == 1 and "Wrong unlock code" in bad_unlock.err
    lifted = scene.ws(
        "programmer",
        "password",
        "unlock",
        "--purpose",
        "seating-draw",
        "--stream",
        "2",
        password=False,
        ENT_CODE=unlock.lower(),
    )
    assert lifted.code == 0, lifted.err
    status = scene.ws("programmer", "password", "status", password=False)
    assert "seating-draw stream 2" in status.out and "2 unlock code(s) left" in status.out  # code 1 is spent
    accepted = check(scene, code.replace("-", " ").lower())
    assert accepted.code == 0 and "accepted" in accepted.out

    log = (scene.folder("programmer") / "audit.log").read_text(encoding="utf-8")
    actions = [json.loads(line)["action"] for line in log.splitlines()]
    assert actions.count("password.wrong") == 5 and "password.unlocked" in actions and "password.accepted" in actions
    assert code not in log and unlock not in log and code.replace("-", "") not in log


def test_a_code_is_bound_to_its_stream_and_purpose(scene: Scene) -> None:
    issued = issue(scene, "--purpose", "seating-draw", "--stream", "2", "--out", str(scene.out))
    assert scene.ws("programmer", "package", "open", str(issued["package"])).code == 0
    other_stream = check(scene, str(issued["code"]), stream="3")
    assert other_stream.code == 1 and "has not arrived" in other_stream.err
    reidentification = check(scene, str(issued["code"]), purpose="re-identification")
    assert reidentification.code == 1 and "has not arrived" in reidentification.err
    stream_three = issue(scene, "--purpose", "seating-draw", "--stream", "3", "--out", str(scene.out))
    assert stream_three["code"] != issued["code"]
    assert scene.ws("programmer", "package", "open", str(stream_three["package"])).code == 0
    assert check(scene, str(issued["code"]), stream="3").code == 1
    assert check(scene, str(stream_three["code"]), stream="3").code == 0


def test_the_close_applications_verifier_comes_with_the_enrolment(scene: Scene) -> None:
    code = str(issue(scene, "--purpose", "close-applications")["code"])
    accepted = check(scene, code, stream="", purpose="close-applications", role="applications")
    assert accepted.code == 0, accepted.err
    assert check(scene, generate_code(), stream="", purpose="close-applications", role="applications").code == 1


def test_nct_refuses_codes_without_their_stream_or_for_unknown_sites(scene: Scene) -> None:
    no_stream = scene.nct("password", "issue", "--site", "017", "--purpose", "seating-draw")
    assert no_stream.code == 1 and "per stream" in no_stream.err
    unknown = scene.nct("password", "issue", "--site", "099", "--purpose", "close-applications")
    assert unknown.code == 1 and "099" in unknown.err
    too_far = scene.nct(
        "password", "issue", "--site", "017", "--purpose", "seating-draw", "--stream", "1", "--unlock", "9"
    )
    assert too_far.code == 1 and "1 to 3" in too_far.err


def test_a_code_on_the_command_line_is_refused_and_one_from_a_descriptor_is_taken(scene: Scene) -> None:
    import os

    issued = issue(scene, "--purpose", "seating-draw", "--stream", "2", "--out", str(scene.out))
    assert scene.ws("programmer", "package", "open", str(issued["package"])).code == 0
    code = str(issued["code"])
    arguments = ("password", "check", "--purpose", "seating-draw", "--stream", "2")
    on_argv = scene.ws("programmer", *arguments, "--code", code, password=False)
    assert on_argv.code == 1 and "--code-fd" in on_argv.err and "ENT_CODE" in on_argv.err
    assert len(on_argv.err.strip().splitlines()) == 1 and failures(scene) == 0  # not counted as a try
    read_end, write_end = os.pipe()
    os.write(write_end, code.encode() + b"\n")
    os.close(write_end)
    try:
        from_fd = scene.ws("programmer", *arguments, "--code-fd", str(read_end), password=False)
    finally:
        os.close(read_end)
    assert from_fd.code == 0 and "accepted" in from_fd.out
    nothing = scene.ws("programmer", *arguments, password=False)  # no terminal, no variable: refused
    assert nothing.code == 1 and "ENT_CODE" in nothing.err
