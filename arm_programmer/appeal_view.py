"""What the appeals page of the programmer's window shows of a stream (ch. 32–39, п. 181–213), read through the same
services the ``appeal …`` commands call (:mod:`arm_programmer.appeals`): the deadline for applications and whether
it passed, the counts by state, what blocks closing (п. 202), the applicant's tested subjects for the entry table,
the ``explain`` pictures of a disputed task on the test-day image and on the fresh scan, and the Republican
commission's decisions taken from a package file (as ``package open`` takes them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.appeal_records import AppealRecord, AppealState
from common.db.base import utc_now
from common.db.score_models import SheetScoreRow
from common.exchange.importers import ImportContext
from common.exchange.taking import TakenPackage
from common.i18n import _


@dataclass
class AppealsView:
    """The page's state line and the stream's applications."""

    lines: list[str]
    announced: bool
    closed: bool
    records: list[AppealRecord] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    """ИКТ → the applicant's full name (shown on the page only, never logged)."""
    totals: dict[str, str] = field(default_factory=dict)
    """ИКТ → the total as stored now (after the decisions applied), «points / most»."""


def appeals_view(session: Session, stream_number: int, now: datetime | None = None) -> AppealsView:
    from arm_programmer.appeals import appeal_records, deadline, stream_appeals, unsettled, window_of
    from arm_programmer.draw import drawn_seats, stream_of
    from arm_programmer.scores import result_rows

    window = window_of(session, stream_of(session, stream_number))
    if window is None:
        return AppealsView([_("Stream {stream}: the results are not announced yet: appeals are taken once its "
                              "statement is printed (п. 180, 185).").format(stream=stream_number)], False, False)
    last = deadline(window.announced_at)
    moment = now or utc_now()
    when = last.strftime("%d.%m.%Y %H:%M")
    lines = [(_("Stream {stream}: applications were taken until {deadline}; the deadline has passed (п. 185).")
              if moment > last else
              _("Stream {stream}: applications are taken until {deadline} (13:00 of the day after the results were "
                "announced, п. 185).")).format(stream=stream_number, deadline=when)]
    records = appeal_records(session, stream_number)
    counts = {state: sum(1 for record in records if record.state is state) for state in AppealState}
    lines.append(_("{count} application(s): {registered} registered, {no_show} «не явился», {decided} «решение "
                   "принято».").format(count=len(records), registered=counts[AppealState.REGISTERED],
                                       no_show=counts[AppealState.NO_SHOW], decided=counts[AppealState.DECIDED]))
    closed = window.closed_at is not None
    if closed:
        assert window.closed_at is not None
        lines.append(_("The appeals were closed on {moment} (п. 209).").format(
            moment=window.closed_at.astimezone().strftime("%d.%m.%Y %H:%M")))
    else:
        waiting = unsettled(stream_appeals(session, stream_number))
        if waiting:
            lines.append(_("Closing waits for {count} application(s) neither «не явился» nor «решение принято» "
                           "(the first: number {number}, п. 202).").format(count=len(waiting),
                                                                         number=waiting[0].number))
        else:
            lines.append(_("Every application is settled: the appeals can be closed (п. 202)."))
    names = {seat.ikt: seat.full_name for seat in drawn_seats(session, stream_number)}
    appellants = {record.ikt for record in records}
    totals = {row.ikt: f"{row.total} / {row.max_total}" for row in result_rows(session, stream_number)
              if row.ikt in appellants and row.total is not None}
    return AppealsView(lines, True, closed, records, names, totals)


def tested_subjects(session: Session, stream_number: int, ikt: str) -> list[str]:
    """The key subject codes the applicant ``ikt`` was scored in (empty when not seated or not scored)."""
    from arm_programmer.draw import drawn_seats

    seat = next((seat for seat in drawn_seats(session, stream_number) if seat.ikt == ikt.strip()), None)
    if seat is None:
        return []
    row = session.scalar(select(SheetScoreRow).where(SheetScoreRow.application_id == seat.application_id))
    return [] if row is None else [str(code) for code in row.per_task]


@dataclass(frozen=True)
class TaskPictures:
    """The ``explain`` picture (PNG) of a disputed task's answer row on the test-day image and on the fresh scan;
    None where there is no image or it cannot be read."""

    test_day: bytes | None
    fresh: bytes | None


def task_pictures(session: Session, scans: Path, stream_number: int, number: int, subject: str, task: int
                  ) -> TaskPictures:
    from arm_programmer.appeals import find_appeal, sheet_blocks
    from arm_programmer.codes import stream_key
    from arm_programmer.identification import explain_image
    from arm_programmer.sheets import answer_layouts

    appeal = find_appeal(session, stream_number, number)
    spec, _key = stream_key(session, stream_number)
    field_name = f"{sheet_blocks(spec, appeal.profile_subjects).get(subject, subject)}.q{task:02d}"
    layout = answer_layouts(session, stream_number)

    def picture(name: str | None) -> bytes | None:
        return None if name is None else explain_image(scans / name, layout, field_name)

    return TaskPictures(picture(appeal.test_day_image), picture(appeal.appeal_image))


def take_decisions(session: Session, data: bytes, password: str, name: str, context: ImportContext
                   ) -> TakenPackage:
    """Open, check and apply an ``appeal-decisions`` package file
    (:func:`arm_programmer.appeal_exchange.import_decisions`) in ``session``'s transaction."""
    from arm_programmer.appeal_exchange import import_decisions
    from common.exchange import kinds
    from common.exchange.taking import take_package

    return take_package(session, data, password, name, context, {kinds.APPEAL_DECISIONS.name: import_decisions})
