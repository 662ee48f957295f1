"""The end of the demo's exam (issue 19): what НЦТ shows of it — ``ent-nct stats``, the results with appeal, the
appeals and the certificate numbers — each checked against what the site's workstations hold, and every package the
site's workstations made for НЦТ found among the packages НЦТ took. The same commands a user types; the checks read
the workstations' databases, as the other stages do.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from common.i18n import _
from common.workstation import APPLICATIONS, CERTIFICATE, NCT, PROGRAMMER, WORKSTATIONS, DataFolder
from ent_demo.scenario import SITE_CODE, DemoStep, Scene, run, run_json, workstation_session

STREAM = 1


def nct_view_steps(scene: Scene) -> list[DemoStep]:
    return [DemoStep(_("NTC: the exam as NTC sees it — national figures, results with appeal, appeals, certificate "
                       "numbers, every package taken"), lambda: nct_view(scene), NCT)]


@contextmanager
def _nct(scene: Scene) -> Iterator[Session]:
    from sqlalchemy.orm import sessionmaker

    from nct_hub.db.engine import database_url, open_engine

    engine = open_engine(database_url(scene.folder(NCT)))
    try:
        with sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()


def _same(what: str, at_nct: object, at_site: object) -> bool:
    """Say whether НЦТ's figure is the site's; True when it is."""
    if at_nct == at_site:
        print(_("   {what}: {value} at NTC, as at the site").format(what=what, value=at_nct))
        return True
    print(_("   {what}: {nct} at NTC, but {site} at the site").format(what=what, nct=at_nct, site=at_site))
    return False


def site_applicants(scene: Scene) -> int:
    """The site's applicants as the applications workstation holds them (annulled ones left out)."""
    from sqlalchemy import func, select

    from common.db.models import Application, ApplicationStatus

    with workstation_session(scene, APPLICATIONS) as session:
        return int(session.scalar(select(func.count()).select_from(Application)
                                  .where(Application.status != ApplicationStatus.ANNULLED)) or 0)


def programmer_results(scene: Scene) -> tuple[int, int]:
    """The stream's results on the programmer's workstation: (rows, scored)."""
    from arm_programmer.results import ResultStatus
    from arm_programmer.scores import result_rows

    with workstation_session(scene, PROGRAMMER) as session:
        rows = list(result_rows(session, STREAM))
    return len(rows), sum(1 for row in rows if row.status is ResultStatus.SCORED)


def sent_to_nct(scene: Scene) -> list[tuple[str, str, int, int, str]]:
    """Every package the site's workstations made for НЦТ: (sender, kind, stream, sequence, file name)."""
    from sqlalchemy import select

    from common.db.exchange_models import SentPackage

    sent = []
    for workstation in WORKSTATIONS:
        if not DataFolder(scene.folder(workstation)).database.is_file():
            continue
        with workstation_session(scene, workstation) as session:
            sent += [(f"{SITE_CODE}/{workstation.code}", kind, stream, sequence, name) for kind, stream, sequence, name
                     in session.execute(select(SentPackage.kind, SentPackage.stream_key, SentPackage.sequence,
                                               SentPackage.file_name).where(SentPackage.recipient == NCT.code))]
    return sent


def missing_packages(scene: Scene, sent: list[tuple[str, str, int, int, str]] | None = None) -> list[str]:
    """The packages the site's workstations made for НЦТ (``sent``, else :func:`sent_to_nct`) that НЦТ did not
    take (their file names)."""
    from sqlalchemy import select

    from nct_hub.db.import_models import ReceivedPackage

    with _nct(scene) as session:
        taken = {(sender, kind, stream, sequence) for sender, kind, stream, sequence in session.execute(
            select(ReceivedPackage.sender, ReceivedPackage.kind, ReceivedPackage.stream_key, ReceivedPackage.sequence)
            .where(ReceivedPackage.recipient == NCT.code))}
    return [name for sender, kind, stream, sequence, name in (sent_to_nct(scene) if sent is None else sent)
            if (sender, kind, stream, sequence) not in taken]


def nct_view(scene: Scene) -> bool:
    figures = run_json(scene, "stats", workstation=NCT)
    if not isinstance(figures, list) or run(scene, NCT, "stats")[0]:
        return False
    site = next((row for row in figures if row["level"] == "site" and row["site_code"] == SITE_CODE), None)
    if site is None:
        return False
    ok = _same(_("applicants of site {site}").format(site=SITE_CODE), site["applicants"], site_applicants(scene))
    shown: Any = run_json(scene, "results", "show", "--site", SITE_CODE, "--stream", str(STREAM), "--final",
                          workstation=NCT)
    if not isinstance(shown, dict) or run(scene, NCT, "results", "show", "--site", SITE_CODE, "--stream",
                                          str(STREAM), "--final")[0]:
        return False
    rows, scored = programmer_results(scene)
    ok &= _same(_("results of stream {stream} (seated, scored)").format(stream=STREAM),
                (shown["seated"], shown["counts"]["scored"]), (rows, scored))
    appeals = run_json(scene, "appeals", "list", "--site", SITE_CODE, "--stream", str(STREAM), workstation=NCT)
    held = run_json(scene, "appeal", "list", "--stream", str(STREAM))
    if not isinstance(appeals, list) or not isinstance(held, dict) or run(
            scene, NCT, "appeals", "list", "--site", SITE_CODE, "--stream", str(STREAM))[0]:
        return False
    ok &= _same(_("appeals of stream {stream} (number and kind)").format(stream=STREAM),
                sorted((item["number"], item["kind"]) for item in appeals),
                sorted((item["number"], item["kind"]) for item in held["appeals"]))
    numbers = run_json(scene, "certificates", "show", "--site", SITE_CODE, "--stream", str(STREAM), workstation=NCT)
    issued = run_json(scene, "applicants", "--stream", str(STREAM), workstation=CERTIFICATE)
    if not isinstance(numbers, dict) or not isinstance(issued, dict) or run(
            scene, NCT, "certificates", "show", "--site", SITE_CODE, "--stream", str(STREAM))[0]:
        return False
    at_nct = sorted(f"{item['series']} {item['number']}" for item in numbers["certificates"])
    at_site = sorted(f"{item['certificate_series']} {item['certificate_number']}" for item in issued["applicants"]
                     if item["certificate_number"])
    label = _("certificate numbers of stream {stream}").format(stream=STREAM)
    # the count when they agree; both lists when they do not
    ok &= _same(label, len(at_nct), len(at_site)) if at_nct == at_site else _same(label, at_nct, at_site)
    sent = sent_to_nct(scene)
    missing = missing_packages(scene, sent)
    if missing:
        print(_("   not taken by NTC: {packages}").format(packages=", ".join(Path(name).name for name in missing)))
        return False
    print(_("   every package the site's workstations made for NTC is taken there: {count}").format(
        count=len(sent)))
    return ok
