"""The command line as a new user meets it: files checked first, help and argparse's words translated."""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from common.paths import InputFile, OutputFile, OutputFolder

BIN = Path(sys.executable).parent
WORKSTATION_CLIS = ["arm_base_ppent", "arm_applications", "arm_scanner_check", "arm_programmer", "arm_certificate",
                    "nct_hub"]


def run(program: str, *args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "ENT_PASSWORD"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([str(BIN / program), "--lang", lang, *args], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().count("\n") == 0, result.stderr
    return result.stderr.strip()


def test_omr_blank_into_a_missing_folder_is_refused_naming_it_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder"
    result = run("ent-omr", "blank", "answer-sheet", "--out", str(missing / "blank.pdf"), lang="ru")
    assert result.returncode == 1
    assert one_line(result) == f"ent-omr: Папки {missing} нет; сначала создайте её или выберите другую."
    assert not missing.exists()


def test_omr_blank_where_nothing_can_be_written_is_one_translated_line() -> None:
    result = run("ent-omr", "blank", "answer-sheet", "--out", "/proc/blank.pdf", lang="kk")
    assert result.returncode == 1
    assert one_line(result).startswith("ent-omr: /proc қалтасына жазу мүмкін емес: ")


def test_omr_blank_onto_a_folder_is_refused(tmp_path: Path) -> None:
    result = run("ent-omr", "blank", "answer-sheet", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "is a folder; give the name of a file to write" in one_line(result)


def test_a_missing_package_is_named_before_any_password_is_asked(tmp_path: Path) -> None:
    folder = tmp_path / "nct"
    assert run("ent-nct", "init", "--data-dir", str(folder)).returncode == 0
    missing = tmp_path / "missing.entpkg"
    result = run("ent-nct", "import", str(missing), "--data-dir", str(folder))
    assert result.returncode == 1
    assert one_line(result) == f"ent-nct: There is no file {missing}."
    assert "password" not in result.stdout + result.stderr.lower()
    not_a_file = run("ent-nct", "import", str(tmp_path), "--data-dir", str(folder), lang="kk")
    assert one_line(not_a_file) == f"ent-nct: {tmp_path} кәдімгі файл емес (қалта, құрылғы не арна); файлды көрсетіңіз."


def test_a_workstation_enrolment_package_is_checked_before_the_password(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    assert run("ent-base-ppent", "init", "--data-dir", str(folder)).returncode == 0
    result = run("ent-base-ppent", "enrol", "--package", str(tmp_path / "enrol.entpkg"), "--data-dir", str(folder))
    assert result.returncode == 1
    assert one_line(result) == f"ent-base-ppent: There is no file {tmp_path / 'enrol.entpkg'}."


def test_an_enrolment_package_into_a_missing_folder_is_refused_before_the_password(tmp_path: Path) -> None:
    folder = tmp_path / "nct"
    assert run("ent-nct", "init", "--data-dir", str(folder)).returncode == 0
    out = tmp_path / "gone" / "enrol.entpkg"
    result = run("ent-nct", "enrolment", "make", "--site", "017", "--role", "base-ppent", "--out", str(out),
                 "--data-dir", str(folder))
    assert result.returncode == 1
    assert one_line(result).startswith(f"ent-nct: The folder {tmp_path / 'gone'} does not exist")


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


def _all_parsers() -> Iterator[argparse.ArgumentParser]:
    for name in WORKSTATION_CLIS:
        yield from _parsers(importlib.import_module(f"{name}.cli").build().build_parser())
    from forms.cli import build_parser

    yield from _parsers(build_parser())


def test_every_out_option_and_every_file_behind_a_password_is_checked_first() -> None:
    seen = 0
    for parser in _all_parsers():
        asks_password = any("--password" in action.option_strings for action in parser._actions)
        for action in parser._actions:
            if "--out" in action.option_strings:
                seen += 1
                assert isinstance(action, OutputFile | OutputFolder), f"{parser.prog} --out is not checked"
            if asks_password and action.type is Path:
                raise AssertionError(f"{parser.prog} {action.dest}: a file read after the password is asked")
            if isinstance(action, InputFile | OutputFile | OutputFolder):
                assert action.type is None
    assert seen >= 10


@pytest.mark.parametrize(
    ("lang", "ours", "theirs"),
    [
        ("kk", "Бос АЖО қалтасын құру", ("қолданылуы:", "параметрлер:", "осы анықтаманы көрсетіп, шығу")),
        ("ru", "Создать пустую папку АРМ", ("использование:", "параметры:", "показать эту справку и выйти")),
    ],
)
def test_init_help_is_in_the_language_asked_for(lang: str, ours: str, theirs: tuple[str, ...]) -> None:
    result = run("ent-applications", "init", "--help", lang=lang)
    assert result.returncode == 0
    assert ours in result.stdout
    for word in theirs:
        assert word in result.stdout
    for english in ("usage:", "options:", "show this help message", "Create an empty"):
        assert english not in result.stdout
    listing = run("ent-applications", "--help", lang=lang).stdout
    assert ours in listing and theirs[0] in listing
    assert "Show version, data folder" not in listing and "Check the audit log" not in listing


def test_argparse_errors_are_translated_with_the_commands_own_usage() -> None:
    result = run("ent-applications", "init", "--data-dir", lang="ru")
    assert result.returncode == 2
    assert "использование: ent-applications init" in result.stderr
    assert "ent-applications init: ошибка: аргумент --data-dir: ожидался один аргумент" in result.stderr
    missing = run("ent-omr", "blank", lang="kk")
    assert missing.returncode == 2
    assert "қате: мына аргументтер міндетті: FORM, --out" in missing.stderr
