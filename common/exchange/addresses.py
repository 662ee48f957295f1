"""Who sends and receives packages: НЦТ, or one workstation of one site.

An address is written ``nct`` or ``<site code>/<role>`` (``017/applications``). The role of a
workstation is its code in :mod:`common.workstation`. The site code is three digits — an
assumption until НЦТ fixes the format; change :data:`SITE_CODE_DIGITS` here and nowhere else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from common.errors import Refused
from common.i18n import N_, _
from common.workstation import NCT, WORKSTATIONS

SITE_CODE_DIGITS: Final = 3
SITE_CODE_PATTERN: Final = re.compile(rf"^[0-9]{{{SITE_CODE_DIGITS}}}$")
NCT_ROLE: Final = NCT.code
WORKSTATION_ROLES: Final[tuple[str, ...]] = tuple(w.code for w in WORKSTATIONS)

# Who receives a workstation's enrolment package and password sheet (п. 24.4, 52.2).
SITE_HEAD: Final = N_("Site head")
MINISTRY_PROGRAMMER: Final = N_("Ministry programmer")
ENROLMENT_HOLDER: Final[dict[str, str]] = {
    "base-ppent": SITE_HEAD,
    "applications": SITE_HEAD,
    "programmer": MINISTRY_PROGRAMMER,
    "scanner-check": MINISTRY_PROGRAMMER,
    "certificate": MINISTRY_PROGRAMMER,
}


def check_site_code(code: str) -> str:
    """``code`` stripped, or ``Refused`` when it is not a site code."""
    code = code.strip()
    if not SITE_CODE_PATTERN.match(code):
        message = _("A site code has {digits} digits, not {code!r}.")
        raise Refused(message.format(digits=SITE_CODE_DIGITS, code=code))
    return code


def check_role(role: str) -> str:
    if role not in WORKSTATION_ROLES:
        raise Refused(_("Unknown workstation role {role!r}; expected one of: {roles}.").format(
            role=role, roles=", ".join(WORKSTATION_ROLES)))
    return role


@dataclass(frozen=True, order=True)
class Address:
    """НЦТ (``site_code`` None, role ``nct``) or one workstation of one site."""

    role: str
    site_code: str | None = None

    def __post_init__(self) -> None:
        if self.role == NCT_ROLE:
            if self.site_code is not None:
                raise ValueError("НЦТ has no site code")
        else:
            check_role(self.role)
            if self.site_code is None or not SITE_CODE_PATTERN.match(self.site_code):
                raise ValueError(f"bad site code {self.site_code!r}")

    @property
    def is_nct(self) -> bool:
        return self.role == NCT_ROLE

    def __str__(self) -> str:
        return NCT_ROLE if self.is_nct else f"{self.site_code}/{self.role}"

    @classmethod
    def parse(cls, text: str) -> Address:
        """``nct`` or ``017/applications``; ``ValueError`` otherwise."""
        if text == NCT_ROLE:
            return cls(NCT_ROLE)
        site_code, separator, role = text.partition("/")
        if not separator:
            raise ValueError(f"not an address: {text!r}")
        try:
            return cls(role, site_code)
        except Refused as refusal:
            raise ValueError(str(refusal)) from refusal


NCT_ADDRESS: Final = Address(NCT_ROLE)


def workstation(site_code: str, role: str) -> Address:
    """The address of ``role`` at ``site_code`` (``Refused`` on a bad code or role)."""
    return Address(check_role(role), check_site_code(site_code))
