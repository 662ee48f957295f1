"""A printed PDF read back as text, the way the tests check what a person would read on the paper."""

from __future__ import annotations

import subprocess
from pathlib import Path


def pdf_text(path: Path, *, layout: bool = True, raw: bool = False) -> str:
    """The text of the PDF at ``path`` (``pdftotext``), each page ending in a form feed: as laid out on the page (a
    table row on one line, columns side by side); with ``layout=False`` in reading order (a wrapped table cell's
    lines together); ``raw``: in the order the page draws it."""
    options = ["-raw"] if raw else ["-layout"] if layout else []
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
