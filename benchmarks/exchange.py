"""How fast a package of 100 000 applicant records is sealed and opened (issue 3: under 3 s each).

    .venv/bin/python benchmarks/exchange.py [--records 100000] [--repeat 3] [--markdown]

"seal": the payload dict to the ``.entpkg`` bytes (canonical JSON, deterministic ZIP, CMS
SignedData with RSA-3072/SHA-256, CMS EnvelopedData with AES-256-CBC) — ``seal_package``.
"open": the bytes back to a checked payload dict (recipient, decryption, signature and certificate
chain, manifest, digests, JSON, sequence rule) — ``open_package`` with an in-memory ledger.
The records look like an applicant file's (Kazakh and Russian names, ИИН, codes), all different
so that compression does not flatter the figures. Reported: the best of ``--repeat`` runs, and
the median.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from common.exchange.addresses import NCT_ADDRESS, workstation  # noqa: E402
from common.exchange.ledger import MemoryLedger  # noqa: E402
from common.exchange.package import open_package, seal_package  # noqa: E402
from common.security.keys import Identity, TrustStore, generate_key, issue_certificate, make_root  # noqa: E402

SURNAMES = ["Әбдіқадыров", "Нұрланова", "Серікбаев", "Иванова", "Жұмабеков", "Қасымова", "Ким", "Ахметов",
            "Төлеген", "Смагулова", "Оспанов", "Петров", "Бекмұхамбетова", "Ғабитов", "Үсенова"]
NAMES = ["Нұрсұлтан", "Айгерім", "Данияр", "Мария", "Ерлан", "Әсел", "Алихан", "Жанар", "Тимур", "Ұлжан"]
PATRONYMICS = ["Серікұлы", "Болатқызы", "Иванович", "Маратқызы", "Ерланұлы", ""]


def applicant_records(count: int, seed: int = 2018) -> list[dict[str, Any]]:
    generator = random.Random(seed)
    records = []
    for number in range(count):
        records.append({
            "ikt": f"{number + 1:09d}",
            "surname": generator.choice(SURNAMES),
            "name": generator.choice(NAMES),
            "patronymic": generator.choice(PATRONYMICS),
            "iin": f"{generator.randrange(10**11, 10**12):012d}",
            "sex": generator.choice("mf"),
            "citizenship": "398",
            "nationality": f"{generator.randrange(1, 130):03d}",
            "region": f"{generator.randrange(1, 18):02d}",
            "district": f"{generator.randrange(1, 40):03d}",
            "school": f"{generator.randrange(1, 9999):04d}",
            "language": generator.choice(["kk", "ru", "en"]),
            "history_language": generator.choice(["kk", "ru", None]),
            "status": "entered",
            "stream": generator.randrange(1, 6),
            "room": f"{generator.randrange(1, 15):02d}",
            "seat": generator.randrange(1, 121),
        })
    return records


def identities() -> tuple[Identity, Identity, TrustStore]:
    root_key, root = make_root()

    def make(role: str | None) -> Identity:
        key = generate_key()
        address = NCT_ADDRESS if role is None else workstation("017", role)
        return Identity.of(issue_certificate(root_key, root, key.public_key(), address), key)

    return make("applications"), make(None), TrustStore(root)


def measure(records: int, repeat: int) -> dict[str, Any]:
    sender, recipient, trust = identities()
    payload = {"applicants": applicant_records(records)}
    seal_times, open_times, size = [], [], 0
    for attempt in range(repeat):
        start = time.perf_counter()
        data = seal_package(kind="applicants", payload=payload, sender=sender,
                            recipient_certificate=recipient.certificate, sequence=attempt + 1)
        seal_times.append(time.perf_counter() - start)
        size = len(data)
        start = time.perf_counter()
        opened = open_package(data, recipient, trust, MemoryLedger())
        open_times.append(time.perf_counter() - start)
        assert len(opened.payload["applicants"]) == records
    return {"records": records, "bytes": size, "seal": seal_times, "open": open_times}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table for the README")
    args = parser.parse_args()
    result = measure(args.records, args.repeat)
    machine = f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPU, Python {platform.python_version()}"
    rows = [(name, min(result[name]), statistics.median(result[name])) for name in ("seal", "open")]
    if args.markdown:
        megabytes = result["bytes"] / 1e6
        print(f"Package of {result['records']:,} applicant records ({megabytes:.1f} MB sealed), {machine}:")
        print()
        print("| step | best | median | limit |")
        print("|---|---|---|---|")
        for name, best, median in rows:
            print(f"| {name} | {best:.2f} s | {median:.2f} s | 3 s |")
    else:
        print(f"{result['records']} records, {result['bytes']} bytes sealed; {machine}")
        for name, best, median in rows:
            print(f"{name:>5}: best {best:.3f} s, median {median:.3f} s (limit 3 s)")
    return 0 if all(best < 3.0 for _name, best, _median in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
