"""Why a package was refused: one reason, one translated line each."""

from __future__ import annotations

from typing import Literal

from common.errors import Refused

Reason = Literal[
    "recipient",  # addressed to another site or workstation
    "damaged",  # truncated or altered file
    "signature",  # not signed by a key НЦТ certified, or signed by someone else than it claims
    "kind",  # unknown kind, or a kind that does not travel between these parties
    "format",  # made by a newer program (newer format version)
    "superseded",  # older than a package of the same channel already taken
    "duplicate",  # this very package was already taken: nothing to do
    "size",  # would expand beyond what its kind allows (common.exchange.kinds), or the file is too large
]


class PackageRefused(Refused):
    """A package that is not taken; ``reason`` says which check failed (for programs and tests)."""

    def __init__(self, reason: Reason, message: str) -> None:
        super().__init__(message)
        self.reason: Reason = reason


class AlreadyTaken(PackageRefused):
    """The same package was taken before: opening it again is a no-op, not an error."""

    def __init__(self, message: str) -> None:
        super().__init__("duplicate", message)
