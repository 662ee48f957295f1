"""The results look-up file: the right ИКТ and ИИН find the right result, nothing else finds anything,
and the file gives nobody's ИКТ, ИИН or score away. Tests derive at a tiny cost (``TEST_COST``)."""

from __future__ import annotations

import json
import re

import pytest
from nct_support import english_fixture  # noqa: F401

from common.errors import Refused
from nct_hub.results_lookup import (
    DEFAULT_COST,
    RECORD_SIZE,
    TEST_COST,
    KdfCost,
    LookupEntry,
    build_lookup_file,
    lookup,
)

pytestmark = pytest.mark.usefixtures("english")


def entry(number: int, total: int | None) -> LookupEntry:
    ikt, iin = f"{100000000 + number}", f"05010{number % 10}{number:06d}"
    scored = total is not None
    result = {"ikt": ikt, "site_code": "017", "stream": 1, "date": "2027-06-20",
              "status": "scored" if scored else "absent", "total": total, "max_total": 140 if scored else None,
              "subjects": [{"code": "MATH", "points": total, "max": 140}] if scored else []}
    return LookupEntry(ikt, iin, result)


ENTRIES = [entry(1, 97), entry(2, 58), entry(3, None), entry(4, 121), entry(5, 7)]


@pytest.fixture(scope="module")
def built() -> bytes:
    return build_lookup_file(ENTRIES, TEST_COST, workers=2).data


def test_the_right_pair_finds_the_right_result(built: bytes) -> None:
    for item in ENTRIES:
        assert lookup(built, item.ikt, item.iin) == item.result
    assert lookup(built, f" {ENTRIES[3].ikt} ", ENTRIES[3].iin) == ENTRIES[3].result  # spaces typed around


def test_a_wrong_iin_and_an_unknown_ikt_find_nothing_alike(built: bytes) -> None:
    assert lookup(built, ENTRIES[0].ikt, ENTRIES[1].iin) is None  # someone else's ИИН
    assert lookup(built, ENTRIES[0].ikt, "050101500002") is None  # a guessed one
    assert lookup(built, "100000099", ENTRIES[0].iin) is None  # an ИКТ not in the file


def test_the_file_holds_no_ikt_iin_or_score_in_clear(built: bytes) -> None:
    for item in ENTRIES:
        assert item.ikt.encode() not in built and item.iin.encode() not in built
    body = built.split(b"\n", 1)[1]
    for clear in (b'"total"', b'"points"', b'"status"', b"scored", b"absent", b"2027-06-20"):
        assert clear not in body, clear
    records = built.decode().splitlines()[1:]
    # short values ("017", "MATH") may turn up by chance inside random base64: a clear field would be a token of
    # its own, and every record is exactly its three tokens (id, nonce, sealed) of the base64url alphabet
    tokens = [line.split(" ") for line in records]
    assert all(len(parts) == 3 and all(re.fullmatch(r"[A-Za-z0-9_=+/-]+", part) for part in parts) for parts in tokens)
    assert not {"017", "MATH"} & {part for parts in tokens for part in parts}
    assert [line.split(" ")[0] for line in records] == sorted(line.split(" ")[0] for line in records)
    assert len({len(line) for line in records}) == 1  # absent or scored, every record is as long


def test_two_builds_of_the_same_data_differ(built: bytes) -> None:
    again = build_lookup_file(ENTRIES, TEST_COST, workers=1).data
    assert again != built
    first_ids = {line.split(" ")[0] for line in built.decode().splitlines()[1:]}
    assert first_ids.isdisjoint(line.split(" ")[0] for line in again.decode().splitlines()[1:])  # a fresh salt
    assert lookup(again, ENTRIES[1].ikt, ENTRIES[1].iin) == ENTRIES[1].result


def test_a_tampered_record_fails_authentication_with_a_clear_line(built: bytes) -> None:
    lines = built.decode().splitlines()
    wanted = lookup(built, ENTRIES[2].ikt, ENTRIES[2].iin)
    assert wanted == ENTRIES[2].result
    for index in range(1, len(lines)):  # change one character of each record's ciphertext in turn
        record_id, nonce, sealed = lines[index].split(" ")
        changed = sealed[:10] + ("A" if sealed[10] != "A" else "B") + sealed[11:]
        tampered = "\n".join([*lines[:index], f"{record_id} {nonce} {changed}", *lines[index + 1:]]) + "\n"
        try:
            lookup(tampered.encode(), ENTRIES[2].ikt, ENTRIES[2].iin)
        except Refused as refused:
            assert refused.message == ("The look-up file is damaged: the record for this ИКТ and ИИН fails its "
                                       "authentication check.")
            break
    else:
        pytest.fail("no tampered record was caught")


def test_the_header_states_the_cost_and_a_foreign_file_is_refused(built: bytes) -> None:
    header = json.loads(built.split(b"\n", 1)[0])
    assert header["kdf"] | {"salt": ""} == {"name": "argon2id", "version": "1.3", "salt": "", "iterations": 1,
                                             "memory_kib": 8, "lanes": 1, "length": 64,
                                             "input": "UTF-8 '<ИКТ>:<ИИН>'"}
    assert header["records"] == 5 and header["record"]["plaintext_bytes"] == RECORD_SIZE
    with pytest.raises(Refused, match="not a results look-up file"):
        lookup(b"ikt;iin;total\n", "100000001", "050101500001")
    with pytest.raises(Refused, match="cost 1:1:1 is not one"):
        build_lookup_file(ENTRIES, KdfCost(1, 1, 1))
    forged = json.dumps(header | {"kdf": header["kdf"] | {"iterations": 1000}}).encode()  # the reader's time
    with pytest.raises(Refused, match="cost 1000:8:1 is not one"):
        lookup(forged + b"\n" + built.split(b"\n", 1)[1], ENTRIES[0].ikt, ENTRIES[0].iin)
    assert DEFAULT_COST.memory_kib >= 256 * 1024 and DEFAULT_COST.iterations >= 4
