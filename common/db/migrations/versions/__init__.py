"""Numbered schema revisions: ``NNNN_what_changed.py``, one per schema change."""
