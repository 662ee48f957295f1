"""PyInstaller runtime hook: a windowed executable given a command writes to the console it came from.

``ent-applications.exe info`` typed in ``cmd`` starts a windowed (GUI subsystem) program, which has
no standard output, so the text would vanish. When the program has no output stream and was given
arguments, attach to the parent's console and write there. Scripts should still call
``ent-applications-cli.exe``: ``cmd`` does not wait for a windowed program, so its exit code and the
order of its output against the prompt are lost. Does nothing outside Windows, in the console
executables, or when output is redirected to a file or pipe (the stream exists then).
"""

import sys


def _attach_parent_console() -> None:
    if sys.platform != "win32" or sys.stdout is not None or len(sys.argv) < 2:
        return
    import ctypes

    attach_parent_process = -1
    if not ctypes.windll.kernel32.AttachConsole(attach_parent_process):
        return  # started from Explorer or the Start menu: there is no console to write to
    # "CONOUT$" opens the console itself; Python writes Unicode to it (PEP 528), Kazakh included.
    sys.stdout = open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
    sys.stderr = open("CONOUT$", "w", encoding="utf-8", errors="replace", buffering=1)  # noqa: SIM115
    print(file=sys.stdout)  # start below the prompt cmd has already printed again


_attach_parent_console()
