"""The demo's story, a whole exam in the order of the instruction: НЦТ makes a site and enrols its workstations, the
site expert builds the site database and sends it, НЦТ imports it and shows national figures; then the stages of
:func:`_exam_steps`, from the applications to the certificates, НЦТ's view of the exam and the forms index.

Every step runs a program's own command (the same a user types), so the demo proves the commands.
"""

from __future__ import annotations

import importlib
import io
import json
import os
import re
import sys
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager, redirect_stdout
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from common.i18n import N_, _, current_language, set_language
from common.workstation import BASE_PPENT, NCT, PROGRAMMER, SCANNER_CHECK, WORKSTATIONS, Workstation

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

SITE_CODE = "017"
NCT_PASSWORD = "demo-nct-password"
SCANNER_MODEL, SCANNER_SERIAL = "Fujitsu fi-7160 (simulated)", "A17-0042"
"""The site's scanner: checked before the exam (АРМ «Проверка сканера»), then scanning the exam's answer sheets."""
PASSWORD_LINE = re.compile(r"\b[0-9A-Z]{4}(?:-[0-9A-Z]{4}){2,}(?:-[0-9A-Z]+)?\b")


@dataclass(frozen=True)
class DemoStep:
    """One step of the exam: ``run`` does it through the programs' commands and says whether it succeeded.

    ``workstation`` is the one that does it (whose window then shows its result; НЦТ for НЦТ's steps), ``None``
    for a step of the demo itself over every workstation; ``stage`` is the exam's stage (an untranslated
    message id), set by :func:`steps`."""

    title: str
    run: Callable[[], bool]
    workstation: Workstation | None
    stage: str = ""


@dataclass
class Scene:
    """The demo's folders and the passwords read off the sheets НЦТ printed."""

    root: Path
    passwords: dict[str, str] = field(default_factory=dict)

    def folder(self, workstation: Workstation) -> Path:
        return self.root / workstation.code

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"


def program(workstation: Workstation) -> Callable[[Sequence[str]], int]:
    module = importlib.import_module(f"{workstation.package}.cli")
    main: Callable[[Sequence[str]], int] = module.main
    return main


def run(scene: Scene, workstation: Workstation, *args: str, password: str | None = None, dictated: str | None = None,
        capture: bool = False, secrets: Mapping[str, str] | None = None) -> tuple[int, str]:
    """Run one command of ``workstation`` on its demo folder; echo it like a terminal would.

    ``password``, ``dictated`` (the code НЦТ dictated) and ``secrets`` (option → secret, e.g. ``--chair-fd``
    → the chair's password) reach it through descriptors, never on the command line, where other users
    could read them."""
    command = [*args, "--data-dir", str(scene.folder(workstation)), "--lang", current_language()]
    shown = " ".join(a if " " not in a else repr(a) for a in args)
    given = [("--password-fd", password, "password-file"), ("--code-fd", dictated, "code-dictated-by-NTC"),
             *((option, secret, option.removeprefix("--").removesuffix("-fd") + "-file")
               for option, secret in (secrets or {}).items())]
    with ExitStack() as stack:
        number = 3
        for option, secret, label in given:
            descriptor = stack.enter_context(_secret_descriptor(secret))
            if descriptor is None:
                continue
            command += [option, str(descriptor)]
            shown += f" {option} {number} {number}<{label}"
            number += 1
        print(f"   $ {workstation.program} {shown}", flush=True)
        if not capture:
            return program(workstation)(command), ""
        buffer = io.StringIO()
        with redirect_stdout(buffer):
            code = program(workstation)(command)
        return code, buffer.getvalue()



def run_json(scene: Scene, *args: str, password: str | None = None, workstation: Workstation = PROGRAMMER,
             secrets: Mapping[str, str] | None = None) -> Any:
    """A command of ``workstation`` (the programmer's unless named) with ``--json``: its answer, or None when it
    failed or said nothing."""
    code, out = run(scene, workstation, *args, "--json", password=password, capture=True, secrets=secrets)
    return json.loads(out) if code == 0 and out.strip() else None


