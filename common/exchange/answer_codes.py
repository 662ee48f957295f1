"""Opening a stream's answer codes on the programmer's workstation (п. 176–179), attempts counted.

The sealed file comes in an "answer-codes" package from НЦТ (kept whole, attachment
:data:`SEALED_ATTACHMENT`) and opens only with the chair's, the ДКНБ representative's and the
Ministry representative's passwords together (:mod:`common.security.sealing`). Each try is
audited; a wrong set is counted. There is no lock: the file allows no cheap guess anyway, and the
exam cannot wait for НЦТ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

from sqlalchemy.orm import Session

from common.errors import Refused
from common.exchange import kinds
from common.exchange.dictated import ANSWER_CODES_PURPOSE, attempts_for
from common.exchange.store import latest_payload
from common.i18n import _
from common.security.audit import AuditLog
from common.security.codes import normalize_code
from common.security.sealing import SealedFile, open_with_three

SEALED_ATTACHMENT: Final = "answer-codes.sealed"


def sealed_answer_codes(session: Session, stream: int) -> bytes:
    """The newest sealed answer-codes file of ``stream`` taken here; ``Refused`` if none came."""
    stored = latest_payload(session, kinds.ANSWER_CODES.name, stream)
    for attachment in stored.attachments if stored is not None else []:
        if attachment.name == SEALED_ATTACHMENT:
            return attachment.data
    raise Refused(_("No answer-codes file for stream {stream} has been taken yet.").format(stream=stream))


@dataclass(frozen=True)
class OpenAttempt:
    plaintext: bytes | None
    message: str
    failures: int

    def raise_if_refused(self) -> bytes:
        if self.plaintext is None:
            raise Refused(self.message)
        return self.plaintext


def open_answer_codes(
    session: Session, *, sealed: bytes, passwords: tuple[str, str, str], stream: int,
    audit: AuditLog, actor: str,
) -> OpenAttempt:
    """Try the three passwords; count and audit the attempt. Commit, then ``raise_if_refused()``."""
    file = SealedFile.from_bytes(sealed)
    if file.stream != stream:
        raise Refused(_("This answer-codes file is for stream {found}, not {stream}.").format(
            found=file.stream, stream=stream))
    for password in passwords:
        normalize_code(password)  # a typing error is refused before any attempt is counted
    attempts = attempts_for(session, ANSWER_CODES_PURPOSE, stream)
    target = f"{ANSWER_CODES_PURPOSE}/{stream}"
    try:
        plaintext = open_with_three(sealed, passwords)
    except Refused as refusal:
        attempts.failures += 1
        attempts.total_failures += 1
        attempts.last_failure_at = datetime.now(UTC)
        audit.record(session, actor=actor, action="answer-codes.wrong", target=target,
                     details={"failures": attempts.failures})
        return OpenAttempt(None, refusal.message, attempts.failures)
    attempts.failures, attempts.accepted_at = 0, datetime.now(UTC)
    audit.record(session, actor=actor, action="answer-codes.opened", target=target)
    return OpenAttempt(plaintext, _("The answer codes are open."), 0)
