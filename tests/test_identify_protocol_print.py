"""The identification protocol (прил. 36) printed for the commission, kk and ru: read back as text and as pages."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

from base_ppent_support import flat
from pdf_support import pdf_text
from test_identify_auto import ROOM_SHEETS, SEATS, Sheet, marked, seat

from arm_programmer.exam_prints import ExamDay
from arm_programmer.identify import Decision, SheetReason, Withdrawal, identify
from arm_programmer.protocol import build_protocol, protocol_rooms
from common.reports import BuiltForm

DAY = ExamDay("0101", "Алматы мектебі", "Школа Алматы", 1, date(2027, 6, 20))


def stream() -> tuple[list[Sheet], list]:
    seats = [*SEATS, seat(6, "102", 30, late=True)]
    sheets = [
        marked(10, "101", 1000001, 1, 1),                       # identified
        marked(11, "101", 1000002, 2, 9),                       # seat mismatch
        marked(12, "101", 1000040, 3, 3),                       # a sheet of room 102
        Sheet(13, "101", "1000004", {"ikt": "", "seat": "", "answers": ""}),  # unused
        marked(20, "102", 1000031, 6, 30),                      # late seated
        marked(21, "102", 1000032, 4, 1, ikt="100009999"),      # wrong ИКТ
    ]
    return sheets, seats


def text_of(built: BuiltForm, tmp_path: Path, name: str) -> str:
    path = tmp_path / f"{name}.pdf"
    path.write_bytes(built.pdf)
    return flat(pdf_text(path, layout=False))


def test_the_protocol_rows_room_by_room() -> None:
    sheets, seats = stream()
    result = identify(sheets, seats, ROOM_SHEETS, withdrawn={5: Withdrawal.REMOVED})
    rooms = {room.room: room for room in protocol_rooms(result, seats, sheets)}
    first = rooms["101"]
    assert [row.application_id for row in first.upper] == [2, 3]
    assert [row.sheet_number for row in first.upper] == ["1000002", "1000040"]
    assert [row.sheet_number for row in first.lower] == ["1000002", "1000004", "1000040"]
    assert first.lower[0].sectors() == ("seat",) and first.lower[0].seat == "009"
    assert first.lower[1].blank and first.lower[2].suggestion is Decision.DELETE
    second = rooms["102"]
    assert [(row.application_id, row.note) for row in second.upper] == [(4, None), (5, "annulled")]
    assert [row.reasons for row in second.lower] == [(SheetReason.LATE_SEATED,), (SheetReason.IKT_UNKNOWN,)]
    assert first.sheets == 4 and first.identified == 1


def test_the_protocol_prints_in_kazakh_and_russian(tmp_path: Path) -> None:
    sheets, seats = stream()
    result = identify(sheets, seats, ROOM_SHEETS, withdrawn={5: Withdrawal.REMOVED})
    rooms = protocol_rooms(result, seats, sheets)
    russian = build_protocol(DAY, rooms, "ru")
    text = text_of(russian, tmp_path, "ru")
    for expected in ("Протокол идентификации листов ответов", "Приложение 36", "Аудитория 101", "Верхняя таблица",
                     "Нижняя таблица", "Applicant 2", "1000040", "аудиторию 102", "неиспользованный лист",
                     "Аннулирован", "Правильный", "Профильные", "Удалить бланк",
                     "досадка", "100009999"):
        assert expected in text, expected
    kazakh = text_of(build_protocol(DAY, rooms, "kk"), tmp_path, "kk")
    for expected in ("Жауап парақтарын сәйкестендіру хаттамасы", "36-қосымша", "Жоғарғы кесте", "Төменгі кесте",
                     "Дұрыс", "Бланкіні жою", "Күші жойылды"):
        assert expected in kazakh, expected
    path = tmp_path / "ru.pdf"
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(tmp_path / "page")], check=True)
    assert len(list(tmp_path.glob("page-*.png"))) == russian.pages >= 2
