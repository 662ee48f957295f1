"""A national-scale rehearsal of НЦТ: 170 sites, 120 000 applicants, every package of a whole ЕНТ (issue 19).

    .venv/bin/python benchmarks/national.py [--sites 170] [--applicants 120000] [--postgres URL | --sqlite-only]
                                            [--markdown] [--json FILE]

НЦТ (a fresh database at head, the sample directories imported, every site registered) makes what it sends and
imports what the sites send, stage by stage, in the order of an exam:

1. ``site-database`` from each site's АРМ «База ППЕНТ» (``sample_data.sample_site_database``; the schools'
   expected applicants add up to the site's share);
2. НЦТ makes each site's ``site-plan`` (``site_plan_payload``: the ИКТ blocks allocated) and seals it;
3. ``applicants`` from each site's applications workstation (the site's share of the applicants, ИКТ taken from
   its blocks), then 4. the final applicant file (``arm_applications.closing.final_applicants_payload``,
   п. 107.5) superseding it;
5. НЦТ makes each site's ``room-opening`` (``room_opening_payload``) and seals it;
6. ``room-counts`` (the opened rooms filled in order; ``arm_applications.closing.room_counts_payload``);
7. ``results`` per site and stream (``arm_programmer.results.results_payload``: five subjects, 2.5 % absent,
   0.3 % not admitted, 0.2 % annulled);
8. ``appeals`` per site and stream (``appeals_payload``: 1.5 % of the scored appeal a content task, and one
   technical appeal with its two sheet images attached);
9. НЦТ decides every disputed task (``nct_hub.appeals.decide``: every other one satisfied) and makes each
   stream's ``appeal-decisions`` (``decisions_for`` + ``decisions_payload``);
10. ``final-results`` per site and stream (``final_results_payload``, the satisfied tasks' changes applied);
11. ``certificate-numbers`` per site and stream (one blank per scored applicant, one spoiled, the site's pack).

Every package a site sends is sealed by that site's workstation (its own certificate under a fresh root; the
key pair of a role is shared between the sites, which costs the same to sign with) and taken by НЦТ exactly as
``ent-nct import`` takes a file: ``nct_hub.imports.import_file`` in one transaction per package — decrypted,
verified, checked field by field, written. НЦТ's packages are built by its own payload functions and sealed to
the site's workstation (the ``sent_packages`` bookkeeping of ``send_from_nct`` is left out). Reported per stage:
packages, records, the sites' sealing time, НЦТ's time, and the process's peak memory (``ru_maxrss``) after the
stage; then the national statistics ``ent-nct stats`` shows (``nct_hub.stats.national_stats``) and the row counts
of the results tables. Each database runs in a child process of its own, so each peak is its own. PostgreSQL:
``--postgres URL`` or ``ENT_TEST_POSTGRES_URL`` names a server (a database ``nct_national`` is created and
dropped), else a throwaway server is started as ``tasks.py test`` does, when it can be.
"""

from __future__ import annotations

import argparse
import importlib.util
import io
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, select  # noqa: E402

from arm_applications.closing import final_applicants_payload, room_counts_payload  # noqa: E402
from arm_programmer.appeal_records import (  # noqa: E402
    AppealKind,
    AppealRecord,
    AppealState,
    DisputedTask,
    ScoreChange,
    TaskDecision,
    TechnicalCase,
    appeals_payload,
    decisions_payload,
    final_results_payload,
)
from arm_programmer.results import ResultRow, ResultStatus, SubjectPoints, results_payload  # noqa: E402
from benchmarks.nct_import import postgres_database  # noqa: E402
from common import codebook  # noqa: E402
from common.codebook import AppealGround  # noqa: E402
from common.directories import Directories, load_directories_payload  # noqa: E402
from common.exchange.addresses import NCT_ADDRESS, workstation  # noqa: E402
from common.exchange.package import seal_package  # noqa: E402
from common.security.keys import Identity, TrustStore, generate_key, issue_certificate, make_root  # noqa: E402
from nct_hub import sample_data, sample_reference  # noqa: E402
from nct_hub.appeals import decide, decisions_for  # noqa: E402
from nct_hub.applicant_file import APPLICANT_COLUMNS  # noqa: E402
from nct_hub.db.appeal_models import FinalExamResult, NctAppeal  # noqa: E402
from nct_hub.db.certificate_models import CertificateNumber  # noqa: E402
from nct_hub.db.engine import open_engine, transaction  # noqa: E402
from nct_hub.db.import_models import Applicant, ReceivedPackage  # noqa: E402
from nct_hub.db.migrate import upgrade  # noqa: E402
from nct_hub.db.results_models import ExamResult  # noqa: E402
from nct_hub.directories import directories_payload, import_directories, sample_files  # noqa: E402
from nct_hub.enrolment import create_site  # noqa: E402
from nct_hub.imports import import_file  # noqa: E402
from nct_hub.room_opening import room_opening_payload  # noqa: E402
from nct_hub.site_plan import site_plan_payload  # noqa: E402
from nct_hub.stats import national_stats  # noqa: E402