@contextmanager
def workstation_session(scene: Scene, workstation: Workstation, *, read_only: bool = True) -> Iterator[Session]:
    """One transaction on ``workstation``'s demo database, for a stage's checks: read-only unless asked."""
    from common.db.engine import open_engine, transaction
    from common.workstation import DataFolder

    engine = open_engine(DataFolder(scene.folder(workstation)).database, read_only=read_only)
    try:
        with transaction(engine, read_only=read_only) as session:
            yield session
    finally:
        engine.dispose()

@contextmanager
def _secret_descriptor(secret: str | None) -> Iterator[int | None]:
    """A pipe holding ``secret`` (one line) for ``--password-fd``; ``None`` without a secret."""
    if not secret:
        yield None
        return
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, secret.encode("utf-8") + b"\n")
        os.close(write_end)
        write_end = -1
        yield read_end
    finally:
        os.close(read_end)
        if write_end != -1:
            os.close(write_end)


def pdf_text(path: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(document[index].get_textpage().get_text_range() for index in range(len(document)))
    finally:
        document.close()



def render_first_page(pdf: Path, png: Path, *, width: int | None = None) -> Path:
    """Page 1 of ``pdf`` as a PNG (pypdfium2: no external program): at 200 dpi, as a scanner would give it, or
    ``width`` pixels wide (a thumbnail)."""
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf))
    try:
        page = document[0]
        page.render(scale=200 / 72 if width is None else width / page.get_width()).to_pil().save(png)
    finally:
        document.close()
    return png

def run_step(number: int, step: DemoStep, language: str, *, contain_crash: bool = False) -> bool:
    """Run ``step`` as ``--auto`` and the launcher's worker do: its heading, what it prints, then «ok» or «FAILED»;
    the demo's ``language`` again after it (a program's own --lang handling must not change the demo's). With
    ``contain_crash`` a step that raises (argparse's exit too) fails with its traceback instead of ending the
    process."""
    print(f"== {number}. {step.title}", flush=True)
    try:
        ok = bool(step.run())
    except (Exception, SystemExit):
        if not contain_crash:
            raise
        traceback.print_exc(file=sys.stdout)
        ok = False
    set_language(language)
    print(_("   ok") if ok else _("   FAILED"), flush=True)
    return ok


def steps(scene: Scene) -> list[DemoStep]:
    """The whole exam, step by step, each labelled with its stage: what ``--auto`` runs and the launcher shows."""
    return [
        *_staged(N_("NTC and the workstations' enrolment"), [
            DemoStep(_("NTC: keys, directories and the test site"), lambda: _nct_site(scene), NCT),
            *[
                DemoStep(_("Enrolment: {title}").format(title=_(workstation.title)),
                         lambda workstation=workstation: _enrol(scene, workstation),  # type: ignore[misc]
                         workstation)
                for workstation in WORKSTATIONS
            ],
        ]),
        *_staged(N_("Site database"), [
            DemoStep(_("Site database: streams, rooms and schools"), lambda: _site_database(scene), BASE_PPENT),
            DemoStep(_("Site database: printed forms and the package to NTC"), lambda: _print_and_send(scene),
                     BASE_PPENT),
            DemoStep(_("NTC: import the site database and national figures"), lambda: _nct_import(scene), NCT),
        ]),
        *_exam_steps(scene),
        *_staged(N_("Audit"), [DemoStep(_("Audit logs of every workstation"), lambda: _audit_all(scene), None)]),
    ]


def _staged(stage: str, group: Sequence[DemoStep]) -> list[DemoStep]:
    return [replace(step, stage=stage) for step in group]


