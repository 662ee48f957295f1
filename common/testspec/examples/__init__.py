"""Test specifications shipped with the suite (JSON, format version 1), read by ``shipped_spec``."""
