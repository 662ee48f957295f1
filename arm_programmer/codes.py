"""The answer codes of a stream opened on the programmer's workstation (п. 176–178), into the database.

The answer codes open only when the stream is ready for them (:func:`arm_programmer.identification.stream_state`:
every room scanned twice, every sheet and applicant settled, the end of identification reported to НЦТ,
п. 176–177); until then :func:`open_stream_codes` refuses with what still blocks, and no attempt is counted.
Then the state commission chair's, the ДКНБ representative's and the Ministry representative's passwords
open the sealed file together (:mod:`common.exchange.answer_codes`, each try counted and audited); the key is
checked against the stream's test specification from НЦТ and kept in the database
(:class:`~common.db.score_models.StreamAnswerKey`) in the transaction that counts the attempt — never in a
loose file. :func:`stream_key` gives it back to the scoring and the prints.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from arm_programmer.draw import stream_of
from common.db.models import Stream
from common.db.score_models import StreamAnswerKey
from common.errors import Refused
from common.i18n import _
from common.security.audit import AuditLog
from common.testspec import AnswerKey, TestSpecification, load_answer_key


@dataclass(frozen=True)
class OpenedCodes:
    """The outcome of one try: ``opened`` (the key is stored now), ``already`` (it was before, nothing
    counted) or neither (a wrong set of passwords, counted: the caller commits, then refuses with ``message``)."""

    stream_number: int
    opened: bool
    already: bool
    message: str
    failures: int = 0
    sha256: str | None = None
    variants: int = 0

    def raise_if_refused(self) -> OpenedCodes:
        if not self.opened and not self.already:
            raise Refused(self.message)
        return self


def held_key(session: Session, stream: Stream) -> StreamAnswerKey | None:
    return session.scalar(select(StreamAnswerKey).where(StreamAnswerKey.stream_id == stream.id))


def _specification(session: Session, stream_number: int) -> TestSpecification:
    from arm_programmer.variants import stream_specification

    spec = stream_specification(session, stream_number)
    if spec is None:
        raise Refused(_("Stream {stream} has no test specification from НЦТ yet: take the variants file first "
                        "(variants import).").format(stream=stream_number))
    return spec


def _already(stream_number: int, row: StreamAnswerKey) -> OpenedCodes:
    return OpenedCodes(stream_number, False, True, _(
        "The answer codes of stream {stream} were opened already ({moment}): nothing is done.").format(
        stream=stream_number, moment=f"{row.opened_at:%Y-%m-%d %H:%M} UTC"), sha256=row.sha256)


def codes_opened(session: Session, stream_number: int) -> OpenedCodes | None:
    """``None`` while the stream's answer codes are not opened; else the "opened already" outcome."""
    row = held_key(session, stream_of(session, stream_number))
    return None if row is None else _already(stream_number, row)


def gate(session: Session, stream_number: int) -> None:
    """``Refused`` with what blocks the answer codes (п. 176–177): how many things, and the first of them."""
    from arm_programmer.identification import stream_state

    state, _current = stream_state(session, stream_number)
    if not state.ready_for_answer_codes:
        blockers = state.blockers or (_("The end of identification is not reported to НЦТ yet (identify end, "
                                        "п. 176)."),)
        raise Refused(_("The answer codes of stream {stream} cannot be opened yet: {count} thing(s) block them; "
                        "first: {first}").format(stream=stream_number, count=len(blockers), first=blockers[0]))


def parse_key(document: bytes | str, spec: TestSpecification) -> AnswerKey:
    """The answer key in ``document`` (JSON) checked against ``spec`` (``Refused`` when it does not fit)."""
    try:
        data = json.loads(document)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Refused(_("The opened answer codes are not an answer key (JSON): НЦТ must seal them again.")) from error
    if not isinstance(data, dict):
        raise Refused(_("The opened answer codes are not an answer key (JSON): НЦТ must seal them again."))
    return load_answer_key(data, spec)


def open_stream_codes(session: Session, stream_number: int, passwords: tuple[str, str, str], audit: AuditLog,
                      actor: str) -> OpenedCodes:
    """Open the stream's answer codes with the three passwords (see the module's text) in the caller's
    transaction. A wrong set returns an outcome that is not opened: commit (the attempt stays counted), then
    :meth:`OpenedCodes.raise_if_refused`."""
    from common.exchange.answer_codes import open_answer_codes, sealed_answer_codes

    stream = stream_of(session, stream_number)
    row = held_key(session, stream)
    if row is not None:
        return _already(stream_number, row)
    gate(session, stream_number)
    spec = _specification(session, stream_number)
    sealed = sealed_answer_codes(session, stream_number)
    attempt = open_answer_codes(session, sealed=sealed, passwords=passwords, stream=stream_number, audit=audit,
                                actor=actor)
    if attempt.plaintext is None:
        return OpenedCodes(stream_number, False, False, attempt.message, attempt.failures)
    key = parse_key(attempt.plaintext, spec)
    digest = hashlib.sha256(attempt.plaintext).hexdigest()
    session.add(StreamAnswerKey(stream_id=stream.id, document=attempt.plaintext.decode("utf-8"), sha256=digest,
                                spec_sha256=spec.sha256(), opened_by=actor[:100]))
    session.flush()
    audit.record(session, actor=actor, action="answer-codes.stored", target=f"stream/{stream_number}",
                 details={"sha256": digest, "spec": spec.code, "variants": len(key.variants)})
    return OpenedCodes(stream_number, True, False, _(
        "The answer codes of stream {stream} are open: the key of {variants} variant(s) is kept in the database.")
        .format(stream=stream_number, variants=len(key.variants)), sha256=digest, variants=len(key.variants))


def stream_key(session: Session, stream_number: int) -> tuple[TestSpecification, AnswerKey]:
    """The stream's test specification and opened answer key; ``Refused`` before the codes are opened."""
    row = held_key(session, stream_of(session, stream_number))
    if row is None:
        raise Refused(_("The answer codes of stream {stream} are not opened (codes open, п. 178).").format(
            stream=stream_number))
    spec = _specification(session, stream_number)
    if spec.sha256() != row.spec_sha256:
        raise Refused(_("The answer key of stream {stream} was checked against another test specification than the "
                        "stream's.").format(stream=stream_number))
    return spec, parse_key(row.document, spec)


def opened_at(session: Session, stream_number: int) -> datetime | None:
    row = held_key(session, stream_of(session, stream_number))
    return None if row is None else row.opened_at
