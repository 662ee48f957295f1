"""Sealing a stream's answer codes for a site (п. 176–178): the sealed file, its package, three slips.

The answer key file is sealed as it is (its format is the test specification's). The three
passwords exist only on the slips: НЦТ keeps none of them, only the SHA-256 of the sealed file.
The state commission chair's slip goes in a sealed envelope days before (п. 42.2); the ДКНБ
representative's is handed over; the Ministry representative's is dictated by НЦТ after the
identification (п. 177).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from common.errors import Refused
from common.exchange import kinds
from common.exchange.addresses import workstation
from common.exchange.answer_codes import SEALED_ATTACHMENT
from common.files import atomic_write_bytes, read_input_file
from common.i18n import _
from common.security.codes import DEFAULT_COST, KdfCost
from common.security.keys import Identity
from common.security.sealing import HOLDERS, seal_with_three
from nct_hub.db.site_models import SealedAnswerCodes
from nct_hub.enrolment import site_info
from nct_hub.sending import SentFile, send_from_nct
from nct_hub.sheets import AnswerCodeSlip, answer_code_slip_pdf

MAX_KEY_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class SealedStream:
    package: SentFile
    sealed_sha256: str
    slips: tuple[Path, Path, Path]


def seal_answer_codes(
    session: Session, nct: Identity, *, key_file: Path, site_code: str, stream: int, out_dir: Path, actor: str,
    cost: KdfCost = DEFAULT_COST,
) -> SealedStream:
    """Seal ``key_file`` for the site's programmer workstation; write the package and three slips."""
    site = site_info(session, site_code)
    plaintext = read_input_file(key_file)
    if not plaintext or len(plaintext) > MAX_KEY_BYTES:
        raise Refused(_("The answer key file is empty or too large."))
    sealed, passwords = seal_with_three(plaintext, site_code=site.code, stream=stream, cost=cost)
    digest = hashlib.sha256(sealed).hexdigest()
    sent = send_from_nct(
        session, nct=nct, recipient=workstation(site.code, "programmer"), kind=kinds.ANSWER_CODES.name,
        payload={"site_code": site.code, "stream": stream, "sealed_sha256": digest}, out_dir=out_dir, actor=actor,
        stream=stream, attachments={SEALED_ATTACHMENT: sealed},
    )
    session.add(SealedAnswerCodes(site_code=site.code, stream=stream, sha256=digest, sealed_by=actor))
    session.flush()
    now = datetime.now(UTC)
    slips = []
    for number, ((holder_key, holder), password) in enumerate(zip(HOLDERS, passwords.as_tuple(), strict=True), 1):
        path = out_dir / f"answer-codes_{site.code}_s{stream:02d}_{number}-{holder_key}.pdf"
        atomic_write_bytes(path, answer_code_slip_pdf(AnswerCodeSlip(
            site_code=site.code, stream=stream, holder=holder, number=number, password=password,
            sealed_sha256=digest, issued_at=now,
        )))
        slips.append(path)
    return SealedStream(sent, digest, (slips[0], slips[1], slips[2]))
