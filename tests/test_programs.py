"""The programs as a user runs them: console scripts, exit codes, languages, the demo."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORKSTATION_PROGRAMS = ["ent-base-ppent", "ent-applications", "ent-scanner-check", "ent-programmer", "ent-certificate"]


def run(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([str(BIN / args[0]), "--lang", lang, *args[1:]], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.mark.parametrize("program", [*WORKSTATION_PROGRAMS, "ent-nct", "ent-omr"])
def test_every_program_is_installed_and_lists_its_commands(program: str) -> None:
    result = subprocess.run([str(BIN / program), "--help"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "usage:" in result.stdout.lower()


@pytest.mark.parametrize("program", WORKSTATION_PROGRAMS)
def test_workstation_help_lists_the_shared_commands(program: str) -> None:
    result = run(program, "--help")
    for command in ("init", "info", "audit"):
        assert command in result.stdout


def test_init_then_info_shows_the_schema_head(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    created = run("ent-applications", "init", "--data-dir", str(folder))
    assert created.returncode == 0, created.stderr
    for sub in ("scans", "outbox", "inbox", "printed"):
        assert (folder / sub).is_dir()
    info = run("ent-applications", "info", "--data-dir", str(folder), "--json")
    data = json.loads(info.stdout)
    assert data["schema_revision"] == data["schema_head"] and data["schema_head"]
    assert data["audit_ok"] is True and data["audit_entries"] >= 1
    text = run("ent-applications", "info", "--data-dir", str(folder)).stdout
    assert f"Schema revision: {data['schema_head']} (head {data['schema_head']})" in text


def test_refusals_are_one_translated_line_with_exit_1(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    assert run("ent-programmer", "init", "--data-dir", str(folder)).returncode == 0
    again = run("ent-programmer", "init", "--data-dir", str(folder), lang="ru")
    assert again.returncode == 1
    assert again.stderr.strip().count("\n") == 0
    assert "уже есть папка АРМ" in again.stderr
    missing = run("ent-programmer", "info", "--data-dir", str(tmp_path / "nowhere"), lang="kk")
    assert missing.returncode == 1
    assert "АЖО қалтасы жоқ" in missing.stderr


def test_bad_usage_exits_2() -> None:
    result = run("ent-certificate", "no-such-command")
    assert result.returncode == 2


def test_audit_verify_names_an_edited_line(tmp_path: Path) -> None:
    folder = tmp_path / "w"
    assert run("ent-applications", "init", "--data-dir", str(folder)).returncode == 0
    assert run("ent-applications", "audit", "verify", "--data-dir", str(folder)).returncode == 0
    log = folder / "audit.log"
    lines = log.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("workstation.init", "workstation.hacked")
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("ent-applications", "audit", "verify", "--data-dir", str(folder))
    assert result.returncode == 1
    assert "line 1" in result.stdout + result.stderr


def test_demo_runs_headless_and_exits_0(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    env.pop("DISPLAY", None)
    result = subprocess.run([sys.executable, "-m", "ent_demo", "--auto", "--lang", "en", "--data-dir", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    # issue 19: the exam's order — the scanner is checked after the passes, before the programmer takes the database
    titles = [line.split(". ", 1)[1] for line in result.stdout.splitlines() if line.startswith("== ")]
    assert titles.index("Scanner check: control set, a faulty and a fit scanner, прил. 18, to NTC") == \
        titles.index("Applications: admission passes with stubs, their register, room folders and journals") + 1
    assert titles[-3:] == [
        "NTC: the exam as NTC sees it — national figures, results with appeal, appeals, certificate numbers, "
        "every package taken",
        "Forms index: every printed form of the exam in one folder, with an index (HTML and PDF)",
        "Audit logs of every workstation"]
    # НЦТ shows the exam the site holds: its applicants, results, appeals and certificate numbers, every package
    for figure in ("applicants of site 017: 11", "results of stream 1 (seated, scored): (11, 11)",
                   "appeals of stream 1 (number and kind): [(1, 'technical'), (2, 'content'), (3, 'content')]",
                   "certificate numbers of stream 1: 11"):
        assert f"{figure} at NTC, as at the site" in result.stdout
    assert "every package the site's workstations made for NTC is taken there: 12" in result.stdout
    assert "--pass 1 --from" in result.stdout and "--checks" in result.stdout  # the checked scanner scans the exam
    _assert_forms_index(tmp_path)
    assert "Stream 1: 17 school(s), expected/seats: Kaz. 130/130; Rus. 20/80" in result.stdout
    assert "every step succeeded" in result.stdout
    assert (tmp_path / "demo-finished.json").is_file()  # the launcher opened on this folder says it is finished
    printed = {path.name.split("_")[0] for path in (tmp_path / "applications" / "printed").glob("*.pdf")}
    assert {"scan-report", "certificates", "register", "database", "journal", "secretaries", "secretary-journal",
            "distribution"} <= printed  # issue 13: closing and the distribution to rooms ran too
    assert "Applicant database of site 017 taken" in result.stdout
    # issue 14: two changes, the closing, НЦТ's variants taken, the draw once (a second refused), a late seating
    assert "Row 2: ИКТ" in result.stdout and "Variants file of stream 1 taken" in result.stdout
    assert "Seats of stream 1 drawn" in result.stdout and "were drawn already" in result.stderr
    assert "(late seating)" in result.stdout
    # issue 15: the identification ends ready for the answer codes — said in the demo's language to the end
    assert "Stream 1: ready for answer codes." in result.stdout and "ағын" not in result.stdout
    assert len(list((tmp_path / "applications" / "printed").glob("scan-report_*.pdf"))) == 3
    # issue 16: the answer codes opened on the second try, scored, прил. 9 and 4 printed, the results at НЦТ
    assert "The code has a typing error" in result.stderr and "The answer codes of stream 1 are open" in result.stdout
    assert "signed by this workstation" in result.stdout and "the same total as the programmer's score" in result.stdout
    printed = {path.name.split("_")[0] for path in (tmp_path / "programmer" / "printed").glob("*.pdf")}
    assert {"answer-codes", "statement"} <= printed
    # issue 17: a fourth application after the deadline refused, the technical appeal granted, the results with appeal
    assert "after the deadline" in result.stderr and "application 1: the total" in result.stdout
    assert "results with appeal number 1" in result.stdout and "statement-with-appeal" in printed
    # a newcomer runs it again in the same folder: every step sees what is done and still succeeds
    again = subprocess.run([sys.executable, "-m", "ent_demo", "--auto", "--lang", "en", "--data-dir", str(tmp_path)],
                           cwd=ROOT, capture_output=True, text=True, env=env, timeout=600)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    assert "the answer codes of stream 1 are opened already" in again.stdout
    assert len(list((tmp_path / "applications" / "printed").glob("scan-report_*.pdf"))) == 3
    _assert_forms_index(tmp_path)  # rebuilt with the second run's prints, no duplicates


def _assert_forms_index(root: Path) -> None:
    """``forms/`` holds every PDF of every workstation's ``printed/`` (and НЦТ's appeal forms) once; each form whose
    first page names an appendix has that appendix in the index; the HTML and the PDF index and the thumbnails
    exist."""
    import pypdfium2

    from ent_demo.forms_index import collect

    printed = sorted(root.glob("*/printed/*.pdf"))
    copies = sorted(path for path in (root / "forms").glob("*.pdf") if not path.name.startswith("index"))
    assert len(copies) == len(printed) + 4  # НЦТ's прил. 40 and 21 Правил, in Kazakh and Russian
    assert sorted(path.name.split("_", 2)[2] for path in copies if "_nct_" not in path.name) == \
        sorted(path.name for path in printed)
    named = []
    for _workstation, source, form, _when in collect(root):
        assert form is not None, source
        document = pypdfium2.PdfDocument(str(source))
        try:
            top = " ".join(document[0].get_textpage().get_text_range().split()[:12])
        finally:
            document.close()
        header = re.search(r"Приложение (\d+) к (Правилам|Инструкции)", top) or \
            re.search(r"(қағидаларына|Нұсқаулыққа) (\d+)-қосымша", top)
        if header is not None:  # the appendix the print names is the index's
            number = header.group(1) if header.group(1).isdigit() else header.group(2)
            assert (form.appendix, form.of_rules) == (number, "Правил" in top or "қағидаларына" in top), (source, top)
            named.append(number)
    assert named  # the headers are read: the check above ran on some prints
    assert (root / "forms" / "index.html").is_file() and (root / "forms" / "index.pdf").is_file()
    assert len(list((root / "forms" / "thumbnails").glob("*.png"))) == len(copies)


def test_nct_has_no_window_and_shows_its_commands_instead() -> None:
    result = run("ent-nct")
    assert result.returncode == 2
    assert "enrolment" in result.stdout and "import" in result.stdout


def test_launcher_offers_the_five_workstations(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from common import i18n
    from common.workstation import WORKSTATIONS
    from ent_demo.launcher import Launcher

    i18n.set_language("ru")
    launcher = Launcher(tmp_path, WORKSTATIONS)
    qtbot.addWidget(launcher)
    texts = [button.text() for button in launcher.buttons]
    assert len(texts) == 5
    assert texts[0].startswith("АРМ «База ППЕНТ»") and texts[0].endswith("ent-base-ppent")
    i18n.set_language("kk")
    assert launcher.buttons[0].text().startswith("«ҰБТ өткізу пунктінің базасы» АЖО")


def test_launcher_switches_language_for_itself_and_the_programs_it_opens(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from common import i18n, settings
    from common.workstation import WORKSTATIONS
    from ent_demo.launcher import Launcher

    i18n.set_language("ru")
    launcher = Launcher(tmp_path, WORKSTATIONS)
    qtbot.addWidget(launcher)
    launcher.language.setCurrentIndex(launcher.language.findData("kk"))
    assert launcher.buttons[1].text().startswith("«ҰБТ өтініштері» АЖО")
    assert settings.load()["language"] == "kk"
