"""``secretaries add|approve|remove|list``: the schools' technical secretaries (п. 89.2); ``print secretaries``."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from arm_applications.secretaries import (
    Secretary,
    add_secretary,
    approve_secretary,
    list_secretaries,
    remove_secretary,
)
from common.cli import CommandContext, CommandLine, Output
from common.i18n import N_, _


def register(cli: CommandLine) -> None:
    cli.add("secretaries add", N_("Enter a school's technical secretary (п. 89.2)"), _add, _configure_add)
    cli.add("secretaries approve", N_("Mark technical secretaries approved by the education authority"),
            _approve, _configure_ids)
    cli.add("secretaries remove", N_("Remove technical secretaries entered by mistake"), _remove, _configure_ids)
    cli.add("secretaries list", N_("List the technical secretaries"), _list)


def _configure_add(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--school", required=True, metavar="REGION/DISTRICT/SCHOOL", help=_("the school"))
    parser.add_argument("--name", required=True, help=_("full name"))
    parser.add_argument("--approved", action="store_true", help=_("already approved by the education authority"))


def _configure_ids(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("ids", metavar="NUMBER", type=int, nargs="+", help=_("the secretary's number (see list)"))


def _line(item: Secretary) -> str:
    state = _("approved") if item.approved else _("not approved yet")
    return f"{item.id:>3}  {item.school}  {item.full_name}  ({state})"


def _add(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        added = add_secretary(session, args.school, args.name, approved=args.approved)
        context.audit(session, "secretaries.add", str(added.id), school=added.school, approved=added.approved)
    return Output(_("Technical secretary number {number} entered for school {school}.").format(
        number=added.id, school=added.school), asdict(added))


def _approve(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        done = [approve_secretary(session, number) for number in args.ids]
        for item in done:
            context.audit(session, "secretaries.approve", str(item.id), school=item.school)
    return Output("\n".join(_line(item) for item in done), [asdict(item) for item in done])


def _remove(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        done = [remove_secretary(session, number) for number in args.ids]
        for item in done:
            context.audit(session, "secretaries.remove", str(item.id), school=item.school)
    return Output(_("{count} technical secretary(ies) removed.").format(count=len(done)),
                  [asdict(item) for item in done])


def _list(context: CommandContext, args: argparse.Namespace) -> Output:
    with context.transaction() as session:
        items = list_secretaries(session)
    if not items:
        return Output(_("No technical secretaries are entered yet."), [])
    return Output("\n".join(_line(item) for item in items), [asdict(item) for item in items])

