"""The national rehearsal (``benchmarks/national.py``, issue 19) at a small scale on SQLite: every stage of a whole
ЕНТ runs through НЦТ's own importer, and what НЦТ holds afterwards is what the sites sent."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from nct_hub.db.engine import open_engine, transaction
from nct_hub.db.import_models import ReceivedPackage

ROOT = Path(__file__).resolve().parents[1]


def _benchmark() -> Any:
    spec = importlib.util.spec_from_file_location("bench_national", ROOT / "benchmarks" / "national.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_small_national_rehearsal_brings_every_package_to_nct_and_the_counts_match(tmp_path: Path) -> None:
    national = _benchmark()
    folder = tmp_path / "packages"
    folder.mkdir()
    url = f"sqlite:///{tmp_path / 'nct.sqlite'}"
    report = national.rehearse(url, 4, 403, folder)

    assert [(stage.name, stage.made_by) for stage in report.stages] == [
        ("site databases", "sites"), ("site plans (ИКТ blocks)", "НЦТ"), ("applicant files", "sites"),
        ("final applicant files", "sites"), ("room opening", "НЦТ"), ("room counts", "sites"), ("results", "sites"),
        ("appeals", "sites"), ("appeal decisions", "НЦТ"), ("final results", "sites"),
        ("certificate numbers", "sites"),
    ]  # fmt: skip
    per_site = {"site databases", "site plans (ИКТ blocks)", "applicant files", "final applicant files",
                "room opening", "room counts"}
    for stage in report.stages:
        assert stage.packages == (4 if stage.name in per_site else 4 * national.STREAMS), stage
        assert stage.records > 0 and stage.peak_rss_mb > 0, stage
    assert report.sent["applicants"] == 403
    assert report.sent["results"] == 403  # every applicant seated: the rooms hold them all
    for key, value in report.sent.items():
        assert report.at_nct[key] == value, key
    assert report.at_nct["stats: sites"] == 4
    assert report.at_nct["stats: applicants"] == 403
    assert report.at_nct["stats: expected applicants"] == 403
    assert 0 < report.at_nct["certificates"] < 403  # the scored ones only

    engine = open_engine(url)
    try:
        with transaction(engine) as session:  # every package went through the ledger: 6 per site, 5 per stream
            kinds = {kind: count for kind, count in session.execute(
                select(ReceivedPackage.kind, func.count()).group_by(ReceivedPackage.kind))}
    finally:
        engine.dispose()
    assert kinds == {"site-database": 4, "applicants": 8, "room-counts": 4, "results": 12, "appeals": 12,
                     "final-results": 12, "certificate-numbers": 12}
    markdown = national.markdown([report])
    assert "| НЦТ imports: certificate numbers | 12 |" in markdown and "| applicants | 403 | 403 |" in markdown
