"""Files that open only with three passwords together: the answer codes of a stream (п. 176–178).

НЦТ makes three codes (:mod:`common.security.codes`, 60 random bits each plus a check symbol) for
the state commission chair, the ДКНБ representative and the Ministry representative, and seals::

    key        = Argon2id(secret = the three canonical codes, sorted, joined by "\\n",
                          salt = 16 random bytes, associated data = "ent-arm/answer-codes/v1|site|stream")
    ciphertext = AES-256-GCM(key, nonce = 12 random bytes, aad = the header below).encrypt(plaintext)

The file (UTF-8 JSON) holds the header — ``format``, ``version``, ``site_code``, ``stream``, the
Argon2id cost — and ``salt``, ``nonce``, ``ciphertext`` (with GCM's tag). Nothing in it depends on
any one password: there is no per-password hash or check value, so whoever holds two passwords
can test a guess of the third only by a full Argon2id run and a GCM decryption, over 2^60
candidates. A wrong set is known only when the authenticated decryption fails. The order in
which the passwords are typed does not matter (they are sorted), nor do case and separators.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from common.errors import Refused
from common.exchange.manifest import canonical_json
from common.i18n import N_, _
from common.security.codes import DEFAULT_COST, KdfCost, generate_code, normalize_code

FORMAT: Final = "ent-arm/three-password-seal"
VERSION: Final = 1
HOLDERS: Final[tuple[tuple[str, str], ...]] = (
    ("chair", N_("State commission chair")),
    ("dknb", N_("ДКНБ representative")),
    ("ministry", N_("Ministry representative")),
)
HEADER_FIELDS: Final = frozenset({"format", "version", "site_code", "stream", "kdf"})
SECRET_DEPENDENT_FIELDS: Final = frozenset({"salt", "nonce", "ciphertext"})
FILE_FIELDS: Final = HEADER_FIELDS | SECRET_DEPENDENT_FIELDS


@dataclass(frozen=True)
class SealedFile:
    site_code: str
    stream: int
    cost: KdfCost
    salt: bytes
    nonce: bytes
    ciphertext: bytes

    def header(self) -> dict[str, Any]:
        return {
            "format": FORMAT, "version": VERSION, "site_code": self.site_code, "stream": self.stream,
            "kdf": {"name": "argon2id", **self.cost.as_dict()},
        }

    def to_bytes(self) -> bytes:
        values = {"salt": self.salt, "nonce": self.nonce, "ciphertext": self.ciphertext}
        encoded = {name: base64.b64encode(value).decode("ascii") for name, value in values.items()}
        return canonical_json({**self.header(), **encoded})

    @classmethod
    def from_bytes(cls, data: bytes) -> SealedFile:
        """Parse a sealed file; ``Refused`` if it is not one or comes from a newer program."""
        try:
            raw = json.loads(data)
            if not isinstance(raw, dict) or raw.get("format") != FORMAT:
                raise ValueError("not a sealed file")
            if int(raw["version"]) > VERSION:
                raise Refused(_("The sealed file comes from a newer program: update this one."))
            if set(raw) != FILE_FIELDS or raw["kdf"].get("name") != "argon2id":
                raise ValueError("unexpected fields")
            binary = {name: base64.b64decode(raw[name], validate=True) for name in SECRET_DEPENDENT_FIELDS}
            return cls(
                site_code=str(raw["site_code"]), stream=int(raw["stream"]),
                cost=KdfCost.from_dict(raw["kdf"]),
                salt=binary["salt"], nonce=binary["nonce"], ciphertext=binary["ciphertext"],
            )
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise Refused(_("This is not a sealed answer-codes file, or it is damaged.")) from error


@dataclass(frozen=True)
class ThreePasswords:
    """The passwords as printed on the three slips, in the order of :data:`HOLDERS`."""

    chair: str
    dknb: str
    ministry: str

    def as_tuple(self) -> tuple[str, str, str]:
        return (self.chair, self.dknb, self.ministry)


def _context(site_code: str, stream: int) -> bytes:
    return f"ent-arm/answer-codes/v1|site={site_code}|stream={stream}".encode()


def _key(passwords: Sequence[str], sealed: SealedFile) -> bytes:
    canonical = sorted(normalize_code(password) for password in passwords)
    if len(canonical) != 3:
        raise Refused(_("The file opens with exactly three passwords."))
    if len(set(canonical)) != 3:
        raise Refused(_("Two of the passwords typed are the same: each holder types their own."))
    secret = "\n".join(canonical).encode("ascii")
    return sealed.cost.derive(secret, sealed.salt, _context(sealed.site_code, sealed.stream))


def seal_with_three(
    plaintext: bytes, *, site_code: str, stream: int, cost: KdfCost = DEFAULT_COST,
    passwords: ThreePasswords | None = None,
) -> tuple[bytes, ThreePasswords]:
    """Seal ``plaintext``; returns the file and the three new passwords (never stored anywhere).

    ``passwords`` is for tests that need fixed ones; leave it out otherwise.
    """
    passwords = passwords or ThreePasswords(generate_code(), generate_code(), generate_code())
    draft = SealedFile(site_code, stream, cost, os.urandom(16), os.urandom(12), b"")
    key = _key(passwords.as_tuple(), draft)
    ciphertext = AESGCM(key).encrypt(draft.nonce, plaintext, canonical_json(draft.header()))
    sealed = SealedFile(site_code, stream, cost, draft.salt, draft.nonce, ciphertext)
    return sealed.to_bytes(), passwords


def open_with_three(data: bytes, passwords: Sequence[str]) -> bytes:
    """The plaintext of sealed file ``data``; ``Refused`` (one line) if the set of passwords is wrong.

    A password with a typing error is refused before any decryption, naming no password.
    """
    sealed = SealedFile.from_bytes(data)
    key = _key(passwords, sealed)
    try:
        return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, canonical_json(sealed.header()))
    except InvalidTag as error:
        message = _("These three passwords do not open the file: each holder checks theirs against the slip.")
        raise Refused(message) from error
