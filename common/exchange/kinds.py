"""The kinds of package the suite knows, who may send each and who may receive it.

A package of a kind not registered here is refused as unknown; one between the wrong parties
(an answer-codes file from a workstation, say) is refused too. Register new kinds with
:func:`register_kind` from the module that handles their payload.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from common.errors import Refused
from common.exchange.addresses import NCT_ROLE, WORKSTATION_ROLES, Address
from common.exchange.container import Limits
from common.i18n import N_, _

MIB: Final = 1024**2
DEFAULT_LIMITS: Final = Limits(per_file=64 * MIB, total=128 * MIB)
"""What a package may expand to unless its kind says otherwise (see FORMAT.md, "Size limits")."""

ANY_WORKSTATION: Final = frozenset(WORKSTATION_ROLES)
NCT_ONLY: Final = frozenset({NCT_ROLE})


@dataclass(frozen=True)
class PackageKind:
    """``title`` is an untranslated message id; roles are workstation codes or ``nct``."""

    name: str
    title: str
    senders: frozenset[str]
    recipients: frozenset[str]
    paragraphs: str = ""
    limits: Limits = DEFAULT_LIMITS
    """The most the ZIP inside may expand to, per file and in all (checked before and while reading)."""


_KINDS: dict[str, PackageKind] = {}


def register_kind(kind: PackageKind) -> PackageKind:
    """Add ``kind`` (registering the same definition twice is harmless)."""
    known = _KINDS.get(kind.name)
    if known is not None and known != kind:
        raise ValueError(f"package kind {kind.name!r} is already registered differently")
    _KINDS[kind.name] = kind
    return kind


def known_kinds() -> tuple[PackageKind, ...]:
    return tuple(sorted(_KINDS.values(), key=lambda kind: kind.name))


def lookup_kind(name: str) -> PackageKind:
    """The registered kind ``name``; ``Refused`` ("unknown kind") otherwise."""
    kind = _KINDS.get(name)
    if kind is None:
        raise Refused(_("Unknown kind of package {kind!r}: this program does not take it; it may need "
                        "a newer version.").format(kind=name))
    return kind


def largest_package_bytes() -> int:
    """No package file of any kind can be larger than this (the biggest total, plus CMS overhead)."""
    return max(kind.limits.total for kind in _KINDS.values()) + 16 * MIB


def check_parties(kind: PackageKind, sender: Address, recipient: Address) -> None:
    """``Refused`` when ``kind`` does not travel from ``sender`` to ``recipient``."""
    if sender.role not in kind.senders or recipient.role not in kind.recipients:
        raise Refused(_("A package of kind {kind!r} does not go from {sender} to {recipient}.").format(
            kind=kind.name, sender=sender, recipient=recipient))
    if not sender.is_nct and not recipient.is_nct and sender.site_code != recipient.site_code:
        raise Refused(_("A package of kind {kind!r} does not go from {sender} to {recipient}.").format(
            kind=kind.name, sender=sender, recipient=recipient))


def _from_nct(
    name: str, title: str, recipients: frozenset[str], paragraphs: str, limits: Limits = DEFAULT_LIMITS
) -> PackageKind:
    return register_kind(PackageKind(name, title, NCT_ONLY, recipients, paragraphs, limits))


def _to_nct(
    name: str, title: str, senders: frozenset[str], paragraphs: str, limits: Limits = DEFAULT_LIMITS
) -> PackageKind:
    return register_kind(PackageKind(name, title, senders, NCT_ONLY, paragraphs, limits))


_LARGE: Final = Limits(per_file=256 * MIB, total=512 * MIB)
"""Whole databases and national-scale files: 100 000 applicants are about 60 MB of JSON."""
_SCANS: Final = Limits(per_file=64 * MIB, total=512 * MIB)
"""Reports that carry scanned pages as attachments."""


ENROLMENT = _from_nct("enrolment", N_("Enrolment"), ANY_WORKSTATION, "п. 24.4, 52.2")
DIRECTORIES = _from_nct("directories", N_("Directories"), ANY_WORKSTATION, "п. 23.1")
PASSWORD_VERIFIERS = _from_nct("password-verifiers", N_("Password verifiers"), ANY_WORKSTATION,
                               "п. 25, 52.11")
CERTIFICATES = _from_nct("certificates", N_("Certificates of the site's workstations"), ANY_WORKSTATION,
                         "п. 24.4")
SITE_PLAN = _from_nct("site-plan", N_("Site plan and ИКТ block"), frozenset({"applications"}), "п. 89.1")
ROOM_OPENING = _from_nct("room-opening", N_("Room opening file"), frozenset({"applications"}), "п. 89.11")
TEST_SPECIFICATION = _from_nct("test-specification", N_("Test specification"),
                               frozenset({"programmer", "scanner-check"}), "п. 25")
VARIANTS = _from_nct("variants", N_("Variants file"), frozenset({"programmer"}), "п. 53.1")
ANSWER_CODES = _from_nct("answer-codes", N_("Answer codes file"), frozenset({"programmer"}), "п. 177")
APPEAL_DECISIONS = _from_nct("appeal-decisions", N_("Republican commission's decisions"),
                             frozenset({"programmer"}), "п. 204")

SITE_DATABASE = _to_nct("site-database", N_("Site database"), frozenset({"base-ppent"}), "п. 79.3", _LARGE)
DAILY_STATISTICS = _to_nct("daily-statistics", N_("Daily statistics"),
                           frozenset({"applications", "programmer"}), "п. 12")
APPLICANTS = _to_nct("applicants", N_("Applicant file"), frozenset({"applications", "programmer"}), "п. 107",
                     _LARGE)
ROOM_COUNTS = _to_nct("room-counts", N_("Counts per room and stream"), frozenset({"applications"}),
                      "п. 89.14")
IDENTIFICATION_END = _to_nct("identification-end", N_("End of identification"), frozenset({"programmer"}), "п. 176")
RESULTS = _to_nct("results", N_("Results without appeal"), frozenset({"programmer"}), "п. 180", _LARGE)
APPEALS = _to_nct("appeals", N_("Appeal file"), frozenset({"programmer"}), "п. 203", _SCANS)
"""Carries the technical appeals' sheet images (the test-day scan and the fresh one)."""
FINAL_RESULTS = _to_nct("final-results", N_("Results with appeal"), frozenset({"programmer"}), "п. 206",
                        _LARGE)
