"""``ent-omr``: the forms and the sheet reader on the command line (contract: READER.md).

    ent-omr forms
    ent-omr blank FORM [--spec FILE] [--year YYYY] [--number N] --out F.pdf [--key K.json]
    ent-omr layout FORM [--spec FILE] --json
    ent-omr read FORM IMAGE… [--spec FILE] --json [--workers N]
    ent-omr explain FORM IMAGE [--field F] [--page N] [--spec FILE] --out F.png

Exit status: 0 when every input was read into lines (flags or not); 1 when an input file cannot
be opened (its line says ``unreadable``, the rest are still read) or a command is refused;
2 for bad usage.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from common import i18n, settings
from common.codebook import SHEET_NUMBER_DIGITS
from common.errors import Refused
from common.files import atomic_write_text
from common.i18n import _
from common.paths import OutputFile, check_paths

if TYPE_CHECKING:
    from common.omr.reader import PageResult
    from common.testspec import TestSpecification

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
PROGRAM = "ent-omr"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, _("%(prog)s: error: %(message)s\n") % {"prog": self.prog, "message": message})


def build_parser() -> argparse.ArgumentParser:
    from forms.registry import FORM_NAMES

    parser = _Parser(prog=PROGRAM, description=_("Machine-readable ЕНТ forms and the sheet reader"))
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help=_("language of messages: kk, ru or en"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    commands.add_parser("forms", help=_("List the forms, one name a line"))

    blank = commands.add_parser("blank", help=_("Print a blank form to a PDF file"))
    blank.add_argument("form", choices=FORM_NAMES, metavar="FORM")
    _add_spec(blank)
    blank.add_argument("--year", type=int, metavar="YYYY",
                       help=_("answer and control sheets: the exam year to print (default: the year the test "
                              "specification gives; a sheet printed without one shows no year)"))  # fmt: skip
    blank.add_argument("--number", help=_("pre-printed sheet number (digits)"))
    blank.add_argument("--out", required=True, action=OutputFile, metavar="F.pdf", help=_("PDF file to write"))
    blank.add_argument("--key", action=OutputFile, metavar="K.json",
                       help=_("control sheet only: where to write its key (default: next to the PDF)"))  # fmt: skip

    layout = commands.add_parser("layout", help=_("Show a form's layout: fields and bubble positions"))
    layout.add_argument("form", choices=FORM_NAMES, metavar="FORM")
    _add_spec(layout)
    layout.add_argument("--json", action="store_true", help=_("one JSON object"))

    read = commands.add_parser("read", help=_("Read scanned pages of a form"))
    read.add_argument("form", choices=FORM_NAMES, metavar="FORM")
    read.add_argument("images", nargs="+", type=Path, metavar="IMAGE", help=_("PNG, JPEG, TIFF or PDF files"))
    _add_spec(read)
    read.add_argument("--json", action="store_true", help=_("one JSON object per page, one a line"))
    read.add_argument("--workers", type=int, default=2, help=_("processes reading in parallel (default 2)"))

    explain = commands.add_parser("explain", help=_("Draw why each bubble of a scanned page was read as it was"))
    explain.add_argument("form", choices=FORM_NAMES, metavar="FORM")
    explain.add_argument("image", type=Path, metavar="IMAGE", help=_("PNG, JPEG, TIFF or PDF file"))
    explain.add_argument("--field", metavar="F", help=_("one field only (e.g. math.q07)"))
    explain.add_argument("--page", type=int, default=1, metavar="N", help=_("page of a multi-page file (default 1)"))
    _add_spec(explain)
    explain.add_argument("--out", required=True, type=Path, metavar="F.png", help=_("PNG file to write"))
    return parser


def _add_spec(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--spec", type=Path, metavar="FILE",
                        help=_("test specification for the answer sheet (default: the shipped ЕНТ "
                               "example, shaped as in 2018, which gives no exam year)"))  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``ent-omr`` with ``argv`` (default: the process's arguments); returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--lang", choices=i18n.LANGUAGES)
    known, _rest = early.parse_known_args(arguments)
    i18n.set_language(i18n.resolve_language(known.lang, settings.load().get("language")))
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        check_paths(args)
        if args.command == "forms":
            return _forms()
        if args.command == "blank":
            return _blank(parser, args)
        if args.command == "layout":
            return _layout(args)
        if args.command == "explain":
            return _explain(parser, args)
        return _read(parser, args)
    except Refused as refusal:
        print(f"{PROGRAM}: {refusal}", file=sys.stderr)
        return EXIT_FAILED


def _forms() -> int:
    from forms.registry import FORM_NAMES

    for name in FORM_NAMES:
        print(name)
    return EXIT_OK


def _spec(args: argparse.Namespace) -> TestSpecification | None:
    from forms.registry import uses_spec

    if args.spec is None:
        return None
    if not uses_spec(args.form):
        raise Refused(_("The form {form} is not drawn from a test specification.").format(form=args.form))
    from common.testspec import load_spec

    return load_spec(args.spec)


def _blank(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from common.testspec import shipped_spec
    from common.testspec.model import EXAM_YEARS
    from forms.control_sheet import control_key, control_pattern, seed_of
    from forms.registry import DEFAULT_SPEC, get_layout, uses_spec
    from forms.render import render_pdf

    number = args.number
    if number is not None:
        if not (number.isascii() and number.isdigit() and len(number) <= SHEET_NUMBER_DIGITS):
            parser.error(_("--number takes up to {digits} digits").format(digits=SHEET_NUMBER_DIGITS))
        number = number.zfill(SHEET_NUMBER_DIGITS)
    if args.key is not None and args.form != "control-sheet":
        parser.error(_("--key is only for the control sheet"))
    spec = _spec(args)
    if args.year is not None:
        if not uses_spec(args.form):
            parser.error(_("--year is only for the answer and control sheets"))
        if args.year not in EXAM_YEARS:
            parser.error(_("--year takes a year from {first} to {last}").format(
                first=EXAM_YEARS[0], last=EXAM_YEARS[-1]))  # fmt: skip
        spec = dataclasses.replace(spec or shipped_spec(DEFAULT_SPEC), exam_year=args.year)
    layout = get_layout(args.form, spec)
    marks = None
    if args.form == "control-sheet":
        seed = seed_of(number)
        marks = control_pattern(layout, seed)
        key_path = args.key or args.out.with_suffix(".key.json")
        key = json.dumps(control_key(layout, seed, number), ensure_ascii=False, indent=1)
        atomic_write_text(key_path, key + "\n")
    render_pdf(layout, args.out, number=number, marks=marks)
    return EXIT_OK


def _layout(args: argparse.Namespace) -> int:
    from forms.registry import get_layout

    layout = get_layout(args.form, _spec(args))
    if args.json:
        print(json.dumps(layout.to_json(), ensure_ascii=False))
        return EXIT_OK
    print(_("{form}, version {version}: {fields} fields, {bubbles} bubbles").format(
        form=layout.form, version=layout.version, fields=len(layout.fields), bubbles=len(layout.bubbles)))  # fmt: skip
    for group, members in layout.fields_by_group.items():
        print(f"  {group}: {len(members)} × {members[0].kind}")
    return EXIT_OK


def _read(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from common.omr.reader import read_files

    if args.workers < 1:
        parser.error(_("--workers must be at least 1"))
    status = EXIT_OK
    for result in read_files(args.form, args.images, _spec(args), workers=args.workers):
        if any(flag.kind == "unreadable" and flag.reason == "cannot_open" for flag in result.flags):
            status = EXIT_FAILED
        print(json.dumps(result.to_json(), ensure_ascii=False) if args.json else _summary(result), flush=True)
    return status


def _explain(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    from common.files import atomic_write_bytes
    from common.omr.explain import explain_png
    from common.omr.images import load_pages
    from common.omr.reader import read_page
    from forms.registry import get_layout

    if args.page < 1:
        parser.error(_("--page must be at least 1"))
    layout = get_layout(args.form, _spec(args))
    if args.field is not None and args.field not in layout.field_by_name:
        raise Refused(_("The form {form} has no field {field}.").format(form=args.form, field=args.field))
    try:
        image = next((page for number, page in enumerate(load_pages(args.image), 1) if number == args.page), None)
    except Exception as error:  # the decoders raise many kinds
        raise Refused(_("Cannot open {image} as an image.").format(image=args.image)) from error
    if image is None:
        raise Refused(_("{image} has no page {page}.").format(image=args.image, page=args.page))
    result = read_page(image, layout, image_name=str(args.image), page=args.page)
    if result.transform is None or not result.bubbles:
        reasons = "; ".join(problem.message() for problem in result.page_check.problems)
        raise Refused(_("The page was not read as {form}, so there is nothing to explain: {reasons}").format(
            form=args.form, reasons=reasons or _("unreadable")))  # fmt: skip
    atomic_write_bytes(args.out, explain_png(image, layout, result, args.field))
    return EXIT_OK


def _summary(result: PageResult) -> str:
    flags = ", ".join(sorted({flag.kind for flag in result.flags})) or _("no flags")
    return _("{image} page {page}: {form}, sheet {number}, quality {quality:.2f}; {flags}").format(
        image=result.image, page=result.page, form=result.form or "—", number=result.sheet_number or "—",
        quality=result.quality, flags=flags,
    )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
