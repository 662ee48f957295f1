"""One catalogue speaks for the whole suite: every marked string has a Kazakh and a Russian
translation, with the same ``{placeholders}``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from common import i18n
from common.i18n import LOCALE_DIR

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "tr": (2,)}
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")


def extracted_messages() -> set[str]:
    messages: set[str] = set()
    method_map = [("**.py", "python")]
    for package in ("common", "forms", "nct_hub", "ent_demo", "arm_base_ppent", "arm_applications",
                    "arm_scanner_check", "arm_programmer", "arm_certificate"):
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            ROOT / package, method_map=method_map, keywords=KEYWORDS
        ):
            if isinstance(message, str) and message:
                messages.add(message)
    return messages


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_marked_string_is_translated(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "ent.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {message.id: message.string for message in catalog if message.id and not message.fuzzy}
    missing = sorted(m for m in extracted_messages() if not translated.get(m))
    assert not missing, f"{len(missing)} untranslated in {language}, e.g. {missing[:10]}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_translations_keep_the_placeholders(language: str) -> None:
    with (LOCALE_DIR / language / "LC_MESSAGES" / "ent.po").open("rb") as handle:
        catalog = read_po(handle)
    broken = [
        message.id
        for message in catalog
        if message.id and message.string
        and sorted(PLACEHOLDER.findall(str(message.id))) != sorted(PLACEHOLDER.findall(str(message.string)))
    ]
    assert not broken, broken[:10]


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_catalogue_compiles_without_errors(language: str) -> None:
    """Babel's own checks, as ``tasks.py`` runs them when it compiles: a percent sign in prose ("% of")
    reads as a %-conversion and fails the entry."""
    with (LOCALE_DIR / language / "LC_MESSAGES" / "ent.po").open("rb") as handle:
        catalog = read_po(handle)
    errors = [(message.id, [str(error) for error in found]) for message, found in catalog.check()]
    assert not errors, errors[:5]


def test_switching_language_changes_the_text() -> None:
    i18n.set_language("ru")
    russian = i18n._("Site database workstation")
    i18n.set_language("kk")
    kazakh = i18n._("Site database workstation")
    i18n.set_language("en")
    assert russian != kazakh != "Site database workstation"
    assert i18n._("Site database workstation") == "Site database workstation"
    assert i18n.tr("ru", "Site database workstation") == russian


def test_language_comes_from_option_then_setting_then_system(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANGUAGE", "kk_KZ.UTF-8")
    assert i18n.resolve_language("en", "ru") == "en"
    assert i18n.resolve_language(None, "ru") == "ru"
    assert i18n.resolve_language(None, None) == "kk"
