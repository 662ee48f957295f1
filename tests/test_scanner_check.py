"""АРМ «Проверка сканера» (issue 12): the control set through the simulated scanner proves it fit at
200 dpi and names what to fix when it is not — each fault with its own reason — and the commands
print the set, check, print прил. 18 and answer "is this scanner's last check fit?"."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pytest
from exchange_support import Run, run_cli

from arm_scanner_check.check import CheckOutcome, check_pages
from arm_scanner_check.cli import build
from arm_scanner_check.control_set import SHEET_KINDS, ControlSet, build_control_set
from arm_scanner_check.evidence import evidence_picture, failing_cells
from arm_scanner_check.fitness import require_fit_in_folder
from arm_scanner_check.scanners import ScannerChoice, SimulatedControlScanner
from common.errors import Refused
from common.i18n import set_language
from common.scanning.simulated import SimulatedScanner, SimulatedSheet
from common.testspec import shipped_spec
from forms.control_sheet import MARKED_AT


@pytest.fixture(scope="module")
def control_set() -> ControlSet:
    return build_control_set(1, shipped_spec("ent2018"))


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def scan(control_set: ControlSet, **choice: object) -> CheckOutcome:
    scanner = SimulatedControlScanner(control_set, ScannerChoice("simulated", **choice))  # type: ignore[arg-type]
    return check_pages(control_set, scanner.acquire())


def codes(outcome: CheckOutcome) -> list[str]:
    return [finding.code for finding in outcome.findings]


def test_the_set_marks_every_bubble_from_faint_to_full_and_has_double_marks_residue_and_a_blank(
    control_set: ControlSet,
) -> None:
    layout = control_set.layout
    assert [sheet.kind for sheet in control_set.sheets] == list(SHEET_KINDS)
    every = control_set.sheets[0]
    assert set(every.fills) == {bubble.id for bubble in layout.bubbles}
    assert min(every.fills.values()) == 0.3 and max(every.fills.values()) == 1.0
    fills = [fill for sheet in control_set.sheets for fill in sheet.fills.values()]
    assert all(abs(fill - MARKED_AT) >= 0.2 - 1e-9 for fill in fills)  # no decision left to chance
    doubled = [item for item in layout.fields if item.kind != "multi"
               and sum(control_set.sheets[1].marked(f"{item.name}.{value}") for value in item.values) > 1]
    assert doubled
    assert any(0 < fill < 0.3 for fill in control_set.sheets[3].fills.values())  # erasure-like residue
    assert control_set.sheets[-1].fills == {}
    assert len(set(control_set.numbers)) == len(control_set.sheets)
    assert build_control_set(1, shipped_spec("ent2018")).key_json() == control_set.key_json()


def test_the_simulated_scanner_at_200_dpi_is_fit(control_set: ControlSet) -> None:
    outcome = scan(control_set)
    assert outcome.fit, [finding.message() for finding in outcome.findings]
    figures = outcome.figures
    assert (figures["pages_expected"], figures["pages_scanned"]) == (5, 5)
    assert figures["marks_wrong"] == 0 and figures["dpi_min"] == 200
    assert figures["bubbles_compared"] == 5 * len(control_set.layout.bubbles)
    assert figures["fill_error_max"] <= 0.1


@pytest.mark.parametrize(
    ("choice", "code", "words"),
    [
        ({"dpi": 150}, "resolution", ["150 dpi", "200 dpi"]),
        ({"faults": {"skew": 5.0}}, "skew", ["5.0°", "paper guides"]),
        ({"faults": {"streak": 62.0}}, "streak", ["62 mm", "clean the scanner's glass"]),
        ({"brightness": -80}, "darkness", ["too dark", "brightness"]),
        ({"faults": {"missing": 3}}, "missing", ["9001003", "Not scanned", "scan the whole set"]),
        ({"faults": {"swap": 2}}, "order", ["9001002", "after sheet 9001003"]),
    ],
)
def test_a_degraded_scanner_is_not_fit_with_its_own_reason(
    control_set: ControlSet, choice: dict[str, object], code: str, words: list[str]
) -> None:
    outcome = scan(control_set, **choice)
    assert not outcome.fit
    assert codes(outcome) == [code]
    message = outcome.findings[0].message()
    assert all(word in message for word in words), message
    assert "\n" not in message
    assert outcome.findings[0].message("ru") != message and outcome.findings[0].message("kk") != message


def test_marks_unlike_the_key_are_named_and_framed_on_the_sheet(control_set: ControlSet) -> None:
    sheet_two, sheet_three = control_set.sheets[1], control_set.sheets[2]
    # a scanner that delivers sheet 3's marks under sheet 2's number: every differing cell is wrong
    scanner = SimulatedScanner(control_set.layout, [SimulatedSheet(number=sheet_two.number, printed=sheet_three.fills)],
                               natural=False)  # fmt: skip
    outcome = check_pages(control_set, scanner.acquire())
    assert {"marks", "fill"} <= set(codes(outcome))
    assert "missing" in codes(outcome)
    marks = next(finding for finding in outcome.findings if finding.code == "marks")
    differing = {bubble for bubble in {*sheet_two.fills, *sheet_three.fills}
                 if sheet_two.marked(bubble) != sheet_three.marked(bubble)}  # fmt: skip
    assert marks.values["count"] == len(differing)
    assert sheet_two.number in marks.values["cells"]
    read = outcome.pages[0]
    failing = failing_cells(read.outcome)
    assert differing <= set(failing)
    picture = evidence_picture(read.page.image, control_set.layout, read.result, failing)
    magenta = np.all(picture == (220, 0, 200), axis=-1)
    assert magenta.sum() > 100 * len(differing)


def cli(folder: Path, *args: str, **secrets: str) -> Run:
    return run_cli(build(), [*args, "--data-dir", str(folder)], **secrets)


def test_the_commands_print_the_set_check_report_and_answer_fitness(tmp_path: Path) -> None:
    import pypdfium2
    from pdf_support import pdf_text

    folder = tmp_path / "scanner-check"
    assert cli(folder, "init").code == 0
    refused = cli(folder, "check", "--scanner", "simulated")
    assert refused.code == 1 and "No control set is printed yet" in refused.err
    assert cli(folder, "sets").out.startswith("No control set is printed yet")
    printed = cli(folder, "print-set", "--json")
    assert printed.code == 0, printed.err
    data = printed.json()
    [listed] = cli(folder, "sets", "--json").json()
    assert (listed["number"], listed["sheets"], listed["spec_code"]) == (data["number"], len(SHEET_KINDS),
                                                                        data["spec_code"])
    assert f"Set {data['number']:03d}: specification {data['spec_code']}, {len(SHEET_KINDS)} sheets" in cli(
        folder, "sets").out
    document = pypdfium2.PdfDocument(data["path"])
    assert len(document) == len(SHEET_KINDS)
    document.close()
    key = json.loads(Path(data["key_path"]).read_text(encoding="utf-8"))
    assert [sheet["number"] for sheet in key["sheets"]] == [f"9001{index:03d}" for index in range(1, 6)]
    assert key["sheets"][4]["fields"]["ikt.c01"] == "" and key["sheets"][0]["multiple"]

    model = ["--model", "Fujitsu fi-7160", "--serial", "A1"]
    bad = cli(folder, "check", "--scanner", "simulated", *model, "--dpi", "150", "--fault", "streak=62")
    assert bad.code == 0, bad.err
    assert "NOT FIT" in bad.out and "150 dpi" in bad.out and "62 mm" in bad.out
    unfit = cli(folder, "fitness", *model)
    assert unfit.code == 1 and "not fit" in unfit.err
    report = cli(folder, "report", "--language", "ru")
    assert report.code == 0, report.err
    [pdf] = (folder / "printed").glob("app18_check-1_ru_*.pdf")
    text = pdf_text(pdf)
    assert "НЕ ГОДЕН" in text and "150 dpi" in text and "62 мм" in text and "Приложение 18" in text

    # the capture software of a real scanner writes the set into a folder: checked from there
    scans = tmp_path / "capture"
    scans.mkdir()
    control_set = build_control_set(1, shipped_spec("ent2018"))
    SimulatedScanner(control_set.layout, [SimulatedSheet(number=s.number, printed=s.fills) for s in control_set.sheets],
                     natural=False).export(scans)  # fmt: skip
    assert "model" in cli(folder, "check", "--from", str(scans)).err
    good = cli(folder, "check", "--from", str(scans), *model, "--json")
    assert good.code == 0, good.err
    assert good.json()["fit"] is True and good.json()["driver"] == "folder"
    assert cli(folder, "fitness", *model).code == 0
    assert cli(folder, "fitness", "--model", "Canon DR-G2140").code == 1
    # what the exam-day scanning asks, from another workstation's process: the folder opened read-only
    assert require_fit_in_folder(folder, "Fujitsu fi-7160", "A1").id == good.json()["id"]
    with pytest.raises(Refused, match="has not been checked"):
        require_fit_in_folder(folder, "Canon DR-G2140")
    kept = sorted((folder / good.json()["scans_folder"]).glob("page-*.png"))
    assert len(kept) == len(SHEET_KINDS)
    listed = cli(folder, "checks")
    assert "not fit" in listed.out and " fit" in listed.out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="SANE is the Linux driver")
def test_a_sane_scanner_that_delivers_no_control_sheet_is_not_fit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "sane.d"
    config.mkdir()
    (config / "dll.conf").write_text("test\n", encoding="ascii")  # only SANE's virtual test scanner
    monkeypatch.setenv("SANE_CONFIG_DIR", str(config))
    folder = tmp_path / "scanner-check"
    assert cli(folder, "init").code == 0 and cli(folder, "print-set").code == 0
    checked = cli(folder, "check", "--scanner", "test:0", "--model", "SANE test backend", "--dpi", "100", "--json")
    assert checked.code == 0, checked.err
    data = checked.json()
    assert data["fit"] is False and data["driver"] == "sane" and data["settings"]["device"] == "test:0"
    assert data["figures"]["pages_scanned"] == 10
    assert any("could not be read" in line for line in data["findings"])
    assert any("9001001, 9001002, 9001003, 9001004, 9001005" in line for line in data["findings"])


def test_a_check_whose_record_rolls_back_leaves_no_page_images(tmp_path: Path, control_set: ControlSet) -> None:
    from arm_scanner_check.checking import record_check
    from arm_scanner_check.sets import load_set
    from common.db.engine import open_engine, transaction
    from common.workstation import DataFolder

    root = tmp_path / "scanner-check"
    assert cli(root, "init").code == 0 and cli(root, "print-set").code == 0
    folder = DataFolder(root)
    outcome = scan(control_set)
    engine = open_engine(folder.database)
    try:
        with pytest.raises(RuntimeError), transaction(engine) as session:
            set_row, _set = load_set(session)
            record_check(session, folder, set_row, ScannerChoice("simulated"), outcome, actor="test")
            assert list((folder.scans / "scanner-check").glob("*/page-*.png"))
            raise RuntimeError("the disk filled up")
    finally:
        engine.dispose()
    assert not list((folder.scans / "scanner-check").glob("*/page-*.png"))
    assert cli(root, "checks").out.strip() == "No scanner has been checked yet."


def test_a_finding_stored_by_another_version_is_still_shown() -> None:
    from arm_scanner_check.check import Finding

    assert Finding("missing", {"sheet": "9001003"}).message() == "missing: sheet 9001003"
    assert Finding("gone-code").message("ru") == "gone-code"
