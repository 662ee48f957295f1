"""What the register of issued certificates and the three certificate acts say (ch. 40; no Qt, no paper).

* :func:`issue_register` — the register of issued certificates of a stream (прил. 14; п. 216.2, 219–221): the
  stream's issued certificates by school in :func:`~arm_certificate.order.certificate_order`, and the applicants of
  the stream with no certificate number.
* :func:`blank_account` — every blank received (прил. 16): per pack, and the numbers issued, spoiled and still clean
  (прил. 41, п. 222).
* :func:`handover_lines` — what the representative hands to the site head (прил. 15, п. 220): per stream and school
  the certificates and the register's pages.
* :func:`number_ranges` — numbers written out as ranges (``AA 0000101–0000180``), the one helper every act uses.

**Instruction and inference.** The instruction names these forms and who signs them, never their columns:
п. 219 (the representative signs every page of the register after checking it against the statement), п. 220
(the register travels with the certificates to the site head, then to the school's technical secretary), п. 221
(the applicant signs for the certificate in the register), п. 222 (the numbers written out and the clean blanks go
back to НЦТ by прил. 41), п. 34.2 (прил. 15 between the representative and the site head), п. 42.2 (прил. 16: the
blanks received at НЦТ). Grouping the register by school, its columns, the counts and the ranges are this suite's.
Spoiled blanks are not in the instruction (FORMS.md, «Three certificate acts»): прил. 41 lists them with their
reasons so that issued + spoiled + clean = received.

**Applicants without a number** are not dropped from the register: they are listed in a final section of their
own. The representative checks the register against the statement (п. 219), which lists every applicant; an
applicant missing from the register without a word would look like a lost certificate. Refusing instead would
stop the register of a whole stream for one applicant whose certificate cannot be printed (no blank left, a
spoiled blank not yet replaced) while the others' certificates are ready to travel.

Names and ИИН are personal data: they go on paper, never into a message or the log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

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

ROWS_PER_PAGE: Final = 10
"""Rows of a register page: each row tall enough for the applicant's signature (п. 221)."""


@dataclass(frozen=True, order=True)
class NumberRange:
    """Consecutive numbers ``first``…``last`` of one series, printed with ``digits`` digits."""

    series: str
    first: int
    last: int
    digits: int

    @property
    def count(self) -> int:
        return self.last - self.first + 1

    @property
    def numbers_text(self) -> str:
        """``0000101–0000180``, or ``0000101`` for a single number."""
        first = f"{self.first:0{self.digits}d}"
        return first if self.first == self.last else f"{first}–{self.last:0{self.digits}d}"

    @property
    def text(self) -> str:
        """``AA 0000101–0000180``."""
        return f"{self.series} {self.numbers_text}"


def number_ranges(numbers: Iterable[tuple[str, int, int]]) -> list[NumberRange]:
    """(series, number, digits) written out as ranges of consecutive numbers, by series then number.

    A gap starts a new range; a number given twice counts once; a series of other digits is another run.
    """
    ranges: list[NumberRange] = []
    for series, number, digits in sorted(set(numbers)):
        last = ranges[-1] if ranges else None
        if last is not None and (last.series, last.digits) == (series, digits) and number == last.last + 1:
            ranges[-1] = NumberRange(series, last.first, number, digits)
        else:
            ranges.append(NumberRange(series, number, number, digits))
    return ranges


def total_count(ranges: Iterable[NumberRange]) -> int:
    return sum(item.count for item in ranges)


# --- the register (прил. 14) -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterRow:
    ikt: str
    full_name: str
    series: str
    number: str
    total: int


@dataclass(frozen=True)
class SchoolPart:
    """One school's rows of the register: they travel to its technical secretary (п. 220)."""

    code: str
    name_kk: str
    name_ru: str
    rows: tuple[RegisterRow, ...]

    @property
    def pages(self) -> int:
        return register_pages(len(self.rows))


@dataclass(frozen=True)
class Unnumbered:
    """An applicant of the stream whose certificate has no number (no issued blank)."""

    ikt: str
    full_name: str
    school_code: str
    total: int


@dataclass(frozen=True)
class IssueRegister:
    stream: int
    exam_date: date
    site_code: str
    site_name_kk: str
    site_name_ru: str
    schools: tuple[SchoolPart, ...]
    unnumbered: tuple[Unnumbered, ...]

    @property
    def issued(self) -> int:
        return sum(len(school.rows) for school in self.schools)


