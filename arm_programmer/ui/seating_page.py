"""The seating stage (п. 52.11, 130): a stream's exam day at a glance — its rooms, the packages received,
the draw done or not and what blocks the next step (``arm_programmer.day``) — the draw with the code НЦТ
dictates (the service of ``draw``), and late seating decided by the state commission (``late-seat``)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QPushButton
from sqlalchemy.orm import Session

from arm_programmer.day import StreamDay, stream_day, stream_numbers
from arm_programmer.draw import DrawOutcome, draw_with_code
from arm_programmer.late import LateSeat, late_seat
from arm_programmer.seating import production_random
from arm_programmer.takeover import NO_APPLICANT_DATABASE
from arm_programmer.ui.stream_choice import StreamChoice
from common import codebook
from common.i18n import _
from common.security.audit import AuditLog
from common.ui.page import Page
from common.ui.shell import ShellContext


def _yes(value: bool) -> str:
    return "✓" if value else "—"


class SeatingPage(Page):
    def __init__(self, context: ShellContext) -> None:
        super().__init__(context)
        top = QHBoxLayout()
        self.stream_label = QLabel()
        self.stream = StreamChoice()
        self.stream.setObjectName("stream")
        self.stream.currentIndexChanged.connect(lambda _index: self.show_day())
        top.addWidget(self.stream_label)
        top.addWidget(self.stream)
        top.addStretch(1)
        self.body.addLayout(top)
        self.state = QLabel()
        self.state.setObjectName("dayState")
        self.state.setWordWrap(True)
        self.body.addWidget(self.state)
        self.next_step = QLabel()
        self.next_step.setObjectName("nextStep")
        self.next_step.setWordWrap(True)
        self.next_step.setStyleSheet("font-weight: bold;")
        self.body.addWidget(self.next_step)
        self.rooms = QListWidget()
        self.rooms.setObjectName("dayRooms")
        self.body.addWidget(self.rooms, 1)
        draw_row = QHBoxLayout()
        self.code = QLineEdit()
        self.code.setObjectName("drawCode")
        self.code.setEchoMode(QLineEdit.EchoMode.Password)
        self.draw_button = QPushButton()
        self.draw_button.setObjectName("drawSeats")
        self.draw_button.clicked.connect(self.draw)
        draw_row.addWidget(self.code, 1)
        draw_row.addWidget(self.draw_button)
        self.body.addLayout(draw_row)
        late_row = QHBoxLayout()
        self.late_ikt = QLineEdit()
        self.late_ikt.setObjectName("lateIkt")
        self.member = QLineEdit()
        self.member.setObjectName("lateMember")
        self.language = QComboBox()
        self.language.setObjectName("lateLanguage")
        self.late_button = QPushButton()
        self.late_button.setObjectName("lateSeat")
        self.late_button.clicked.connect(self.seat_late)
        for widget in (self.late_ikt, self.member, self.language, self.late_button):
            late_row.addWidget(widget)
        late_row.setStretch(1, 1)
        self.body.addLayout(late_row)
        self.retranslate()

    def current_stream(self) -> int | None:
        return self.stream.number()

    def reload(self) -> None:
        self.stream.offer(self.read(stream_numbers) or [])
        self.show_day()

    def show_day(self) -> None:
        number = self.current_stream()
        self.rooms.clear()
        if number is None:
            self.state.setText(_(NO_APPLICANT_DATABASE))
            self.next_step.setText("")
            return
        day = self.read(lambda session: stream_day(session, number))
        if day is None:
            return
        self.state.setText(self._state_text(day))
        self.next_step.setText(day.next_step)
        for room in day.rooms:
            kind = _("reserve, kept back") if room.reserve and not room.opened else (
                _("reserve") if room.reserve else _("opened"))
            late = "" if not room.late else " " + _("({count} late-seated)").format(count=room.late)
            self.rooms.addItem(_("Room {room} ({language}, {kind}): {seats} seats, {desks} desks; {placed} "
                                 "applicant(s)").format(room=room.room, language=room.language, kind=kind,
                                                        seats=room.seats, desks=room.desks or "—",
                                                        placed=room.placed) + late)

    @staticmethod
    def _state_text(day: StreamDay) -> str:
        drawn = (_("drawn {moment} (digest {digest}…)").format(moment=day.drawn_at[:16].replace("T", " "),
                                                              digest=(day.digest or "")[:12])
                 if day.drawn_at else _("not drawn"))
        return _("Stream {stream} ({date}). Database taken {taken}, closed {closed}; НЦТ's draw password {code}, "
                 "test specification {spec}, variants file {variants}. Seats: {drawn}.").format(
            stream=day.stream, date=day.date, taken=_yes(day.taken), closed=_yes(day.closed), code=_yes(day.draw_code),
            spec=day.specification or "—", variants=_yes(day.variants), drawn=drawn)

    def draw(self) -> None:
        number = self.current_stream()
        code = self.code.text()
        self.code.clear()
        if number is None:
            return

        def work(session: Session) -> DrawOutcome:
            return draw_with_code(session, number, code=code, audit=AuditLog(self.db.folder.audit_log),
                                  actor=self.db.actor, random_source=production_random())

        outcome = self.act(work)
        if outcome is not None:
            if outcome.refusal is not None:
                self.show_problem(outcome.refusal.message)
            elif outcome.result is not None:
                self.show_done(_("Seats of stream {stream} drawn: {applicants} applicant(s) in {rooms} room(s); digest "
                                 "{digest}.").format(stream=number, applicants=outcome.result.applicants,
                                                     rooms=outcome.result.rooms, digest=outcome.result.digest))
        self.reload()

    def seat_late(self) -> None:
        number = self.current_stream()
        ikt, member, language = self.late_ikt.text(), self.member.text(), self.language.currentData()

        def work(session: Session) -> LateSeat:
            seat = late_seat(session, ikt=ikt, member=member, actor=self.db.actor, stream_number=number,
                             language=language or None)
            self.db.audit(session, "late.seat", seat.ikt, stream=seat.stream, room=seat.room, seat=seat.seat,
                          language=seat.language)
            return seat

        if self.act(work, lambda seat: _("Late seating (п. 130) recorded: ИКТ {ikt} sits in reserve room {room}, "
                                         "seat {seat}, stream {stream}.").format(
                ikt=seat.ikt, room=seat.room, seat=seat.seat, stream=seat.stream)) is not None:
            self.late_ikt.clear()
        self.reload()

    def retranslate(self) -> None:
        self.heading.setText(_("Seating draw"))
        self.stream_label.setText(_("Stream"))
        self.code.setPlaceholderText(_("the code NTC dictates for the stream's draw"))
        self.draw_button.setText(_("Draw the seats"))
        self.late_ikt.setPlaceholderText(_("ИКТ"))
        self.member.setPlaceholderText(_("the commission member who decided"))
        chosen = self.language.currentData()
        self.language.clear()
        self.language.addItem(_("the applicant's language"), "")
        for status in codebook.ROOM_LANGUAGE_STATUSES:
            self.language.addItem(status, status)
        self.language.setCurrentIndex(max(0, self.language.findData(chosen)))
        self.late_button.setText(_("Seat late (п. 130)"))
        self.reload()
