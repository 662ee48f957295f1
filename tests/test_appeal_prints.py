"""The appeal's journal (прил. 17 Правил), register (прил. 20 Правил) and commission protocol (прил. 18 Правил),
printed from appeal records in kk and ru."""

from __future__ import annotations

import dataclasses
from datetime import date
from pathlib import Path

import pytest
from appeal_support import appeal_records, between, flat_text, scored_rows
from statement_support import spec

from arm_programmer.appeal_prints import journal_pdf, protocol_pdf, register_pdf
from arm_programmer.appeal_records import AppealRecord, AppealState
from arm_programmer.results import ResultRow
from common.errors import Refused
from common.reports import BuiltForm

FACTS = {"site_code": "017", "site_name": "Назарбаев университеті", "stream": 2, "exam_date": date(2027, 6, 20)}


@pytest.fixture(scope="module")
def rows() -> list[ResultRow]:
    return scored_rows()


@pytest.fixture(scope="module")
def records(rows: list[ResultRow]) -> list[AppealRecord]:
    return appeal_records(rows)


def closed(records: list[AppealRecord]) -> list[AppealRecord]:
    """The stream after application 5 was decided too (nothing still only registered)."""
    return [dataclasses.replace(record, state=AppealState.DECIDED) if record.state is AppealState.REGISTERED
            else record for record in records]


def text_of(built: BuiltForm, tmp_path: Path) -> str:
    return flat_text(built.pdf, tmp_path / "form.pdf")


def entry(text: str, records: list[AppealRecord], number: int) -> str:
    """The text of application ``number``'s rows (up to the next application's ИКТ)."""
    return between(text, records[number - 1].ikt, records[number].ikt if number < len(records) else None)


def test_the_journal_lists_every_application_in_order_with_who_received_it(
        rows: list[ResultRow], records: list[AppealRecord], tmp_path: Path) -> None:
    text = text_of(journal_pdf(list(reversed(records)), rows, spec=spec(), language="ru", **FACTS), tmp_path)
    assert "Приложение 17 к Правилам проведения ЕНТ" in text
    assert "Журнал регистрации заявлений на апелляцию по содержанию тестовых заданий и техническим причинам" in text
    assert "Подпись поступающего" in text
    places = [text.index(record.ikt) for record in records]
    assert places == sorted(places)
    first = entry(text, records, 1)
    assert f"1 21.06.2027 10:11 {records[0].ikt}" in text
    assert "по техническим причинам" in first and "Сапарова Гүлнар" in first
    assert rows[0].full_name in first and "История Казахстана, № 7" in first
    assert "по содержанию тестовых заданий" in entry(text, records, 4)
    assert "Форма этого бланка не дана Инструкцией" in text


def test_the_journal_in_kazakh_names_the_rules_appendix(rows: list[ResultRow], records: list[AppealRecord],
                                                        tmp_path: Path) -> None:
    text = text_of(journal_pdf(records, rows, spec=spec(), language="kk", **FACTS), tmp_path)
    assert "ҰБТ өткізу қағидаларына 17-қосымша" in text
    assert "апелляцияға өтініштерді тіркеу журналы" in text and "техникалық себептер бойынша" in text
    assert "Түсушінің қолы" in text


def test_the_register_shows_each_state_and_decision(rows: list[ResultRow], records: list[AppealRecord],
                                                    tmp_path: Path) -> None:
    text = text_of(register_pdf(records, rows, spec=spec(), language="ru", **FACTS), tmp_path)
    assert "Приложение 20 к Правилам" in text and "Реестр заявлений, поданных на апелляцию" in text
    assert "окончательный" not in text and "Экземпляр 1 из 1: для апелляционной комиссии" in text
    assert "считан сканером как пустой" in entry(text, records, 1)
    assert "решение принято удовлетворено: 0 → 1" in entry(text, records, 1)
    assert "решение принято не удовлетворено" in entry(text, records, 2)
    assert "не явился" in entry(text, records, 3) and "удовлетвор" not in entry(text, records, 3)
    assert "удовлетворено: 0 → 1" in entry(text, records, 4) and "удовлетворено: 0 → 2" in entry(text, records, 4)
    assert "зарегистрировано ожидается" in entry(text, records, 5)
    assert "Заявлений: 5; решение принято: 3; не явился: 1; зарегистрировано: 1." in text


