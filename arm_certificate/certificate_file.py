"""The certificate file on АРМ «Сертификат» (п. 214–215): the programmer's ``certificate-file`` package of one
stream (docs/packages.md) checked whole and kept as :class:`~common.db.certificate_models.CertificateStream` and its
applicants. A newer file of the same stream replaces the one kept while no blank (issued or spoiled) refers to one of
its applicants; after that the stream's applicants stay as they are (the numbers are on paper already). Names and ИИН
are personal data: never in a log or a refusal.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from common.db.certificate_models import CertificateApplicant, CertificateStream, UsedBlank
from common.errors import Refused
from common.exchange import kinds
from common.exchange.importers import ImportContext
from common.exchange.package import OpenedPackage
from common.exchange.taking import TakenPackage, take_package
from common.i18n import _

CERTIFICATE_FILE_FORMAT: Final = 1
LANGUAGES: Final = frozenset({"kk", "ru", "en"})


def _damaged(what: str) -> Refused:
    return Refused(_("The certificate file is damaged: {what} is missing or wrong.").format(what=what))


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any, most: int, *, empty: bool = False) -> bool:
    return isinstance(value, str) and len(value) <= most and (empty or bool(value.strip()))


@dataclass(frozen=True)
class CertificateFile:
    site_code: str
    site_name_kk: str
    site_name_ru: str
    stream: int
    exam_date: date
    applicants: tuple[dict[str, Any], ...]


def _applicant(item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise _damaged("applicants")
    ikt = item.get("ikt")
    if not _text(ikt, 20):
        raise _damaged("applicants[].ikt")
    for name in ("surname", "name"):
        if not _text(item.get(name), 200):
            raise _damaged(f"applicant {ikt}: {name}")
    patronymic = item.get("patronymic")
    if patronymic is not None and not _text(patronymic, 200, empty=True):
        raise _damaged(f"applicant {ikt}: patronymic")
    iin = item.get("iin")
    if iin is not None and not (isinstance(iin, str) and len(iin) == 12 and iin.isdigit()):
        raise _damaged(f"applicant {ikt}: iin")
    school = item.get("school")
    if not isinstance(school, dict) or not _text(school.get("code"), 8) \
            or not _text(school.get("name_kk", ""), 300, empty=True) \
            or not _text(school.get("name_ru", ""), 300, empty=True):
        raise _damaged(f"applicant {ikt}: school")
    if item.get("test_language") not in LANGUAGES:
        raise _damaged(f"applicant {ikt}: test_language")
    subjects = item.get("subjects")
    if not isinstance(subjects, list) or not subjects or not all(
            isinstance(subject, dict) and _text(subject.get("code"), 20) and _whole(subject.get("points"))
            and _whole(subject.get("max")) and 0 <= subject["points"] <= subject["max"] for subject in subjects):
        raise _damaged(f"applicant {ikt}: subjects")
    total, most = item.get("total"), item.get("max_total")
    if not _whole(total) or total != sum(subject["points"] for subject in subjects):
        raise _damaged(f"applicant {ikt}: total")
    if not _whole(most) or most < total:
        raise _damaged(f"applicant {ikt}: max_total")
    return {"ikt": ikt, "iin": iin, "surname": item["surname"], "name": item["name"], "patronymic": patronymic,
            "school_code": school["code"], "school_name_kk": school.get("name_kk", ""),
            "school_name_ru": school.get("name_ru", ""), "test_language": item["test_language"],
            "subjects": [{"code": s["code"], "points": s["points"], "max": s["max"]} for s in subjects],
            "total": total, "max_total": most}


def parse_certificate_file(payload: dict[str, Any], stream: int | None) -> CertificateFile:
    """The payload checked whole (``Refused`` naming the first wrong field); ``stream`` is the manifest's."""
    if payload.get("format") != CERTIFICATE_FILE_FORMAT:
        raise Refused(_("The certificate file is in format {format}, which this program does not know.").format(
            format=payload.get("format")))
    site = payload.get("site")
    if not isinstance(site, dict) or not _text(site.get("code"), 10) \
            or not _text(site.get("name_kk", ""), 300, empty=True) \
            or not _text(site.get("name_ru", ""), 300, empty=True):
        raise _damaged("site")
    number = payload.get("stream")
    if not isinstance(number, int) or isinstance(number, bool) or number < 1 or number != stream:
        raise _damaged("stream")
    try:
        exam_date = date.fromisoformat(str(payload.get("date")))
    except ValueError:
        raise _damaged("date") from None
    items = payload.get("applicants")
    if not isinstance(items, list) or not items:
        raise _damaged("applicants")
    applicants = tuple(_applicant(item) for item in items)
    seen: set[str] = set()
    for applicant in applicants:
        if applicant["ikt"] in seen:
            raise Refused(_("The certificate file names ИКТ {ikt} twice.").format(ikt=applicant["ikt"]))
        seen.add(applicant["ikt"])
    return CertificateFile(site["code"], site.get("name_kk", ""), site.get("name_ru", ""), number, exam_date,
                           applicants)


def certificate_stream(session: Session, stream_number: int, *options: Any) -> CertificateStream | None:
    """The stream's certificate file as taken (loaded with ``options``), or None."""
    return session.scalar(select(CertificateStream).where(CertificateStream.stream_number == stream_number)
                          .options(*options))


