"""АРМ «Сертификат»'s window (pytest-qt, п. 214–222): the programmer's certificate file taken with the workstation's
password, a pack of blanks entered by a keyboard-wedge scan (its text and Enter) and a duplicate refused in one line,
the numbers assigned and one blank spoiled (both confirmed), the signing key installed, the printer calibrated, the
certificates, the register and an act printed through the print preview, the numbers sealed for НЦТ; every page fits
a 1366×768 screen in kk and ru with every column readable."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from applications_support import ok
from base_ppent_support import database, flat
from exchange_support import Scene, make_scene, run_cli
from pdf_support import pdf_text
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QLabel, QTableView
from sqlalchemy import select
from window_support import answer, open_window, settled_page, squeezed

from arm_certificate.cli import build
from arm_certificate.ui.file_page import CertificateFilePage
from arm_certificate.ui.main_window import PAGES
from arm_certificate.ui.numbers_page import NumbersPage
from arm_certificate.ui.printing_page import PDF_PRINTER, PrintingPage
from arm_certificate.ui.register_page import RegisterPage
from common.db.certificate_models import SPOILED, BlankPack, CertificateApplicant, PrinterOffset, UsedBlank
from common.roles import operator_roles
from common.ui.login import Operator
from common.ui.page import DONE_STYLE, ERROR_STYLE
from common.ui.print_preview import PrintPreviewDialog
from common.ui.shell import WorkstationWindow, switch_language
from common.workstation import CERTIFICATE, DataFolder

WAIT = 60000
APPLICANTS = (  # ikt, surname, name, patronymic, school, language, points
    ("300000001", "Жансүгірова", "Гүлназ", "Ерланқызы", "110001", "kk", (15, 8, 9)),
    ("300000002", "Абаев", "Ерлан", None, "110001", "kk", (12, 6, 7)),
    ("300000003", "Константинопольский", "Александр", "Владимирович", "110002", "ru", (18, 9, 10)),
)
SCHOOLS = {"110001": ("Ілияс Жансүгіров атындағы №11 жалпы орта білім беретін мектеп",
                      "Средняя общеобразовательная школа №11 имени Ильяса Жансугурова"),
           "110002": ("№4 гимназия", "Гимназия №4")}


class Base:
    def __init__(self, scene: Scene, package: Path, key_file: Path, key_password: str) -> None:
        self.scene, self.package, self.key_file, self.key_password = scene, package, key_file, key_password


def _seal_certificate_file(scene: Scene) -> Path:
    """The programmer's certificate file of stream 1 sealed to the site's certificate workstation."""
    from arm_programmer.certificate_file import SchoolNames, SiteNames, certificate_file_payload
    from arm_programmer.results import ResultRow, ResultStatus, SubjectPoints
    from common.exchange import kinds
    from common.exchange.addresses import Address
    from common.exchange.store import load_identity, load_trust, send_package
    from common.security.audit import AuditLog

    rows, schools = [], {}
    for index, (ikt, surname, name, patronymic, school, language, points) in enumerate(APPLICANTS, start=1):
        subjects = tuple(SubjectPoints(code, value, 20) for code, value in zip(("HKZ", "MLIT", "RLIT"), points,
                                                                              strict=True))
        rows.append(ResultRow(application_id=index, ikt=ikt, iin="050102000002", surname=surname, name=name,
                              patronymic=patronymic, school_code=school, test_language=language, room_number="01",
                              seat=index, sheet_number=f"S{index}", variant="0101", creative=False, subjects=subjects,
                              total=sum(points), max_total=60, status=ResultStatus.SCORED))
        schools[index] = SchoolNames(school, *SCHOOLS[school])
    payload = certificate_file_payload(SiteNames("017", "Алматы қаласы ППЕНТ", "ППЕНТ города Алматы"), 1,
                                       "2027-06-20", rows, schools)
    folder = DataFolder(scene.folder("programmer"))
    with database(folder) as session:
        sent = send_package(session, identity=load_identity(session, scene.passwords["programmer"]),
                            trust=load_trust(session), recipient=Address("certificate", "017"),
                            kind=kinds.CERTIFICATE_FILE.name, payload=payload, outbox=folder.outbox,
                            audit=AuditLog(folder.audit_log), actor="test", stream=1)
    return Path(sent.path)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    scene = make_scene(tmp_path_factory.mktemp("certificate-window") / "scene", roles=("programmer", "certificate"))
    peers = ok(scene.nct("site", "certificates", "--site", "017", "--role", "programmer", "--out",
                         str(scene.out), "--json")).json()
    ok(scene.ws("programmer", "package", "open", peers["path"]))
    package = _seal_certificate_file(scene)
    issued = ok(scene.nct("--json", "certificate-key", "issue", "--site", "017", "--out",
                          str(scene.out / "key.json")))
    return Base(scene, package, scene.out / "key.json", issued.json()["password"])


@pytest.fixture
def scene(base: Base, tmp_path: Path) -> Scene:
    return base.scene.copy(tmp_path / "scene")


def open_certificate_window(qtbot: Any, scene: Scene) -> WorkstationWindow:
    operator = Operator("Сейтова Г.", operator_roles("certificate")[0])
    return open_window(qtbot, CERTIFICATE, scene.folder("certificate"), operator, PAGES)  # type: ignore[arg-type]


def settle(qtbot: Any, page: Any) -> None:
    qtbot.waitUntil(lambda: not page.busy, timeout=WAIT)
    QApplication.processEvents()


def numbers(scene: Scene) -> dict[str, str | None]:
    with database(DataFolder(scene.folder("certificate"))) as session:
        return {item.ikt: None if item.certificate_number is None else
                f"{item.certificate_series} {item.certificate_number}"
                for item in session.scalars(select(CertificateApplicant))}


def previewed(qtbot: Any, page: Any) -> PrintPreviewDialog:
    qtbot.waitUntil(lambda: isinstance(page.last_preview, PrintPreviewDialog), timeout=WAIT)
    settle(qtbot, page)
    preview = page.last_preview
    page.last_preview = None
    assert isinstance(preview, PrintPreviewDialog)
    preview.close()
    return preview


def test_the_main_path_from_the_certificate_file_to_the_numbers_sent(qtbot, base: Base, scene: Scene) -> None:  # type: ignore[no-untyped-def]
    switch_language("en")
    window = open_certificate_window(qtbot, scene)
    folder = DataFolder(scene.folder("certificate"))

    # an enrolled folder without a certificate file: every page opens and says what comes first, no error
    for key, kind in (("numbers", NumbersPage), ("printing", PrintingPage), ("register", RegisterPage),
                      ("import", CertificateFilePage)):
        opened = settled_page(qtbot, window, key, kind)
        assert opened.message.text() == "", key
        assert "No certificate file taken yet" in opened.findChild(QLabel, {"numbers": "numbersState",
                                                                             "printing": "printState",
                                                                             "register": "registerState",
                                                                             "import": "fileState"}[key]).text()

    # 1. the certificate file, taken with the workstation's password
    file_page = settled_page(qtbot, window, "import", CertificateFilePage)
    file_page.package.setText(str(base.package))
    qtbot.keyClicks(file_page.password, scene.passwords["certificate"])
    file_page.take_button.click()
    assert "the certificate file of 3 applicant(s) is taken" in file_page.message.text()
    assert file_page.password.text() == "" and file_page.stream.number() == 1
    assert "3 applicant(s), 0 with a certificate number" in file_page.state.text()
    shown = [[file_page.model.index(row, column).data() for column in range(6)] for row in range(3)]
    assert file_page.model.index(2, 2).data(Qt.ItemDataRole.ToolTipRole) in {"Гимназия №4", "№4 гимназия"}
    assert ["300000003", "Константинопольский Александр Владимирович", "110002", "ru", "37", "—"] \
        in shown

    # 2. a pack by a keyboard-wedge scan: the text and Enter; the line keeps the focus for the next scan
    page = settled_page(qtbot, window, "numbers", NumbersPage)
    window.activateWindow()
    page.count.setValue(5)
    page.scan.setFocus()
    qtbot.keyClicks(page.scan, "aa-0000001")
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    assert page.parsed.text() == "Read: series AA, first blank 0000001 (7 digits)."
    assert "Pack AA 0000001–0000005 (5 blank(s)) is recorded." in page.message.text()
    assert page.scan.text() == "" and QApplication.focusWidget() is page.scan
    assert [(line.series, line.first, line.last, line.clean) for line in page.model.rows()] == [
        ("AA", "0000001", "0000005", 5)]
    # the same pack scanned again: refused in one line, nothing written
    qtbot.keyClicks(page.scan, "AA 0000003")
    qtbot.keyClick(page.scan, Qt.Key.Key_Return)
    assert page.message.styleSheet() == ERROR_STYLE
    assert page.message.text() == "The pack overlaps the pack AA 0000001–0000005 already received."
    with database(folder) as session:
        assert len(session.scalars(select(BlankPack)).all()) == 1
    # a pack typed by hand: series, first number (its zeros kept) and Enter
    page.series.setText("bb")
    qtbot.keyClicks(page.first, "0000100")
    qtbot.keyClick(page.first, Qt.Key.Key_Return)
    assert "Pack BB 0000100–0000104 (5 blank(s)) is recorded." in page.message.text()
    assert (page.series.text(), page.first.text()) == ("", "")
    assert [(line.series, line.first, line.last) for line in page.model.rows()] == [
        ("AA", "0000001", "0000005"), ("BB", "0000100", "0000104")]

    # assign: how many, confirmed — dated before the exam first (refused), then after it
    assert "3 applicant(s), 3 without a certificate number" in page.state.text()
    page.issued_on.setDate(QDate(2020, 1, 1))
    answer()
    page.assign_button.click()
    assert "A certificate of stream 1 cannot be dated 2020-01-01" in page.message.text()
    assert not any(numbers(scene).values())
    page.issued_on.setDate(QDate(2027, 7, 1))
    asked = answer()
    page.assign_button.click()
    assert asked and "Assign 3 certificate number(s) to stream 1" in asked[0]
    assert "Stream 1: 3 certificate number(s) assigned, AA 0000001 … AA 0000003." in page.message.text()
    assigned = numbers(scene)
    assert sorted(value for value in assigned.values() if value) == ["AA 0000001", "AA 0000002", "AA 0000003"]
    # a blank spoiled with its reason: the confirmation names whom it was issued to
    victim = next(ikt for ikt, value in assigned.items() if value == "AA 0000002")
    page.blank.setText("AA 0000002")
    page.reason.setText("printer jam")
    asked = answer(None)
    page.spoil_button.click()
    assert asked and f"issued to the applicant with ИКТ {victim}" in asked[0] and "needs a reprint" in asked[0]
    assert numbers(scene)[victim] == "AA 0000002", "Cancel changes nothing"
    asked = answer()
    page.spoil_button.click()
    assert asked
    assert f"the applicant with ИКТ {victim} has no certificate number now" in page.message.text()
    with database(folder) as session:
        spoiled = session.scalars(select(UsedBlank).where(UsedBlank.status == SPOILED)).one()
        assert (spoiled.number, spoiled.reason) == (2, "printer jam")
    assert numbers(scene)[victim] is None
    assert [(line.issued, line.spoiled, line.clean) for line in page.model.rows()] == [(2, 1, 2), (0, 0, 5)]
    # the reprint on a named blank (the one now in the printer): an issued one refused, a clean one given
    page.one_ikt.setText(victim)
    page.one_blank.setText("AA 0000001")
    answer()
    page.one_button.click()
    assert page.message.text() == "Blank AA 0000001 is already issued." and numbers(scene)[victim] is None
    page.one_blank.setText("bb0000101")
    asked = answer()
    page.one_button.click()
    assert asked and f"Give blank bb0000101 to the applicant with ИКТ {victim} of stream 1?" in asked[0]
    assert page.message.text() == f"The applicant with ИКТ {victim} has blank BB 0000101 now."
    assert numbers(scene)[victim] == "BB 0000101" and page.one_ikt.text() == ""

    # 3. the signing key, the printer's calibration, the certificates
    printing = settled_page(qtbot, window, "printing", PrintingPage)
    assert "No certificate signing key is installed" in printing.key_state.text()
    printing.key_file.setText(str(base.key_file))
    qtbot.keyClicks(printing.install_password, base.key_password)
    printing.install_button.click()
    assert "is installed; fingerprint" in printing.message.text() and "017/certificate" in printing.key_state.text()
    assert printing.chosen_printer() == PDF_PRINTER  # no printer on the test machine
    assert "Not calibrated" in printing.printer_state.text()
    printing.dx.setValue(1.5)
    printing.dy.setValue(-0.5)
    printing.test_button.click()  # once more, the offset being typed: it stays while the page reloads
    assert previewed(qtbot, printing).page_count == 1
    assert (printing.dx.value(), printing.dy.value()) == (1.5, -0.5)
    printing.save_button.click()
    assert "every field moves +1.5 mm right and -0.5 mm down" in printing.printer_state.text()
    with database(folder) as session:
        row = session.scalars(select(PrinterOffset)).one()
        assert (row.printer, row.dx_mm, row.dy_mm) == (PDF_PRINTER, 1.5, -0.5)
    printing.print_button.click()
    assert "Type the signing key's password" in printing.message.text()
    qtbot.keyClicks(printing.key_password, base.key_password)
    printing.print_button.click()
    certificates = previewed(qtbot, printing)
    assert certificates.page_count == 3 and printing.key_password.text() == ""
    assert certificates.pdf_path.parent == folder.printed
    words = flat(pdf_text(certificates.pdf_path, layout=False))
    assert "Константинопольский" in words and "BB 0000101" in words and "AA 0000002" not in words
    assert "certificate.print" in folder.audit_log.read_text(encoding="utf-8")
    # the reprint of the applicant whose blank was spoiled: only their certificate, on the blank they got now
    qtbot.keyClicks(printing.key_password, base.key_password)
    printing.only_ikt.setText(victim)
    printing.print_button.click()
    reprint = previewed(qtbot, printing)
    assert reprint.page_count == 1 and "BB 0000101" in flat(pdf_text(reprint.pdf_path, layout=False))
    assert victim in reprint.pdf_path.name and reprint.pdf_path != certificates.pdf_path

    # 4. the register, an act, the numbers to НЦТ
    register = settled_page(qtbot, window, "register", RegisterPage)
    assert "3 certificate number(s), 1 spoiled blank(s), 2 pack(s)" in register.send_state.text()
    assert str(folder.outbox) in register.send_state.text()
    register.language.setCurrentIndex(register.language.findData("ru"))
    register.register_button.click()
    printed = previewed(qtbot, register)
    assert "certificate-register" in printed.pdf_path.name and "AA" in flat(pdf_text(printed.pdf_path, layout=False))
    register.act_kind.setCurrentIndex(register.act_kind.findData("received"))
    register.act_button.click()
    assert "certificate-act-received" in previewed(qtbot, register).pdf_path.name
    register.send_button.click()
    assert "Type the workstation's password" in register.message.text()
    qtbot.keyClicks(register.password, scene.passwords["certificate"])
    register.send_button.click()
    qtbot.waitUntil(lambda: "are sealed for НЦТ" in register.message.text(), timeout=WAIT)
    assert register.message.styleSheet() == DONE_STYLE and register.password.text() == ""
    assert "(3 certificate(s), 1 spoiled blank(s))" in register.message.text()
    [sent] = [path for path in folder.outbox.glob("*.entpkg") if "certificate-numbers" in path.name]
    assert sent.name in register.message.text()


def columns_cut(page: Any, key: str) -> list[str]:
    """A table's column narrower than its title or its widest cell."""
    found = []
    for view in page.findChildren(QTableView):
        if not view.isVisible():
            continue
        header = view.horizontalHeader()
        for column in range(view.model().columnCount()):
            title = str(view.model().headerData(column, Qt.Orientation.Horizontal))
            needed = max(header.sectionSizeHint(column), view.sizeHintForColumn(column))
            if view.columnWidth(column) < needed:
                found.append(f"{key}: {view.objectName()} column {title!r} {view.columnWidth(column)} < {needed}")
    return found


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_every_page_fits_a_1366_screen_with_every_column_readable(qtbot, base: Base, scene: Scene,  # type: ignore[no-untyped-def]
                                                                  language: str) -> None:
    for command in (["import", str(base.package)], ["packs", "add", "--barcode", "ЖА 0000001", "--count", "10"],
                    ["assign", "--stream", "1", "--date", "2027-07-01"]):
        ok(run_cli(build(), [*command, "--data-dir", str(scene.folder("certificate"))],
                   ENT_PASSWORD=scene.passwords["certificate"]))
    switch_language(language)
    try:
        window = open_certificate_window(qtbot, scene)
        for key, kind in (("import", CertificateFilePage), ("numbers", NumbersPage), ("printing", PrintingPage),
                          ("register", RegisterPage)):
            page = settled_page(qtbot, window, key, kind)
            window.grab().save(str(base.scene.root.parent / f"certificate-{key}-{language}.png"))
            assert squeezed(page, key) == []
            assert columns_cut(page, key) == []
        # a language switch with the window open: every page speaks the other language at once
        other = "ru" if language == "kk" else "kk"
        switch_language(other)
        expected = {"kk": "Ағын", "ru": "Поток"}[other]
        for key in ("import", "numbers", "printing", "register"):
            page = window.page(key)
            assert page.stream_label.text() == expected, key  # type: ignore[attr-defined]
            assert squeezed(page, key) == []
    finally:
        switch_language("en")