STREAMS = 3
SUBJECTS = (("HKZ", 20), ("RLIT", 10), ("MLIT", 10), ("MATH", 50), ("PHYS", 50))
EXAM_DATES = {1: "2027-06-20", 2: "2027-06-21", 3: "2027-06-22"}
ROLES = ("base-ppent", "applications", "programmer", "certificate")
OPERATOR = "rehearsal"
COLUMN = {name: index for index, name in enumerate(APPLICANT_COLUMNS)}


@dataclass
class Stage:
    name: str
    made_by: str
    """``sites`` (НЦТ imports) or ``НЦТ`` (НЦТ makes and seals)."""
    packages: int = 0
    records: int = 0
    seal_seconds: float = 0.0
    nct_seconds: float = 0.0
    peak_rss_mb: float = 0.0


@dataclass
class Rehearsal:
    database: str
    sites: int
    applicants: int
    stages: list[Stage] = field(default_factory=list)
    sent: dict[str, int] = field(default_factory=dict)
    """What the sites sent: applicants, results, final results, appeals, certificates."""
    at_nct: dict[str, int] = field(default_factory=dict)
    """The same, counted in НЦТ's tables (and the national statistics row) afterwards."""
    stats_seconds: float = 0.0
    total_seconds: float = 0.0
    peak_rss_mb: float = 0.0


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Parties:
    """A fresh root; НЦТ; and for every site one certificate per workstation role (one key pair per role)."""

    def __init__(self) -> None:
        self.root_key, self.root = make_root()
        nct_key = generate_key()
        self.nct = Identity.of(issue_certificate(self.root_key, self.root, nct_key.public_key(), NCT_ADDRESS), nct_key)
        self.keys = {role: generate_key() for role in ROLES}
        self._identities: dict[tuple[str, str], Identity] = {}
        self.trust = TrustStore(self.root)

    def of(self, site: str, role: str) -> Identity:
        if (site, role) not in self._identities:
            key = self.keys[role]
            certificate = issue_certificate(self.root_key, self.root, key.public_key(), workstation(site, role))
            self._identities[(site, role)] = Identity.of(certificate, key)
        return self._identities[(site, role)]


@dataclass
class Site:
    code: str
    region: str
    applicants: int
    rooms: int
    ikts: list[str] = field(default_factory=list)
    applicant_rows: list[list[Any]] = field(default_factory=list)
    opened: list[dict[str, Any]] = field(default_factory=list)
    """The room-opening's opened rooms of every stream."""
    placed: dict[str, tuple[str, int]] = field(default_factory=dict)
    """ИКТ → (room, seat) after the distribution."""
    results: dict[int, list[ResultRow]] = field(default_factory=dict)
    appeals: dict[int, list[AppealRecord]] = field(default_factory=dict)


