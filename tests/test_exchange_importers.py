"""A kind two roles receive is imported by each role's own importer: the programmer files НЦТ's test
specification per stream while the scanner check keeps it whole for its control sets, even when both
programs' modules are loaded in one process (as in the tests, or a future combined launcher)."""

from __future__ import annotations

from common.exchange import importers


def test_a_role_importer_serves_its_own_role_only() -> None:
    import arm_applications.plan
    import arm_programmer.variants

    assert importers.importer_for("test-specification", "programmer") is arm_programmer.variants.import_specification
    assert importers.importer_for("test-specification", "scanner-check") is importers.keep_whole
    assert importers.importer_for("site-plan", "applications") is arm_applications.plan.import_site_plan
    assert importers.importer_for("site-plan", "programmer") is importers.keep_whole
    assert importers.importer_for("certificates", "programmer") is importers.import_certificates
