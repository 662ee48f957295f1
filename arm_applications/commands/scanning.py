"""``scan``, ``review …`` and ``applications list``: a school's forms through the scanner (п. 89.7, 94)."""

from __future__ import annotations

import argparse
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

from sqlalchemy import select

from arm_applications.plan import find_school, school_key
from arm_applications.scanning import (
    ApplicationSink,
    FormSummary,
    application_layout,
    fix_form,
    flagged_forms,
    get_form,
    held_directories,
    problem_text,
    scan_counts,
    scan_target,
    set_aside,
)
from common.cli import CommandContext, CommandLine, Output
from common.db.models import Application
from common.errors import Refused
from common.i18n import N_, _
from common.paths import OutputFile
from common.scanning.driver import ScannerDriver


def register(cli: CommandLine) -> None:
    cli.add("scan", N_("Scan a school's application forms (п. 89.7, 94)"), _scan, _configure_scan)
    cli.add("review list", N_("Forms waiting for review, worst first"), _review_list, _configure_school)
    cli.add("review show", N_("A flagged form's problems"), _review_show, _configure_form)
    cli.add("review fix", N_("Set values read on the image and decide the form again"), _review_fix,
            _configure_fix)
    cli.add("review set-aside", N_("Do not use a flagged form (it is corrected and scanned again)"),
            _review_set_aside, _configure_form)
    cli.add("review crop", N_("Cut a field out of a form's image to look at it"), _review_crop, _configure_crop)
    cli.add("applications list", N_("The applications entered, changed and annulled"), _applications_list,
            _configure_school)


def _configure_scan(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--school", required=True, metavar="REGION/DISTRICT/SCHOOL", help=_("the school"))
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--from", dest="folder", type=Path, metavar="DIR",
                        help=_("the folder the scanner's capture software writes to"))
    source.add_argument("--scanner", metavar="NAME", help=_("the scanner (a SANE device, or a WIA id on Windows)"))
    parser.add_argument("--settle", type=float, default=2.0, help=_("seconds a file must stay unchanged"))
    parser.add_argument("--idle", type=float, default=10.0, help=_("stop after this many seconds without a page"))


