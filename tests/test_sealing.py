"""The answer-codes file opens with the three passwords together and with nothing less (п. 178)."""

from __future__ import annotations

import itertools
import json

import pytest

from common.errors import Refused
from common.i18n import set_language
from common.security import sealing
from common.security.codes import generate_code, normalize_code
from common.security.sealing import SealedFile, ThreePasswords, open_with_three, seal_with_three


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


ANSWER_KEY = json.dumps({"stream": 2, "variants": {"0101": "ABCDE" * 4}}).encode()
WRONG_SET = "These three passwords do not open the file"


@pytest.fixture(scope="module")
def sealed() -> tuple[bytes, ThreePasswords]:
    return seal_with_three(ANSWER_KEY, site_code="017", stream=2)


def test_opens_with_the_three_in_any_order_case_and_separators(sealed: tuple[bytes, ThreePasswords]) -> None:
    data, passwords = sealed
    assert open_with_three(data, passwords.as_tuple()) == ANSWER_KEY
    sloppy = (
        passwords.chair.lower(),
        passwords.dknb.replace("-", " "),
        passwords.ministry.replace("-", "").lower(),
    )
    for order in itertools.permutations(sloppy):
        assert open_with_three(data, order) == ANSWER_KEY


def test_the_three_passwords_are_different_checked_codes(sealed: tuple[bytes, ThreePasswords]) -> None:
    _data, passwords = sealed
    assert len(set(passwords.as_tuple())) == 3
    for password in passwords.as_tuple():
        assert normalize_code(password) == password


@pytest.mark.parametrize("wrong_holder", [0, 1, 2])
def test_any_one_wrong_password_fails_with_one_message(sealed: tuple[bytes, ThreePasswords], wrong_holder: int) -> None:
    data, passwords = sealed
    typed = list(passwords.as_tuple())
    typed[wrong_holder] = generate_code()
    with pytest.raises(Refused) as refusal:
        open_with_three(data, typed)
    assert WRONG_SET in refusal.value.message
    for password in passwords.as_tuple():
        assert password not in refusal.value.message


def test_two_known_passwords_cannot_open_the_file(sealed: tuple[bytes, ThreePasswords]) -> None:
    data, passwords = sealed
    for known in itertools.combinations(passwords.as_tuple(), 2):
        with pytest.raises(Refused, match="exactly three"):
            open_with_three(data, known)
        with pytest.raises(Refused, match="same"):
            open_with_three(data, (*known, known[0]))
        with pytest.raises(Refused, match=WRONG_SET):
            open_with_three(data, (*known, generate_code()))


def test_the_file_carries_no_per_password_check_value(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two holders could search for the third password only if the file let them test it cheaply.

    The file is exactly: a public header (format, version, site, stream, Argon2id cost) plus salt,
    nonce and ciphertext. Sealing the same answers under two different password sets with the same
    salt and nonce yields files that differ in the ciphertext alone, and the ciphertext is exactly
    the plaintext's length plus GCM's 16-byte tag: there is no room for a hash or check value of any
    single password. Testing a guess therefore costs a full Argon2id run over all three passwords
    plus an AES-GCM decryption, over 2^60 guesses.
    """
    monkeypatch.setattr(sealing.os, "urandom", lambda size: bytes(range(size)))
    first, _passwords = seal_with_three(ANSWER_KEY, site_code="017", stream=2)
    second, _others = seal_with_three(ANSWER_KEY, site_code="017", stream=2)
    one, two = json.loads(first), json.loads(second)
    assert (
        set(one)
        == sealing.FILE_FIELDS
        == {"format", "version", "site_code", "stream", "kdf", "salt", "nonce", "ciphertext"}
    )
    assert {name for name in one if one[name] != two[name]} == {"ciphertext"}
    parsed = SealedFile.from_bytes(first)
    assert len(parsed.ciphertext) == len(ANSWER_KEY) + 16
    assert set(one["kdf"]) == {"name", "memory_kib", "iterations", "lanes"}


def test_the_header_is_bound_to_the_ciphertext(sealed: tuple[bytes, ThreePasswords]) -> None:
    data, passwords = sealed
    moved = json.loads(data)
    moved["stream"] = 3
    with pytest.raises(Refused, match=WRONG_SET):
        open_with_three(json.dumps(moved).encode(), passwords.as_tuple())


def test_a_damaged_or_foreign_file_is_refused(sealed: tuple[bytes, ThreePasswords]) -> None:
    data, passwords = sealed
    with pytest.raises(Refused, match="not a sealed"):
        open_with_three(data[: len(data) // 2], passwords.as_tuple())
    newer = json.loads(data)
    newer["version"] = 2
    with pytest.raises(Refused, match="newer"):
        open_with_three(json.dumps(newer).encode(), passwords.as_tuple())
