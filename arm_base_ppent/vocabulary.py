"""The closed and suggested values of the site database and their names in kk / ru / en.

Stored values are short codes (``natural``, ``village``); the names are message ids translated at
display or print time, in the operator's language or the form's (:func:`label`).
"""

from __future__ import annotations

from typing import Final

from common import codebook
from common.i18n import N_, _, tr

VENTILATION: Final[dict[str, str]] = {
    "natural": N_("natural"),
    "mechanical": N_("mechanical"),
    "air-conditioning": N_("air conditioning"),
}

ROOM_LANGUAGE: Final[dict[str, str]] = codebook.ROOM_LANGUAGE_STATUS_NAMES
ROOM_LANGUAGE_SHORT: Final[dict[str, str]] = {
    "kk": N_("Kaz."),
    "ru": N_("Rus."),
    "en-kk": N_("Eng./Kaz."),
    "en-ru": N_("Eng./Rus."),
}

SCHOOL_LANGUAGE: Final[dict[str, str]] = {
    "kk": N_("Kazakh"),
    "ru": N_("Russian"),
    "mixed": N_("Kazakh and Russian"),
    "other": N_("other language"),
}

SETTLEMENT: Final[dict[str, str]] = {"city": N_("city"), "village": N_("village")}

OWNERSHIP: Final[dict[str, str]] = {"state": N_("state"), "private": N_("private")}

SCHOOL_KIND: Final[dict[str, str]] = {"school": N_("school"), "college": N_("college")}

# Suggestions only: НЦТ's directories may bring other values, which are kept as typed.
SCHOOL_TYPES: Final[dict[str, str]] = {
    "general": N_("general secondary school"),
    "gymnasium": N_("gymnasium"),
    "lyceum": N_("lyceum"),
    "specialised": N_("specialised school"),
    "nis": N_("Nazarbayev Intellectual School"),
    "evening": N_("evening school"),
    "college": N_("college"),
}
TRANSPORT: Final[dict[str, str]] = {
    "none": N_("on foot, no transport"),
    "school-bus": N_("school bus"),
    "hired-bus": N_("hired bus"),
    "public": N_("public transport"),
    "own": N_("parents' own transport"),
}
FOREIGN_LANGUAGES: Final[dict[str, str]] = {
    "en": N_("English"),
    "de": N_("German"),
    "fr": N_("French"),
    "tr": N_("Turkish"),
    "zh": N_("Chinese"),
    "ar": N_("Arabic"),
}

assert tuple(ROOM_LANGUAGE) == codebook.ROOM_LANGUAGE_STATUSES


def label(names: dict[str, str], value: str | None, language: str | None = None) -> str:
    """The name of ``value`` from ``names``, in ``language`` (default: the operator's); an unknown
    value (a free-text type from a directory) is shown as it is."""
    if value is None or value == "":
        return ""
    message = names.get(value)
    if message is None:
        return value
    return tr(language, message) if language else _(message)


def foreign_languages_text(codes: tuple[str, ...] | list[str], language: str | None = None) -> str:
    return ", ".join(label(FOREIGN_LANGUAGES, code, language) for code in codes)
