"""Checking a workstation's audit log against a head НЦТ received in one of its packages.

A workstation's own ``audit verify`` cannot catch a tail rewritten whole — entries changed, every
hash after them recomputed and the database's head row updated to match. But each package the
workstation sent carried its head (entries, hash of the last entry) under its signature, and НЦТ
keeps the newest it received. If the log is later rewritten anywhere up to that entry, the chain
no longer reaches the same hash there, which :func:`check_audit_head` reports.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from common.exchange.manifest import AuditHead
from common.i18n import _
from common.security.audit import GENESIS_HASH, entry_hash

_FIELDS = ("seq", "ts", "actor", "action", "target", "details", "prev")


@dataclass(frozen=True)
class HeadCheck:
    """``ok`` if the log holds, unchanged, the chain up to the received head."""

    ok: bool
    entries: int
    problem: str | None = None


def check_audit_head(received: AuditHead, log_path: Path) -> HeadCheck:
    """Read ``log_path`` from the start up to entry ``received.entries`` and compare its hash."""
    if received.entries == 0:
        return HeadCheck(True, 0)
    previous, count = GENESIS_HASH, 0
    try:
        stream = log_path.open("rb")
    except FileNotFoundError:
        stream = None
    if stream is not None:
        with stream:
            for raw in stream:
                count += 1
                try:
                    value = json.loads(raw.decode("utf-8"))
                    body = {name: value[name] for name in _FIELDS}
                    valid = entry_hash(body) == value["hash"] and body["prev"] == previous and body["seq"] == count
                except (ValueError, KeyError, TypeError):
                    valid = False
                if not valid:
                    message = _("The audit log is broken at line {line}, before the head НЦТ received ({entries}).")
                    return HeadCheck(False, count, message.format(line=count, entries=received.entries))
                previous = value["hash"]
                if count == received.entries:
                    if previous != received.digest:
                        message = _("The audit log was rewritten: entry {entries} is not the one НЦТ received.")
                        return HeadCheck(False, count, message.format(entries=received.entries))
                    return HeadCheck(True, count)
    message = _("The audit log has {count} entries, fewer than the {entries} НЦТ already received: it was cut.")
    return HeadCheck(False, count, message.format(count=count, entries=received.entries))
