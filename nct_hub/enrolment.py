"""НЦТ's side of enrolment: sites, and one workstation's key, certificate, package and sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography import x509
from sqlalchemy import select
from sqlalchemy.orm import Session

from common.crashpoints import crash_point
from common.errors import Refused
from common.exchange import kinds
from common.exchange.addresses import ENROLMENT_HOLDER, Address, check_site_code, workstation
from common.exchange.dictated import PURPOSES
from common.exchange.outbox import recover_sent_files, write_after_commit
from common.i18n import _
from common.security.codes import DEFAULT_COST, KdfCost, generate_code
from common.security.enrolment import SiteInfo, make_enrolment_package
from common.security.keys import (
    PKCS12_ROUNDS,
    Identity,
    certificate_pem,
    fingerprint,
    generate_key,
    issue_certificate,
    load_certificate_pem,
    protect_identity,
    short_fingerprint,
)
from common.workstation import by_code
from nct_hub.db.site_models import SentPackage, Site, WorkstationCertificate
from nct_hub.keys import NctKeys
from nct_hub.passwords import make_verifiers
from nct_hub.sending import next_sequence, package_file_name, record_sent
from nct_hub.sheets import EnrolmentSheet, enrolment_sheet_pdf


def create_site(
    session: Session, *, code: str, name_kk: str, name_ru: str, region_code: str, building: str, actor: str
) -> Site:
    """Register a site; ``Refused`` for a bad or taken code or an empty name."""
    code = check_site_code(code)
    if session.get(Site, code) is not None:
        raise Refused(_("Site {code} already exists.").format(code=code))
    if not name_kk.strip() or not name_ru.strip() or not region_code.strip():
        raise Refused(_("A site needs its name in Kazakh and in Russian and its region."))
    site = Site(code=code, name_kk=name_kk.strip(), name_ru=name_ru.strip(), region_code=region_code.strip(),
                building=building.strip(), created_by=actor)
    session.add(site)
    session.flush()
    return site


def site_info(session: Session, code: str) -> SiteInfo:
    site = session.get(Site, check_site_code(code))
    if site is None:
        raise Refused(_("Unknown site {code}: create it with 'ent-nct site create' first.").format(code=code))
    return SiteInfo(site.code, site.name_kk, site.name_ru, site.region_code, site.building)


def current_certificates(session: Session, site_code: str) -> dict[str, x509.Certificate]:
    """The newest certificate of each workstation of a site, by role."""
    rows = session.scalars(
        select(WorkstationCertificate).where(WorkstationCertificate.site_code == site_code)
        .order_by(WorkstationCertificate.issued_at, WorkstationCertificate.id)
    )
    return {row.role: load_certificate_pem(row.certificate_pem) for row in rows}


@dataclass(frozen=True)
class MadeEnrolment:
    address: Address
    package: Path
    sheet: Path
    password: str
    holder: str
    root_fingerprint: str
    certificate_fingerprint: str


def make_enrolment(
    session: Session,
    keys: NctKeys,
    *,
    site_code: str,
    role: str,
    out: Path,
    sheet: Path | None = None,
    actor: str,
    directories: dict[str, Any] | None = None,
    rounds: int = PKCS12_ROUNDS,
    cost: KdfCost = DEFAULT_COST,
) -> MadeEnrolment:
    """Make one workstation's key pair, certificate, enrolment package (``out``) and sheet (PDF).

    The applications workstation's package carries the verifier of the password that closes the
    applicant database. In the caller's transaction; the package appears under its name only once
    that commits (:mod:`common.exchange.outbox`), and so does its sheet: a failed commit (a full disk) leaves no
    sheet whose password opens nothing. The sheet follows its package after a crash too, wherever ``sheet`` is:
    the next enrolment into the package's folder renames both (committed) or removes both (not).
    """
    sheet_path = sheet or out.with_suffix(".pdf")
    if sheet_path.resolve() == out.resolve():
        raise Refused(_("The password sheet would overwrite its enrolment package ({path}): give the package a name "
                        "ending in .entpkg, or the sheet another name.").format(path=out))
    site = site_info(session, site_code)
    address = workstation(site.code, role)
    key = generate_key()
    certificate = issue_certificate(keys.root_key, keys.root, key.public_key(), address)
    password = generate_code()
    protected = protect_identity(Identity.of(certificate, key), password, rounds=rounds)
    peers = [peer for peer_role, peer in current_certificates(session, site.code).items() if peer_role != role]
    verifiers = [
        verifier
        for purpose in PURPOSES.values() if purpose.role == role and not purpose.per_stream
        for verifier in make_verifiers(keys, site_code=site.code, purpose=purpose.name, stream=None, cost=cost)
    ]
    sequence = next_sequence(session, address, kinds.ENROLMENT.name, None)
    data = make_enrolment_package(nct=keys.identity, root=keys.root, address=address, protected_key=protected,
                                  site=site, sequence=sequence, peers=peers, directories=directories,
                                  verifiers=verifiers)
    session.add(WorkstationCertificate(
        site_code=site.code, role=role, address=str(address), serial=format(certificate.serial_number, "x"),
        fingerprint=fingerprint(certificate), certificate_pem=certificate_pem(certificate), issued_by=actor,
    ))
    recover_sent_files(session, out.parent, SentPackage)
    record_sent(session, address, kinds.ENROLMENT.name, None, sequence, out.name, data, actor)
    write_after_commit(session, out, data)
    holder = ENROLMENT_HOLDER[role]
    write_after_commit(session, sheet_path, enrolment_sheet_pdf(EnrolmentSheet(
        site_code=site.code, site_name_kk=site.name_kk, site_name_ru=site.name_ru,
        workstation_title=by_code(role).title, address=str(address), holder=holder, password=password,
        root_fingerprint=short_fingerprint(keys.root), package_name=out.name, issued_at=datetime.now(UTC),
    )), follows=out)
    crash_point("nct.enrolment.before_commit")
    return MadeEnrolment(address, out, sheet_path, password, holder, short_fingerprint(keys.root),
                         short_fingerprint(certificate))


def default_package_name(site_code: str, role: str) -> str:
    return package_file_name(workstation(site_code, role), kinds.ENROLMENT.name, None, 1).replace("_0001", "")