def register_pages(rows: int) -> int:
    """Pages of the register for ``rows`` rows (at least one)."""
    return max(1, -(-rows // ROWS_PER_PAGE))


def _stream(session: Session, stream_number: int) -> CertificateStream:
    return taken_stream(session, stream_number, selectinload(CertificateStream.applicants)
                        .selectinload(CertificateApplicant.issued_blank).selectinload(UsedBlank.pack))


def issue_register(session: Session, stream_number: int) -> IssueRegister:
    """The register of ``stream_number``; ``Refused`` when the stream has no issued certificate."""
    stream = _stream(session, stream_number)
    ordered = certificate_order(stream.applicants)
    issued = [applicant for applicant in ordered if applicant.issued_blank is not None]
    if not issued:
        raise Refused(_("Stream {stream} has no issued certificate yet: there is nothing to register "
                        "(п. 216.2).").format(stream=stream_number))
    schools = []
    for code, group in groupby(issued, key=lambda applicant: applicant.school_code):
        members = list(group)
        schools.append(SchoolPart(code=code, name_kk=members[0].school_name_kk, name_ru=members[0].school_name_ru,
                                  rows=tuple(RegisterRow(ikt=item.ikt, full_name=item.full_name,
                                                         series=item.certificate_series or "",
                                                         number=item.certificate_number or "", total=item.total)
                                             for item in members)))
    unnumbered = tuple(Unnumbered(ikt=item.ikt, full_name=item.full_name, school_code=item.school_code,
                                  total=item.total) for item in ordered if item.issued_blank is None)
    return IssueRegister(stream=stream.stream_number, exam_date=stream.exam_date, site_code=stream.site_code,
                         site_name_kk=stream.site_name_kk, site_name_ru=stream.site_name_ru, schools=tuple(schools),
                         unnumbered=unnumbered)


# --- the acts (прил. 15, 16, 41) ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Site:
    code: str
    name_kk: str
    name_ru: str


@dataclass(frozen=True)
class SpoiledBlank:
    series: str
    number: str
    reason: str


@dataclass(frozen=True)
class BlankAccount:
    """Every blank received, and what became of each (прил. 16, 41)."""

    packs: tuple[NumberRange, ...]
    issued: tuple[NumberRange, ...]
    spoiled: tuple[SpoiledBlank, ...]
    clean: tuple[NumberRange, ...]

    @property
    def received(self) -> int:
        return total_count(self.packs)


def blank_account(session: Session) -> BlankAccount:
    """The packs received and their blanks issued, spoiled and clean; ``Refused`` when no pack is entered."""
    packs = list(session.scalars(select(BlankPack).options(selectinload(BlankPack.used))
                                 .order_by(BlankPack.series, BlankPack.first_number)))
    if not packs:
        raise Refused(_("No pack of certificate blanks is entered yet: there is nothing to account for."))
    issued: list[tuple[str, int, int]] = []
    spoiled: list[SpoiledBlank] = []
    clean: list[tuple[str, int, int]] = []
    for pack in packs:
        used = {blank.number: blank for blank in pack.used}
        for number in range(pack.first_number, pack.last_number + 1):
            blank = used.get(number)
            if blank is None:
                clean.append((pack.series, number, pack.digits))
            elif blank.status == ISSUED:
                issued.append((pack.series, number, pack.digits))
            elif blank.status == SPOILED:
                spoiled.append(SpoiledBlank(pack.series, pack.number_text(number), blank.reason or ""))
    return BlankAccount(
        packs=tuple(NumberRange(pack.series, pack.first_number, pack.last_number, pack.digits) for pack in packs),
        issued=tuple(number_ranges(issued)), spoiled=tuple(spoiled), clean=tuple(number_ranges(clean)))


@dataclass(frozen=True)
class HandoverLine:
    """One school of one stream in прил. 15: its certificates and its register's pages."""

    stream: int
    exam_date: date
    school_code: str
    school_name_kk: str
    school_name_ru: str
    certificates: int
    register_pages: int


def handover_lines(session: Session) -> list[HandoverLine]:
    """Per stream and school, the issued certificates and the register pages (as :func:`issue_register` pages
    them); ``Refused`` when no certificate is issued."""
    streams = session.scalars(select(CertificateStream).order_by(CertificateStream.stream_number)
                              .options(selectinload(CertificateStream.applicants)
                                       .selectinload(CertificateApplicant.issued_blank)))
    lines = []
    for stream in streams:
        issued = [item for item in certificate_order(stream.applicants) if item.issued_blank is not None]
        for code, group in groupby(issued, key=lambda applicant: applicant.school_code):
            members = list(group)
            lines.append(HandoverLine(stream=stream.stream_number, exam_date=stream.exam_date, school_code=code,
                                      school_name_kk=members[0].school_name_kk,
                                      school_name_ru=members[0].school_name_ru, certificates=len(members),
                                      register_pages=register_pages(len(members))))
    if not lines:
        raise Refused(_("No certificate is issued yet: there is nothing to hand over (п. 220)."))
    return lines


def site_of(session: Session) -> Site | None:
    """The site as the newest certificate file names it (None before any is taken)."""
    stream = session.scalar(select(CertificateStream).order_by(CertificateStream.imported_at.desc(),
                                                               CertificateStream.id.desc()))
    return None if stream is None else Site(stream.site_code, stream.site_name_kk, stream.site_name_ru)


def balance(account: BlankAccount) -> tuple[int, int, int, int]:
    """(received, issued, spoiled, clean); the first is the sum of the others."""
    return account.received, total_count(account.issued), len(account.spoiled), total_count(account.clean)