def stream_numbers(session: Session) -> list[int]:
    """The streams whose certificate file is taken, in order."""
    return list(session.scalars(select(CertificateStream.stream_number).order_by(CertificateStream.stream_number)))


def taken_stream(session: Session, stream_number: int, *options: Any) -> CertificateStream:
    """:func:`certificate_stream`; ``Refused`` when none is taken."""
    stream = certificate_stream(session, stream_number, *options)
    if stream is None:
        raise Refused(_("No certificate file of stream {stream} is taken yet (import FILE).").format(
            stream=stream_number))
    return stream


@dataclass(frozen=True)
class TakenStream:
    """The stream whose certificate file a package brought: its number and how many applicants."""

    number: int
    applicants: int


def stream_of_package(session: Session, package_id: str) -> TakenStream | None:
    """The stream whose certificate file came in the package ``package_id`` (None once a newer one replaced it):
    what ``import FILE`` reports and the window then shows."""
    stream = session.scalar(select(CertificateStream).where(CertificateStream.package_id == package_id))
    return None if stream is None else TakenStream(stream.stream_number, len(stream.applicants))


def numbered(stream: CertificateStream) -> int:
    """How many of the stream's applicants have a certificate number."""
    return sum(1 for applicant in stream.applicants if applicant.certificate_number is not None)


def blanks_of(session: Session, stream: CertificateStream) -> int:
    """How many used blanks (issued or spoiled) refer to the stream's applicants."""
    from sqlalchemy import func

    return session.scalar(select(func.count()).select_from(UsedBlank).join(CertificateApplicant)
                          .where(CertificateApplicant.stream_id == stream.id)) or 0


def import_certificate_file(session: Session, opened: OpenedPackage, context: ImportContext) -> str:
    """Importer of ``certificate-file`` packages on the certificate workstation (see the module's text), in the
    transaction that records the package; the operator taking it is the file's ``imported_by``."""
    from common.db import workstation_info

    taken = parse_certificate_file(opened.payload, opened.manifest.stream)
    identity = workstation_info.get_identity(session)
    own = None if identity is None else identity.site_code
    if taken.site_code != own:
        raise Refused(_("The package is for site {inside}, but this workstation is at site {own}.").format(
            inside=taken.site_code, own=own))
    held = certificate_stream(session, taken.stream)
    replaced = held is not None
    if held is not None:
        assigned = numbered(held)
        if assigned:
            raise Refused(_("Stream {stream} already has {count} certificate number(s) assigned: its applicants are "
                            "kept as they are and the newer certificate file is not taken.").format(
                stream=taken.stream, count=assigned))
        spoiled = blanks_of(session, held)
        if spoiled:
            raise Refused(_("Stream {stream} already has {count} spoiled certificate blank(s) printed for its "
                            "applicants: they are kept as they are and the newer certificate file is not taken.")
                          .format(stream=taken.stream, count=spoiled))
        session.delete(held)
        session.flush()
    stream = CertificateStream(stream_number=taken.stream, site_code=taken.site_code,
                               site_name_kk=taken.site_name_kk[:300], site_name_ru=taken.site_name_ru[:300],
                               exam_date=taken.exam_date, package_id=opened.package_id[:100],
                               imported_by=context.operator[:100])
    stream.applicants = [CertificateApplicant(**applicant) for applicant in taken.applicants]
    session.add(stream)
    session.flush()
    if replaced:
        return _("Stream {stream}: the certificate file of {count} applicant(s) replaces the one taken before.").format(
            stream=taken.stream, count=len(taken.applicants))
    return _("Stream {stream}: the certificate file of {count} applicant(s) is taken.").format(
        stream=taken.stream, count=len(taken.applicants))


def take_certificate_file(session: Session, data: bytes, password: str, name: str, context: ImportContext
                          ) -> TakenPackage:
    """Open, check and import a ``certificate-file`` package file in ``session``'s transaction."""
    return take_package(session, data, password, name, context, {kinds.CERTIFICATE_FILE.name: import_certificate_file})


@dataclass(frozen=True)
class ListedApplicant:
    ikt: str
    iin: str | None
    full_name: str
    school_code: str
    school_name_kk: str
    school_name_ru: str
    test_language: str
    subjects: list[dict[str, Any]]
    total: int
    max_total: int
    certificate_series: str | None
    certificate_number: str | None


def stream_applicants(session: Session, stream_number: int) -> tuple[CertificateStream, list[ListedApplicant]]:
    """The stream's file and applicants by ИКТ; ``Refused`` when no file of the stream is taken."""
    stream = taken_stream(session, stream_number)
    return stream, [ListedApplicant(
        ikt=applicant.ikt, iin=applicant.iin, full_name=applicant.full_name, school_code=applicant.school_code,
        school_name_kk=applicant.school_name_kk, school_name_ru=applicant.school_name_ru,
        test_language=applicant.test_language, subjects=list(applicant.subjects), total=applicant.total,
        max_total=applicant.max_total, certificate_series=applicant.certificate_series,
        certificate_number=applicant.certificate_number) for applicant in stream.applicants]


def _register() -> None:
    from common.exchange.importers import register_importer

    register_importer(kinds.CERTIFICATE_FILE.name, import_certificate_file, role="certificate")


_register()
