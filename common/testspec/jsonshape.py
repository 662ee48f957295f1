"""JSON shapes shared by the test specification and answer key readers.

Each helper checks one field or item and raises :class:`common.errors.Refused` with one translated
line naming the place; :func:`versioned` checks the document kind and format version.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, cast

from common.errors import Refused
from common.i18n import _
from common.testspec.model import FORMAT_VERSION, KEY_FORMAT_VERSION, KEY_KIND, SPEC_KIND

Source = str | os.PathLike[str] | Mapping[str, Any]
"""A JSON file path, or a document already parsed (for example from an exchange package)."""


def _spec_1_to_2(data: dict[str, Any]) -> dict[str, Any]:
    """Version 2 added the creative exam (sector 6, п. 150 note); a version 1 test has none."""
    if "creative_exam" in data:
        raise Refused(_("{place}: the field '{field}' is unknown.").format(
            place=_("test specification"), field="creative_exam"))
    return {**data, "format_version": 2}


NEWEST: dict[str, int] = {SPEC_KIND: FORMAT_VERSION, KEY_KIND: KEY_FORMAT_VERSION}
"""The newest format version of each document kind this program reads."""

# (document kind, format version N) → a function turning a version-N document into version N + 1
UPGRADES: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {
    (SPEC_KIND, 1): _spec_1_to_2,
}


def read_document(source: Source, place: str) -> dict[str, Any]:
    """The JSON object of a file, or ``source`` itself if it is already a mapping."""
    data: Any = source
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            raise Refused(
                _("{place}: the file {file} cannot be read.").format(place=place, file=path.name)
            ) from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            message = _("{place}: the file {file} is not valid JSON (line {line}).")
            raise Refused(message.format(place=place, file=path.name, line=error.lineno)) from None
    if not isinstance(data, Mapping):
        raise Refused(_("{place}: the content must be a JSON object.").format(place=place))
    return dict(data)


def check_fields(
    obj: Mapping[str, Any], place: str, required: Sequence[str], optional: Sequence[str] = ()
) -> None:
    for name in required:
        if name not in obj:
            raise Refused(_("{place}: the field '{field}' is missing.").format(place=place, field=name))
    for name in obj:
        if name not in required and name not in optional:
            raise Refused(_("{place}: the field '{field}' is unknown.").format(place=place, field=name))


def field_object(obj: Mapping[str, Any], name: str, place: str) -> Mapping[str, Any]:
    value = obj[name]
    if not isinstance(value, Mapping):
        raise Refused(_("{place}: '{field}' must be an object.").format(place=place, field=name))
    return cast(Mapping[str, Any], value)


def field_list(obj: Mapping[str, Any], name: str, place: str) -> list[Any]:
    value = obj[name]
    if not isinstance(value, list):
        raise Refused(_("{place}: '{field}' must be a list.").format(place=place, field=name))
    return value


def field_int(obj: Mapping[str, Any], name: str, place: str) -> int:
    value = obj[name]
    if isinstance(value, bool) or not isinstance(value, int):
        raise Refused(_("{place}: '{field}' must be a whole number.").format(place=place, field=name))
    return value


def field_str(obj: Mapping[str, Any], name: str, place: str) -> str:
    value = obj[name]
    if not isinstance(value, str):
        raise Refused(_("{place}: '{field}' must be text.").format(place=place, field=name))
    return value


def field_bool(obj: Mapping[str, Any], name: str, place: str) -> bool:
    value = obj[name]
    if not isinstance(value, bool):
        raise Refused(_("{place}: '{field}' must be true or false.").format(place=place, field=name))
    return value


def item_object(value: Any, name: str, place: str) -> Mapping[str, Any]:
    """An item of the list ``name``, which must be an object."""
    if not isinstance(value, Mapping):
        raise Refused(
            _("{place}: every item of '{field}' must be an object.").format(place=place, field=name)
        )
    return cast(Mapping[str, Any], value)


def item_str(value: Any, name: str, place: str) -> str:
    """An item of the list ``name``, which must be text."""
    if not isinstance(value, str):
        raise Refused(_("{place}: every item of '{field}' must be text.").format(place=place, field=name))
    return value


def versioned(data: dict[str, Any], kind: str, place: str) -> dict[str, Any]:
    """``data`` upgraded to the current format version, refused if it is not of ``kind`` or its
    version is unknown or newer than this program reads."""
    if data.get("kind") != kind:
        if kind == SPEC_KIND:
            raise Refused(_("The file is not a test specification."))
        raise Refused(_("The file is not an answer key."))
    version = data.get("format_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise Refused(_("{place}: the format version is missing or not valid.").format(place=place))
    newest = NEWEST[kind]
    if version > newest:
        message = _(
            "{place}: format version {version} is newer than this program reads (up to {supported}); "
            "install the program version НЦТ issued with it."
        )
        raise Refused(message.format(place=place, version=version, supported=newest))
    while version < newest:
        data = UPGRADES[kind, version](data)
        version += 1
    return data
