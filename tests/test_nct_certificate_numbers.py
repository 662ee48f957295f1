"""НЦТ's side of the certificate numbers (п. 217): the ``certificate-numbers`` payload a site's АРМ «Сертификат»
sends, checked field by field, kept per site and stream (a newer package replaces the stream), and a blank that is
already another stream's certificate at the same site refused. ``test_certificate_blanks.py`` seals a real one."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from nct_support import english_fixture, nct_engine_fixture, postgres_nct_url_fixture  # noqa: F401
from sqlalchemy import Engine, select

from common.errors import Refused
from nct_hub import sample_data
from nct_hub.certificate_numbers import certificates, spoiled_blanks
from nct_hub.db.certificate_models import ReceivedBlankPack, SpoiledBlank
from nct_hub.db.engine import transaction
from nct_hub.imports import ImportResult, import_payload

pytestmark = pytest.mark.usefixtures("english")


def payload(stream: int, numbers: dict[str, str], *, site: str = "017") -> dict[str, Any]:
    return {
        "format": 1, "site_code": site, "stream": stream, "date": "2027-06-20",
        "certificates": [{"ikt": ikt, "series": "AA", "number": number, "issued_on": "2027-07-01"}
                         for ikt, number in numbers.items()],
        "spoiled": [{"series": "AA", "number": "0000009", "reason": "printer jam", "ikt": None}],
        "packs": [{"series": "AA", "first": "0000001", "last": "0000010", "count": 10}],
    }  # fmt: skip


def _import(engine: Engine, sequence: int, body: dict[str, Any], *, stream: int, site: str = "017") -> ImportResult:
    manifest = sample_data.sample_manifest("certificate-numbers", site, sequence, stream=stream, role="certificate")
    with transaction(engine) as session:
        return import_payload(session, manifest, body, package_id=f"{site}-cn-{stream}-{sequence}".ljust(64, "0"),
                              operator="tester")


def _kept(engine: Engine, site: str | None = "017", stream: int | None = None) -> list[tuple[int, str, str]]:
    with transaction(engine) as session:
        return [(item.stream, item.ikt, item.number) for item in certificates(session, site, stream)]


def test_numbers_are_kept_per_stream_and_a_newer_package_replaces_the_stream(nct_engine: Engine) -> None:
    first = _import(nct_engine, 1, payload(1, {"100000001": "0000001", "100000002": "0000002"}), stream=1)
    assert first.imported and first.counts == {"certificates": 2, "spoiled": 1, "packs": 1}
    _import(nct_engine, 2, payload(2, {"100000003": "0000003"}), stream=2)
    _import(nct_engine, 1, payload(1, {"100000001": "0000001"}, site="018"), stream=1, site="018")
    assert _kept(nct_engine) == [(1, "100000001", "0000001"), (1, "100000002", "0000002"),
                                 (2, "100000003", "0000003")]
    newer = _import(nct_engine, 3, payload(1, {"100000001": "0000004", "100000002": "0000002"}), stream=1)
    assert newer.superseded_sequence == 1
    assert _kept(nct_engine, stream=1) == [(1, "100000002", "0000002"), (1, "100000001", "0000004")]
    with transaction(nct_engine) as session:
        assert len(list(session.scalars(select(SpoiledBlank).where(SpoiledBlank.site_code == "017")))) == 2
        assert len(list(session.scalars(select(ReceivedBlankPack)))) == 3
        # the blank spoiled clean comes in both streams' packages: listed once per site
        assert [(row.site_code, row.number, row.reason) for row in spoiled_blanks(session, None, None)] == [
            ("017", "0000009", "printer jam"), ("018", "0000009", "printer jam")]


def test_a_blank_used_by_another_stream_of_the_site_is_refused(nct_engine: Engine) -> None:
    _import(nct_engine, 1, payload(1, {"100000001": "0000001"}), stream=1)
    with pytest.raises(Refused, match="Certificate blank AA 0000001 is already the certificate of an applicant of "
                                      "stream 1 of site 017"):
        _import(nct_engine, 2, payload(2, {"100000003": "0000001"}), stream=2)
    assert _kept(nct_engine) == [(1, "100000001", "0000001")]
    _import(nct_engine, 3, payload(2, {"100000003": "0000001"}, site="018"), stream=2, site="018")  # another site


def _broken(change: str) -> dict[str, Any]:
    body = payload(1, {"100000001": "0000001", "100000002": "0000002"})
    broken = copy.deepcopy(body)
    if change == "format":
        broken["format"] = 2
    elif change == "site":
        broken["site_code"] = "018"
    elif change == "stream":
        broken["stream"] = 2
    elif change == "date":
        broken["date"] = "20.06.2027"
    elif change == "ikt":
        broken["certificates"][0]["ikt"] = "12"
    elif change == "ikt twice":
        broken["certificates"][1]["ikt"] = "100000001"
    elif change == "blank twice":
        broken["spoiled"][0]["number"] = "0000002"
    elif change == "series":
        broken["certificates"][0]["series"] = "A1"
    elif change == "issued_on":
        broken["certificates"][0]["issued_on"] = None
    elif change == "reason":
        broken["spoiled"][0]["reason"] = ""
    elif change == "count":
        broken["packs"][0]["count"] = 11
    elif change == "outside":
        broken["certificates"][0]["number"] = "0000011"
    return broken


@pytest.mark.parametrize(("change", "said"), [
    ("format", "format: format 2 is not known"), ("site", "site_code: the numbers are of site 018"),
    ("stream", "stream: the numbers are of stream 2"), ("date", "date: not a date"),
    ("ikt", "certificates[0].ikt: missing or not valid"), ("ikt twice", "certificates[1].ikt: the ИКТ appears twice"),
    ("blank twice", "spoiled[0].number: the blank appears twice"),
    ("series", "certificates[0].series: missing or not valid"), ("issued_on", "certificates[0].issued_on: not a date"),
    ("reason", "spoiled[0].reason: missing or not valid"),
    ("count", "packs[0].count: does not match the pack's first and last numbers"),
    ("outside", "packs: blank AA 0000011 is in no pack"),
])  # fmt: skip
def test_a_malformed_payload_is_refused_naming_the_field(nct_engine: Engine, change: str, said: str) -> None:
    with pytest.raises(Refused, match="The certificate numbers are not valid") as refused:
        _import(nct_engine, 1, _broken(change), stream=1)
    assert said in str(refused.value)
    assert _kept(nct_engine) == []
