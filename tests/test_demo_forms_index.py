"""The demo's forms index (issue 19): every PDF each workstation printed (and НЦТ's appeal forms) copied once into
``<demo>/forms/`` in the order of the exam, with an HTML and a PDF index giving each form's title, appendix,
workstation, file and a thumbnail of its first page; a rerun rebuilds it without duplicates. The whole demo's index is
checked against its prints in ``tests/test_programs.py``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pypdfium2
import pytest

from common.cli import CommandLine
from common.db.engine import open_engine, transaction
from common.i18n import _, set_language
from common.reports import FormDocument, FormHeader, save_printed
from common.security.audit import AuditLog
from common.workstation import BASE_PPENT, CERTIFICATE, NCT, PROGRAMMER, DataFolder, Workstation
from ent_demo import demo_folder, forms_index
from ent_demo.forms_index import FORMS, build_index, build_step
from ent_demo.scenario import Scene


@pytest.fixture(autouse=True)
def _english() -> None:
    set_language("en")


def _print(root: Path, workstation: Workstation, key: str, header: FormHeader, when: datetime) -> Path:
    folder = DataFolder(root / workstation.code)
    if not folder.database.exists():
        assert CommandLine(workstation).run(["init", "--data-dir", str(folder.root)]) == 0
    engine = open_engine(folder.database)
    try:
        with transaction(engine) as session:
            return save_printed(folder, key, FormDocument(header, "ru", printed_at=when).build(), session=session,
                                actor="demo", when=when).path
    finally:
        engine.dispose()


def _record(root: Path, workstation: Workstation, action: str, target: str, details: dict[str, object]) -> None:
    folder = DataFolder(root / workstation.code)
    engine = open_engine(folder.database)
    try:
        with transaction(engine) as session:
            AuditLog(folder.audit_log).record(session, actor="demo", action=action, target=target, details=details)
    finally:
        engine.dispose()


def _text(path: Path) -> str:
    document = pypdfium2.PdfDocument(str(path))
    try:
        return "\n".join(document[index].get_textpage().get_text_range() for index in range(len(document)))
    finally:
        document.close()


@pytest.fixture()
def demo(tmp_path: Path) -> Path:
    """A demo folder whose workstations printed a few forms, the later stages first (the index must not follow the
    clock), with the files the real demo leaves: a copy under another name, a print its audit entry names only in
    its details, a test page no entry names, НЦТ's appeal form beside the packages, and PDFs that are no forms."""
    root = tmp_path / "demo"
    _print(root, PROGRAMMER, "seating-list", FormHeader("Посадочный лист", appendix="5", of_rules=True),
           datetime(2027, 6, 20, 8, 0))
    _print(root, BASE_PPENT, "app28", FormHeader("Отчет формирования базы данных", appendix="28"),
           datetime(2027, 6, 21, 9, 0))
    _print(root, BASE_PPENT, "schools-directory", FormHeader("Справочник школ и колледжей"),
           datetime(2027, 6, 21, 9, 1))
    register = _print(root, CERTIFICATE, "certificate-register", FormHeader("Реестр выдачи сертификатов",
                                                                            appendix="14"), datetime(2027, 6, 27, 10))
    printed = DataFolder(root / CERTIFICATE.code).printed
    (printed / "register-for-the-chair.pdf").write_bytes(register.read_bytes())  # an --out copy
    certificates = FormDocument(FormHeader(""), "ru").build()
    (printed / "certificates_stream-1.pdf").write_bytes(certificates.pdf)
    _record(root, CERTIFICATE, "certificate.print", "stream 1", {"file": "certificates_stream-1.pdf", "pages": 1})
    (printed / "printer-test-page.pdf").write_bytes(certificates.pdf)
    nct = root / "nct"
    nct.mkdir()
    appeals = root / "exchange" / "appeals-stream-1"
    appeals.mkdir(parents=True)
    technical = FormDocument(FormHeader("Протокол решения Республиканской комиссии", appendix="40"), "ru").build()
    (appeals / "appeals-technical-017-s01-ru.pdf").write_bytes(technical.pdf)
    (appeals / "left-behind.pdf").write_bytes(technical.pdf)  # НЦТ's log does not name it: not a print of НЦТ's
    (root / "exchange" / "enrol-017-programmer.pdf").write_bytes(technical.pdf)  # a password sheet, not a form
    (nct / "audit.log").write_text(json.dumps({
        "seq": 1, "ts": "2027-06-24T10:00:00+00:00", "actor": "root", "action": "nct.appeals.print",
        "target": "appeals-technical-017-s01-ru.pdf", "details": {"form": "technical", "site": "017"}}) + "\n",
        encoding="utf-8")
    return root


