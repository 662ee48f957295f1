"""Typographic certificate blanks on АРМ «Сертификат» (ch. 40, п. 215–217, 222): the packs received from НЦТ, the
numbers the stream's applicants get, the spoiled blanks, and the ``certificate-numbers`` package to НЦТ (п. 217).

* :func:`add_pack` — a pack of blanks: a series (letters) and ``count`` consecutive numbers from the first, printed
  ``digits`` wide (leading zeros kept). The first blank may be given as a keyboard-wedge reader types the blank's
  barcode: ``"AA 0012345"``, ``"AA0012345"`` or ``"AA-0012345"`` (:func:`parse_blank`).
* :func:`assign_stream` — the stream's applicants without a number, in :func:`~arm_certificate.order.
  certificate_order`, get the next clean blanks: packs by (series, first number), then by number. All or nothing.
  :func:`assign_blank` gives one applicant one named blank (a reprint on a particular blank).
* :func:`spoil` — a blank is spoiled, with the operator's reason: a clean one (torn, misprinted in a test), or an
  issued one — the applicant it was printed for stays on the spoiled blank's row and is left without a number.

**The printer jam** (or any spoiled certificate): ``spoil "AA 0012345" --reason "printer jam"`` records the blank
the certificate was printed on as spoiled (it keeps whom it was printed for); the applicant now has no number, so
``assign --stream N`` gives them — and only them — the next clean blank, and the certificate is printed again on
it. To reprint on a particular blank (the one now in the printer), ``assign --stream N --ikt I --blank "AA 0012346"``
instead. A blank once used (issued or spoiled) is never used again.

Every change is one transaction and one audit-log entry (ИКТ, series and numbers only: no names, no ИИН, and not
a spoiled blank's reason — the operator's words). A series is letters, Latin or Cyrillic but not both; a blank typed
with look-alike letters of the other alphabet ("АА" for "AA") is the held series' blank, and a new pack whose series
only looks like one held is refused.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from arm_certificate.certificate_file import taken_stream
from arm_certificate.order import certificate_order
from common.db.certificate_models import (
    ISSUED,
    SPOILED,
    BlankPack,
    CertificateApplicant,
    CertificateStream,
    UsedBlank,
)
from common.errors import Refused
from common.i18n import _
from common.security.audit import AuditLog

MOST_BLANKS: Final = 100_000
"""More blanks than this in one pack is a typing mistake, not a pack."""
MOST_DIGITS: Final = 9
MOST_REASON: Final = 300
CERTIFICATE_NUMBERS_FORMAT: Final = 1
_BLANK = re.compile(r"^\s*([^\W\d_]{1,10})[\s-]*([0-9]{1,9})\s*$")


_LOOK_ALIKE: Final = str.maketrans("АВЕКМНОРСТХУ", "ABEKMHOPCTXY")
"""Cyrillic capitals that look like Latin ones: a series typed by hand in the other keyboard layout."""


def _series(text: str) -> str:
    series = text.strip().upper()
    if not series or len(series) > 10 or not all(char.isalpha() for char in series):
        raise Refused(_("The series \"{series}\" is not a blank series: one to ten letters.").format(series=text))
    if any("A" <= char <= "Z" for char in series) and any("\u0400" <= char <= "\u04ff" for char in series):
        raise Refused(_("The series \"{series}\" mixes Latin and Cyrillic letters: check the keyboard layout.")
                      .format(series=text))
    return series


def _look_alike(series: str) -> str:
    return series.translate(_LOOK_ALIKE)


def parse_blank(text: str) -> tuple[str, int, int]:
    """``(series, number, digits)`` of a blank as printed or as a barcode reader types it ("AA 0012345")."""
    found = _BLANK.match(text)
    if found is None:
        raise Refused(_("\"{text}\" is not a blank number: a series of letters, then its digits "
                        "(for example AA 0012345).").format(text=text))
    return _series(found.group(1)), int(found.group(2)), len(found.group(2))


def blank_text(series: str, pack: BlankPack, number: int) -> str:
    return f"{series} {pack.number_text(number)}"


# --- packs --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackLine:
    series: str
    first: str
    last: str
    count: int
    issued: int
    spoiled: int
    clean: int


def typed_pack(series: str, first: str) -> tuple[str, int, int]:
    """``(series, first, digits)`` of a pack typed as its series and first number (``packs add --series
    --first``): the number as printed, leading zeros kept."""
    first_text = first.strip()
    if not first_text.isdigit() or not first_text.isascii() or len(first_text) > MOST_DIGITS:
        raise Refused(_("The first blank's number must be 1 to {most} digits.").format(most=MOST_DIGITS))
    return series, int(first_text), len(first_text)


def add_pack(session: Session, series: str, first: int, count: int, digits: int, *, actor: str,
             audit: AuditLog) -> PackLine:
    """Record a pack of blanks received from НЦТ (``Refused`` for an odd series or count, or an overlap)."""
    series = _series(series)
    if count <= 0 or count > MOST_BLANKS:
        raise Refused(_("A pack holds 1 to {most} blanks, not {count}.").format(most=MOST_BLANKS, count=count))
    if first < 0 or digits < 1 or digits > MOST_DIGITS:
        raise Refused(_("The first blank's number must be 1 to {most} digits.").format(most=MOST_DIGITS))
    if first + count - 1 >= 10 ** digits:
        raise Refused(_("The pack's last number {last} has more than the {digits} digit(s) its blanks are "
                        "printed with.").format(last=first + count - 1, digits=digits))
    for held in sorted({pack.series for pack in _packs(session)}):
        if held != series and _look_alike(held) == _look_alike(series):
            raise Refused(_("The series {series} looks like the series {held} already received but is typed in "
                            "other letters: check the keyboard layout.").format(series=series, held=held))
    for pack in session.scalars(select(BlankPack).where(BlankPack.series == series)):
        if first <= pack.last_number and pack.first_number <= first + count - 1:
            raise Refused(_("The pack overlaps the pack {series} {first}–{last} already received.").format(
                series=series, first=pack.number_text(pack.first_number), last=pack.number_text(pack.last_number)))
    pack = BlankPack(series=series, first_number=first, count=count, digits=digits, added_by=actor[:100])
    session.add(pack)
    session.flush()
    audit.record(session, actor=actor, action="certificate.pack.added", target=f"pack/{series}",
                 details={"first": pack.number_text(first), "last": pack.number_text(pack.last_number),
                          "count": count})
    return _pack_line(session, pack)


def _pack_line(session: Session, pack: BlankPack) -> PackLine:
    counts: dict[str, int] = {status: count for status, count in session.execute(
        select(UsedBlank.status, func.count()).where(UsedBlank.pack_id == pack.id).group_by(UsedBlank.status))}
    issued, spoiled = counts.get(ISSUED, 0), counts.get(SPOILED, 0)
    return PackLine(pack.series, pack.number_text(pack.first_number), pack.number_text(pack.last_number),
                    pack.count, issued, spoiled, pack.count - issued - spoiled)


def _packs(session: Session) -> list[BlankPack]:
    return list(session.scalars(select(BlankPack).order_by(BlankPack.series, BlankPack.first_number)))


def list_packs(session: Session) -> list[PackLine]:
    return [_pack_line(session, pack) for pack in _packs(session)]


# --- assigning ----------------------------------------------------------------------------------------------------


def _issued_ids(session: Session, stream: CertificateStream) -> set[int]:
    return set(session.scalars(select(UsedBlank.applicant_id).join(CertificateApplicant)
                               .where(CertificateApplicant.stream_id == stream.id, UsedBlank.status == ISSUED)))


def _clean(session: Session) -> Iterator[tuple[BlankPack, int]]:
    for pack in _packs(session):
        used = set(session.scalars(select(UsedBlank.number).where(UsedBlank.pack_id == pack.id)))
        for number in range(pack.first_number, pack.last_number + 1):
            if number not in used:
                yield pack, number


@dataclass(frozen=True)
class Assigned:
    ikt: str
    series: str
    number: str
    issued_on: date


def _issue(session: Session, applicant: CertificateApplicant, pack: BlankPack, number: int, on: date,
           actor: str) -> Assigned:
    session.add(UsedBlank(pack_id=pack.id, number=number, status=ISSUED, applicant_id=applicant.id, issued_on=on,
                          recorded_by=actor[:100]))
    return Assigned(applicant.ikt, pack.series, pack.number_text(number), on)


def _issue_date(stream: CertificateStream, on: date) -> date:
    """A certificate is issued after its exam (п. 214: after the appeal), never dated before it."""
    if on < stream.exam_date:
        raise Refused(_("A certificate of stream {stream} cannot be dated {date}: the exam was on {exam}.").format(
            stream=stream.stream_number, date=on.isoformat(), exam=stream.exam_date.isoformat()))
    return on


def assign_stream(session: Session, stream_number: int, on: date, *, actor: str, audit: AuditLog) -> list[Assigned]:
    """Give every applicant of the stream without a number the next clean blank (see the module's text)."""
    stream = taken_stream(session, stream_number)
    on = _issue_date(stream, on)
    issued = _issued_ids(session, stream)
    waiting = [applicant for applicant in certificate_order(stream.applicants) if applicant.id not in issued]
    if not waiting:
        return []
    blanks: list[tuple[BlankPack, int]] = []
    for blank in _clean(session):
        blanks.append(blank)
        if len(blanks) == len(waiting):
            break
    if len(blanks) < len(waiting):
        raise Refused(_("Stream {stream} needs {needed} clean blank(s) but only {clean} are left: {missing} "
                        "missing (packs add).").format(stream=stream_number, needed=len(waiting), clean=len(blanks),
                                                      missing=len(waiting) - len(blanks)))
    assigned = [_issue(session, applicant, pack, number, on, actor)
                for applicant, (pack, number) in zip(waiting, blanks, strict=True)]
    session.flush()
    audit.record(session, actor=actor, action="certificate.numbers.assigned", target=f"stream/{stream_number}",
                 details={"count": len(assigned), "issued_on": on.isoformat(),
                          "blanks": [[item.ikt, f"{item.series} {item.number}"] for item in assigned]})
    return assigned


def _find(session: Session, text: str) -> tuple[BlankPack, int]:
    series, number, _width = parse_blank(text)
    series = next((held for held in session.scalars(select(BlankPack.series).distinct())
                   if _look_alike(held) == _look_alike(series)), series)
    pack = session.scalar(select(BlankPack).where(BlankPack.series == series, BlankPack.first_number <= number,
                                                  BlankPack.first_number + BlankPack.count > number))
    if pack is None:
        raise Refused(_("Blank {blank} is in no pack received (packs list).").format(blank=text.strip()))
    return pack, number


def _used(session: Session, pack: BlankPack, number: int) -> UsedBlank | None:
    return session.scalar(select(UsedBlank).where(UsedBlank.pack_id == pack.id, UsedBlank.number == number))


def assign_blank(session: Session, stream_number: int, ikt: str, text: str, on: date, *, actor: str,
                 audit: AuditLog) -> Assigned:
    """Give one applicant of the stream one named blank (a reprint)."""
    stream = taken_stream(session, stream_number)
    on = _issue_date(stream, on)
    applicant = next((item for item in stream.applicants if item.ikt == ikt), None)
    if applicant is None:
        raise Refused(_("Stream {stream} has no applicant with ИКТ {ikt}.").format(stream=stream_number, ikt=ikt))
    pack, number = _find(session, text)
    name = blank_text(pack.series, pack, number)
    used = _used(session, pack, number)
    if used is not None and used.status == ISSUED:
        raise Refused(_("Blank {blank} is already issued.").format(blank=name))
    if used is not None:
        raise Refused(_("Blank {blank} is spoiled: a spoiled blank is never used again.").format(blank=name))
    held = session.scalar(select(UsedBlank).where(UsedBlank.applicant_id == applicant.id, UsedBlank.status == ISSUED))
    if held is not None:
        raise Refused(_("The applicant with ИКТ {ikt} already has blank {blank}: spoil it first.").format(
            ikt=ikt, blank=blank_text(held.pack.series, held.pack, held.number)))
    assigned = _issue(session, applicant, pack, number, on, actor)
    session.flush()
    audit.record(session, actor=actor, action="certificate.number.assigned", target=f"stream/{stream_number}",
                 details={"ikt": ikt, "blank": name, "issued_on": on.isoformat()})
    return assigned


# --- spoiling -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spoiled:
    blank: str
    ikt: str | None
    """Whom the blank was printed for (now without a number), if it was issued."""


def spoil(session: Session, text: str, reason: str, *, actor: str, audit: AuditLog) -> Spoiled:
    """Record a blank as spoiled with its reason (see the module's text)."""
    reason = reason.strip()
    if not reason or len(reason) > MOST_REASON:
        raise Refused(_("Give the reason the blank is spoiled, at most {most} characters.").format(most=MOST_REASON))
    pack, number = _find(session, text)
    name = blank_text(pack.series, pack, number)
    used = _used(session, pack, number)
    if used is not None and used.status == SPOILED:
        raise Refused(_("Blank {blank} is already spoiled.").format(blank=name))
    ikt = None
    if used is None:
        session.add(UsedBlank(pack_id=pack.id, number=number, status=SPOILED, reason=reason, recorded_by=actor[:100]))
    else:
        ikt = used.applicant.ikt if used.applicant is not None else None
        used.status, used.reason, used.recorded_by = SPOILED, reason, actor[:100]
    session.flush()
    audit.record(session, actor=actor, action="certificate.blank.spoiled", target=f"blank/{name}",
                 details={"ikt": ikt})  # not the reason: the operator's words may name someone
    return Spoiled(name, ikt)


# --- the numbers to НЦТ (п. 217) ----------------------------------------------------------------------------------


def certificate_numbers_payload(session: Session, stream_number: int) -> dict[str, Any]:
    """The ``certificate-numbers`` payload of a stream (docs/packages.md); ``Refused`` while an applicant of the
    stream has no number."""
    stream = taken_stream(session, stream_number)
    rows = session.execute(select(UsedBlank, CertificateApplicant.ikt).join(CertificateApplicant)
                           .where(CertificateApplicant.stream_id == stream.id)).all()
    issued = {ikt: used for used, ikt in rows if used.status == ISSUED}
    missing = [applicant.ikt for applicant in stream.applicants if applicant.ikt not in issued]
    if missing:
        raise Refused(_("{count} applicant(s) of stream {stream} have no certificate number yet (assign --stream "
                        "{stream}): the numbers go to НЦТ whole.").format(count=len(missing), stream=stream_number))
    spoiled: list[tuple[UsedBlank, str | None]] = [(used, ikt) for used, ikt in rows if used.status == SPOILED]
    spoiled += [(used, None) for used in session.scalars(select(UsedBlank).where(
        UsedBlank.status == SPOILED, UsedBlank.applicant_id.is_(None)))]
    spoiled.sort(key=lambda item: (item[0].pack.series, item[0].number))
    return {
        "format": CERTIFICATE_NUMBERS_FORMAT,
        "site_code": stream.site_code,
        "stream": stream.stream_number,
        "date": stream.exam_date.isoformat(),
        "certificates": [{"ikt": ikt, "series": used.pack.series, "number": used.number_text,
                          "issued_on": used.issued_on.isoformat() if used.issued_on else stream.exam_date.isoformat()}
                         for ikt, used in sorted(issued.items())],
        "spoiled": [{"series": used.pack.series, "number": used.number_text, "reason": used.reason or "",
                     "ikt": ikt} for used, ikt in spoiled],
        "packs": [{"series": pack.series, "first": pack.number_text(pack.first_number),
                   "last": pack.number_text(pack.last_number), "count": pack.count} for pack in _packs(session)],
    }


@dataclass(frozen=True)
class SentNumbers:
    stream: int
    path: str
    certificates: int
    spoiled: int


def send_certificate_numbers(session: Session, outbox: Path, stream_number: int, *, password: str, actor: str,
                             audit: AuditLog) -> SentNumbers:
    """Seal the stream's certificate numbers for НЦТ (п. 217) in the caller's transaction."""
    from common.exchange import kinds
    from common.exchange.addresses import NCT_ADDRESS
    from common.exchange.store import load_identity, load_trust, send_package

    payload = certificate_numbers_payload(session, stream_number)
    sent = send_package(session, identity=load_identity(session, password), trust=load_trust(session),
                        recipient=NCT_ADDRESS, kind=kinds.CERTIFICATE_NUMBERS.name, payload=payload, outbox=outbox,
                        audit=audit, actor=actor, stream=stream_number)
    audit.record(session, actor=actor, action="certificate-numbers.sent", target=f"stream/{stream_number}",
                 details={"package": sent.path.name, "certificates": len(payload["certificates"]),
                          "spoiled": len(payload["spoiled"])})
    return SentNumbers(stream_number, str(sent.path), len(payload["certificates"]), len(payload["spoiled"]))