def _exam_steps(scene: Scene) -> list[DemoStep]:
    """The stages from the applications to the certificates, in the order of the exam: the scanner is checked
    after the passes, before the programmer takes the applicant database (п. 52.4–52.8), and the exam ends at НЦТ —
    what it shows of the exam, then every printed form in one folder with its index."""
    from ent_demo.appeals_stage import appeals_steps
    from ent_demo.applications_stage import applications_steps
    from ent_demo.certificate_stage import certificate_steps
    from ent_demo.closing_stage import closing_steps, handover_steps
    from ent_demo.forms_index import forms_index_steps
    from ent_demo.identify_stage import identify_steps
    from ent_demo.nct_view import nct_view_steps
    from ent_demo.passes_stage import passes_steps
    from ent_demo.programmer_stage import programmer_steps
    from ent_demo.results_stage import results_steps

    scanner_check = DemoStep(_("Scanner check: control set, a faulty and a fit scanner, прил. 18, to NTC"),
                             lambda: _scanner_check(scene), SCANNER_CHECK)
    return [
        *_staged(N_("Applications"), [*applications_steps(scene), *closing_steps(scene), *passes_steps(scene)]),
        *_staged(N_("Scanner check"), [scanner_check]),
        *_staged(N_("Exam day: seating and answer sheets"),
                 [*handover_steps(scene), *programmer_steps(scene), *identify_steps(scene)]),
        *_staged(N_("Answer codes and results"), results_steps(scene)),
        *_staged(N_("Appeals"), appeals_steps(scene)),
        *_staged(N_("Certificates and their numbers"), certificate_steps(scene)),
        *_staged(N_("The exam at NTC and the forms index"), [*nct_view_steps(scene), *forms_index_steps(scene)]),
    ]


def _nct_site(scene: Scene) -> bool:
    scene.exchange.mkdir(parents=True, exist_ok=True)
    if (scene.folder(NCT) / "workstation.sqlite").exists():
        return True
    return all(
        run(scene, NCT, *args, password=password)[0] == 0
        for args, password in (
            (("init",), None),
            (("keys", "init"), NCT_PASSWORD),
            (("directories", "import", "--sample"), None),
            (("site", "create", "--code", SITE_CODE, "--name-kk", "Көкшетау қаласының ҰБТ өткізу пункті",
              "--name-ru", "ППЕНТ города Кокшетау", "--region", "11", "--building",
              "Ш. Уәлиханов атындағы университеттің бас ғимараты"), None),
        )
    )


def enrolment_package(scene: Scene, workstation: Workstation) -> Path:
    """The enrolment package НЦТ makes for ``workstation`` in ``exchange/``; its password sheet is the ``.pdf``
    beside it."""
    return scene.exchange / f"enrol-{SITE_CODE}-{workstation.code}.entpkg"


def password_on(sheet: Path) -> str | None:
    """The password printed on a sheet or a slip (a PDF), as its holder reads it off; None when there is none."""
    found = PASSWORD_LINE.findall(pdf_text(sheet)) if sheet.is_file() else []
    return str(found[0]) if found else None


def _enrol(scene: Scene, workstation: Workstation) -> bool:
    package = enrolment_package(scene, workstation)
    if not package.exists():
        made, _out = run(scene, NCT, "enrolment", "make", "--site", SITE_CODE, "--role", workstation.code,
                         "--out", str(package), password=NCT_PASSWORD)
        if made != 0:
            return False
    password = password_on(package.with_suffix(".pdf"))
    if password is None:
        print(_("   the password sheet has no password on it"))
        return False
    scene.passwords[workstation.code] = password
    print(_("   password read from the sheet {sheet}").format(sheet=package.with_suffix(".pdf").name))
    if not (scene.folder(workstation) / "workstation.sqlite").exists() and run(scene, workstation, "init")[0] != 0:
        return False
    return run(scene, workstation, "enrol", "--package", str(package), password=password)[0] == 0


