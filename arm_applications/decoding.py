"""Every sector of the application form (п. 94) from what the reader saw, with its rule breaks.

Pure: the reader's fields and flags (READER.md), the operator's overrides from review, НЦТ's
directories and the school being scanned in; the decoded values and the problems (codes of the
error protocol, ``codebook.FORM_ERRORS``) out. What needs the database — the journal's ИКТ, an ИИН
registered before — is checked where the form is stored (:mod:`arm_applications.scanning`).

- Sectors 1–3 (п. 94.1): one letter of the 40-letter alphabet per cell, so ё and ъ never come
  out of the grid (they are marked е and ь); a name is written as the person's, first letter
  capital. An empty cell inside a name, or a cell the reader doubted, is a problem: no letter is
  taken silently wrong (READER.md).
- 4 ИКТ: 9 digits. 5 ИИН: 12 digits with the official check digit, its sex digit agreeing with
  sector 11 — or, without an ИИН, the birth date YYMMDD in the first 6 positions (п. 94.3).
- 6–10: codes in НЦТ's directories; sectors 8–10 must be the school being scanned (п. 89.7).
- 11 sex, 12 test language, 13 history language only and always for English (п. 94.9–94.11).
- 14 «изменен», 15 «аннулирован»: not both.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from common import codebook
from common.directories import Directories
from common.omr.layout import Layout

NAME_GROUPS = ("surname", "name", "patronymic")
CODE_GROUPS = ("ikt", "iin", "citizenship", "nationality", "region", "district", "school")
CHOICES = ("sex", "language", "history_language", "changed", "annulled")


@dataclass(frozen=True)
class Problem:
    code: str
    field: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "field": self.field}


@dataclass
class Decoded:
    values: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(self, code: str, where: str) -> None:
        if Problem(code, where) not in self.problems:
            self.problems.append(Problem(code, where))


def apply_overrides(layout: Layout, fields: Mapping[str, str], overrides: Mapping[str, str]) -> dict[str, str]:
    """The groups (sectors) after the operator's overrides: a field (``surname.c03``) or a whole sector."""
    values = dict(fields)
    groups = layout.fields_by_group
    for key, value in overrides.items():
        if key in CHOICES:
            values[key] = value.upper() if key == "sex" else value
        elif key in groups:
            cells = groups[key]
            text = value.upper() if key in NAME_GROUPS else value
            for index, cell in enumerate(cells):
                values[cell.name] = text[index] if index < len(text) and text[index] != " " else ""
        else:
            values[key] = value.upper() if key.split(".")[0] in NAME_GROUPS else value
    result = {group: "".join(values.get(cell.name, "") or " " for cell in cells).rstrip(" ")
              for group, cells in groups.items()}
    for name in CHOICES:
        result[name] = values.get(name, "")
    return result


def doubtful_sectors(flags: Sequence[Mapping[str, Any]], overrides: Mapping[str, str]) -> set[str]:
    """Fields and sectors the reader flagged (ambiguous, several marks) and no override settled."""
    doubtful = set()
    for flag in flags:
        name = flag.get("field")
        if not name or flag.get("kind") not in ("ambiguous", "multiple"):
            continue
        if name in overrides or name.split(".")[0] in overrides:
            continue
        doubtful.add(name)
    return doubtful


def proper_name(letters: str) -> str:
    return letters[:1] + letters[1:].lower()


def birth_date_from(digits: str, today: date) -> date | None:
    """The birth date YYMMDD written instead of an ИИН; the century that makes it a past date."""
    if not codebook.is_code(digits, 6):
        return None
    year = 2000 + int(digits[0:2])
    if year > today.year:
        year -= 100
    try:
        born = date(year, int(digits[2:4]), int(digits[4:6]))
    except ValueError:
        return None
    return born if born < today else None


def decode(
    sectors: Mapping[str, str],
    doubtful: set[str],
    directories: Directories,
    school: tuple[str, str, str],
    today: date,
) -> Decoded:
    """The values of every sector and the problems found (no database)."""
    decoded = Decoded()
    values = decoded.values
    for name in sorted(doubtful):
        group = name.split(".")[0]
        decoded.add("04" if group in NAME_GROUPS else "20", name)
    for group, missing in (("surname", "01"), ("name", "02"), ("patronymic", None)):
        letters = sectors.get(group, "").strip()
        if not letters and missing:
            decoded.add(missing, group)
        if " " in letters:
            decoded.add("03", group)
        values[group] = proper_name(letters.replace(" ", "")) if letters else ""
    ikt = sectors.get("ikt", "").strip()
    values["ikt"] = ikt
    if not codebook.is_code(ikt, codebook.IKT_DIGITS):
        decoded.add("05", "ikt")
    _identity(sectors, decoded, today)
    for group, code, found in (
        ("citizenship", "13", lambda value: directories.citizenship(value)),
        ("nationality", "14", lambda value: directories.nationality(value)),
    ):
        value = sectors.get(group, "").strip()
        values[group] = value
        if found(value) is None:
            decoded.add(code, group)
    place = tuple(sectors.get(group, "").strip() for group in ("region", "district", "school"))
    values["region"], values["district"], values["school"] = place
    if place != school or directories.school(*place) is None:
        decoded.add("15", "school")
    language, history = sectors.get("language", ""), sectors.get("history_language", "")
    values["test_language"] = language if language in codebook.TEST_LANGUAGES else None
    if values["test_language"] is None and "language" not in doubtful:
        decoded.add("17", "language")
    if (language == "en") != (history in codebook.HISTORY_LANGUAGES) and "history_language" not in doubtful:
        decoded.add("18", "history_language")
    values["history_language"] = history if language == "en" and history in codebook.HISTORY_LANGUAGES else None
    values["changed"] = sectors.get("changed") == "Y"
    values["annulled"] = sectors.get("annulled") == "Y"
    if values["changed"] and values["annulled"]:
        decoded.add("19", "annulled")
    return decoded


def _identity(sectors: Mapping[str, str], decoded: Decoded, today: date) -> None:
    values = decoded.values
    sex = sectors.get("sex", "")
    values["sex"] = sex if sex in ("M", "F") else None
    if values["sex"] is None:
        decoded.add("16", "sex")
    raw = sectors.get("iin", "").strip()
    values["iin"], values["birth_date"] = None, None
    if len(raw) == codebook.IIN_DIGITS:
        if not codebook.is_valid_iin(raw):
            decoded.add("09", "iin")
            return
        values["iin"] = raw
        born = codebook.iin_birth_date(raw)
        values["birth_date"] = None if born is None else born.isoformat()
        if born is None or born >= today:
            decoded.add("11", "iin")
        if values["sex"] is not None and codebook.iin_sex(raw) != values["sex"]:
            decoded.add("10", "iin")
        return
    born = birth_date_from(raw, today)
    if born is None:
        decoded.add("09" if len(raw) != 6 else "11", "iin")
        return
    values["birth_date"] = born.isoformat()
