"""Test specifications shipped with the suite (JSON, format version 2), read by ``shipped_spec``."""
