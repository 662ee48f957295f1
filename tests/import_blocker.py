"""A script that imports modules with some packages made unimportable, for tests of the layers' direction."""

from __future__ import annotations


def blocker(blocked: tuple[str, ...], why: str) -> str:
    """Python source: run as ``python -c SCRIPT module …``; exits 1 and lists each module that needed one
    of ``blocked`` (a package name and its submodules), naming it after ``why``."""
    return f"""
import importlib, importlib.abc, sys
BLOCKED = {blocked!r}
class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if any(name == package or name.startswith(package + ".") for package in BLOCKED):
            raise ImportError({why!r} + ": " + name)
        return None
sys.meta_path.insert(0, Block())
failed = []
for module in sys.argv[1:]:
    try:
        importlib.import_module(module)
    except Exception as error:
        failed.append(f"{{module}}: {{type(error).__name__}}: {{error}}")
print("\\n".join(failed))
sys.exit(1 if failed else 0)
"""
