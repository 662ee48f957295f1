"""Every command line README.md and docs/*.md show in their code blocks names a command the program has, with
options (and option values) that command takes: a newcomer who copies one gets the command, not an argparse
error."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from common.cli import CommandLine

ROOT = Path(__file__).resolve().parent.parent


def _builders() -> dict[str, Callable[[], CommandLine]]:
    from arm_applications.cli import build as applications
    from arm_base_ppent.cli import build as base_ppent
    from arm_certificate.cli import build as certificate
    from arm_programmer.cli import build as programmer
    from arm_scanner_check.cli import build as scanner_check
    from nct_hub.cli import build as nct

    return {"ent-nct": nct, "ent-base-ppent": base_ppent, "ent-applications": applications,
            "ent-programmer": programmer, "ent-scanner-check": scanner_check,
            "ent-certificate": certificate}


def readme_commands(document: Path) -> Iterator[tuple[str, list[str]]]:
    """Each ``ent-…`` command of ``document``'s code blocks: the program and its words, one per ``&&``/``;``
    step; ``… a / b --x`` after a program stands for further commands of it."""
    text = document.read_text(encoding="utf-8")
    for block in re.findall(r"^```\n(.*?)^```", text, flags=re.S | re.M):
        for line in block.replace("\\\n", " ").splitlines():
            line = re.sub(r"\(.*?\)", " ", line.split("  #")[0]).replace("[", " ").replace("]", " ")
            line = line.replace(".venv/bin/", "")
            program = ""
            for step in re.split(r"&&|;", line):
                words = step.split()
                if words and words[0] in _builders():
                    program, words = words[0], words[1:]
                    yield program, words
                elif words and words[0] == "…" and program:
                    for alternative in " ".join(words[1:]).split(" / "):
                        yield program, alternative.split()


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
COMMANDS = [(program, words) for document in DOCUMENTS for program, words in readme_commands(document)]


def test_the_readme_shows_the_commands_of_every_program() -> None:
    assert {program for program, _words in readme_commands(ROOT / "README.md")} == set(_builders())
    assert len(list(readme_commands(ROOT / "README.md"))) >= 50 and len(COMMANDS) > 100


@pytest.mark.parametrize(("program", "words"), COMMANDS, ids=[" ".join([p, *w])[:60] for p, w in COMMANDS])
def test_a_readme_command_exists_and_takes_its_options(program: str, words: list[str]) -> None:
    parser = _builders()[program]().build_parser()
    named: list[str] = []
    for word in words:
        choices = _subcommands(parser)
        if word not in choices:
            break
        parser = choices[word]
        named.append(word)
    if named:
        assert parser.get_default("_command") is not None, f"{program} {' '.join(named)}: not a whole command"
    else:  # the program alone opens its window
        assert all(word.startswith("--") or not word.isalpha() for word in words[:1]), (program, words)
    options = [word.split("=")[0] for word in words if word.startswith("--")]
    unknown = [option for option in options if option not in parser._option_string_actions]
    assert unknown == [], f"{program} {' '.join(named)} takes no {unknown}"
    rest = words[len(named):]
    values = [(parser._option_string_actions[word], rest[index + 1]) for index, word in enumerate(rest[:-1])
              if word.startswith("--")]
    positional = [action for action in parser._actions if not action.option_strings and action.choices]
    if positional and rest and not rest[0].startswith("--"):
        values.append((positional[0], rest[0]))
    wrong = [value for action, value in values if action.choices and value not in ("…", "N")
             for choice in value.split("|") if choice not in {str(known) for known in action.choices}]
    assert wrong == [], f"{program} {' '.join(named)}: {wrong} not among the choices"


def test_every_figure_names_a_benchmark_that_exists_with_its_options() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    figures = readme.split("## Figures", 1)[1]
    named = re.findall(r"`(benchmarks/\w+\.py)((?: --[\w-]+)*)`", figures)
    assert len(named) >= 10
    for script, options in named:
        assert (ROOT / script).is_file(), script
        source = (ROOT / script).read_text(encoding="utf-8")
        assert all(f'"{option}"' in source for option in options.split()), (script, options)
