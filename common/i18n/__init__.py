"""One gettext catalogue (domain ``ent``) for the core, the commands and the windows.

Source strings are English. ``_`` looks the language up on every call, so a window can switch
language at run time and re-read its texts. ``N_`` only marks a string for extraction; translate
it later with ``_``. Printed forms that need a given language regardless of the operator's choice
use :func:`translator` (for example, Kazakh and Russian side by side on one page).
"""

from __future__ import annotations

import gettext as _gettext
import io
import locale
import os
from collections.abc import Callable
from functools import cache
from pathlib import Path

DOMAIN = "ent"
LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")
DEFAULT_LANGUAGE = "ru"
LOCALE_DIR = Path(__file__).with_name("locale")

_current = DEFAULT_LANGUAGE
_listeners: list[Callable[[str], None]] = []


@cache
def translator(language: str) -> _gettext.NullTranslations:
    """The catalogue of ``language``; the compiled ``.mo`` if it is current, else the ``.po``."""
    if language not in LANGUAGES or language == "en":
        return _gettext.NullTranslations()
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    if po.exists():
        return _gettext.GNUTranslations(io.BytesIO(_compile_po(po)))
    return _gettext.NullTranslations()


def _compile_po(po: Path) -> bytes:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return translator(_current).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translator(_current).ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction without translating it now."""
    return message


def tr(language: str, message: str) -> str:
    """Translate ``message`` into ``language`` whatever the current language is."""
    return translator(language).gettext(message)


def current_language() -> str:
    return _current


def set_language(language: str) -> None:
    """Switch the whole suite to ``language`` and tell every listener."""
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; expected one of {', '.join(LANGUAGES)}")
    changed = language != _current
    _current = language
    if changed:
        for listener in list(_listeners):
            listener(language)


def on_language_changed(listener: Callable[[str], None]) -> Callable[[], None]:
    """Call ``listener(language)`` after each switch; returns a function that unsubscribes."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def system_language() -> str:
    """The language of the operating system if the suite speaks it, else the default."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "")
        code = value.split(":")[0].split("_")[0].split(".")[0].lower()
        if code in LANGUAGES:
            return code
    try:
        code = (locale.getlocale()[0] or "").split("_")[0].lower()
    except ValueError:
        code = ""
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def route_argparse() -> None:
    """Let argparse speak the current language: its ``_`` and ``ngettext`` use this catalogue.

    argparse looks its messages up through gettext's domain "argparse" (no Kazakh, no Russian);
    its message ids are in our catalogue (``common.i18n.argparse_messages``). An id we lack stays
    English, as before.
    """
    import argparse

    setattr(argparse, "_", _)  # noqa: B010 - argparse's module-level gettext alias
    setattr(argparse, "ngettext", lambda singular, plural, count: _(singular) if count == 1 else _(plural))  # noqa: B010


def resolve_language(requested: str | None, saved: str | None) -> str:
    """``--lang`` first, then the saved setting, then the system's language."""
    for candidate in (requested, saved):
        if candidate in LANGUAGES:
            return candidate
    return system_language()


route_argparse()  # every program's command line: argparse's words in the chosen language
