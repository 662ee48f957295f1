"""``journals print|list|extend|strike|missing``: registration journals with their ИКТ (прил. 5)."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from arm_applications.journals import JournalState, extend_journal, journal_state, mark_missing, strike_free_rows
from arm_applications.plan import find_school, schools_in_order
from arm_applications.printing import FORM_LANGUAGES, default_form_language, print_journal
from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _


def register(cli: CommandLine) -> None:
    cli.add("journals print", N_("Print a school's registration journal with its ИКТ to PDF in printed/ (прил. 5)"),
            _print, _configure_print)
    cli.add("journals list", N_("The journals: rows free, used, struck out and missing per school"), _list)
    cli.add("journals extend", N_("Add rows with new ИКТ to a school's journal"), _extend, _configure_extend)
    cli.add("journals strike", N_("Closing: strike out a school's free rows with «Z» (п. 107.3)"), _strike,
            _configure_school)
    cli.add("journals missing", N_("Mark journal rows found missing (п. 101.5)"), _missing, _configure_missing)
    cli.add("reconcile", N_("Reconcile a school's journal with the database (ch. 18, п. 101–102)"), _reconcile,
            _configure_reconcile)


def _configure_school(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--school", required=True, metavar="REGION/DISTRICT/SCHOOL", help=_("the school"))


def _configure_print(parser: argparse.ArgumentParser) -> None:
    _configure_school(parser)
    parser.add_argument("--language", choices=list(FORM_LANGUAGES), help=_("kk or ru"))


def _configure_extend(parser: argparse.ArgumentParser) -> None:
    _configure_school(parser)
    parser.add_argument("--rows", required=True, type=int, help=_("how many rows to add"))


def _configure_missing(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ikts", metavar="ИКТ", nargs="+", help=_("the ИКТ of the missing rows"))


def _line(state: JournalState) -> str:
    return _("{school}: {rows} rows (ИКТ {first}–{last}), {used} used, {free} free, {struck} struck out, "
             "{missing} missing").format(school=state.school, rows=state.rows, first=state.first_ikt or "—",
                                         last=state.last_ikt or "—", used=state.used, free=state.free,
                                         struck=state.struck, missing=state.missing)


def _print(context: CommandContext, args: argparse.Namespace) -> Output:
    folder = context.require_folder()
    with context.transaction() as session:
        done = print_journal(session, folder, args.school, args.language or default_form_language(),
                             actor=context.operator)
    text = "\n".join([_("Printed {pages} page(s): {path}").format(pages=done.printed.pages, path=done.printed.path),
                      _line(done.state)])
    return Output(text, {"path": str(done.printed.path), "pages": done.printed.pages, **asdict(done.state)})


def _list(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        states = [journal_state(session, school) for school in schools_in_order(session)]
    return Output("\n".join(_line(state) for state in states), [asdict(state) for state in states])


def _extend(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        school = find_school(session, args.school)
        added = extend_journal(session, school, args.rows)
        state = journal_state(session, school)
        context.audit(session, "journals.extend", state.school, rows=len(added), first=added[0].ikt,
                      last=added[-1].ikt)
    return Output(_line(state), asdict(state))


def _strike(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        school = find_school(session, args.school)
        struck = strike_free_rows(session, school)
        state = journal_state(session, school)
        context.audit(session, "journals.strike", state.school, rows=struck)
    return Output(_line(state), asdict(state))


def _missing(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        marked = mark_missing(session, args.ikts)
        for row in marked:
            context.audit(session, "journals.missing", row.ikt)
    return Output(_("{count} row(s) marked missing.").format(count=len(marked)), {"ikts": [r.ikt for r in marked]})


def _configure_reconcile(parser: argparse.ArgumentParser) -> None:
    _configure_school(parser)
    parser.add_argument("--registered", metavar="ИКТ-LIST",
                        help=_("ИКТ the journal shows registered, e.g. 100000001-100000012,100000015"))
    parser.add_argument("--annulled", metavar="ИКТ-LIST", help=_("ИКТ the journal shows annulled"))


def _reconcile(context: CommandContext, args: argparse.Namespace) -> Output:
    from arm_applications.reconciliation import describe, parse_ikts, reconcile

    with context.transaction() as session:
        result = reconcile(find_school(session, args.school), parse_ikts(args.registered), parse_ikts(args.annulled))
    return Output("\n".join(describe(result)), asdict(result))
