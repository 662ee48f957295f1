"""The database layer: typed SQLAlchemy models, engine and transactions, Alembic migrations.

- :mod:`common.db.engine`: ``open_engine(path)``, ``transaction(engine)``.
- :mod:`common.db.migrate`: ``ensure_current(engine)``, ``upgrade``, revisions.
- :mod:`common.db.models`: the tables the workstations share.
- :mod:`common.db.workstation_info`: the identity of a workstation folder.
"""
