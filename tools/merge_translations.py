"""Merge translations from JSON files ``{msgid: {"kk": ..., "ru": ...}}`` into the catalogue.

Called by ``python3 tasks.py translate FILE…`` (which holds the catalogue lock).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def merge(locale_dir: Path, languages: list[str], files: list[Path]) -> int:
    entries: dict[str, dict[str, str]] = {}
    for file in files:
        entries.update(json.loads(file.read_text(encoding="utf-8")))
    changed = 0
    for language in languages:
        path = locale_dir / language / "LC_MESSAGES" / "ent.po"
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for msgid, texts in entries.items():
            message = catalog.get(msgid)
            if message is not None and language in texts:
                message.string = texts[language]
                message.flags.discard("fuzzy")
                changed += 1
        with path.open("wb") as handle:
            write_po(handle, catalog, sort_output=True, width=100)
    return changed


if __name__ == "__main__":
    count = merge(Path(sys.argv[1]), sys.argv[2].split(","), [Path(f) for f in sys.argv[3:]])
    print(f"{count} translations merged")
