"""The complete schema: every model module, loaded, so ``Base.metadata`` lists every table."""

from __future__ import annotations

from sqlalchemy import MetaData

from common.db.base import Base


def target_metadata() -> MetaData:
    """``Base.metadata`` with every table of the suite registered (what Alembic compares).

    A module that defines models must be imported here, or autogenerate would drop its tables.
    """
    import common.db.answer_models
    import common.db.appeal_models
    import common.db.certificate_models
    import common.db.exchange_models
    import common.db.identification_models
    import common.db.models
    import common.db.programmer_models
    import common.db.scan_models
    import common.db.scanner_models
    import common.db.score_models
    import common.db.variant_models
    import common.db.workstation_info  # noqa: F401

    return Base.metadata
