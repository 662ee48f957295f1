"""Passwords НЦТ dictates to a site (п. 25, 52.11, 107, 173): derived, never stored.

A code is ``HMAC-SHA256(code secret, context label)`` cut to 60 bits (:func:`code_from_bytes`),
where the code secret comes from НЦТ's root key and the label names the site, stream, purpose
and slot. So ``ent-nct password issue`` prints the same code however often it is asked, and the
verifier package that goes to the workstation in advance can be made at any time before: the
workstation then checks the dictated code offline. Unlock codes (slots ``unlock-1``, ``unlock-2``
…) lift a lock after too many wrong attempts, one per lock.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from common.errors import Refused
from common.exchange import kinds
from common.exchange.addresses import Address, check_site_code
from common.exchange.dictated import UNLOCK_CODES, Purpose, purpose_of, slot_code, slot_unlock
from common.exchange.ledger import stream_key
from common.i18n import _
from common.security.codes import DEFAULT_COST, CodeContext, CodeVerifier, KdfCost, code_from_bytes, make_verifier
from nct_hub.db.site_models import IssuedPassword, Site
from nct_hub.keys import NctKeys
from nct_hub.sending import SentFile, send_from_nct


def derive_code(keys: NctKeys, context: CodeContext) -> str:
    """The code for ``context`` (always the same for the same root key and context)."""
    return code_from_bytes(hmac.new(keys.code_secret(), context.label(), hashlib.sha256).digest())


def _site(session: Session, site_code: str) -> Site:
    site = session.get(Site, check_site_code(site_code))
    if site is None:
        raise Refused(_("Unknown site {code}: create it with 'ent-nct site create' first.").format(code=site_code))
    return site


@dataclass(frozen=True)
class IssuedCode:
    code: str
    context: CodeContext
    purpose: Purpose
    recipient: Address


def issue_code(
    session: Session, keys: NctKeys, *, site_code: str, purpose: str, stream: int | None, unlock: int | None,
    actor: str,
) -> IssuedCode:
    """The code to dictate (``unlock``: the N-th unlock code instead); records that it was issued."""
    kind = purpose_of(purpose, stream)
    site = _site(session, site_code)
    if unlock is not None and not 1 <= unlock <= UNLOCK_CODES:
        raise Refused(_("Unlock codes are numbered 1 to {count}.").format(count=UNLOCK_CODES))
    slot = slot_code() if unlock is None else slot_unlock(unlock)
    context = CodeContext(site.code, purpose, stream, slot)
    session.add(IssuedPassword(site_code=site.code, purpose=purpose, stream_key=stream_key(stream), slot=slot,
                               issued_by=actor))
    session.flush()
    return IssuedCode(derive_code(keys, context), context, kind, Address(kind.role, site.code))


def make_verifiers(
    keys: NctKeys, *, site_code: str, purpose: str, stream: int | None, cost: KdfCost = DEFAULT_COST
) -> list[CodeVerifier]:
    """Verifiers of the code and of its unlock codes, for the workstation (no code inside)."""
    purpose_of(purpose, stream)
    slots = [slot_code(), *(slot_unlock(number) for number in range(1, UNLOCK_CODES + 1))]
    contexts = [CodeContext(site_code, purpose, stream, slot) for slot in slots]
    return [make_verifier(derive_code(keys, context), context, cost) for context in contexts]


def send_verifiers(
    session: Session, keys: NctKeys, *, site_code: str, purpose: str, stream: int | None, out_dir: Path,
    actor: str, cost: KdfCost = DEFAULT_COST,
) -> SentFile:
    """A "password-verifiers" package for the workstation that will be asked for the code."""
    kind = purpose_of(purpose, stream)
    site = _site(session, site_code)
    verifiers = make_verifiers(keys, site_code=site.code, purpose=purpose, stream=stream, cost=cost)
    return send_from_nct(
        session, nct=keys.identity, recipient=Address(kind.role, site.code), kind=kinds.PASSWORD_VERIFIERS.name,
        payload={"verifiers": [verifier.to_dict() for verifier in verifiers]}, out_dir=out_dir, actor=actor,
        stream=stream,
    )
