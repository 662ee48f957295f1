"""The end of the demo's exam at НЦТ (issue 19): a package a site's workstation made for НЦТ that НЦТ never took is
named, and the step fails. The whole demo's view — applicants, results, appeals, certificate numbers and every
package taken — is checked in ``tests/test_programs.py``."""

from __future__ import annotations

from pathlib import Path

import pytest

from common.cli import CommandLine
from common.db.engine import open_engine, transaction
from common.db.exchange_models import SentPackage
from common.i18n import set_language
from common.workstation import APPLICATIONS, DataFolder
from ent_demo.nct_view import missing_packages
from ent_demo.scenario import Scene


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def test_a_package_made_for_nct_that_nct_did_not_take_is_named(tmp_path: Path) -> None:
    from nct_hub.cli import main as nct

    assert nct(["init", "--data-dir", str(tmp_path / "nct")]) == 0
    assert nct(["stats", "--data-dir", str(tmp_path / "nct")]) == 0  # НЦТ's database, empty
    folder = DataFolder(tmp_path / APPLICATIONS.code)
    assert CommandLine(APPLICATIONS).run(["init", "--data-dir", str(folder.root)]) == 0
    scene = Scene(tmp_path)
    assert missing_packages(scene) == []
    engine = open_engine(folder.database)
    try:
        with transaction(engine) as session:
            session.add(SentPackage(recipient="nct", kind="daily-statistics", stream_key=0, sequence=1,
                                    file_name="017-applications_to_nct_daily-statistics_0001.entpkg"))
            session.add(SentPackage(recipient="017/programmer", kind="applicant-database", stream_key=0, sequence=1,
                                    file_name="017-applications_to_017-programmer_applicant-database_0001.entpkg"))
    finally:
        engine.dispose()
    assert missing_packages(scene) == ["017-applications_to_nct_daily-statistics_0001.entpkg"]
