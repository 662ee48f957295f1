"""The one-core setting the benchmarks measure under: figures per core, comparable between machines."""

from __future__ import annotations

import os


def pin_to_one_core() -> None:
    """This process on its first allowed core, OpenCV on one thread."""
    import cv2

    cv2.setNumThreads(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
