"""``ent-nct results …`` as НЦТ's operator runs it: a sealed ``results`` package from a site's programmer
imported, shown, put in a look-up file, and an applicant's result found there by ИКТ and ИИН."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from exchange_support import secrets
from test_nct_results import result_row, stream_rows

from arm_programmer.results import ResultStatus, results_payload
from arm_programmer.statistics import StreamAttendance, daily_statistics_payload
from common.exchange.addresses import workstation
from common.exchange.package import seal_package
from common.security.keys import Identity, generate_key, issue_certificate
from nct_hub.cli import main
from nct_hub.keys import load_keys

PASSWORD = "nct-test-password-1"


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Identity, object]:
    """An НЦТ folder with keys and the programmer of site 017 enrolled (slow: RSA), made once."""
    folder = tmp_path_factory.mktemp("nct-results") / "nct"
    assert main(["init", "--data-dir", str(folder), "--lang", "en"]) == 0
    with secrets(ENT_PASSWORD=PASSWORD):
        assert main(["keys", "init", "--data-dir", str(folder), "--lang", "en"]) == 0
    keys = load_keys(folder, PASSWORD)
    key = generate_key()
    certificate = issue_certificate(keys.root_key, keys.root, key.public_key(), workstation("017", "programmer"))
    return folder, Identity.of(certificate, key), keys.identity.certificate


def test_results_travel_from_the_programmer_to_an_applicants_lookup(
    made: tuple[Path, Identity, object], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    template, programmer, certificate = made
    folder = tmp_path / "nct"
    shutil.copytree(template, folder)

    def run(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        with secrets(ENT_PASSWORD=PASSWORD):
            code = main([*args, "--data-dir", str(folder), "--lang", "en"])
        captured = capsys.readouterr()
        return code, (captured.out + captured.err).strip()

    def seal(name: str, kind: str, payload: dict[str, object], sequence: int, stream: int | None) -> str:
        path = tmp_path / name
        path.write_bytes(seal_package(kind=kind, payload=payload, sender=programmer, recipient_certificate=certificate,
                                      sequence=sequence, stream=stream))  # fmt: skip
        return str(path)

    rows = stream_rows()
    files = [seal("results-1.entpkg", "results", results_payload("017", 1, "2027-06-20", rows), 1, 1),
             seal("daily-1.entpkg", "daily-statistics",
                  daily_statistics_payload("017", "2027-06-20", {1: rows}, {1: StreamAttendance(6, 4, 1, 1, 1)}), 1,
                  None)]  # fmt: skip
    code, out = run("import", *files)
    assert code == 0, out
    assert "Results without appeal of site 017, number 1, imported (results 6, scored 3" in out

    code, out = run("results", "show", "--site", "017", "--stream", "1")
    assert code == 0 and "scored 3, absent 1, annulled 1, not admitted 1" in out
    assert "Average total: 34.33 of 70." in out
    code, out = run("results", "show", "--site", "017", "--stream", "2")
    assert code == 1 and out == "ent-nct: Site 017 has sent no results for stream 2."
    code, out = run("--json", "results", "show", "--site", "017", "--stream", "1")
    assert code == 0 and json.loads(out)["counts"] == {"scored": 3, "absent": 1, "annulled": 1, "not-admitted": 1}

    code, out = run("results", "daily")
    assert code == 0 and "Site 017, 2027-06-20 (number 1):" in out
    assert "stream 1: seated 6, present 4, identified 4, scored 3, absent 1, annulled 1, not admitted 1, " \
           "average total 34.33" in out

    lookup_file = tmp_path / "results.lookup"
    code, out = run("results", "lookup-file", "--out", str(lookup_file), "--site", "017", "--stream", "1",
                    "--kdf-cost", "1:8")
    assert code == 0 and out.startswith(f"6 results written to {lookup_file}"), out
    data = lookup_file.read_bytes()
    assert all(row.ikt.encode() not in data and (row.iin or "").encode() not in data for row in rows)
    audit = (folder / "audit.log").read_text(encoding="utf-8")
    assert "nct.results.lookup-file" in audit and rows[0].iin not in audit

    monkeypatch.setenv("ENT_IIN", rows[0].iin or "")
    code, out = run("results", "lookup", "--file", str(lookup_file), "--ikt", rows[0].ikt)
    assert code == 0 and out.splitlines() == [
        "ИКТ 100000001: site 017, stream 1, 2027-06-20: scored.", "HKZ: 20 / 20", "MLIT: 10 / 10", "MATH: 40 / 40",
        "Total: 70 of 70."]  # fmt: skip
    monkeypatch.setenv("ENT_IIN", rows[1].iin or "")  # someone else's ИИН, then an ИКТ not in the file
    assert run("results", "lookup", "--file", str(lookup_file), "--ikt", rows[0].ikt) == (
        1, "No result for this ИКТ and ИИН.")
    assert run("results", "lookup", "--file", str(lookup_file), "--ikt", "100000099") == (
        1, "No result for this ИКТ and ИИН.")
    monkeypatch.delenv("ENT_IIN")
    read, write = os.pipe()  # the ИИН through a descriptor; never on the command line
    os.write(write, f"{rows[3].iin}\n".encode())
    os.close(write)
    code, out = run("results", "lookup", "--file", str(lookup_file), "--ikt", rows[3].ikt, "--iin-fd", str(read))
    os.close(read)
    assert code == 0 and out == "ИКТ 100000004: site 017, stream 1, 2027-06-20: absent."
    code, out = run("results", "lookup", "--file", str(lookup_file), "--ikt", rows[3].ikt, "--iin", "1")
    assert code == 1 and "--iin is not accepted" in out


def test_a_results_package_from_another_site_is_refused(
    made: tuple[Path, Identity, object], tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    template, programmer, certificate = made
    folder = tmp_path / "nct"
    shutil.copytree(template, folder)
    path = tmp_path / "results.entpkg"
    payload = results_payload("018", 1, "2027-06-20", [result_row(1), result_row(2, ResultStatus.ABSENT)])
    path.write_bytes(seal_package(kind="results", payload=payload, sender=programmer,
                                  recipient_certificate=certificate, sequence=1, stream=1))  # fmt: skip
    with secrets(ENT_PASSWORD=PASSWORD):
        code = main(["import", str(path), "--data-dir", str(folder), "--lang", "en"])
    err = capsys.readouterr().err
    assert code == 1 and err == ("ent-nct: results.entpkg: The results are not valid: site_code: the results are of "
                                 "site 018, but the package came from site 017.\n")
