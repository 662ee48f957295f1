"""How the simulated scanner writes a page as PNG: libpng with Huffman coding only and the Paeth filter
(:func:`common.scanning.simulated.encode_page`) against Pillow at compression level 1 (how it wrote them before).

    .venv/bin/python benchmarks/png_encoding.py [--pages 20] [--markdown]

``--pages`` filled answer sheets (:func:`arm_programmer.room_simulation.filled_sheet`: an answer to every task)
are scanned by :func:`arm_programmer.room_simulation.scanner` (firm pencil, ``Profile.production`` damage, 200
dpi), each page encoded both ways, then decoded as the scan loop decodes a capture file
(:func:`common.scanning.images.decode_pages`). Times are CPU time a page on one core; the figures
benchmarks/README.md gives for the large site's pages (encoding, file size, decoding) are what this prints.
Results go to ``benchmarks/out/png_encoding.json``.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def pillow_png(image: Any, dpi: int) -> bytes:
    """The page (grey or BGR) as Pillow wrote it before (``compress_level=1``, every row's filter chosen)."""
    from PIL import Image

    buffer = io.BytesIO()
    picture = Image.fromarray(image if image.ndim == 2 else image[:, :, ::-1])
    picture.save(buffer, "PNG", dpi=(dpi, dpi), compress_level=1)
    return buffer.getvalue()


def _cpu_ms(work: Callable[..., Any], *args: Any, repeat: int = 3) -> tuple[float, Any]:
    """The least CPU time of ``repeat`` runs of ``work(*args)``, in ms, and its result."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.process_time()
        result = work(*args)
        best = min(best, time.process_time() - started)
    return best * 1000, result


def measure(pages: int, seed: int) -> dict[str, Any]:
    import numpy as np

    from arm_programmer.room_simulation import filled_sheet, scanner
    from benchmarks.cpu import pin_to_one_core
    from common.scanning.images import decode_pages
    from common.scanning.simulated import encode_page
    from forms.registry import get_layout

    pin_to_one_core()
    layout = get_layout("answer-sheet")
    rng = np.random.default_rng(seed)
    sheets = [filled_sheet(layout, f"{number:07d}", f"{100000000 + number}", number, "0101", 1, "01", rng)
              for number in range(1, pages + 1)]
    simulated = scanner(layout, sheets, pass_number=1, seed=seed)
    figures: dict[str, list[float]] = {key: [] for key in (
        "libpng_encode_ms", "pillow_encode_ms", "libpng_mb", "pillow_mb", "libpng_decode_ms", "pillow_decode_ms")}
    for page in simulated.acquire():
        for name, encode in (("libpng", encode_page), ("pillow", pillow_png)):
            encode_ms, data = _cpu_ms(encode, page.image, page.dpi)
            decode_ms, [decoded] = _cpu_ms(decode_pages, data, "scan.png")
            assert np.array_equal(decoded.image, page.image) and decoded.dpi == page.dpi, name
            figures[f"{name}_encode_ms"].append(encode_ms)
            figures[f"{name}_mb"].append(len(data) / 1e6)
            figures[f"{name}_decode_ms"].append(decode_ms)
    return {"pages": pages, **{key: round(sum(values) / len(values), 2) for key, values in figures.items()}}


def markdown(result: dict[str, Any]) -> str:
    rows = [f"| {label} | {result[f'{name}_encode_ms']:.0f} ms | {result[f'{name}_mb']:.2f} MB | "
            f"{result[f'{name}_decode_ms']:.0f} ms |"
            for name, label in (("libpng", "libpng, Huffman only, Paeth (`encode_page`)"),
                                ("pillow", "Pillow, compress_level=1 (before)"))]
    return "\n".join([f"{result['pages']} answer sheets at 200 dpi, production damage; CPU a page, one core:", "",
                      "| PNG written by | encode | file | decode (scan loop) |", "|---|---|---|---|", *rows])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--seed", type=int, default=19)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    result = measure(args.pages, args.seed)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "png_encoding.json").write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(markdown(result) if args.markdown else json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