def _site_database(scene: Scene) -> bool:
    code, listed = run(scene, BASE_PPENT, "streams", "list", "--json", capture=True)
    if code == 0 and json.loads(listed or "[]"):
        return True
    from nct_hub import sample_data

    directories = sample_data.generate_directories()
    commands: list[tuple[str, ...]] = [("streams", "add", "--date", day) for day in
                                       ("2027-06-20", "2027-06-21", "2027-06-22")]
    for index in range(1, 8):
        commands.append(("rooms", "add", f"{index:02d}", "--desks", str(15 + 5 * (index % 3))))
    languages = ["kk", "kk", "ru", "kk", "ru", "en-kk", "en-ru"]
    for stream in (1, 2, 3):
        for index, language in enumerate(languages[:6], start=1):
            commands.append(("rooms", "use", f"{index:02d}", "--stream", str(stream), "--language", language))
        commands.append(("rooms", "use", "07", "--stream", str(stream), "--language", "kk", "--reserve"))
    taken = directories.schools_of("11")[:50]
    schools = [f"{s.region_code}/{s.district_code}/{s.code}" for s in taken]
    for stream, chunk in enumerate((schools[:17], schools[17:34], schools[34:]), start=1):
        commands.append(("schools", "take", *chunk, "--stream", str(stream)))
    # What each school expects to send (п. 84): the totals and прил. 28 then compare real numbers
    # with the seats.
    for index, school in enumerate(taken):
        commands.append(("schools", "update", school.bin, "--expected", _expected(index, school.language)))
    commands.append(("site", "set", "--lodging", "120", "--meals", "80", "--detectors", "4",
                     "--detector-type", "арочный / арка", "--jammers", "14", "--cameras", "16",
                     "--restroom", "1 қабат / 1 этаж"))
    return all(run(scene, BASE_PPENT, *command)[0] == 0 for command in commands) and \
        run(scene, BASE_PPENT, "totals")[0] == 0


def _expected(index: int, language: str) -> str:
    """A school's expected applicants by language, as a Kazakh, Russian or mixed school would send
    them: 7–11 in Kazakh, 6–9 in Russian, or some of both; every third school a few in English."""
    if language == "kk":
        counts = {"kk": 7 + index % 5}
    elif language == "ru":
        counts = {"ru": 6 + index % 4}
    else:
        counts = {"kk": 5, "ru": 4}
    if index % 3 == 0:
        counts["en-kk"] = 2
    return ",".join(f"{code}={count}" for code, count in counts.items())


def _print_and_send(scene: Scene) -> bool:
    printed = all(
        run(scene, BASE_PPENT, "print", form, "--language", "both")[0] == 0
        for form in ("app28", "schools-directory", "room-signs", "seat-scheme")
    )
    return printed and run(scene, BASE_PPENT, "send", password=scene.passwords.get(BASE_PPENT.code))[0] == 0


def _nct_import(scene: Scene) -> bool:
    packages = sorted((scene.folder(BASE_PPENT) / "outbox").glob("*.entpkg"))
    if not packages:
        return False
    imported = run(scene, NCT, "import", str(packages[-1]), password=NCT_PASSWORD)[0]
    return imported == 0 and run(scene, NCT, "stats")[0] == 0


def _scanner_check(scene: Scene) -> bool:
    """The control set through the simulated scanner: dirty glass at 150 dpi (not fit, with the
    reasons), then cleaned and set to 200 dpi (fit); прил. 18 printed, sent, filed at НЦТ."""
    model = ("--model", SCANNER_MODEL, "--serial", SCANNER_SERIAL)
    steps: list[tuple[str, ...]] = [
        ("print-set",),
        ("check", "--scanner", "simulated", *model, "--dpi", "150", "--fault", "streak=62"),
        ("check", "--scanner", "simulated", *model, "--dpi", "200"),
        ("report", "--language", "both"),
        ("fitness", *model),
    ]
    if not all(run(scene, SCANNER_CHECK, *command)[0] == 0 for command in steps):
        return False
    if run(scene, SCANNER_CHECK, "send", password=scene.passwords.get(SCANNER_CHECK.code))[0] != 0:
        return False
    packages = sorted((scene.folder(SCANNER_CHECK) / "outbox").glob("*.entpkg"))
    imported = run(scene, NCT, "import", str(packages[-1]), password=NCT_PASSWORD)[0]
    return imported == 0 and run(scene, NCT, "scanners", "--site", SITE_CODE)[0] == 0


def _audit_all(scene: Scene) -> bool:
    return all(run(scene, workstation, "audit", "verify")[0] == 0 for workstation in (*WORKSTATIONS, NCT))
