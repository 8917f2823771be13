"""A supervisor names a report's period as people do: this month, last quarter, tháng này,
quý trước, năm ngoái, 11/2026, q3 2026, 2026 — the one that has begun runs to today, one
named without its year is the latest that has begun, one that has not begun is refused."""

from __future__ import annotations

from datetime import date

import pytest

from flows.parsing import InvalidInput
from flows.periods import Period, parse_period

TODAY = date(2026, 11, 25)  # a Wednesday in the fourth quarter


@pytest.mark.parametrize(
    ("said", "first", "last"),
    [
        ("this week", date(2026, 11, 23), TODAY),
        ("last week", date(2026, 11, 16), date(2026, 11, 22)),
        ("this month", date(2026, 11, 1), TODAY),
        ("Last month", date(2026, 10, 1), date(2026, 10, 31)),
        ("previous month", date(2026, 10, 1), date(2026, 10, 31)),
        ("this quarter", date(2026, 10, 1), TODAY),
        ("last quarter", date(2026, 7, 1), date(2026, 9, 30)),
        ("this year", date(2026, 1, 1), TODAY),
        ("last year", date(2025, 1, 1), date(2025, 12, 31)),
        ("tuần này", date(2026, 11, 23), TODAY),
        ("tuần trước", date(2026, 11, 16), date(2026, 11, 22)),
        ("tháng này", date(2026, 11, 1), TODAY),
        ("tháng trước", date(2026, 10, 1), date(2026, 10, 31)),
        ("thang truoc", date(2026, 10, 1), date(2026, 10, 31)),
        ("quý này", date(2026, 10, 1), TODAY),
        ("quý trước", date(2026, 7, 1), date(2026, 9, 30)),
        ("năm nay", date(2026, 1, 1), TODAY),
        ("năm ngoái", date(2025, 1, 1), date(2025, 12, 31)),
        ("năm trước", date(2025, 1, 1), date(2025, 12, 31)),
        ("nam ngoai", date(2025, 1, 1), date(2025, 12, 31)),
        ("11/2026", date(2026, 11, 1), TODAY),
        ("9/2026", date(2026, 9, 1), date(2026, 9, 30)),
        ("2026-02", date(2026, 2, 1), date(2026, 2, 28)),
        ("02/2024", date(2024, 2, 1), date(2024, 2, 29)),
        ("tháng 9", date(2026, 9, 1), date(2026, 9, 30)),
        ("tháng 12", date(2025, 12, 1), date(2025, 12, 31)),  # the latest that has begun
        ("tháng 11/2026", date(2026, 11, 1), TODAY),
        ("month 3 2025", date(2025, 3, 1), date(2025, 3, 31)),
        ("q3 2026", date(2026, 7, 1), date(2026, 9, 30)),
        ("Q1/2026", date(2026, 1, 1), date(2026, 3, 31)),
        ("quý 2", date(2026, 4, 1), date(2026, 6, 30)),
        ("quý 4 2025", date(2025, 10, 1), date(2025, 12, 31)),
        ("quarter 4", date(2026, 10, 1), TODAY),
        ("2025", date(2025, 1, 1), date(2025, 12, 31)),
        ("năm 2026", date(2026, 1, 1), TODAY),
        ("year 2024", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_a_calendar_period_is_read_as_people_name_it(said: str, first: date, last: date) -> None:
    assert parse_period(said.split(), TODAY) == Period(first, last)


def test_a_vietnamese_word_composed_either_way_names_the_same_period() -> None:
    composed, decomposed = "tháng này", "tha\u0301ng na\u0300y"
    assert parse_period(decomposed.split(), TODAY) == parse_period(composed.split(), TODAY)


def test_last_month_in_january_is_the_december_before() -> None:
    assert parse_period(["last", "month"], date(2027, 1, 10)) == Period(
        date(2026, 12, 1), date(2026, 12, 31)
    )
    assert parse_period(["quý", "trước"], date(2027, 2, 1)) == Period(
        date(2026, 10, 1), date(2026, 12, 31)
    )


@pytest.mark.parametrize(
    ("said", "key"),
    [
        ("12/2026", "report.not_begun"),
        ("quý 1 2027", "report.not_begun"),
        ("2027", "report.not_begun"),
        ("13/2026", "report.usage"),
        ("0/2026", "report.usage"),
        ("q5 2026", "report.usage"),
        ("0000", "report.usage"),
        ("tháng sau", "report.usage"),
        ("next month", "report.usage"),
        ("this fortnight", "report.usage"),
        ("this month please", "report.usage"),
    ],
)
def test_a_period_not_begun_or_not_a_period_is_refused_saying_which(said: str, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_period(said.split(), TODAY)
    assert refused.value.key == key


@pytest.mark.parametrize(
    ("said", "first", "last"),
    [
        ("7 ngày qua", date(2026, 11, 19), TODAY),
        ("30 ngày gần đây", date(2026, 10, 27), TODAY),
        ("2 tuần vừa qua", date(2026, 11, 12), TODAY),
        ("3 tháng qua", date(2026, 8, 26), TODAY),
        ("last 14 days", date(2026, 11, 12), TODAY),
        ("the past 3 months", date(2026, 8, 26), TODAY),
        ("từ đầu tháng", date(2026, 11, 1), TODAY),
        ("đầu năm đến nay", date(2026, 1, 1), TODAY),
        ("ytd", date(2026, 1, 1), TODAY),
        ("quarter to date", date(2026, 10, 1), TODAY),
        ("từ 1/11", date(2026, 11, 1), TODAY),
        ("kể từ 1/11", date(2026, 11, 1), TODAY),
        ("since yesterday", date(2026, 11, 24), TODAY),
        ("1/11 đến nay", date(2026, 11, 1), TODAY),
        ("1/11 - nay", date(2026, 11, 1), TODAY),
        ("1/11 to date", date(2026, 11, 1), TODAY),
        ("từ 1/11 đến 15/11", date(2026, 11, 1), date(2026, 11, 15)),
    ],
)
def test_days_counted_back_or_said_from_a_start_run_to_today(
    said: str, first: date, last: date
) -> None:
    assert parse_period(said.split(), TODAY) == Period(first, last)


@pytest.mark.parametrize(
    ("said", "key"),
    [
        ("0 ngày qua", "report.usage"),
        ("999 ngày qua", "report.too_long"),
        ("từ 30/11", "report.not_begun"),
    ],
)
def test_days_counted_back_or_a_start_that_cannot_be_are_refused_saying_why(
    said: str, key: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_period(said.split(), TODAY)
    assert refused.value.key == key