def _configure_school(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--school", metavar="REGION/DISTRICT/SCHOOL", help=_("only this school"))


def _configure_form(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("form", type=int, metavar="NUMBER", help=_("the form's number (see review list)"))


def _configure_fix(parser: argparse.ArgumentParser) -> None:
    _configure_form(parser)
    parser.add_argument("--set", dest="values", action="append", required=True, metavar="FIELD=VALUE",
                        help=_("a value read on the image: a cell (surname.c03=Ә) or a sector (iin=…, sex=F)"))


def _configure_crop(parser: argparse.ArgumentParser) -> None:
    _configure_form(parser)
    parser.add_argument("--field", required=True, help=_("the field, e.g. surname.c03"))
    parser.add_argument("--out", required=True, action=OutputFile, metavar="FILE.png", help=_("the picture"))


def _driver(args: argparse.Namespace) -> ScannerDriver:
    if args.folder is not None:
        from common.scanning.watched_folder import WatchedFolder

        if not Path(args.folder).is_dir():
            raise Refused(_("{path} is not a folder.").format(path=args.folder))
        return WatchedFolder(Path(args.folder), settle_seconds=args.settle, idle_timeout=args.idle)
    if os.name == "nt":
        from common.scanning.windows_driver import WiaScanner

        return WiaScanner(args.scanner or None)
    from common.scanning.sane_driver import SaneScanner

    return SaneScanner(args.scanner)


def _form_line(item: FormSummary) -> str:
    problems = ", ".join(f"{field}/{code}" for code, field in item.problems)
    return f"{item.id:>5}  {item.school}  {item.ikt or '—':>9}  {item.state}  {problems}"


def _scan(context: CommandContext, args: argparse.Namespace) -> Output:
    from common.scanning.loop import PageEvent, scan_into

    folder = context.require_folder()
    with context.transaction() as session:
        target = scan_target(session, args.school)
    key = target.school
    sink = ApplicationSink(context.transaction, target.school_id, target.directories)
    lines: list[str] = []
    pages = 0

    def heard(event: PageEvent) -> None:
        nonlocal pages
        pages += 1  # the sheet's place in the batch, every page counted (not only the rescans)
        if event.outcome == "rescan":
            lines.append(_("Page {number}: scan it again — {reasons}.").format(
                number=pages, reasons=", ".join(event.reasons)))

    summary = scan_into(folder, _driver(args), application_layout(), sink, on_page=heard)  # a full disk: refused
    with context.transaction() as session:
        school = find_school(session, key)
        counts = scan_counts(session, school)
        context.audit(session, "scan.school", key, pages=len(summary.events), **counts)
    lines.insert(0, _("School {school}: {pages} page(s) taken now; in all {applied} applied, {flagged} to review, "
                      "{duplicate} repeated, {rescan} to scan again.").format(
        school=key, pages=len(summary.events), applied=counts.get("applied", 0), flagged=counts.get("flagged", 0),
        duplicate=counts.get("duplicate", 0), rescan=counts.get("rescan", 0)))
    return Output("\n".join(lines), {"school": key, "pages": len(summary.events), "counts": counts,
                                     "events": [{"outcome": event.outcome, "reasons": list(event.reasons)}
                                                for event in summary.events]})


def _review_list(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        school = None if args.school is None else find_school(session, args.school)
        items = flagged_forms(session, school)
    if not items:
        return Output(_("No form is waiting for review."), [])
    return Output("\n".join(_form_line(item) for item in items), [asdict(item) for item in items])


def _review_show(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_applications.scanning import summary_of

    with context.transaction() as session:
        item = summary_of(get_form(session, args.form))
    lines = [_form_line(item)] + [f"  {field}: {problem_text(code)}" for code, field in item.problems]
    return Output("\n".join(lines), asdict(item))


def _review_fix(context: CommandContext, args: argparse.Namespace) -> Output:
    values = {}
    for item in args.values:
        key, separator, value = item.partition("=")
        if not separator:
            raise Refused(_("Write each value as FIELD=VALUE, e.g. surname.c03=Ә."))
        values[key.strip()] = value.strip()
    with context.transaction() as session:
        fixed = fix_form(session, args.form, values, held_directories(session))
        context.audit(session, "review.fix", str(fixed.id), fields=sorted(values), state=fixed.state)
    return Output(_form_line(fixed), asdict(fixed))


def _review_set_aside(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        item = set_aside(session, args.form)
        context.audit(session, "review.set-aside", str(item.id))
    return Output(_form_line(item), asdict(item))


def _review_crop(context: CommandContext, args: argparse.Namespace) -> Output:
    import cv2

    from common.files import atomic_write_bytes
    from common.omr.debug import field_crop
    from common.omr.reader import read_page

    folder = context.require_folder()
    with context.transaction() as session:
        form = get_form(session, args.form)
        image_name = form.image
    layout = application_layout()
    if args.field not in layout.field_by_name:
        raise Refused(_("The application form has no field or sector {name}.").format(name=args.field))
    image = cv2.imread(str(folder.scans / image_name), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise Refused(_("The form's image {name} is missing from scans/.").format(name=image_name))
    crop = field_crop(image, layout, read_page(image, layout), args.field)
    _written, encoded = cv2.imencode(".png", crop)
    atomic_write_bytes(Path(args.out), encoded.tobytes())
    return Output(_("The field's picture: {path}").format(path=args.out), {"path": str(args.out)})


def _applications_list(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        statement = select(Application).order_by(Application.id)
        if args.school is not None:
            statement = statement.where(Application.school_id == find_school(session, args.school).id)
        rows = [_application_json(application) for application in session.scalars(statement)]
    lines = [f"{row['ikt']}  {row['school']}  {row['status']}  {row['test_language']}" for row in rows]
    return Output("\n".join(lines) or _("No applications yet."), rows)


def _application_json(application: Application) -> dict[str, Any]:
    person = application.applicant
    return {
        "id": application.id, "ikt": application.ikt, "school": school_key(application.school),
        "status": application.status.value, "surname": person.surname, "name": person.name,
        "patronymic": person.patronymic, "iin": person.iin,
        "birth_date": None if person.birth_date is None else person.birth_date.isoformat(),
        "sex": person.sex.value, "citizenship": person.citizenship_code, "nationality": person.nationality_code,
        "test_language": application.test_language.value,
        "history_language": None if application.history_language is None else application.history_language.value,
        "replaces": application.replaces_id,
        "history": [entry.new_status.value for entry in application.history],
    }
