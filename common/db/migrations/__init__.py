"""Alembic migration environment and revisions of the suite's database (see common.db.migrate)."""
