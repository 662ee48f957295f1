"""Every table of НЦТ's database, imported so that ``Base.metadata`` is complete for Alembic."""

from __future__ import annotations

from nct_hub.db import (
    appeal_models,
    audit_models,
    certificate_models,
    directory_models,
    exam_models,
    import_models,
    results_models,
    scanner_models,
    site_models,
)
from nct_hub.db.base import Base

__all__ = ["Base", "appeal_models", "audit_models", "certificate_models", "directory_models", "exam_models",
           "import_models", "results_models", "scanner_models", "site_models"]
