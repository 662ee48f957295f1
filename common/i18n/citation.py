"""Citing the instruction in the reader's language.

The code names paragraphs and appendices the way the (Russian) instruction does: ``п. 80–82``,
``прил. 28``. Russian and English texts keep that; Kazakh puts the number first and the word after
it: ``80–82-тармақтар``, ``28-қосымша`` (one paragraph: ``52.11-тармақ``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from common.i18n import current_language

_NUMBERS = r"\d+(?:\.\d+)*(?:\s*[–-]\s*\d+(?:\.\d+)*)?"
_PARAGRAPHS = re.compile(rf"\bпп?\.\s*({_NUMBERS}(?:\s*,\s*{_NUMBERS})*)")
_APPENDICES = re.compile(rf"\bприл\.\s*({_NUMBERS}(?:\s*,\s*{_NUMBERS})*)")


def cite(reference: str, language: str | None = None) -> str:
    """``reference`` ("п. 52.11–13", "прил. 28", "п. 214, 232") as ``language`` cites it."""
    if (language or current_language()) != "kk":
        return reference

    def kazakh(word: str, plural: str) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            numbers = match.group(1)
            many = any(mark in numbers for mark in ",–-")
            return f"{numbers}-{plural if many else word}"

        return replace

    text = _APPENDICES.sub(kazakh("қосымша", "қосымшалар"), reference)
    return _PARAGRAPHS.sub(kazakh("тармақ", "тармақтар"), text)
