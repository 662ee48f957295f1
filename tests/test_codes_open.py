"""The codes gate (п. 176–178): a stream's answer codes open only once its identification has ended, with the
chair's, the ДКНБ representative's and the Ministry representative's passwords together; two of three open
nothing and are counted; the key goes into the database, never into a loose file."""

from __future__ import annotations

import hashlib

import pytest
from applications_support import ok
from exchange_support import Scene
from programmer_support import (
    drawn_scene,
    programmer,
    resolve_differences,
    scan_twice,
    seal_answer_codes,
    session_of,
    three_passwords,
)
from sqlalchemy import select

from arm_programmer.room_simulation import room_envelope
from common.db.exchange_models import PasswordAttempts
from common.db.score_models import StreamAnswerKey
from common.i18n import set_language
from common.security.codes import generate_code
from common.testspec import AnswerKey, random_answer_key
from common.workstation import DataFolder


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, list[str], AnswerKey]:
    """Stream 1 drawn, room 01 scanned twice (room 02 not yet), its answer codes sealed by НЦТ and taken."""
    from arm_programmer.variants import stream_specification

    scene = drawn_scene(tmp_path_factory)
    with session_of(scene) as session:
        spec = stream_specification(session, 1)
        _layout, room1 = room_envelope(session, 1, "01", blanks=1)
    assert spec is not None
    scan_twice(scene, "01", room1, room1)
    resolve_differences(scene, "01", room1)
    key = random_answer_key(spec, seed=16)
    return scene, seal_answer_codes(scene, 1, key.to_json()), key


def attempts(scene: Scene) -> tuple[int, int]:
    with session_of(scene) as session:
        row = session.scalar(select(PasswordAttempts).where(PasswordAttempts.purpose == "answer-codes",
                                                            PasswordAttempts.stream_key == 1))
        return (0, 0) if row is None else (row.failures, row.total_failures)


def stored_key(scene: Scene) -> StreamAnswerKey | None:
    with session_of(scene) as session:
        return session.scalar(select(StreamAnswerKey))


def test_before_identification_ends_the_codes_are_refused_naming_what_blocks(
        sealed: tuple[Scene, list[str], AnswerKey]) -> None:
    scene, passwords, _key = sealed
    refused = programmer(scene, "codes", "open", "--stream", "1", **three_passwords(passwords))
    assert refused.code == 1 and refused.err.count("\n") == 1, refused.err
    assert "The answer codes of stream 1 cannot be opened yet" in refused.err
    assert "first: Room 02 is not scanned twice yet" in refused.err
    assert attempts(scene) == (0, 0) and stored_key(scene) is None


def test_two_of_three_right_passwords_open_nothing_and_are_counted(sealed: tuple[Scene, list[str], AnswerKey]) -> None:
    scene, passwords, _key = sealed
    with session_of(scene) as session:
        _layout, room2 = room_envelope(session, 1, "02")
    scan_twice(scene, "02", room2, room2)
    resolve_differences(scene, "02", room2)
    early = programmer(scene, "codes", "open", "--stream", "1", **three_passwords(passwords))
    assert early.code == 1 and "first: The end of identification is not reported to НЦТ yet" in early.err
    ended = ok(programmer(scene, "identify", "end", "--stream", "1", "--json")).json()
    ok(scene.nct("import", ended["path"]))
    for wrong in range(3):
        typed = list(passwords)
        typed[wrong] = generate_code()
        refused = programmer(scene, "codes", "open", "--stream", "1", **three_passwords(typed))
        assert refused.code == 1 and "do not open the file" in refused.err, refused.err
    assert attempts(scene) == (3, 3) and stored_key(scene) is None


def test_the_right_set_opens_and_the_key_is_kept_in_the_database_only(
        sealed: tuple[Scene, list[str], AnswerKey]) -> None:
    scene, passwords, key = sealed
    opened = ok(programmer(scene, "codes", "open", "--stream", "1", "--json",
                           **three_passwords([passwords[0].lower(), passwords[1].replace("-", ""), passwords[2]])))
    data = opened.json()
    assert data["opened"] and data["variants"] == len(key.variants)
    assert attempts(scene) == (0, 3)
    held = stored_key(scene)
    assert held is not None and held.document == key.to_json()
    assert held.sha256 == hashlib.sha256(key.to_json().encode()).hexdigest() == data["sha256"]
    # no loose file in the data folder carries the key (the database does, and only it)
    folder = DataFolder(scene.folder("programmer"))
    first_row = key.to_json().splitlines()[6].strip().rstrip(",")
    assert len(first_row) > 40
    loose = [path for path in folder.root.rglob("*") if path.is_file() and not path.name.startswith("workstation.")
             and first_row.encode() in path.read_bytes()]
    assert loose == []
    log = folder.audit_log.read_text(encoding="utf-8")
    assert "answer-codes.stored" in log and not any(password in log for password in passwords)
    again = programmer(scene, "codes", "open", "--stream", "1", **three_passwords(passwords))
    assert again.code == 0 and "were opened already" in again.out, again.err
    assert attempts(scene) == (0, 3)


def test_the_old_command_that_wrote_the_key_to_a_file_is_gone(sealed: tuple[Scene, list[str], AnswerKey]) -> None:
    scene, passwords, _key = sealed
    with pytest.raises(SystemExit) as gone:
        programmer(scene, "answer-codes", "open", "--stream", "1", "--out", str(scene.out / "key.json"),
                   **three_passwords(passwords))
    assert gone.value.code == 2 and not (scene.out / "key.json").exists()
