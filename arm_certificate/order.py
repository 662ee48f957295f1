"""The order certificates are numbered, printed and registered in (ch. 40): by school — they are handed out at the
school against a signature in the register (п. 220–221), so each school's certificates and register pages come
together — then by surname, name and patronymic in the Kazakh alphabet, then by ИКТ. The instruction gives no
order; this one lets the blanks come out of the printer in the register's order."""

from __future__ import annotations

from collections.abc import Iterable

from common.codebook import kazakh_order
from common.db.certificate_models import CertificateApplicant


def certificate_order(applicants: Iterable[CertificateApplicant]) -> list[CertificateApplicant]:
    return sorted(applicants, key=lambda item: (item.school_code, kazakh_order(item.surname), kazakh_order(item.name),
                                                kazakh_order(item.patronymic or ""), item.ikt))
