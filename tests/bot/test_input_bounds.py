"""Dates and amounts have bounds with a clear answer; registration is checked before parsing.

Each of these once reached the error handler ("technical problem" and an ERROR line),
strangers included, because parsing ran before the registration check.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from tests.bot.conftest import World
from tests.bot.walk import (
    at_the_promised_fix_question,
    compensate,
    open_case,
    walk_to_compensate,
)

pytestmark = pytest.mark.asyncio

TECHNICAL = "technical problem"


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    """The records at ERROR or above, collected while the test runs."""
    caplog.set_level(logging.INFO)
    return caplog.records


def no_errors(records: list[logging.LogRecord]) -> bool:
    return not [r for r in records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "args",
    ["2026-13-01", "9999-01-01", "0001-01-01 0001-01-31", "2026-02-30", "2026-11-01 9999-12-31"],
)
async def test_a_stranger_gets_the_polite_refusal_whatever_dates_they_type(
    world: World, errors: list[logging.LogRecord], args: str
) -> None:
    for command in ("/cases", "/report", "/export"):
        await world.stranger.send(f"{command} {args}")
        assert "only for registered staff" in world.stranger.last_text
    assert no_errors(errors)


@pytest.mark.parametrize(
    ("args", "answer"),
    [
        ("2026-13-01", "could not read that date"),
        ("2026-02-30", "There is no 30/02: that month has at most 29 days"),
        ("9999-01-01", "between the years 1900 and 2100"),
        ("0001-01-01 2026-01-01", "between the years 1900 and 2100"),
    ],
)
async def test_case_lists_refuse_dates_that_do_not_exist_or_lie_outside_the_calendar(
    world: World, errors: list[logging.LogRecord], args: str, answer: str
) -> None:
    await world.lan.send(f"/cases {args}")
    assert answer in world.lan.last_text.replace("\n", " ")
    assert no_errors(errors)


@pytest.mark.parametrize("args", ["0001-01-01 0001-01-31", "9999-12-01 9999-12-31"])
async def test_reports_and_exports_refuse_periods_outside_the_calendar(
    world: World, errors: list[logging.LogRecord], args: str
) -> None:
    for command in ("/report", "/export"):
        await world.minh.send(f"{command} {args}")
        assert "between the years 1900 and 2100" in world.minh.last_text
    assert no_errors(errors)


async def test_a_forged_list_button_with_a_far_date_changes_nothing(
    world: World, errors: list[logging.LogRecord]
) -> None:
    await world.minh.send("/cases")
    await world.minh.press_data("p:o:-:::99991231::0")
    assert "not valid any more" in world.api.answers[-1]["text"]
    await world.minh.press_data("p:o:-:::00010101:00010102:0")
    assert "not valid any more" in world.api.answers[-1]["text"]
    assert no_errors(errors)


async def test_an_amount_of_four_hundred_nines_is_refused_as_too_large(
    world: World, errors: list[logging.LogRecord]
) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Refund", "9" * 400)
    assert "too large" in world.lan.last_text
    assert (await world.case(case_id)).state == "compensate"
    assert no_errors(errors)


async def test_a_customer_since_year_zero_is_refused_and_the_question_stays(
    world: World, errors: list[logging.LogRecord]
) -> None:
    await world.lan.send("/new")
    await world.lan.send("Ngô Bảo Châu")
    await world.lan.press("New customer")
    await world.lan.send("Ngô Bảo Châu")
    await world.lan.press("Skip")
    await world.lan.press("Individual")
    await world.lan.send("0000")
    assert "between the years 1900 and 2100" in world.lan.last_text
    await world.lan.send("2019")
    assert "Customer since: 2019\n" in world.lan.last_text  # the year, as it was given
    assert no_errors(errors)


@pytest.mark.parametrize(
    ("typed", "answer"), [("31/12/9999", "between the years"), ("31/12/2030", "days ahead")]
)
async def test_a_follow_up_years_away_is_refused_with_the_reason(
    world: World, errors: list[logging.LogRecord], typed: str, answer: str
) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan)
    await world.lan.send(typed)
    assert answer in world.lan.last_text
    assert (await world.case(case_id)).state == "follow_up"
    assert no_errors(errors)


async def test_cases_by_date_use_the_readers_day_not_utc(world: World) -> None:
    # 05:30 on the 24th in Ho Chi Minh City is 22:30 on the 23rd in UTC.
    world.clock.now = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)
    case_id = await open_case(world.lan)
    await world.lan.send("/cases 2026-11-24")
    assert f"#{case_id}" in world.lan.last_text
    await world.lan.send("/cases 2026-11-23")
    assert f"#{case_id}" not in world.lan.last_text


@pytest.mark.parametrize(
    ("who", "typed", "answer"),
    [
        ("lan", "1,5", "whole amount"),
        ("lan", "1.500.000,50", "whole amount"),
        ("hoa", "1,5", "phần lẻ dưới một đơn vị tiền tệ"),
        ("hoa", "2.000.000,50", "phần lẻ dưới một đơn vị tiền tệ"),
    ],
)
async def test_an_amount_with_a_fraction_is_asked_again_not_read_as_another_number(
    world: World, who: str, typed: str, answer: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person, "Refund", typed)
    assert answer in person.last_text
    case = await world.case(case_id)
    assert (case.state, case.compensation_value, case.compensation_total) == (
        "compensate",
        None,
        0,
    )
    await person.send("1tr5 đồng" if who == "hoa" else "1,000,000.00")
    case = await world.case(case_id)
    assert case.compensation_value == (1_500_000 if who == "hoa" else 1_000_000)


@pytest.mark.parametrize(("who", "typed"), [("lan", "5/1"), ("hoa", "5/1 10h")])
async def test_a_follow_up_typed_without_a_year_in_late_december_is_set_for_january(
    world: World, who: str, typed: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person)
    world.clock.advance(days=30)  # Wednesday 23 December 2026
    await person.send(typed)
    case = await world.case(case_id)
    assert case.state == "awaiting_follow_up"
    assert case.follow_up_due_at is not None
    assert (case.follow_up_due_at.year, case.follow_up_due_at.month) == (2027, 1)


@pytest.mark.parametrize(("who", "today_end"), [("lan", "By 17:00"), ("hoa", "Trước 17:00")])
async def test_by_five_today_is_not_offered_once_five_has_passed_nor_taken_from_an_old_card(
    world: World, who: str, today_end: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)
    world.clock.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 16:00 in Ho Chi Minh City
    await at_the_promised_fix_question(person)
    card = person.api.last_with_buttons(person.chat_id)
    assert card is not None
    drawn_at_four = str(card.find_button(today_end).callback_data)
    world.clock.now = datetime(2026, 11, 23, 11, 30, tzinfo=UTC)  # 18:30
    await person.press_data(f"k:{case_id}:0:o")  # the case opened again: its card anew
    shown = person.api.last_with_buttons(person.chat_id)
    assert shown is not None
    assert not any(today_end in label for label in shown.button_labels)
    await person.press_data(drawn_at_four, card.message_id)  # pressed from an old screen
    assert "17:00" in world.api.answers[-1]["text"]
    assert (await world.case(case_id)).promised_fix_at is None
