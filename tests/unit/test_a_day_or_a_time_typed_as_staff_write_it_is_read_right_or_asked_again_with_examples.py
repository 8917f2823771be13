"""What Vietnamese and English staff really type for a day or a time, on Monday 23/11/2026
at 09:00 (Hồ Chí Minh City): each is read as meant, or refused politely with an example
that fits what was typed — never read wrong silently. Words that leave the day open
("tuần sau", "cuối tháng", "next week") get a stated default the reader is told; a time
earlier today is refused offering the one of this afternoon it may mean; a part of the
day without its hour ("chiều mai", "tonight") asks for the hour."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.parsing import (
    FURTHEST_RENEWAL,
    RENEWAL_WRONG_SIDE,
    STATED,
    InvalidInput,
    read_day_ahead,
    read_when,
)
from flows.scripts import LOCALES, Scripts, plain

SCRIPTS = Scripts.load()
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hồ Chí Minh City
HOUR = 9


def at(day: int, month: int, hour: int = HOUR, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


#: Typed, the moment meant, and the default picked for what the words leave open.
READ = [
    # Vietnamese
    ("3 giờ chiều", at(23, 11, 15), None),
    ("15h30", at(23, 11, 15, 30), None),
    ("15:30", at(23, 11, 15, 30), None),
    ("15g30", at(23, 11, 15, 30), None),
    ("3h chiều mai", at(24, 11, 15), None),
    ("8h30 sáng mai", at(24, 11, 8, 30), None),
    ("trưa mai", at(24, 11, 12), None),
    ("9h đêm", at(23, 11, 21), None),
    ("9 giờ tối", at(23, 11, 21), None),
    ("21h", at(23, 11, 21), None),
    ("thứ hai tuần sau", at(30, 11), None),
    ("thứ 6 lúc 14h", at(27, 11, 14), None),
    ("14h thứ 6", at(27, 11, 14), None),
    ("thứ bảy tuần này", at(28, 11), None),
    ("thứ 6 này 14h", at(27, 11, 14), None),
    ("T2", at(30, 11), None),  # a Monday said on a Monday: the next one
    ("CN", at(29, 11), None),
    ("30/12", at(30, 12), None),
    ("30-12", at(30, 12), None),
    ("30/12/2026", at(30, 12), None),
    ("30 tháng 12", at(30, 12), None),
    ("10h ngày 25/12", at(25, 12, 10), None),
    ("25/12 lúc 10h", at(25, 12, 10), None),
    ("15h 30/12", at(30, 12, 15), None),
    ("ngày kia", at(25, 11), None),
    ("mai", at(24, 11), None),
    ("2 tiếng nữa", at(23, 11, 11), None),
    ("cuối ngày", at(23, 11, 17), None),
    ("Trước 17:00 hôm nay", at(23, 11, 17), None),  # the button's words
    ("tuần sau", at(30, 11), "next_week"),
    ("tuần tới 14h", at(30, 11, 14), "next_week"),
    ("cuối tuần", at(28, 11), "weekend"),
    ("cuối tháng", at(30, 11), "month_end"),
    ("đầu tháng sau", at(1, 12), "next_month"),
    ("nửa đêm", at(24, 11, 0), "midnight"),
    # English
    ("tomorrow 3pm", at(24, 11, 15), None),
    ("3 pm", at(23, 11, 15), None),
    ("3.30pm", at(23, 11, 15, 30), None),
    ("9pm tonight", at(23, 11, 21), None),
    ("noon", at(23, 11, 12), None),
    ("in 2 hours", at(23, 11, 11), None),
    ("next Mon", at(30, 11), None),
    ("next Monday", at(30, 11), None),
    ("next Friday", at(4, 12), "next_weekday"),  # next week's, told: this week's is to come
    ("this Friday", at(27, 11), None),
    ("Dec 30", at(30, 12), None),
    ("30 Dec", at(30, 12), None),
    ("December 30th, 2026", at(30, 12), None),
    ("Dec 30 3pm", at(30, 12, 15), None),
    ("end of day", at(23, 11, 17), None),
    ("By 17:00 today", at(23, 11, 17), None),  # the button's words
    ("next week", at(30, 11), "next_week"),
    ("the weekend", at(28, 11), "weekend"),
    ("end of the month", at(30, 11), "month_end"),
    ("next month", at(1, 12), "next_month"),
    ("midnight", at(24, 11, 0), "midnight"),
]


@pytest.mark.parametrize(("typed", "meant", "default"), READ)
def test_a_day_or_a_time_typed_as_staff_write_it_is_read_as_meant(
    typed: str, meant: datetime, default: str | None
) -> None:
    read = read_when(typed, NOW, TZ, HOUR)
    assert (read.at, read.default) == (meant, default)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("default", STATED)
def test_every_default_picked_is_told_in_both_languages(locale: str, default: str) -> None:
    days = {"day": "30/11", "eve": "29/11", "day_typed": "30/11", "eve_typed": "29/11"}
    key = f"time.read_as.{default}"
    told = plain(SCRIPTS.get(locale, key, typed="tuần sau", when="30/11", **days))
    assert "“tuần sau”" in told
    assert "30/11" in told


#: Typed, why it is refused, and what the refusal offers.
REFUSED = [
    ("2 giờ", "error.time_passed_today", {"time": "02:00", "later": "14:00"}),
    ("8h", "error.time_passed_today", {"time": "08:00", "later": "20:00"}),
    ("8am", "error.time_passed", {"time": "08:00"}),
    ("hôm nay", "error.today_needs_time", {"example": "11:00"}),
    ("today", "error.today_needs_time", {"example": "11:00"}),
    ("sáng thứ 2", "error.part_needs_time", {"example": "sáng thứ 2 09:00"}),
    ("chiều mai", "error.part_needs_time", {"example": "chiều mai 15:00"}),
    ("tối nay", "error.part_needs_time", {"example": "tối nay 19:00"}),
    ("tonight", "error.part_needs_time", {"example": "tonight 19:00"}),
    ("this afternoon", "error.part_needs_time", {"example": "this afternoon 15:00"}),
    ("22/11", "error.date_in_past", {}),
    ("tháng 12", "error.bad_date", {}),  # a month is no day
    ("mai tuần sau", "error.bad_date", {}),  # tomorrow, or next week?
    ("24h", "error.bad_date", {}),
]


@pytest.mark.parametrize(("typed", "key", "params"), REFUSED)
def test_what_cannot_be_read_as_meant_is_refused_saying_what_would_be(
    typed: str, key: str, params: dict[str, str]
) -> None:
    with pytest.raises(InvalidInput) as err:
        read_when(typed, NOW, TZ, HOUR)
    assert (err.value.key, err.value.params) == (key, params)
    for locale in LOCALES:
        assert "{" not in SCRIPTS.get(locale, key, **params)


@pytest.mark.parametrize(("typed", "key", "params"), REFUSED)
def test_the_example_a_refusal_offers_is_read(
    typed: str, key: str, params: dict[str, str]
) -> None:
    for offered in (params.get("example"), params.get("later")):
        if offered is not None:
            assert read_when(offered, NOW, TZ, HOUR).at > NOW


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("hôm nay", at(23, 11)),
        ("today", at(23, 11)),
        ("23/11", at(23, 11)),
        ("23/11/2026", at(23, 11)),
        ("cuối tháng", at(30, 11)),
    ],
)
def test_a_day_from_today_on_such_as_a_renewal_takes_today(typed: str, day: datetime) -> None:
    read = read_day_ahead(typed, NOW, TZ, FURTHEST_RENEWAL, RENEWAL_WRONG_SIDE)
    assert read.at.date() == day.date()
