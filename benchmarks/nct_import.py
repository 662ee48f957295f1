"""How fast НЦТ takes an applicant file of 100 000 records (issue 3: SQLite < 10 s, PostgreSQL < 20 s).

    .venv/bin/python benchmarks/nct_import.py [--records 100000] [--postgres URL] [--markdown]

Measured on a fresh database at head, with the directories and one site database imported first:
- "import": the opened payload into НЦТ's tables (``nct_hub.imports.import_payload``: every record
  checked, then bulk-written — executemany on SQLite, COPY on PostgreSQL), committed;
- "replace": a later file of the same site superseding it (old rows deleted, new ones written);
- "ent-nct import": the sealed ``.entpkg`` file end to end — decrypt, verify, check, parse, import,
  commit (``nct_hub.imports.import_file``).
PostgreSQL is used when ``--postgres`` or ``ENT_TEST_POSTGRES_URL`` names a server (a database
``nct_bench`` is created there and dropped after).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, create_engine, make_url  # noqa: E402

from common.directories import Directories, load_directories_payload  # noqa: E402
from common.exchange.addresses import NCT_ADDRESS, workstation  # noqa: E402
from common.exchange.package import seal_package  # noqa: E402
from common.security.keys import Identity, TrustStore, generate_key, issue_certificate, make_root  # noqa: E402
from nct_hub import sample_data  # noqa: E402
from nct_hub.db.engine import open_engine, transaction  # noqa: E402
from nct_hub.db.migrate import upgrade  # noqa: E402
from nct_hub.directories import directories_payload, import_directories, sample_files  # noqa: E402
from nct_hub.imports import import_file, import_payload  # noqa: E402


def timed(action: Callable[[], Any]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@contextmanager
def sqlite_database() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as folder:
        engine = open_engine(f"sqlite:///{Path(folder) / 'nct.sqlite'}")
        try:
            yield engine
        finally:
            engine.dispose()


@contextmanager
def postgres_database(url: str, name: str = "nct_bench") -> Iterator[str]:
    """A fresh database ``name`` on the PostgreSQL server at ``url`` (dropped first if left over, and afterwards,
    its connections closed by force): its URL."""
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


class Parties:
    """НЦТ and one site's applications workstation, certified by a fresh root."""

    def __init__(self) -> None:
        root_key, self.root = make_root()

        def identity(address: Any) -> Identity:
            key = generate_key()
            return Identity.of(issue_certificate(root_key, self.root, key.public_key(), address), key)

        self.nct = identity(NCT_ADDRESS)
        self.applications = identity(workstation("017", "applications"))


def measure(engine: Engine, records: int, parties: Parties, folder: Path) -> dict[str, float]:
    upgrade(engine)
    with transaction(engine) as session:
        import_directories(session, sample_files(), "bench")
    with transaction(engine) as session:
        directories: Directories = load_directories_payload(directories_payload(session))
    with transaction(engine) as session:
        site = sample_data.sample_site_database(directories, "017", "11")
        import_payload(session, sample_data.sample_manifest("site-database", "017", 1), site, package_id="s" * 64)
    first = sample_data.sample_applicants(directories, records, region_code="11")
    second = sample_data.sample_applicants(directories, records, region_code="11", seed=99)

    def run(payload: dict[str, Any], sequence: int) -> None:
        manifest = sample_data.sample_manifest("applicants", "017", sequence)
        with transaction(engine) as session:
            import_payload(session, manifest, payload, package_id=str(sequence) * 64)

    figures = {"import": timed(lambda: run(first, 1)), "replace": timed(lambda: run(second, 2))}
    sealed = folder / "applicants.entpkg"
    sealed.write_bytes(seal_package(kind="applicants", payload=first, sender=parties.applications,
                                    recipient_certificate=parties.nct.certificate, sequence=3))
    trust = TrustStore(parties.root)

    def end_to_end() -> None:
        with transaction(engine) as session:
            result = import_file(session, sealed, parties.nct, trust, "bench")
        assert result.imported and result.counts["applicants"] == records

    figures["ent-nct import"] = timed(end_to_end)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--postgres", default=os.environ.get("ENT_TEST_POSTGRES_URL"))
    parser.add_argument("--markdown", action="store_true", help="print a table for the README")
    args = parser.parse_args()
    parties = Parties()
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        with sqlite_database() as engine:
            results["SQLite"] = measure(engine, args.records, parties, Path(folder))
        if args.postgres:
            with postgres_database(args.postgres) as url:
                engine = open_engine(url)
                try:
                    results["PostgreSQL"] = measure(engine, args.records, parties, Path(folder))
                finally:
                    engine.dispose()
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    if args.markdown:
        count = f"{args.records:,}".replace(",", " ")
        print(f"НЦТ import of {count} applicant records ({machine}):\n")
        print("| database | import | replace (supersede) | `ent-nct import` of the sealed file |")
        print("|---|---|---|---|")
        for name, figures in results.items():
            print(f"| {name} | {figures['import']:.1f} s | {figures['replace']:.1f} s | "
                  f"{figures['ent-nct import']:.1f} s |")
    else:
        print(machine)
        for name, figures in results.items():
            print(name + ": " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in figures.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
