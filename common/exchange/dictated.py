"""Passwords НЦТ dictates, checked on the workstation (close the applicant database, seating draw,
re-identification): verifiers from packages, attempts counted, a lock after too many wrong ones.

Wrong attempts must survive the refusal they cause, so the check does not raise: it returns a
:class:`CodeCheck` and the caller finishes its transaction before refusing::

    with context.transaction() as session:
        check = check_dictated_code(session, site_code=..., purpose="seating-draw", stream=2,
                                    typed=code, audit=log, actor=operator)
        if check.accepted:
            draw_seats(session, ...)          # the protected action, in the same transaction
    check.raise_if_refused()                  # after the commit that kept the count
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.db.exchange_models import PasswordAttempts, PasswordVerifier, stream_of
from common.errors import Refused
from common.exchange.ledger import stream_key
from common.exchange.package import OpenedPackage
from common.i18n import N_, _
from common.security.audit import AuditLog
from common.security.codes import CodeContext, CodeVerifier, normalize_code

if TYPE_CHECKING:
    from common.exchange.importers import ImportContext

MAX_FAILURES: Final = 5
UNLOCK_CODES: Final = 3
"""How many unlock codes a verifier package carries (one per lock)."""


@dataclass(frozen=True)
class Purpose:
    name: str
    title: str
    role: str
    per_stream: bool
    paragraphs: str


PURPOSES: Final[dict[str, Purpose]] = {
    purpose.name: purpose
    for purpose in (
        Purpose("close-applications", N_("Closing the applicant database"), "applications", False, "п. 107"),
        Purpose("seating-draw", N_("Seating draw"), "programmer", True, "п. 52.11"),
        Purpose("re-identification", N_("Re-identification"), "programmer", True, "п. 173–175"),
    )
}
ANSWER_CODES_PURPOSE: Final = "answer-codes"


def purpose_of(name: str, stream: int | None) -> Purpose:
    """The purpose ``name``; ``Refused`` for an unknown one or a stream given or missing wrongly."""
    purpose = PURPOSES.get(name)
    if purpose is None:
        raise Refused(_("Unknown password purpose {purpose!r}; expected one of: {known}.").format(
            purpose=name, known=", ".join(PURPOSES)))
    if purpose.per_stream and stream is None:
        raise Refused(_("The password for {purpose} is given per stream: say which stream.").format(
            purpose=_(purpose.title)))
    if not purpose.per_stream and stream is not None:
        raise Refused(_("The password for {purpose} belongs to no stream.").format(purpose=_(purpose.title)))
    return purpose


def slot_code() -> str:
    return "code"


def slot_unlock(number: int) -> str:
    return f"unlock-{number}"


def _unlock_number(slot: str) -> int:
    """N of slot ``unlock-N`` (codes are used in order, so those up to ``unlocks_used`` are spent)."""
    try:
        return int(slot.removeprefix("unlock-"))
    except ValueError:
        return 0


def store_verifiers(
    session: Session, verifiers: Iterable[CodeVerifier], package_id: str, site_code: str
) -> int:
    """Keep verifiers (replacing older ones for the same slot); a new code's arrival lifts its lock."""
    count = 0
    for verifier in verifiers:
        context = verifier.context
        purpose_of(context.purpose, context.stream)
        if context.site_code != site_code:
            message = _("The password verifiers are for site {site}, not this one.")
            raise Refused(message.format(site=context.site_code))
        key = stream_key(context.stream)
        row = session.scalars(select(PasswordVerifier).where(
            PasswordVerifier.purpose == context.purpose, PasswordVerifier.stream_key == key,
            PasswordVerifier.slot == context.slot,
        )).first()
        if row is None:
            row = PasswordVerifier(purpose=context.purpose, stream_key=key, slot=context.slot)
            session.add(row)
        row.verifier, row.package_id, row.received_at = verifier.to_dict(), package_id, datetime.now(UTC)
        if context.slot == slot_code():
            attempts = attempts_for(session, context.purpose, context.stream)
            attempts.failures, attempts.unlocks_used, attempts.locked_at = 0, 0, None
        count += 1
    session.flush()
    return count


