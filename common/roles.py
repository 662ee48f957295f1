"""The roles of п. 2 of the instruction, and who works at which workstation."""

from __future__ import annotations

from common.i18n import N_

ROLE_TITLES: dict[str, str] = {
    "nct": N_("National Testing Centre"),
    "site_head": N_("Site head"),
    "site_expert": N_("Site expert"),
    "technical_secretary": N_("Technical secretary"),
    "ministry_representative": N_("Ministry representative"),
    "ministry_group_head": N_("Head of the Ministry representatives' group"),
    "ministry_programmer": N_("Ministry programmer"),
    "technical_worker": N_("Technical worker"),
    "appeal_chair": N_("Appeal commission chair"),
    "state_commission_chair": N_("State commission chair"),
    "dknb_representative": N_("National Security Committee representative"),
}

# Who logs in at each workstation. АРМ «Сертификат» is run by the Ministry programmer on a PC
# without АРМ «Программиста Министерства» (п. 215–217); the README's program table lists the same.
OPERATOR_ROLES: dict[str, tuple[str, ...]] = {
    "base-ppent": ("site_expert", "site_head"),
    "applications": ("site_expert", "site_head"),
    "scanner-check": ("ministry_programmer",),
    "programmer": ("ministry_programmer",),
    "certificate": ("ministry_programmer",),
    "nct": ("nct",),
}


def operator_roles(workstation_code: str) -> tuple[str, ...]:
    return OPERATOR_ROLES.get(workstation_code, ())
