"""Days and times staff type that the bot could not read, or read wrong, on Wednesday
25/11/2026 at 10:00 (Hồ Chí Minh City), in both languages.

Before, "ngày 2 tháng sau" (the 2nd of next month) was booked on 1 December at 14:00 — the
day's number taken for an hour — "ngày 5 tháng tới" on 1 December at 17:00, "cuối tháng
12" (the end of December) on 30 November at 12:00, and "ngày 5" offered 17:00 today;
"mùng 5", "30 phút nữa", "nửa tiếng nữa", "in 30 minutes", "2 ngày nữa 10h", "đầu tuần",
"đầu tháng", "cuối năm", "tuần sau nữa", "12h30 đêm", "hết giờ" and "thứ 6 27/11" were
refused as unreadable, and so was a day gone by said as "thứ 6 tuần trước", "3 ngày trước",
"tối hôm qua lúc 8h" or "5 days ago". Each now lands where its speaker means, said back
where the words leave the day open; a weekday and a date that are two days are refused
naming both.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.formats import Weekday
from flows.parsing import InvalidInput, parse_past_date, read_when
from flows.scripts import LOCALES, plain
from tests.unit.wording import renderer, said_back

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)  # Wednesday 10:00 in Hồ Chí Minh City
HOUR = 9


def at(day: int, hour: int = HOUR, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


#: Typed, the moment meant, and the reading said back (None: the words say it themselves).
PHRASES = [
    # a day of the month by its number, with or without its month
    ("ngày 2 tháng sau", at(2, month=12), None),
    ("mùng 2 tháng sau", at(2, month=12), None),
    ("ngày 5 tháng tới", at(5, month=12), None),
    ("ngày 29 tháng này", at(29), None),
    ("the 2nd of next month", at(2, month=12), None),
    ("mùng 5 tháng 12", at(5, month=12), None),
    ("ngày 5", at(5, month=12), "month_day"),
    ("mùng 5", at(5, month=12), "month_day"),
    ("ngày 30", at(30), "month_day"),
    ("ngày 31", at(31, month=12), "month_day"),  # November has no 31st
    ("ngày 5 10h", at(5, 10, month=12), "month_day"),
    ("on the 5th at 3pm", at(5, 15, month=12), "month_day"),
    ("the 5th", at(5, month=12), "month_day"),
    # a part of a month named by its number or its name, never its number read as an hour
    ("cuối tháng 12", at(31, month=12), "month_end"),
    ("đầu tháng 12", at(1, month=12), "month_start"),
    ("giữa tháng 12", at(15, month=12), "mid_month"),
    ("cuối tháng 12 10h", at(31, 10, month=12), "month_end"),
    ("end of December", at(31, month=12), "month_end"),
    ("mid-December", at(15, month=12), "mid_month"),
    ("giữa tháng sau", at(15, month=12), "mid_month"),
    ("giữa tháng", at(15, month=12), "mid_month"),
    # minutes and hours from now
    ("30 phút nữa", at(25, 10, 30), None),
    ("sau 30 phút", at(25, 10, 30), None),
    ("15 phút", at(25, 10, 15), None),
    ("nửa tiếng nữa", at(25, 10, 30), None),
    ("1 tiếng rưỡi nữa", at(25, 11, 30), None),
    ("in 30 minutes", at(25, 10, 30), None),
    ("in 20 mins", at(25, 10, 20), None),
    ("in half an hour", at(25, 10, 30), None),
    ("an hour and a half from now", at(25, 11, 30), None),
    # days from now with a time beside them
    ("2 ngày nữa 10h", at(27, 10), None),
    ("10h 3 ngày nữa", at(28, 10), None),
    ("1 tuần nữa lúc 8h", at(2, 8, month=12), None),
    ("in 3 days at 10am", at(28, 10), None),
    ("2 ngày nữa lúc 3h", at(27, 15), "afternoon"),
    # spans of days
    ("đầu tuần", at(30), "next_week"),
    ("start of the week", at(30), "next_week"),
    ("đầu tháng", at(1, month=12), "next_month"),
    ("tuần sau nữa", at(7, month=12), "week_after_next"),
    ("week after next", at(7, month=12), "week_after_next"),
    ("cuối năm", at(31, month=12), "year_end"),
    ("end of the year", at(31, month=12), "year_end"),
    # a weekday with its date; a comma between the day and the time
    ("thứ 6 27/11", at(27), None),
    ("thứ 6, 27/11", at(27), None),
    ("27/11 thứ 6", at(27), None),
    ("thứ 5 26/11 10h", at(26, 10), None),
    ("Friday 27 Nov", at(27), None),
    ("Fri, 27/11 at 10am", at(27, 10), None),
    ("mai, 10h", at(26, 10), None),
    ("tmr 9am", at(26, 9), None),
    ("tmrw 3pm", at(26, 15), None),
    # just past midnight, and the end of the working day as said
    ("12h30 đêm", at(26, 0, 30), "after_midnight"),
    ("12 giờ 15 tối mai", at(27, 0, 15), "after_midnight"),
    ("hết giờ", at(25, 17), None),
    ("cuối giờ chiều", at(25, 17), None),
    ("close of business", at(25, 17), None),
    # what was read right already stays so
    ("thứ 2 tuần sau", at(30), None),
    ("2 tiếng nữa", at(25, 12), None),
    ("3 ngày nữa", at(28), None),
    ("ngày 25/12", at(25, month=12), None),
    ("5 tháng 12", at(5, month=12), None),
    ("12 giờ đêm", at(26, 0), "midnight"),
]


@pytest.mark.parametrize(("typed", "meant", "default"), PHRASES)
def test_a_day_or_a_time_typed_as_people_say_it_lands_where_they_mean(
    typed: str, meant: datetime, default: str | None
) -> None:
    read = read_when(typed, NOW, TZ, HOUR)
    assert (read.at, read.default) == (meant, default)


@pytest.mark.parametrize(
    "typed", ["ngày 32", "the 0th", "nửa tháng nữa", "2 giờ sau thứ 6", "ngày 31 tháng sau 30h"]
)
def test_what_still_names_no_time_is_asked_again(typed: str) -> None:
    with pytest.raises(InvalidInput):
        read_when(typed, NOW, TZ, HOUR)


def test_a_day_of_this_month_gone_by_is_refused_as_passed() -> None:
    with pytest.raises(InvalidInput) as refused:
        read_when("ngày 15 tháng này", NOW, TZ, HOUR)
    assert refused.value.key == "error.date_in_past"


def test_a_day_of_next_month_it_lacks_is_refused_naming_the_month() -> None:
    later = datetime(2026, 1, 20, 3, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput) as refused:
        read_when("ngày 30 tháng sau", later, TZ, HOUR)
    assert refused.value.key == "error.no_such_day"


#: Typed, and the moment said back, in each language's way of writing it.
SAID_BACK = [
    ("ngày 5", {"vi": "05/12/2026 09:00", "en": "2026-12-05 09:00"}),
    ("cuối năm", {"vi": "31/12/2026 09:00", "en": "2026-12-31 09:00"}),
    ("tuần sau nữa", {"vi": "07/12/2026 09:00", "en": "2026-12-07 09:00"}),
    ("12h30 đêm", {"vi": "26/11/2026 00:30", "en": "2026-11-26 00:30"}),
    ("đầu tháng 12", {"vi": "01/12/2026 09:00", "en": "2026-12-01 09:00"}),
    ("giữa tháng 12", {"vi": "15/12/2026 09:00", "en": "2026-12-15 09:00"}),
    ("giữa tuần sau", {"vi": "02/12/2026 09:00", "en": "2026-12-02 09:00"}),
]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("typed", "moment"), SAID_BACK)
def test_a_day_picked_for_words_that_leave_it_open_is_said_back_quoting_them(
    locale: str, typed: str, moment: dict[str, str]
) -> None:
    told = said_back(typed, locale, NOW)
    assert f"“{typed}”" in told
    assert moment[locale] in told


def test_just_past_midnight_names_the_night_it_ends() -> None:
    assert "25/11/2026" in said_back("12h30 đêm", "vi", NOW)
    assert "2026-11-25" in said_back("12h30 đêm", "en", NOW)


#: A weekday and a date that are two days, each language's weekday names (the date's, the one
#: said), and what is offered to type again: the date as typed, and the weekday said nearest
#: to it (to come), each with the time typed, each read back as the day it names.
TWO_DAYS = [
    ("thứ 2 27/11", {"vi": ("thứ Sáu", "thứ Hai"), "en": ("Friday", "Monday")}, "27/11", "30/11"),
    (
        "thứ 5 27/11 10h",
        {"vi": ("thứ Sáu", "thứ Năm"), "en": ("Friday", "Thursday")},
        "27/11 10h",
        "26/11 10h",
    ),
    ("Sunday 1/12", {"vi": ("thứ Ba", "Chủ nhật"), "en": ("Tuesday", "Sunday")}, "01/12", "29/11"),
]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("typed", "names", "again", "nearest"), TWO_DAYS)
def test_a_weekday_and_a_date_that_are_two_days_are_refused_naming_both(
    locale: str, typed: str, names: dict[str, tuple[str, str]], again: str, nearest: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        read_when(typed, NOW, TZ, HOUR)
    err = refused.value
    told = plain(renderer(locale).t(err.key, **err.params))
    weekday, said = names[locale]
    assert f" {weekday}, " in told
    assert f" {said}." in told or f" {said} " in told
    assert f"“{again}”" in told
    assert f"“{nearest}”" in told
    first, second = (read_when(t, NOW, TZ, HOUR).at for t in (again, nearest))
    assert first.date() == err.params["day"]
    assert second.weekday() == err.params["said"]
    assert abs((second.date() - first.date()).days) <= 6


#: A day gone by said by its number, as an incident's day is: the last such day gone.
PAST_DAYS = [
    ("ngày 20", date(2026, 11, 20)),
    ("mùng 5", date(2026, 11, 5)),
    ("ngày 25", date(2026, 11, 25)),
    ("ngày 28", date(2026, 10, 28)),
    ("ngày 31", date(2026, 10, 31)),
    ("ngày 20 tháng trước", date(2026, 10, 20)),
    ("the 20th of last month", date(2026, 10, 20)),
    ("the 3rd", date(2026, 11, 3)),
    # a weekday of last week, or the last one gone, said as people say it
    ("thứ 6 tuần trước", date(2026, 11, 20)),
    ("T6 tuần rồi", date(2026, 11, 20)),
    ("thứ 6 vừa rồi", date(2026, 11, 20)),
    ("hôm thứ 6", date(2026, 11, 20)),
    ("last Friday", date(2026, 11, 20)),
    ("Friday last week", date(2026, 11, 20)),
    ("thứ 2 tuần này", date(2026, 11, 23)),
    # counted back
    ("3 ngày trước", date(2026, 11, 22)),
    ("2 hôm trước", date(2026, 11, 23)),
    ("2 tuần trước", date(2026, 11, 11)),
    ("1 tháng trước", date(2026, 10, 25)),
    ("5 days ago", date(2026, 11, 20)),
    ("a week ago", date(2026, 11, 18)),
    # with the part of the day or the time, which a day gone by does not keep
    ("sáng nay", date(2026, 11, 25)),
    ("tối hôm qua lúc 8h", date(2026, 11, 24)),
    ("đêm qua", date(2026, 11, 24)),
    ("20/11 lúc 3h chiều", date(2026, 11, 20)),
    ("this morning", date(2026, 11, 25)),
    ("last night", date(2026, 11, 24)),
    ("yesterday afternoon", date(2026, 11, 24)),
    # a part of a week or a month gone by
    ("đầu tháng", date(2026, 11, 1)),
    ("cuối tháng trước", date(2026, 10, 31)),
    ("cuối tuần trước", date(2026, 11, 21)),
    # a weekday with its date, as the incident happened
    ("thứ 6 20/11", date(2026, 11, 20)),
    ("Friday, 20/11 at 3pm", date(2026, 11, 20)),
]


@pytest.mark.parametrize(("typed", "meant"), PAST_DAYS)
def test_a_day_gone_by_said_by_its_number_is_the_last_such_day(typed: str, meant: date) -> None:
    assert parse_past_date(typed, NOW.astimezone(TZ).date()) == meant


@pytest.mark.parametrize("typed", ["ngày 26 tháng này", "thứ 6 tuần này"])
def test_a_day_of_this_month_or_week_still_to_come_is_not_a_day_gone_by(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_past_date(typed, NOW.astimezone(TZ).date())
    assert refused.value.key == "error.date_in_future"


@pytest.mark.parametrize(
    ("typed", "why"),
    [
        ("mấy hôm trước", "error.vague_day_past"),  # said to name no one day: see
        ("15:30", "error.bad_past_date"),  # test_a_day_said_vaguely_or_by_the_lunar_calendar…
        ("tuần trước", "error.vague_day_past"),
    ],
)
def test_words_that_name_no_one_day_gone_by_are_asked_again(typed: str, why: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_past_date(typed, NOW.astimezone(TZ).date())
    assert refused.value.key == why


def test_a_weekday_and_a_date_gone_by_that_are_two_days_offer_the_weekday_gone_by() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_past_date("thứ 5 20/11", NOW.astimezone(TZ).date())
    assert refused.value.key == "error.weekday_not_date"
    assert (refused.value.params["day_typed"], refused.value.params["nearest_typed"]) == (
        "20/11",
        "19/11",
    )


@pytest.mark.parametrize("locale", LOCALES)
def test_every_weekday_is_named_in_the_readers_words(locale: str) -> None:
    names = {
        plain(
            renderer(locale).t(
                "error.weekday_not_date",
                day=date(2026, 11, 23 + n),
                weekday=Weekday(n),
                said=Weekday((n + 1) % 7),
                day_typed="x",
                nearest_typed="y",
            )
        )
        for n in range(7)
    }
    assert len(names) == 7
    assert all("{" not in text and "weekday." not in text for text in names)


def test_a_long_word_beside_a_weekday_and_a_date_is_never_quoted_back() -> None:
    with pytest.raises(InvalidInput) as refused:
        read_when("thứ 2 27/11 " + "x" * 5000, NOW, TZ, HOUR)
    assert refused.value.key == "error.bad_date"
