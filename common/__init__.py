"""Shared core of the ent-arm suite. Imports no Qt (only ``common.ui`` does)."""

__version__ = "0.1.0"