def import_verifiers_package(session: Session, opened: OpenedPackage, context: ImportContext) -> str:
    """Importer of "password-verifiers" packages: ``{"verifiers": [verifier, ...]}``."""
    verifiers = [CodeVerifier.from_dict(item) for item in opened.payload.get("verifiers", [])]
    site_code = opened.manifest.site_code or ""
    count = store_verifiers(session, verifiers, opened.package_id, site_code)
    return _("{count} password verifier(s) kept.").format(count=count)


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of one typed code. ``message`` is one translated line."""

    accepted: bool
    message: str
    failures: int = 0
    locked: bool = False

    def raise_if_refused(self) -> None:
        if not self.accepted:
            raise Refused(self.message)


def attempts_for(session: Session, purpose: str, stream: int | None) -> PasswordAttempts:
    key = stream_key(stream)
    row = session.scalars(select(PasswordAttempts).where(
        PasswordAttempts.purpose == purpose, PasswordAttempts.stream_key == key)).first()
    if row is None:
        row = PasswordAttempts(purpose=purpose, stream_key=key, failures=0, total_failures=0, unlocks_used=0)
        session.add(row)
        session.flush()
    return row


def _verifier(session: Session, purpose: str, stream: int | None, slot: str) -> CodeVerifier | None:
    row = session.scalars(select(PasswordVerifier).where(
        PasswordVerifier.purpose == purpose, PasswordVerifier.stream_key == stream_key(stream),
        PasswordVerifier.slot == slot)).first()
    return None if row is None else CodeVerifier.from_dict(row.verifier)


def locked_message(site_code: str, purpose: Purpose, stream: int | None, unlock_number: int) -> str:
    message = _("Too many wrong passwords for {purpose}: locked. Ask НЦТ for unlock code {number} "
                "(site {site}, stream {stream}).")
    return message.format(purpose=_(purpose.title), number=unlock_number, site=site_code,
                          stream=stream if stream is not None else "—")


def check_dictated_code(
    session: Session, *, site_code: str, purpose: str, stream: int | None, typed: str,
    audit: AuditLog, actor: str,
) -> CodeCheck:
    """Check a code НЦТ dictated; counts and audits a wrong one (see the module's example)."""
    kind = purpose_of(purpose, stream)
    verifier = _verifier(session, purpose, stream, slot_code())
    if verifier is None:
        raise Refused(_("НЦТ's password data for {purpose} has not arrived: take its package first.").format(
            purpose=_(kind.title)))
    if verifier.context != CodeContext(site_code, purpose, stream, slot_code()):
        raise Refused(_("The password data here belongs to another site."))
    canonical = normalize_code(typed)  # a typing error is not a guess: refused, not counted
    attempts = attempts_for(session, purpose, stream)
    target = f"{purpose}/{stream if stream is not None else '-'}"
    if attempts.locked_at is not None:
        message = locked_message(site_code, kind, stream, attempts.unlocks_used + 1)
        return CodeCheck(False, message, attempts.failures, True)
    now = datetime.now(UTC)
    if verifier.matches(canonical):
        attempts.failures, attempts.accepted_at = 0, now
        audit.record(session, actor=actor, action="password.accepted", target=target)
        return CodeCheck(True, _("Password accepted."))
    attempts.failures += 1
    attempts.total_failures += 1
    attempts.last_failure_at = now
    locked = attempts.failures >= MAX_FAILURES
    if locked:
        attempts.locked_at = now
    audit.record(session, actor=actor, action="password.wrong", target=target,
                 details={"failures": attempts.failures, "locked": locked})
    if locked:
        message = locked_message(site_code, kind, stream, attempts.unlocks_used + 1)
        return CodeCheck(False, message, attempts.failures, True)
    left = MAX_FAILURES - attempts.failures
    return CodeCheck(False, _("Wrong password for {purpose}; {left} attempt(s) left before it locks.").format(
        purpose=_(kind.title), left=left), attempts.failures)


def unlock_dictated_code(
    session: Session, *, site_code: str, purpose: str, stream: int | None, typed: str,
    audit: AuditLog, actor: str,
) -> CodeCheck:
    """Lift a lock with the unlock code НЦТ dictates (one per lock, numbered from 1)."""
    kind = purpose_of(purpose, stream)
    attempts = attempts_for(session, purpose, stream)
    if attempts.locked_at is None:
        raise Refused(_("The password for {purpose} is not locked.").format(purpose=_(kind.title)))
    number = attempts.unlocks_used + 1
    verifier = _verifier(session, purpose, stream, slot_unlock(number))
    if verifier is None or verifier.context.site_code != site_code:
        raise Refused(_("No unlock code {number} is known here: НЦТ must send new password data.").format(
            number=number))
    canonical = normalize_code(typed)
    target = f"{purpose}/{stream if stream is not None else '-'}"
    if verifier.matches(canonical):
        attempts.locked_at, attempts.failures, attempts.unlocks_used = None, 0, number
        audit.record(session, actor=actor, action="password.unlocked", target=target,
                     details={"unlock": number})
        return CodeCheck(True, _("Unlocked: the password may be typed again."))
    attempts.total_failures += 1
    attempts.last_failure_at = datetime.now(UTC)
    audit.record(session, actor=actor, action="password.unlock-wrong", target=target,
                 details={"unlock": number})
    return CodeCheck(False, _("Wrong unlock code."), attempts.failures, True)


@dataclass(frozen=True)
class PasswordState:
    purpose: str
    stream: int | None
    has_code: bool
    unlock_codes: int
    failures: int
    locked: bool
    accepted: bool


def password_states(session: Session) -> list[PasswordState]:
    """What this workstation knows of each dictated password (never a code)."""
    slots: dict[tuple[str, int], list[str]] = {}
    for row in session.scalars(select(PasswordVerifier)):
        slots.setdefault((row.purpose, row.stream_key), []).append(row.slot)
    states = []
    for (purpose, key), names in sorted(slots.items()):
        attempts = attempts_for(session, purpose, stream_of(key))
        unused = [name for name in names if name.startswith("unlock-") and _unlock_number(name) > attempts.unlocks_used]
        states.append(PasswordState(
            purpose, stream_of(key), slot_code() in names, len(unused),
            attempts.failures, attempts.locked_at is not None, attempts.accepted_at is not None,
        ))
    return states
