"""Printed forms of АРМ «Заявления ЕНТ», laid out with ``common.reports``."""

from __future__ import annotations

from common.db.models import Site


def site_line(site: Site, language: str) -> str:
    """The site as the forms name it: its code and its name in the form's language."""
    return f"{site.code} — {site.name_kk if language == 'kk' else site.name_ru}"
