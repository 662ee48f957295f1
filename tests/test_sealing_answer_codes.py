"""Answer codes: НЦТ seals a stream's key into a package and three slips, keeping no password."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest
from exchange_support import CODE_LINE, Scene, shared_scene
from pdf_support import pdf_text

from common.i18n import set_language

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


def open_codes(scene: Scene, passwords: list[str]) -> tuple[int, str]:
    from programmer_support import programmer, three_passwords

    result = programmer(scene, "codes", "open", "--stream", "2", **three_passwords(passwords))
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


def test_the_codes_do_not_open_on_a_workstation_without_the_stream(sealed: tuple[Scene, list[str], Path]) -> None:
    """The right three passwords open nothing where the stream is not identified — here there is no applicant
    database at all — and nothing is counted or written (the gate and the passwords: tests/test_codes_open.py)."""
    scene, passwords, _package = sealed
    before = sorted(path.name for path in scene.folder("programmer").rglob("*") if path.is_file())
    code, text = open_codes(scene, passwords)
    assert code == 1 and "Stream 2 is not a stream of the applicant database here" in text
    assert attempts(scene) == (0, 0)
    after = sorted(path.name for path in scene.folder("programmer").rglob("*") if path.is_file())
    assert [name for name in after if name not in before and not name.startswith("workstation.")] == []


def test_nct_keeps_no_password_of_the_slips(sealed: tuple[Scene, list[str], Path]) -> None:
    scene, passwords, package = sealed
    stored = b"".join(path.read_bytes() for path in scene.nct_dir.rglob("*") if path.is_file())
    stored += package.read_bytes()
    for password in passwords:
        assert password.encode() not in stored and password.replace("-", "").encode() not in stored
