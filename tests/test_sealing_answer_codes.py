"""Answer codes end to end: НЦТ seals a stream's key, the programmer opens it with the three slips."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from exchange_support import CODE_LINE, Scene, pdf_text, shared_scene

from common.i18n import set_language
from common.security.codes import generate_code

ANSWER_KEY = {"stream": 2, "variants": {"0101": {"history": "ABCDEABCDEABCDEABCDE"}}}


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


@pytest.fixture(scope="module")
def sealed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Scene, list[str], Path]:
    scene = shared_scene(tmp_path_factory.mktemp("answer-codes") / "scene")
    key = scene.out / "key.json"
    key.write_text(json.dumps(ANSWER_KEY), encoding="utf-8")
    result = scene.nct(
        "answer-codes", "seal", "--key", str(key), "--site", "017", "--stream", "2", "--out", str(scene.out), "--json"
    )
    assert result.code == 0, result.err
    data = result.json()
    passwords = [CODE_LINE.findall(pdf_text(Path(slip)))[0] for slip in data["slips"]]
    taken = scene.ws("programmer", "package", "open", data["package"])
    assert taken.code == 0, taken.err
    return scene, passwords, Path(data["package"])


def open_codes(scene: Scene, passwords: list[str], out: Path) -> tuple[int, str]:
    result = scene.ws(
        "programmer",
        "answer-codes",
        "open",
        "--stream",
        "2",
        "--out",
        str(out),
        password=False,
        ENT_CHAIR_PASSWORD=passwords[0],
        ENT_DKNB_PASSWORD=passwords[1],
        ENT_MINISTRY_PASSWORD=passwords[2],
    )
    return result.code, result.out + result.err


def attempts(scene: Scene) -> tuple[int, int]:
    with sqlite3.connect(scene.folder("programmer") / "workstation.sqlite") as connection:
        row = connection.execute(
            "SELECT failures, total_failures FROM password_attempts WHERE purpose = 'answer-codes' AND stream_key = 2"
        ).fetchone()
    return (0, 0) if row is None else (int(row[0]), int(row[1]))


def test_the_three_slips_name_their_holders_in_both_languages(sealed: tuple[Scene, list[str], Path]) -> None:
    scene, passwords, _package = sealed
    slips = sorted(scene.out.glob("answer-codes_017_s02_*.pdf"))
    texts = [pdf_text(slip) for slip in slips]
    holders = [
        ("Мемлекеттік комиссия төрағасы", "Председатель государственной комиссии"),
        ("ҰҚК департаментінің өкілі", "Представитель ДКНБ"),
        ("Министрлік өкілі", "Представитель Министерства"),
    ]
    for text, (kazakh, russian), password, number in zip(texts, holders, passwords, (1, 2, 3), strict=True):
        assert kazakh in text and russian in text and re.search(rf"\b{number}\s*/\s*3\b", text)
        assert password in text and all(other not in text for other in passwords if other != password)
    assert len(set(passwords)) == 3


def test_a_wrong_set_fails_is_counted_and_audited_and_the_right_set_opens(
    sealed: tuple[Scene, list[str], Path], tmp_path: Path
) -> None:
    scene, passwords, _package = sealed
    out = tmp_path / "codes.json"
    for wrong in range(3):
        typed = list(passwords)
        typed[wrong] = generate_code()
        code, text = open_codes(scene, typed, out)
        assert code == 1 and "do not open the file" in text and not out.exists()
    assert attempts(scene) == (3, 3)
    code, text = open_codes(scene, [passwords[2].lower(), passwords[0].replace("-", ""), passwords[1]], out)
    assert code == 0, text
    assert json.loads(out.read_text(encoding="utf-8")) == ANSWER_KEY
    assert attempts(scene) == (0, 3)
    log = (scene.folder("programmer") / "audit.log").read_text(encoding="utf-8")
    actions = [json.loads(line)["action"] for line in log.splitlines()]
    assert actions.count("answer-codes.wrong") == 3 and actions[-1] == "answer-codes.opened"
    assert not any(password in log for password in passwords)


def test_nct_keeps_no_password_of_the_slips(sealed: tuple[Scene, list[str], Path]) -> None:
    scene, passwords, package = sealed
    stored = b"".join(path.read_bytes() for path in scene.nct_dir.rglob("*") if path.is_file())
    stored += package.read_bytes()
    for password in passwords:
        assert password.encode() not in stored and password.replace("-", "").encode() not in stored
