"""The results look-up file's cost at its default key derivation (issue 16): the seconds one guess of an ИКТ and
ИИН pair costs, and the build time per 1 000 records on this machine's cores (measured on a small build and
scaled; the figure in docs/packages.md).

    python3 benchmarks/results_lookup.py [--records 8] [--workers 2]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from nct_hub.results_lookup import DEFAULT_COST, SALT_BYTES, LookupEntry, build_lookup_file, derive, lookup

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=8)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    salt = secrets.token_bytes(SALT_BYTES)
    guesses = []
    for _ in range(3):
        started = time.perf_counter()
        derive("100000001", "000101500001", salt, DEFAULT_COST)
        guesses.append(time.perf_counter() - started)
    entries = [LookupEntry(f"{100000001 + index}", f"{index:012d}", {"ikt": f"{100000001 + index}", "total": index})
               for index in range(args.records)]
    started = time.perf_counter()
    built = build_lookup_file(entries, workers=args.workers)
    build = time.perf_counter() - started
    found = lookup(built.data, entries[-1].ikt, entries[-1].iin)
    if found is None or found.get("total") != args.records - 1:
        print("the built file does not give back the last record", file=sys.stderr)
        return 1
    figures = {"guess_seconds_best_of_3": round(min(guesses), 3), "records": args.records, "workers": args.workers,
               "build_seconds": round(build, 2), "minutes_per_1000_records": round(build / args.records * 1000 / 60, 1),
               "load_average": list(os.getloadavg()) if hasattr(os, "getloadavg") else None}
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