def _sites(count: int, applicants: int) -> list[Site]:
    regions = [region.code for region in sample_reference.REGIONS]
    shares = [applicants // count + (1 if index < applicants % count else 0) for index in range(count)]
    sites = []
    for index, share in enumerate(shares):
        rooms = 14 * max(1, -(-share // 1000))  # 14 rooms a thousand: every language status in every stream
        sites.append(Site(f"{index + 1:03d}", regions[index % len(regions)], share, rooms))
    return sites


def _tiny_png(label: str) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("L", (400, 120), 255)
    ImageDraw.Draw(image).text((10, 10), label, fill=0)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


class Run:
    """One rehearsal on one database (``rehearse``)."""

    def __init__(self, engine: Engine, sites: list[Site], folder: Path, log: Callable[[str], None]) -> None:
        self.engine, self.sites, self.folder, self.log = engine, sites, folder, log
        self.parties = Parties()
        self.sequence: dict[tuple[str, str, int | None], int] = defaultdict(int)
        self.rng = random.Random(2027)
        self.directories: Directories | None = None
        self.stages: list[Stage] = []
        self.sent: dict[str, int] = defaultdict(int)

    # --- the plumbing -------------------------------------------------------------------------------------------
    def _seal(self, site: str, role: str, kind: str, payload: dict[str, Any], stream: int | None = None,
              attachments: dict[str, bytes] | None = None) -> Path:
        self.sequence[(site, kind, stream)] += 1
        number = self.sequence[(site, kind, stream)]
        data = seal_package(kind=kind, payload=payload, sender=self.parties.of(site, role),
                            recipient_certificate=self.parties.nct.certificate, sequence=number, stream=stream,
                            attachments=attachments)
        path = self.folder / f"{site}-{kind}-{stream or 0}-{number}.entpkg"
        path.write_bytes(data)
        return path

    def _sites_send(self, name: str, role: str, kind: str,
                    build: Callable[[Site, int | None], tuple[dict[str, Any], int, dict[str, bytes] | None]],
                    per_stream: bool = False) -> Stage:
        """Each site (and stream) builds and seals its package; then НЦТ imports every file, one transaction each."""
        stage = Stage(name, "sites")
        files: list[tuple[Path, int]] = []
        started = time.perf_counter()
        for site in self.sites:
            for stream in (range(1, STREAMS + 1) if per_stream else (None,)):
                payload, records, attachments = build(site, stream)
                files.append((self._seal(site.code, role, kind, payload, stream, attachments), records))
        stage.seal_seconds = time.perf_counter() - started
        started = time.perf_counter()
        for path, records in files:
            with transaction(self.engine) as session:
                result = import_file(session, path, self.parties.nct, self.parties.trust, OPERATOR)
            if not result.imported:
                raise AssertionError(f"{path.name}: {result.message}")
            stage.packages += 1
            stage.records += records
            path.unlink()
        stage.nct_seconds = time.perf_counter() - started
        return self._done(stage)

    def _nct_makes(self, name: str, role: str, kind: str,
                   build: Callable[[Any, Site, int | None], tuple[dict[str, Any], int]],
                   per_stream: bool = False) -> Stage:
        """НЦТ builds each site's (and stream's) payload from its database, in one transaction each, and seals it."""
        stage = Stage(name, "НЦТ")
        started = time.perf_counter()
        for site in self.sites:
            for stream in (range(1, STREAMS + 1) if per_stream else (None,)):
                with transaction(self.engine) as session:
                    payload, records = build(session, site, stream)
                self.sequence[(site.code, kind, stream)] += 1
                data = seal_package(kind=kind, payload=payload, sender=self.parties.nct,
                                    recipient_certificate=self.parties.of(site.code, role).certificate,
                                    sequence=self.sequence[(site.code, kind, stream)], stream=stream)
                (self.folder / f"nct-{site.code}-{kind}-{stream or 0}.entpkg").write_bytes(data)
                stage.packages += 1
                stage.records += records
        stage.nct_seconds = time.perf_counter() - started
        return self._done(stage)

    def _done(self, stage: Stage) -> Stage:
        stage.peak_rss_mb = peak_rss_mb()
        self.stages.append(stage)
        self.log(f"{stage.name}: {stage.packages} packages, {stage.records} records, seal {stage.seal_seconds:.1f} s,"
                 f" НЦТ {stage.nct_seconds:.1f} s, peak {stage.peak_rss_mb:.0f} MB")
        return stage

    # --- НЦТ before the exam ------------------------------------------------------------------------------------
    def prepare(self) -> None:
        upgrade(self.engine)
        with transaction(self.engine) as session:
            import_directories(session, sample_files(), OPERATOR)
        with transaction(self.engine) as session:
            self.directories = load_directories_payload(directories_payload(session))
            for site in self.sites:
                create_site(session, code=site.code, name_kk=f"{site.code} ППЕНТ", name_ru=f"ППЕНТ {site.code}",
                            region_code=site.region, building="1", actor=OPERATOR)

    # --- the packages, in the order of an exam ------------------------------------------------------------------
    def site_database(self, site: Site, _stream: int | None) -> tuple[dict[str, Any], int, None]:
        assert self.directories is not None
        payload = sample_data.sample_site_database(self.directories, site.code, site.region, streams=STREAMS,
                                                   rooms=site.rooms, schools=50, seed=2027)
        schools = payload["schools"]
        for index, school in enumerate(schools):  # the expected applicants add up to the site's share
            expected = site.applicants // len(schools) + (1 if index < site.applicants % len(schools) else 0)
            kazakh = expected if school["language"] == "kk" else expected // 2 if school["language"] == "mixed" else 0
            school["expected_applicants"] = expected
            school["expected_by_language"] = {"kk": kazakh, "ru": expected - kazakh, "en-kk": 0, "en-ru": 0}
            school["details"]["students_by_grade"] = {"11": expected}
        return payload, len(payload["room_streams"]) + len(schools), None

    def site_plan(self, session: Any, site: Site, _stream: int | None) -> tuple[dict[str, Any], int]:
        payload = site_plan_payload(session, site.code, OPERATOR)
        site.ikts = []
        for block in payload["ikt_blocks"]:  # the site's applicants take their ИКТ from its blocks
            first, last = int(block["first"]), int(block["last"])
            last = min(last, first + site.applicants - len(site.ikts) - 1)
            site.ikts.extend(f"{ikt:0{codebook.IKT_DIGITS}d}" for ikt in range(first, last + 1))
        assert len(site.ikts) == site.applicants, (site.code, len(site.ikts))
        return payload, len(payload["schools"])

    def applicants(self, site: Site, _stream: int | None) -> tuple[dict[str, Any], int, None]:
        assert self.directories is not None
        payload = sample_data.sample_applicants(self.directories, site.applicants, region_code=site.region,
                                                streams=STREAMS, seed=int(site.code))
        rows = payload["applicants"]["rows"]
        for row, ikt in zip(rows, site.ikts, strict=True):
            row[COLUMN["ikt"]] = ikt
        site.applicant_rows = rows
        self.sent["applicants"] += len(rows)
        return payload, len(rows), None

    def final_applicants(self, site: Site, _stream: int | None) -> tuple[dict[str, Any], int, None]:
        payload = final_applicants_payload("2027-05-25T18:00:00+05:00", site.applicant_rows)
        return payload, len(site.applicant_rows), None

    def room_opening(self, session: Any, site: Site, _stream: int | None) -> tuple[dict[str, Any], int]:
        payload, _short = room_opening_payload(session, site.code)
        site.opened = [use for use in payload["room_streams"] if use["opened"]]
        return payload, len(payload["room_streams"])

    def room_counts(self, site: Site, _stream: int | None) -> tuple[dict[str, Any], int, None]:
        """The distribution: each stream's applicants of a language status fill its opened rooms in order."""
        waiting: dict[tuple[int, str], list[str]] = defaultdict(list)
        for row in site.applicant_rows:
            status = codebook.room_language_status(row[COLUMN["test_language"]], row[COLUMN["history_language"]])
            waiting[(row[COLUMN["stream"]], status)].append(row[COLUMN["ikt"]])
        rooms = []
        for use in site.opened:
            queue = waiting[(use["stream"], use["language"])]
            seated, waiting[(use["stream"], use["language"])] = queue[:use["seats"]], queue[use["seats"]:]
            for seat, ikt in enumerate(seated, start=1):
                site.placed[ikt] = (use["room_number"], seat)
            rooms.append({"stream": use["stream"], "room": use["room_number"], "language": use["language"],
                          "seats": use["seats"], "applicants": len(seated), "reserve": use["reserve"]})
        return room_counts_payload("2027-06-01T12:00:00+05:00", rooms), len(rooms), None

    def results(self, site: Site, stream: int | None) -> tuple[dict[str, Any], int, None]:
        assert stream is not None
        rows = []
        for number, row in enumerate(site.applicant_rows, start=1):
            ikt = row[COLUMN["ikt"]]
            if row[COLUMN["stream"]] != stream or ikt not in site.placed:
                continue
            roll = self.rng.random()
            status = (ResultStatus.ABSENT if roll < 0.025 else ResultStatus.NOT_ADMITTED if roll < 0.028
                      else ResultStatus.ANNULLED if roll < 0.030 else ResultStatus.SCORED)
            scored = status is ResultStatus.SCORED
            subjects = tuple(SubjectPoints(code, self.rng.randint(0, most - 1), most) for code, most in SUBJECTS
                             ) if scored else ()
            room, seat = site.placed[ikt]
            rows.append(ResultRow(
                application_id=number, ikt=ikt, iin=row[COLUMN["iin"]], surname="", name="", patronymic=None,
                school_code=row[COLUMN["school"]], test_language=row[COLUMN["test_language"]],
                room_number=room, seat=seat, sheet_number=f"S{number:06d}" if scored else None,
                variant=f"{self.rng.randint(1, 30):04d}" if scored else None, creative=False, subjects=subjects,
                total=sum(item.points for item in subjects) if scored else None,
                max_total=sum(most for _code, most in SUBJECTS) if scored else None, status=status,
            ))  # fmt: skip
        site.results[stream] = rows
        self.sent["results"] += len(rows)
        return results_payload(site.code, stream, EXAM_DATES[stream], rows), len(rows), None

    def appeals(self, site: Site, stream: int | None) -> tuple[dict[str, Any], int, dict[str, bytes]]:
        assert stream is not None
        scored = [row for row in site.results[stream] if row.status is ResultStatus.SCORED]
        appealing = scored[: max(2, round(len(scored) * 0.015))]
        received = datetime(2027, 6, 20 + stream, 10, 0, tzinfo=UTC)
        records = []
        for number, row in enumerate(appealing, start=1):
            if number == 1:
                kind, task = AppealKind.TECHNICAL, DisputedTask(
                    subject="MATH", task=12, ground=AppealGround.READ_AS_EMPTY, marks="", correct="C", points=0,
                    fills={"A": 0.02, "B": 0.03, "C": 0.62, "D": 0.01, "E": 0.0},
                    appeal_fills={"A": 0.02, "B": 0.02, "C": 0.64, "D": 0.01, "E": 0.0},
                    case=TechnicalCase.UNREAD_MARK, proposed_points=1)  # fmt: skip
            else:
                kind, task = AppealKind.CONTENT, DisputedTask(
                    subject="MATH", task=7 + number % 20, ground=AppealGround.SEVERAL_RIGHT, claimed="BD", marks="B",
                    correct="D", points=0, votes_for=5, votes_against=2, chair_for=True, proposed_points=1)
            records.append(AppealRecord(
                number=number, stream=stream, ikt=row.ikt, application_id=row.application_id,
                room_number=row.room_number, kind=kind, received_at=received, received_by="Представитель МНВО",
                chair="Председатель", state=AppealState.REGISTERED, variant=row.variant or "0001",
                subjects=tuple(code for code, _most in SUBJECTS), tasks=(task,)))  # fmt: skip
        site.appeals[stream] = records
        images = {1: {"test_day": "appeal-1-test-day.png", "appeal": "appeal-1-appeal.png"}}
        attachments = {"appeal-1-test-day.png": _tiny_png(f"{site.code}/{stream} test day"),
                       "appeal-1-appeal.png": _tiny_png(f"{site.code}/{stream} appeal scan")}
        self.sent["appeals"] += len(records)
        return appeals_payload(site.code, stream, records, images), len(records), attachments

    def decisions(self, session: Any, site: Site, stream: int | None) -> tuple[dict[str, Any], int]:
        assert stream is not None
        for record in site.appeals[stream]:
            for task in record.tasks:
                satisfied = record.number % 2 == 1
                decide(session, site.code, stream, record.number, task.subject, task.task,
                       TaskDecision.SATISFIED if satisfied else TaskDecision.NOT_SATISFIED,
                       points=1 if satisfied else None, note="", actor=OPERATOR)
        decided = decisions_for(session, site.code, stream)
        return decisions_payload(site.code, stream, decided), len(decided)

    def final_results(self, site: Site, stream: int | None) -> tuple[dict[str, Any], int, None]:
        assert stream is not None
        rows = {row.ikt: row for row in site.results[stream]}
        changes = []
        applied = datetime(2027, 6, 25, 9, 0, tzinfo=UTC)
        for record in site.appeals[stream]:
            if record.number % 2 == 0:
                continue
            task = record.tasks[0]
            row = rows[record.ikt]
            subjects = tuple(SubjectPoints(item.code, item.points + 1, item.max_points) if item.code == task.subject
                             else item for item in row.subjects)
            rows[record.ikt] = replace(row, subjects=subjects, total=sum(item.points for item in subjects))
            changes.append(ScoreChange(record.ikt, task.subject, task.task, 0, 1, record.number,
                                       "republican-commission", applied, "Программист"))
        final = list(rows.values())
        self.sent["final results"] += len(final)
        return final_results_payload(site.code, stream, EXAM_DATES[stream], final, changes), len(final), None

    def certificate_numbers(self, site: Site, stream: int | None) -> tuple[dict[str, Any], int, None]:
        assert stream is not None
        scored = sorted(row.ikt for row in site.results[stream] if row.status is ResultStatus.SCORED)
        first = 1 + sum(1 + sum(row.status is ResultStatus.SCORED for row in site.results[other])
                        for other in range(1, stream))
        numbers = [{"ikt": ikt, "series": "ЖА", "number": f"{first + index:07d}", "issued_on": "2027-07-10"}
                   for index, ikt in enumerate(scored)]
        spoiled = [{"series": "ЖА", "number": f"{first + len(scored):07d}", "reason": "misprint", "ikt": None}]
        last = sum(1 + sum(row.status is ResultStatus.SCORED for row in site.results[other])
                   for other in range(1, STREAMS + 1))
        payload = {"format": 1, "site_code": site.code, "stream": stream, "date": EXAM_DATES[stream],
                   "certificates": numbers, "spoiled": spoiled,
                   "packs": [{"series": "ЖА", "first": "0000001", "last": f"{last:07d}", "count": last}]}
        self.sent["certificates"] += len(numbers)
        return payload, len(numbers), None

    # --- the whole exam ---------------------------------------------------------------------------------------
    def run(self) -> None:
        self._sites_send("site databases", "base-ppent", "site-database", self.site_database)
        self._nct_makes("site plans (ИКТ blocks)", "applications", "site-plan", self.site_plan)
        self._sites_send("applicant files", "applications", "applicants", self.applicants)
        self._sites_send("final applicant files", "applications", "applicants", self.final_applicants)
        self._nct_makes("room opening", "applications", "room-opening", self.room_opening)
        self._sites_send("room counts", "applications", "room-counts", self.room_counts)
        self._sites_send("results", "programmer", "results", self.results, per_stream=True)
        self._sites_send("appeals", "programmer", "appeals", self.appeals, per_stream=True)
        self._nct_makes("appeal decisions", "programmer", "appeal-decisions", self.decisions, per_stream=True)
        self._sites_send("final results", "programmer", "final-results", self.final_results, per_stream=True)
        self._sites_send("certificate numbers", "certificate", "certificate-numbers", self.certificate_numbers,
                         per_stream=True)


def rehearse(url: str, sites: int, applicants: int, folder: Path,
             log: Callable[[str], None] = lambda _line: None) -> Rehearsal:
    """The whole rehearsal on the (empty) database at ``url``; packages pass through ``folder``."""
    started = time.perf_counter()
    engine = open_engine(url)
    try:
        run = Run(engine, _sites(sites, applicants), folder, log)
        run.prepare()
        run.run()
        report = Rehearsal(engine.dialect.name, sites, applicants, run.stages, dict(run.sent))
        stats_started = time.perf_counter()
        with transaction(engine) as session:
            national = next(row for row in national_stats(session) if row.level == "national")
            report.stats_seconds = time.perf_counter() - stats_started

            def count(model: Any) -> int:
                return int(session.scalar(select(func.count()).select_from(model)) or 0)

            current = select(ReceivedPackage.id).where(ReceivedPackage.current.is_(True))
            report.at_nct = {
                "applicants": int(session.scalar(select(func.count()).select_from(Applicant)
                                                 .where(Applicant.received_id.in_(current))) or 0),
                "results": count(ExamResult), "final results": count(FinalExamResult),
                "appeals": count(NctAppeal), "certificates": count(CertificateNumber),
                "packages": count(ReceivedPackage),
                "stats: sites": national.sites, "stats: rooms": national.rooms, "stats: seats": national.seats,
                "stats: schools": national.schools, "stats: expected applicants": national.expected_applicants,
                "stats: applicants": national.applicants,
            }
    finally:
        engine.dispose()
    report.total_seconds = time.perf_counter() - started
    report.peak_rss_mb = peak_rss_mb()
    return report


# --- the databases ------------------------------------------------------------------------------------------------
def throwaway_postgres(stack: ExitStack) -> str | None:
    """A PostgreSQL server started as ``tasks.py test`` starts one (root on Debian), or None."""
    spec = importlib.util.spec_from_file_location("ent_tasks", ROOT / "tasks.py")
    assert spec is not None and spec.loader is not None
    tasks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tasks)
    try:
        env = stack.enter_context(tasks.postgres_for_tests())
    except Exception as error:
        print(f"no PostgreSQL server could be started: {error}", file=sys.stderr)
        return None
    url = env.get("ENT_TEST_POSTGRES_URL")
    return str(url) if url else None


def child(url: str, args: argparse.Namespace) -> Rehearsal:
    """One database's rehearsal in a process of its own (its own peak memory)."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [sys.executable, __file__, "--child", url, "--sites", str(args.sites), "--applicants",
                   str(args.applicants), "--json", out.name]
        subprocess.run(command, check=True)
        data = json.loads(Path(out.name).read_text(encoding="utf-8"))
    data["stages"] = [Stage(**stage) for stage in data["stages"]]
    return Rehearsal(**data)


DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 10 else f"{value:.1f} s" if value < 100 else f"{value:.0f} s"


def markdown(reports: list[Rehearsal]) -> str:
    machine = f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}"
    first = reports[0]
    names = " | ".join(DATABASE_NAMES.get(report.database, report.database) for report in reports)
    lines = [f"{first.sites} sites, {first.applicants:,} applicants ({machine}); each cell: НЦТ's time "
             f"(the sites' sealing in brackets), peak memory of the process after the stage:", "",
             f"| stage | packages | records | {names} |", "|---|---|---|" + "---|" * len(reports)]
    for index, stage in enumerate(first.stages):
        cells = []
        for report in reports:
            mine = report.stages[index]
            sealed = f" (+{_seconds(mine.seal_seconds)})" if mine.made_by == "sites" else ""
            cells.append(f"{_seconds(mine.nct_seconds)}{sealed}, {mine.peak_rss_mb:.0f} MB")
        who = "НЦТ makes" if stage.made_by == "НЦТ" else "НЦТ imports"
        lines.append(f"| {who}: {stage.name} | {stage.packages:,} | {stage.records:,} | {' | '.join(cells)} |")
    lines.append("| `ent-nct stats` (national statistics) | | | "
                 + " | ".join(_seconds(report.stats_seconds) for report in reports) + " |")
    totals = [f"**{_seconds(report.total_seconds)}**, {report.peak_rss_mb:.0f} MB" for report in reports]
    lines.append("| **whole rehearsal** (with setup), peak memory | | | " + " | ".join(totals) + " |")
    lines += ["", f"What НЦТ then holds (sent by the sites → counted at НЦТ; {names}):", "",
              f"| figure | sent | {names} |", "|---|---|" + "---|" * len(reports)]
    for key in first.at_nct:
        sent = first.sent.get(key, "")
        sent_text = f"{sent:,}" if isinstance(sent, int) else ""
        lines.append(f"| {key} | {sent_text} | " + " | ".join(f"{report.at_nct[key]:,}" for report in reports) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=170)
    parser.add_argument("--applicants", type=int, default=120_000)
    parser.add_argument("--postgres", default=os.environ.get("ENT_TEST_POSTGRES_URL"))
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--markdown", action="store_true", help="print a table for the README")
    parser.add_argument("--json", type=Path, help="write the figures as JSON")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory(prefix="ent-national-") as folder:
            report = rehearse(args.child, args.sites, args.applicants, Path(folder),
                              lambda line: print(line, file=sys.stderr, flush=True))
        args.json.write_text(json.dumps(asdict(report), ensure_ascii=False), encoding="utf-8")
        return 0
    reports = []
    with tempfile.TemporaryDirectory(prefix="ent-national-db-") as folder, ExitStack() as stack:
        print("SQLite …", file=sys.stderr, flush=True)
        reports.append(child(f"sqlite:///{Path(folder) / 'nct.sqlite'}", args))
        server = None if args.sqlite_only else args.postgres or throwaway_postgres(stack)
        if server:
            print("PostgreSQL …", file=sys.stderr, flush=True)
            reports.append(child(stack.enter_context(postgres_database(server, "nct_national")), args))
    if args.json:
        args.json.write_text(json.dumps([asdict(report) for report in reports], ensure_ascii=False, indent=1),
                             encoding="utf-8")
    if args.markdown:
        print(markdown(reports))
    else:
        print(json.dumps([asdict(report) for report in reports], ensure_ascii=False, indent=1))
    mismatched = [(report.database, key) for report in reports for key, value in report.sent.items()
                  if report.at_nct.get(key) != value]
    return 1 if mismatched else 0


if __name__ == "__main__":
    raise SystemExit(main())
