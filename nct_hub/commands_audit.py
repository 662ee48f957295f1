"""``ent-nct`` commands on audit logs: НЦТ's own (head in НЦТ's database) and the heads sites sent.

``audit verify`` and ``info`` replace the common ones: НЦТ's chain head lives in НЦТ's database
(:mod:`nct_hub.audit`), not in the folder's.
"""

from __future__ import annotations

import argparse

from common.cli import EXIT_REFUSED, CommandContext, CommandLine, Output, info_output
from common.i18n import N_, _
from common.security.audit import AuditReport
from nct_hub.db.engine import add_db_option
from nct_hub.db.session import nct_transaction


def register(cli: CommandLine) -> None:
    cli.add("info", N_("Show version, data folder, schema revision and audit-log state"), _cmd_info, add_db_option)
    cli.add("audit verify", N_("Check the audit log's hash chain"), _cmd_audit_verify, add_db_option)
    cli.add("audit heads", N_("Every audit-log head received from each workstation, oldest first"),
            _cmd_audit_heads, add_db_option)


def _verify(context: CommandContext, db: str | None) -> tuple[AuditReport, str | None]:
    from common.db.opening import check_intact
    from nct_hub.audit import verify
    from nct_hub.db.migrate import current_revision
    from nct_hub.db.session import nct_engine

    report = verify(context, db)  # first: it refuses a database the chain's head does not name, before opening it
    engine = nct_engine(context, db)
    try:
        check_intact(engine, context.data_dir)  # damage anywhere in НЦТ's database, before "OK"
        revision = current_revision(engine)
    finally:
        engine.dispose()
    return report, revision


def _cmd_info(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.db.migrate import head_revision

    folder = context.require_folder()
    report, revision = _verify(context, args.db)
    return info_output(context, folder.root, revision, head_revision(), report)


def _cmd_audit_verify(context: CommandContext, args: argparse.Namespace) -> Output:
    context.require_folder()
    report, _revision = _verify(context, args.db)
    data = {"ok": report.ok, "entries": report.entries, "line": report.line, "problem": report.problem}
    if report.ok:
        return Output(_("OK: {count} entries, chain intact.").format(count=report.entries), data)
    return Output(report.problem or _("The audit log is broken."), data, exit_code=EXIT_REFUSED)


def _cmd_audit_heads(context: CommandContext, args: argparse.Namespace) -> Output:
    from nct_hub.audit_heads import FLAGGED, head_history

    with nct_transaction(context, args.db) as session:
        rows = [
            {"sender": row.sender, "entries": row.entries, "digest": row.digest, "kind": row.kind,
             "sequence": row.sequence, "created_at": row.created_at.isoformat(),
             "received_at": row.received_at.isoformat(), "verdict": row.verdict, "certificate": row.certificate[:16]}
            for row in head_history(session)
        ]
    if not rows:
        return Output(_("No audit heads received yet."), {"heads": []})
    lines: list[str] = []
    sender = None
    for row in rows:
        if row["sender"] != sender:
            sender = row["sender"]
            lines.append(str(sender))
        flag = "  <-- " + _("check this workstation's audit log") if row["verdict"] in FLAGGED else ""
        lines.append(f"  {row['entries']:>8}  {row['digest']}  {row['kind']} #{row['sequence']}  "
                     f"{row['verdict']}{flag}")
    return Output("\n".join(lines), {"heads": rows})
