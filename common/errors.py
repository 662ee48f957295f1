"""Errors that reach the operator. Every message is one translated line without personal data."""

from __future__ import annotations


class Refused(Exception):
    """An operation the suite refuses: bad input, wrong state, a failed check.

    Raise it with an already translated message, e.g. ``Refused(_("Seats must be ..."))``.
    Commands print it as one line and exit with status 1; windows show it in a message box.
    Nothing must have been written when it is raised (the caller's transaction is rolled back).
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message