def test_the_final_register_waits_for_every_decision_then_prints_two_copies(
        rows: list[ResultRow], records: list[AppealRecord], tmp_path: Path) -> None:
    with pytest.raises(Refused, match="202"):
        register_pdf(records, rows, spec=spec(), language="ru", final=True, **FACTS)
    text = text_of(register_pdf(closed(records), rows, spec=spec(), language="kk", final=True, **FACTS), tmp_path)
    assert "(түпкілікті нұсқасы)" in text and "20-қосымша" in text
    assert "2 данадан 1-данасы: қол қойылғаннан кейін Министрлік өкіліне беріледі" in text
    assert "2 данадан 2-данасы: ҰБТ өткізу пунктінің істерінде қалады" in text
    assert all(text.count(record.ikt) == 2 for record in records)
    assert "келмеді" in text and "шешім қабылданды" in text and "тіркелді: 0." in text


def test_the_protocol_records_votes_findings_proposals_and_decisions(
        rows: list[ResultRow], records: list[AppealRecord], tmp_path: Path) -> None:
    with pytest.raises(Refused, match="202"):
        protocol_pdf(records, rows, spec=spec(), language="ru", **FACTS)
    text = text_of(protocol_pdf(closed(records), rows, spec=spec(), language="ru", chair="Омаров Бақыт",
                                members=("Ким Елена", "Жақсылықов Арман"), **FACTS), tmp_path)
    assert "Приложение 18 к Правилам" in text and "Протокол заседания апелляционной комиссии" in text
    assert "Экземпляр 1 из 2: передается представителю Министерства после подписания" in text
    assert "Экземпляр 2 из 2: остается в делах ППЕНТ" in text
    first = entry(text, records, 1)
    assert "не считан как ответ (п. 196.1) удовлетворить: 0 → 1 удовлетворено: 0 → 1" in first
    assert "ответ верный: не удовлетворено сразу (п. 197) не удовлетворить не удовлетворено" in entry(text, records, 2)
    assert "не явился" in entry(text, records, 3)
    fourth = entry(text, records, 4)
    assert "за: 3, против: 3; решает голос председателя: за удовлетворить: 0 → 1" in fourth  # the tie (п. 194)
    assert "за: 5, против: 1 удовлетворить: 0 → 2 удовлетворено: 0 → 2" in fourth
    assert "дефекта листа ответов (п. 196.3)" in entry(text, records, 5)
    for role in ("Председатель апелляционной комиссии", "Председатель государственной комиссии",
                 "Представитель Министерства"):
        assert text.count(role) >= 2, role  # the signatures of п. 208 in each copy
    assert text.count("Член апелляционной комиссии") == 4
    assert text.count("Омаров Бақыт") == 2 and text.count("Ким Елена") == 2


def test_the_protocol_in_kazakh(rows: list[ResultRow], records: list[AppealRecord], tmp_path: Path) -> None:
    text = text_of(protocol_pdf(closed(records), rows, spec=spec(), language="kk", **FACTS), tmp_path)
    assert "18-қосымша" in text and "Апелляциялық комиссия отырысының хаттамасы" in text
    assert "жақтап: 3, қарсы: 3; төрағаның дауысы шешеді: жақтап" in text
    assert "Республикалық комиссияның шешімі" in text
    assert text.count("Апелляциялық комиссияның мүшесі") == 8  # four blank member lines per copy


def test_an_application_of_someone_not_in_the_results_is_refused_not_printed_nameless(
        rows: list[ResultRow], records: list[AppealRecord]) -> None:
    stranger = dataclasses.replace(records[0], number=6, ikt="999999999")
    for build in (journal_pdf, register_pdf):
        with pytest.raises(Refused, match=r"\b6\b"):
            build([*records, stranger], rows, spec=spec(), language="en", **FACTS)
