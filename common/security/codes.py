"""Short codes people type: НЦТ's dictated passwords, enrolment passwords, answer-code passwords.

A code is 12 symbols of Crockford's base32 (60 random bits) and one check symbol, printed as
``XXXX-XXXX-XXXX-C``. Typing is forgiving: case, spaces and hyphens do not matter, ``I``/``L`` read
as ``1`` and ``O`` as ``0`` (Crockford), and Cyrillic letters that look like Latin ones (typed with
the Kazakh or Russian keyboard layout on) read as those Latin letters.

Check symbol. The 13 symbols are taken as elements v_0..v_12 of the field GF(32) (polynomial
x^5 + x^2 + 1, generator α = x), and the check symbol is chosen so that Σ α^i · v_i = 0. A single
wrong symbol changes the sum by α^i·e ≠ 0; two neighbours swapped change it by
(a ⊕ b)·α^i·(1 ⊕ α) ≠ 0. So every single substitution and every adjacent transposition (the check
symbol included) is caught and reported as a typing error before any slow key derivation.

Verifiers. A workstation never holds a dictated code, only an Argon2id digest of it, salted and
bound to the code's context (site, stream, purpose, slot) through Argon2's associated data, so a
verifier for one stream or purpose never accepts a code issued for another. Everything here is pure.
"""

from __future__ import annotations

import hmac
import os
import secrets
from dataclasses import dataclass
from typing import Any, Final

from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from common.errors import Refused
from common.i18n import _

ALPHABET: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
DATA_SYMBOLS: Final = 12
ENTROPY_BITS: Final = DATA_SYMBOLS * 5
GROUP: Final = 4

_VALUES: Final = {symbol: value for value, symbol in enumerate(ALPHABET)}
_READ_AS: Final = {
    "I": "1", "L": "1", "O": "0",
    # Cyrillic capitals that look like Latin ones (after upper-casing the typed text)
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "0", "Р": "P", "С": "C",
    "Т": "T", "Х": "X",
}  # fmt: skip
_IGNORED: Final = frozenset(" -‐‑‒–—_.\t")

# GF(32) with the primitive polynomial x^5 + x^2 + 1.
_POLYNOMIAL: Final = 0b100101


def _exp_table() -> tuple[int, ...]:
    values, element = [], 1
    for _step in range(31):
        values.append(element)
        element <<= 1
        if element & 0b100000:
            element ^= _POLYNOMIAL
    return tuple(values)


_EXP: Final = _exp_table()
_LOG: Final = {value: power for power, value in enumerate(_EXP)}


