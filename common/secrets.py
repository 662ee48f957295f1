"""Secrets a command needs — passwords and dictated codes — never taken from the command line.

Every user of the machine can read every process's arguments (``ps``), so a secret comes from,
in this order: ``--NAME-fd N`` (a file descriptor the caller opened: a pipe, a file; one line is
read, so several secrets may share one descriptor, a line each), the secret's environment
variable, or a prompt that does not echo. The old ``--NAME`` option still parses, only to refuse
with one line saying how to pass the secret instead.

=========================  ========================  ==========================================
secret                     variable                  descriptor option
=========================  ========================  ==========================================
enrolment / НЦТ password   ``ENT_PASSWORD``          ``--password-fd N``
code НЦТ dictated          ``ENT_CODE``              ``--code-fd N``
chair's password           ``ENT_CHAIR_PASSWORD``    ``--chair-fd N``
ДКНБ password              ``ENT_DKNB_PASSWORD``     ``--dknb-fd N``
Ministry password          ``ENT_MINISTRY_PASSWORD`` ``--ministry-fd N``
=========================  ========================  ==========================================
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass

from common.errors import Refused
from common.i18n import N_, _

MAX_SECRET_BYTES = 4096


@dataclass(frozen=True)
class Secret:
    """One secret a command reads. ``prompt`` and ``help`` are untranslated message ids."""

    option: str
    variable: str
    prompt: str
    help: str

    @property
    def fd_dest(self) -> str:
        return f"{self.option}_fd"

    @property
    def argv_dest(self) -> str:
        return f"_{self.option}_on_command_line"


WORKSTATION_PASSWORD = Secret(
    "password", "ENT_PASSWORD", N_("Workstation password: "), N_("the enrolment password")
)
NCT_PASSWORD = Secret("password", "ENT_PASSWORD", N_("НЦТ password: "), N_("НЦТ's password"))
DICTATED_CODE = Secret("code", "ENT_CODE", N_("Code НЦТ dictated: "), N_("the code НЦТ dictated"))
CHAIR_PASSWORD = Secret(
    "chair", "ENT_CHAIR_PASSWORD", N_("State commission chair's password: "),
    N_("the state commission chair's password"),
)
DKNB_PASSWORD = Secret(
    "dknb", "ENT_DKNB_PASSWORD", N_("ДКНБ representative's password: "), N_("the ДКНБ representative's password")
)
MINISTRY_PASSWORD = Secret(
    "ministry", "ENT_MINISTRY_PASSWORD", N_("Ministry representative's password: "),
    N_("the Ministry representative's password"),
)


def add_secret_option(parser: argparse.ArgumentParser, secret: Secret) -> None:
    """``--NAME-fd N``, and the refused ``--NAME`` (hidden from ``--help``)."""
    parser.add_argument(
        f"--{secret.option}-fd", dest=secret.fd_dest, type=int, metavar="N", default=None,
        help=_("read {what} from file descriptor N (or set {variable}; else it is asked for)").format(
            what=_(secret.help), variable=secret.variable
        ),
    )
    parser.add_argument(f"--{secret.option}", dest=secret.argv_dest, default=None, help=argparse.SUPPRESS)


def read_secret(args: argparse.Namespace, secret: Secret, *, confirm: bool = False) -> str:
    """The secret from ``--NAME-fd``, the environment or a prompt without echo; never from argv."""
    if getattr(args, secret.argv_dest, None) is not None:
        raise Refused(
            _(
                "--{option} is not accepted: other users can read the command line. Type it when asked, "
                "or pass it with --{option}-fd N or the {variable} variable."
            ).format(option=secret.option, variable=secret.variable)
        )
    descriptor = getattr(args, secret.fd_dest, None)
    if descriptor is not None:
        value = read_line(descriptor)
        if not value:
            raise Refused(_("File descriptor {fd} gave no {what}.").format(fd=descriptor, what=_(secret.help)))
        return value
    variable = os.environ.get(secret.variable)
    if variable:
        return variable
    if sys.stdin is None or not sys.stdin.isatty():
        raise Refused(
            _("Needed: {what}. Pass it with --{option}-fd N or the {variable} variable, "
              "or run where it can be typed.").format(
                what=_(secret.help), option=secret.option, variable=secret.variable
            )
        )
    typed = getpass.getpass(_(secret.prompt))
    if confirm and getpass.getpass(_("The same password again: ")) != typed:
        raise Refused(_("The two passwords differ."))
    return typed


def read_line(descriptor: int) -> str:
    """One line from ``descriptor`` (without its line end); the descriptor stays open for the next."""
    data = bytearray()
    try:
        while len(data) < MAX_SECRET_BYTES:
            byte = os.read(descriptor, 1)
            if not byte or byte == b"\n":
                break
            data += byte
    except OSError as error:
        raise Refused(
            _("Cannot read file descriptor {fd}: {reason}").format(fd=descriptor, reason=error.strerror)
        ) from error
    try:
        return data.decode("utf-8").rstrip("\r")
    except UnicodeDecodeError as error:
        raise Refused(_("File descriptor {fd} did not give UTF-8 text.").format(fd=descriptor)) from error