CERTIFICATE_NUMBERS = _to_nct("certificate-numbers", N_("Certificate numbers"),
                              frozenset({"certificate"}), "п. 217")
REPORTS = _to_nct("reports", N_("Reports"), ANY_WORKSTATION, "п. 29, 232", _SCANS)
SCANNER_CHECK = _to_nct("scanner-check", N_("Scanner check report"), frozenset({"scanner-check"}), "п. 42.5",
                        _SCANS)

# Between the workstations of one site (п. 52.6–52.8: the programmer takes over the applicant base).
APPLICANT_DATABASE = register_kind(PackageKind(
    "applicant-database", N_("Applicant database for the programmer"),
    frozenset({"applications"}), frozenset({"programmer"}), "п. 52.8", _LARGE))
CERTIFICATE_FILE = register_kind(PackageKind(
    "certificate-file", N_("Certificate file"), frozenset({"programmer"}), frozenset({"certificate"}), "п. 55.2, 214"))
"""A stream's results with appeal, after its appeal closes, for the site's certificate workstation."""
TEST_PACKAGE = register_kind(PackageKind(
    "test-message", N_("Test message"), frozenset({*WORKSTATION_ROLES, NCT_ROLE}),
    frozenset({*WORKSTATION_ROLES, NCT_ROLE}), ""))