def test_every_printed_form_is_copied_once_in_the_order_of_the_exam_with_its_appendix(demo: Path) -> None:
    forms = build_index(demo)

    folder = demo / "forms"
    printed = sorted(path for path in demo.glob("*/printed/*.pdf"))
    expected = {*printed, demo / "exchange" / "appeals-stream-1" / "appeals-technical-017-s01-ru.pdf"}
    assert sorted(item.source for item in forms) == sorted(expected) and len(forms) == len(expected)
    copies = sorted(path.name for path in folder.glob("*.pdf") if not path.name.startswith("index"))
    assert copies == [item.copy.name for item in forms]  # the names sort in the order of the index
    by_file = {item.source.name: item for item in forms}
    assert [item.form.key for item in forms if item.form] == [
        "app28", "schools-directory", "seating-list", "technical", "printer-test-page", "certificates",
        "certificate-register", "certificate-register"]
    assert [item.workstation.code for item in forms] == ["base-ppent", "base-ppent", "programmer", "nct",
                                                         "certificate", "certificate", "certificate", "certificate"]
    assert by_file["register-for-the-chair.pdf"].appendix == "app. 14"  # known by its content, not its name
    assert by_file["certificates_stream-1.pdf"].form == next(form for form in FORMS if form.key == "certificates"
                                                             and form.workstation == "certificate")
    assert by_file["certificates_stream-1.pdf"].title == "ЕНТ certificates"  # no title of its own: the table's
    assert by_file["printer-test-page.pdf"].form is not None and by_file["printer-test-page.pdf"].appendix == ""
    seating = next(item for item in forms if item.form and item.form.key == "seating-list")
    assert (seating.appendix, seating.title) == ("app. 5 of the Rules", "Посадочный лист")
    app28 = next(item for item in forms if item.form and item.form.key == "app28")
    assert app28.appendix == "app. 28" and app28.copy.name.startswith("001_base-ppent_app28_")
    assert by_file["appeals-technical-017-s01-ru.pdf"].appendix == "app. 40"

    for item in forms:
        assert item.copy.read_bytes() == item.source.read_bytes()
        assert item.thumbnail.is_file() and item.thumbnail.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page = (folder / "index.html").read_text(encoding="utf-8")
    for item in forms:
        assert f'href="{item.copy.name}"' in page and f'src="thumbnails/{item.thumbnail.name}"' in page
        assert item.title in page
    assert "app. 5 of the Rules" in page and "Site database workstation" in page and "data:" not in page
    listed = _text(folder / "index.pdf")
    assert "Printed forms of the exam" in listed and "app. 28" in listed and "Посадочный лист" in listed
    assert "Certificate workstation" in listed and _(NCT.title) in listed


def test_a_rerun_rebuilds_the_folder_without_duplicates_and_says_which_forms_it_does_not_know(demo: Path,
                                                                                            capsys) -> None:  # type: ignore[no-untyped-def]
    scene = Scene(demo)
    assert build_step(scene) is True
    first = sorted(path.name for path in (demo / "forms").rglob("*"))
    assert "   8 printed forms copied to" in capsys.readouterr().out
    assert build_step(scene) is True
    assert sorted(path.name for path in (demo / "forms").rglob("*")) == first
    assert not (demo / "forms.building").exists()

    (DataFolder(demo / PROGRAMMER.code).printed / "mystery.pdf").write_bytes(FormDocument(FormHeader("?"),
                                                                                        "ru").build().pdf)
    assert build_step(scene) is False  # listed, at the end, and named
    shown = capsys.readouterr().out
    assert "forms the index does not know: mystery.pdf" in shown and "9 printed forms" in shown
    assert sorted((demo / "forms").glob("0*.pdf"))[-1].name == "009_programmer_mystery.pdf"


def test_the_table_gives_each_form_once_and_the_appendices_the_prints_modules_write() -> None:
    from arm_certificate.register_prints import ACT_APPENDICES, ACT_KEYS
    from arm_programmer.exam_prints import ACTS

    keys = [(form.workstation, form.key) for form in FORMS]
    assert len(keys) == len(set(keys))
    table = {key: form for key, form in zip(keys, FORMS, strict=True)}
    for spec in ACTS:
        assert (table[("programmer", spec.key)].appendix, table[("programmer", spec.key)].of_rules) == \
            (spec.appendix, spec.of_rules)
    for kind, key in ACT_KEYS.items():
        assert table[("certificate", key)].appendix == ACT_APPENDICES[kind]
    # every other print module that declares its form's key and appendix
    from arm_certificate import register_prints
    from arm_programmer import appeal_card, appeal_prints, codes_print, protocol

    declared = {("programmer", protocol.PROTOCOL_KEY): protocol.APPENDIX,
                ("programmer", appeal_card.CARD_KEY): appeal_card.APPENDIX,
                ("programmer", codes_print.CODES_KEY): codes_print.APPENDIX,
                ("programmer", appeal_prints.JOURNAL_KEY): appeal_prints.JOURNAL_APPENDIX,
                ("programmer", appeal_prints.REGISTER_KEY): appeal_prints.REGISTER_APPENDIX,
                ("programmer", appeal_prints.PROTOCOL_KEY): appeal_prints.PROTOCOL_APPENDIX,
                ("certificate", register_prints.REGISTER_KEY): register_prints.REGISTER_APPENDIX}
    assert {key: table[key].appendix for key in declared} == declared
    assert forms_index.FOLDER == "forms"  # as the README names it
    assert forms_index.FOLDER in demo_folder.MADE_BY_THE_DEMO  # "Start again" deletes the index with the rest