def _multiply(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[(_LOG[a] + _LOG[b]) % 31]


def _weighted_sum(values: list[int]) -> int:
    total = 0
    for position, value in enumerate(values):
        total ^= _multiply(_EXP[position % 31], value)
    return total


def check_symbol(data: str) -> str:
    """The check symbol for ``data`` (canonical symbols only, at most 30 of them)."""
    values = [_VALUES[symbol] for symbol in data]
    weight = _EXP[len(values) % 31]
    inverse = _EXP[(31 - _LOG[weight]) % 31]
    return ALPHABET[_multiply(_weighted_sum(values), inverse)]


def _is_valid(symbols: str) -> bool:
    return _weighted_sum([_VALUES[symbol] for symbol in symbols]) == 0


def format_code(symbols: str) -> str:
    """``ABCDEFGHJKMNP`` → ``ABCD-EFGH-JKMN-P``."""
    return "-".join(symbols[start : start + GROUP] for start in range(0, len(symbols), GROUP))


def code_from_bytes(material: bytes) -> str:
    """A formatted code whose 60 bits are the first bits of ``material`` (at least 8 bytes)."""
    if len(material) < 8:
        raise ValueError("a code needs at least 8 bytes of material")
    number = int.from_bytes(material[:8], "big") >> (64 - ENTROPY_BITS)
    data = "".join(ALPHABET[(number >> (5 * index)) & 31] for index in reversed(range(DATA_SYMBOLS)))
    return format_code(data + check_symbol(data))


def generate_code() -> str:
    """A new random code (60 bits from the operating system's CSPRNG) with its check symbol."""
    return code_from_bytes(secrets.token_bytes(8))


def normalize_code(typed: str) -> str:
    """The canonical form ``XXXX-XXXX-XXXX-C`` of what someone typed, or ``Refused``.

    Refuses, with one line each, a symbol that is not in the alphabet, a wrong number of symbols,
    and a failed check symbol (a typing error).
    """
    symbols = []
    for character in typed.upper():
        if character in _IGNORED:
            continue
        character = _READ_AS.get(character, character)
        if character not in _VALUES:
            message = _("The code contains a character that codes never have: {char}")
            raise Refused(message.format(char=character))
        symbols.append(character)
    text = "".join(symbols)
    if len(text) != DATA_SYMBOLS + 1:
        raise Refused(
            _("A code has {expected} characters; {typed} were typed.").format(
                expected=DATA_SYMBOLS + 1, typed=len(text)
            )
        )
    if not _is_valid(text):
        raise Refused(_("The code has a typing error: compare it with the slip character by character."))
    return format_code(text)


def is_well_formed(typed: str) -> bool:
    """Whether ``typed`` is a code without typing errors (no exception)."""
    try:
        normalize_code(typed)
    except Refused:
        return False
    return True


# --- Verifiers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class KdfCost:
    """Argon2id cost (RFC 9106). The default takes ≈ 0.14 s on the reference 2-core machine."""

    memory_kib: int = 64 * 1024
    iterations: int = 3
    lanes: int = 4

    def derive(self, secret: bytes, salt: bytes, context: bytes, length: int = 32) -> bytes:
        kdf = Argon2id(
            salt=salt, length=length, iterations=self.iterations, lanes=self.lanes,
            memory_cost=self.memory_kib, ad=context,
        )
        return kdf.derive(secret)

    def as_dict(self) -> dict[str, int]:
        return {"memory_kib": self.memory_kib, "iterations": self.iterations, "lanes": self.lanes}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> KdfCost:
        cost = cls(int(data["memory_kib"]), int(data["iterations"]), int(data["lanes"]))
        if cost.memory_kib < 8 * cost.lanes or cost.iterations < 1 or not 1 <= cost.lanes <= 64:
            raise ValueError("Argon2id cost out of range")
        return cost


DEFAULT_COST: Final = KdfCost()


@dataclass(frozen=True)
class CodeContext:
    """What a dictated code is for. ``slot`` is ``code`` or ``unlock-N`` (the N-th unlock code)."""

    site_code: str
    purpose: str
    stream: int | None = None
    slot: str = "code"

    def label(self) -> bytes:
        stream = "-" if self.stream is None else str(self.stream)
        parts = (f"site={self.site_code}", f"stream={stream}", f"purpose={self.purpose}", f"slot={self.slot}")
        return "|".join(("ent-arm/dictated-code/v1", *parts)).encode()


@dataclass(frozen=True)
class CodeVerifier:
    """What a workstation keeps to check a dictated code: never the code itself."""

    context: CodeContext
    salt: bytes
    digest: bytes
    cost: KdfCost = DEFAULT_COST

    def matches(self, typed: str) -> bool:
        """Whether ``typed`` (already free of typing errors) is the code; costs one Argon2id run."""
        canonical = normalize_code(typed)
        candidate = self.cost.derive(canonical.encode("ascii"), self.salt, self.context.label())
        return hmac.compare_digest(candidate, self.digest)

    def to_dict(self) -> dict[str, Any]:
        return {
            "site_code": self.context.site_code, "purpose": self.context.purpose,
            "stream": self.context.stream, "slot": self.context.slot,
            "salt": self.salt.hex(), "digest": self.digest.hex(),
            "kdf": {"name": "argon2id", **self.cost.as_dict()},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CodeVerifier:
        if data["kdf"].get("name") != "argon2id":
            raise ValueError("unknown key derivation function")
        stream = data.get("stream")
        context = CodeContext(
            str(data["site_code"]), str(data["purpose"]), None if stream is None else int(stream),
            str(data.get("slot", "code")),
        )
        salt, digest = bytes.fromhex(data["salt"]), bytes.fromhex(data["digest"])
        return cls(context, salt, digest, KdfCost.from_dict(data["kdf"]))


def make_verifier(code: str, context: CodeContext, cost: KdfCost = DEFAULT_COST) -> CodeVerifier:
    """The verifier of ``code`` in ``context``, with a fresh 16-byte salt."""
    salt = os.urandom(16)
    digest = cost.derive(normalize_code(code).encode("ascii"), salt, context.label())
    return CodeVerifier(context, salt, digest, cost)
