"""A time to come typed as the quick buttons say it ("3 ngày nữa", "In a week", "2 giờ
nữa") is read as pressing that button would give it, in both languages, with or without
marks; a count of hours said without "nữa" or "sau" stays a time of day ("2 giờ" is two
o'clock), and a time from now beyond how far ahead it may be is refused as such."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.parsing import FURTHEST_AHEAD, QUICK_TIMES, InvalidInput, parse_when
from flows.scripts import Scripts, plain

SCRIPTS = Scripts.load()
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hồ Chí Minh City
HOUR = 9
#: The quick times that count from now (17:00 today and tomorrow are named days).
FROM_NOW = ("in_1h", "in_2h", "in_3_days", "in_a_week", "in_2_weeks", "in_a_month")


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("quick", FROM_NOW)
def test_a_quick_times_label_typed_is_read_as_its_button(locale: str, quick: str) -> None:
    typed = plain(SCRIPTS.get(locale, f"option.{quick}"))
    assert parse_when(typed, NOW, TZ, HOUR) == QUICK_TIMES[quick](NOW, TZ, HOUR)
    assert parse_when(typed.lower(), NOW, TZ, HOUR) == QUICK_TIMES[quick](NOW, TZ, HOUR)


@pytest.mark.parametrize(
    ("typed", "quick"),
    [
        ("3 ngay nua", "in_3_days"),
        ("sau 3 ngày", "in_3_days"),
        ("3 ngày sau", "in_3_days"),
        ("một tuần nữa", "in_a_week"),
        ("2 tiếng nữa", "in_2h"),
        ("sau 2 tuần", "in_2_weeks"),
        ("in an hour", "in_1h"),
        ("in 3 days", "in_3_days"),
        ("2 hours from now", "in_2h"),
        ("a month later", "in_a_month"),
    ],
)
def test_a_time_from_now_said_another_way_is_read_alike(typed: str, quick: str) -> None:
    assert parse_when(typed, NOW, TZ, HOUR) == QUICK_TIMES[quick](NOW, TZ, HOUR)


def test_hours_said_without_from_now_stay_a_time_of_day() -> None:
    assert parse_when("14 giờ", NOW, TZ, HOUR) == datetime(2026, 11, 23, 14, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("13 tháng nữa", "error.date_too_far"),
        (f"in {FURTHEST_AHEAD.days + 1} days", "error.date_too_far"),
        ("0 ngày nữa", "error.date_in_past"),
        ("3 ngày", "error.bad_date"),  # neither a date nor said from now
    ],
)
def test_a_time_from_now_out_of_reach_is_refused_saying_why(typed: str, key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_when(typed, NOW, TZ, HOUR)
    assert refused.value.key == key
