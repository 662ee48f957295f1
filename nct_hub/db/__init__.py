"""НЦТ's own database (directories, sites, keys, everything received from sites).

SQLite in the data folder by default, PostgreSQL with ``--db``; its own Alembic chain in
``nct_hub/db/migrations``, separate from the workstations' ``common/db``.
"""
