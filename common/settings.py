"""Settings the operator chose, kept between runs (language, last operator)."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import platformdirs

from common.files import atomic_write_text


def user_settings_path() -> Path:
    override = os.environ.get("ENT_ARM_CONFIG_DIR")
    base = Path(override) if override else Path(platformdirs.user_config_dir("ent-arm", appauthor=False))
    return base / "settings.json"


def load(path: Path | None = None) -> dict[str, Any]:
    path = path or user_settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save(values: dict[str, Any], path: Path | None = None) -> None:
    """Merge ``values`` into the settings file, written atomically."""
    path = path or user_settings_path()
    merged = {**load(path), **values}
    atomic_write_text(path, json.dumps(merged, ensure_ascii=False, indent=2))
