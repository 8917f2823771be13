"""What staff type is read generously and refused politely."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from flows import parsing
from flows.parsing import (
    InvalidInput,
    clean_text,
    parse_money,
    parse_past_date,
    parse_phone,
    parse_since,
    parse_when,
    search_key,
    search_term,
)

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)  # 12:00 in Saigon


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("500000", 500_000),
        ("500.000", 500_000),
        ("500,000", 500_000),
        ("500k", 500_000),
        ("1,5tr", 1_500_000),
        ("2 triệu", 2_000_000),
        ("120.000 đ", 120_000),
        ("0", 0),
        ("1 500 000", 1_500_000),
        ("1,000,000.00", 1_000_000),
        ("2.000.000,00", 2_000_000),
        ("1,000.5k", 1_000_500),
        ("1,25tr", 1_250_000),
        ("1.5m", 1_500_000),
        ("1.500tr", 1_500_000_000),
        ("500.000 đồng", 500_000),
        ("500k VNĐ", 500_000),
        ("1tr5", 1_500_000),
        ("2tr250", 2_250_000),
        ("1k5", 1_500),
    ],
)
def test_amounts_are_read_in_the_ways_people_write_them(typed: str, amount: int) -> None:
    assert parse_money(typed, 10**12) == amount


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("-5", "error.negative"),
        ("abc", "error.not_a_number"),
        ("", "error.not_a_number"),
        ("99999999999999", "error.too_large"),
        ("1,5", "error.not_whole_amount"),
        ("1.500.000,50", "error.not_whole_amount"),
        ("1.5000", "error.not_whole_amount"),
        ("12,34,567", "error.not_a_number"),
        ("1 5", "error.not_a_number"),
        ("1.000.00", "error.not_a_number"),
        ("1..000", "error.not_a_number"),
    ],
)
def test_bad_amounts_are_refused_with_a_reason(typed: str, key: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_money(typed, 10**12)
    assert err.value.key == key


LATE_DECEMBER = datetime(2026, 12, 23, 5, 0, tzinfo=UTC)


def test_a_day_without_a_year_in_late_december_for_a_follow_up_is_next_january() -> None:
    when = parse_when("5/1", LATE_DECEMBER, SAIGON, 9)
    assert when == datetime(2027, 1, 5, 9, 0, tzinfo=SAIGON)
    with pytest.raises(InvalidInput) as err:  # a day just gone is still a mistake, not a year on
        parse_when("20/12", LATE_DECEMBER, SAIGON, 9)
    assert err.value.key == "error.date_in_past"


def test_a_past_day_without_a_year_in_early_january_is_last_december() -> None:
    assert parse_past_date("28/12", date(2027, 1, 5)) == date(2026, 12, 28)
    with pytest.raises(InvalidInput) as err:  # a day just ahead is still a mistake
        parse_past_date("10/1", date(2027, 1, 5))
    assert err.value.key == "error.date_in_future"


def test_a_date_without_time_means_the_default_hour_in_the_readers_zone() -> None:
    when = parse_when("25/11", NOW, SAIGON, 9)
    assert when == datetime(2026, 11, 25, 9, 0, tzinfo=SAIGON)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-01 14:30", datetime(2026, 12, 1, 14, 30, tzinfo=SAIGON)),
        ("1/12/2026 8h", datetime(2026, 12, 1, 8, 0, tzinfo=SAIGON)),
        ("18:15", datetime(2026, 11, 23, 18, 15, tzinfo=SAIGON)),
    ],
)
def test_dates_and_times_are_read_in_several_forms(typed: str, expected: datetime) -> None:
    assert parse_when(typed, NOW, SAIGON, 9) == expected


@pytest.mark.parametrize(
    ("today", "typed", "day"),
    [
        (date(2026, 11, 23), "thứ 2 tuần sau", date(2026, 11, 30)),  # a Monday: a week on
        (date(2026, 11, 25), "thu 2 tuan toi", date(2026, 11, 30)),  # a Wednesday: 5 days on
        (date(2026, 11, 25), "thứ 6 tuần sau", date(2026, 12, 4)),  # not this Friday
        (date(2026, 11, 29), "Friday next week", date(2026, 12, 4)),  # a Sunday
    ],
)
def test_a_weekday_said_with_next_week_is_that_weeks_day(
    today: date, typed: str, day: date
) -> None:
    now = datetime.combine(today, datetime.min.time(), tzinfo=SAIGON)
    assert parse_when(typed, now, SAIGON, 9) == datetime.combine(
        day, datetime.min.time().replace(hour=9), tzinfo=SAIGON
    )
    with pytest.raises(InvalidInput):  # a day to come named beside next week: which one?
        parse_when("mai tuần sau", now, SAIGON, 9)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("22/11", "error.date_in_past"),
        ("11:00", "error.time_passed_today"),
        ("31/02", "error.no_such_day"),  # read, but not on the calendar: said so
        ("25/11 25:00", "error.bad_date"),
    ],
)
def test_past_or_unreadable_dates_are_refused(typed: str, key: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_when(typed, NOW, SAIGON, 9)
    assert err.value.key == key


def test_a_past_day_refuses_the_future_and_a_year_alone() -> None:
    # a customer's start may be a year (`parse_since`); the day an incident happened may not
    with pytest.raises(InvalidInput) as err:
        parse_past_date("01/01/2030", date(2026, 11, 23))
    assert err.value.key == "error.date_in_future"
    with pytest.raises(InvalidInput) as err:
        parse_past_date("2019", date(2026, 11, 23))
    assert err.value.key == "error.day_needed"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("2019", "2019"),
        ("năm 2019", "2019"),
        ("in 2019", "2019"),
        ("3/2019", "2019-03"),
        ("03.2019", "2019-03"),
        ("tháng 3/2019", "2019-03"),
        ("Tháng 3 năm 2019", "2019-03"),
        ("T3/2019", "2019-03"),
        ("2019-03", "2019-03"),
        ("March 2019", "2019-03"),
        ("sept 2019", "2019-09"),
        ("15/03/2019", "2019-03-15"),
        ("2019-03-15", "2019-03-15"),
        ("hôm qua", "2026-11-22"),
        ("11/2026", "2026-11"),  # this month: begun, so not in the future
    ],
)
def test_a_customers_start_keeps_only_as_much_as_was_said(typed: str, kept: str) -> None:
    assert parse_since(typed, date(2026, 11, 23)) == kept


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("2027", "error.date_in_future"),
        ("12/2026", "error.date_in_future"),
        ("13/2019", "error.bad_since"),
        ("Marchy 2019", "error.bad_since"),
        ("3/1850", "error.date_out_of_range"),
    ],
)
def test_a_customers_start_in_the_future_or_unreadable_is_refused(typed: str, key: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_since(typed, date(2026, 11, 23))
    assert err.value.key == key


def test_text_keeps_vietnamese_and_emoji_but_drops_control_characters() -> None:
    assert clean_text("  Chị Hương rất bực 😠\x00\x07 ", 100) == "Chị Hương rất bực 😠"


def test_text_over_the_limit_or_empty_is_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        clean_text("x" * 101, 100)
    assert (err.value.key, err.value.params["length"]) == ("error.too_long", 101)
    with pytest.raises(InvalidInput):
        clean_text(" \u200b\x00 ", 100)


@pytest.mark.parametrize(
    "blank",
    ["\u200d", "\u200c\u200d", "\u3164", "\u2800\u2800", "\u115f\u1160", "\u0301", "\u3000"],
)
def test_text_that_shows_nothing_is_refused_as_empty(blank: str) -> None:
    with pytest.raises(InvalidInput) as err:
        clean_text(f" {blank} ", 100)
    assert err.value.key == "error.empty"


def test_fillers_around_a_name_are_trimmed_and_joined_emoji_stay() -> None:
    assert clean_text("\u3164Mai\u2800", 100) == "Mai"
    assert clean_text("👩\u200d💼 Mai", 100) == "👩\u200d💼 Mai"


def test_search_folds_vietnamese_diacritics_and_case() -> None:
    assert search_key("Nguyễn Thị ĐÀO") == "nguyen thi dao"


def test_phone_numbers_keep_only_digits_and_a_leading_plus() -> None:
    assert parse_phone("+84 903-123.456") == "+84903123456"
    with pytest.raises(InvalidInput):
        parse_phone("call me")


def test_case_filters_are_read_in_either_language() -> None:
    from flows.case_filter import parse_words

    typed = ["quá", "hạn", "khiếu", "nại", "@Lan", "nguyễn", "01/11/2026", "30/11/2026"]
    vietnamese = parse_words(typed, date(2026, 11, 23))
    english = parse_words(
        ["overdue", "complaint", "@Lan", "nguyễn", "2026-11-01", "2026-11-30"], date(2026, 11, 23)
    )
    assert vietnamese == english
    assert (english.status, english.kind, english.customer) == ("d", "c", "nguyễn")
    assert parse_words(["hỏi", "thăm"], date(2026, 11, 23)).kind == "k"
    # a name, though it looks like "đóng"
    assert parse_words(["Đông"], date(2026, 11, 23)).customer == "Đông"


def test_invite_roles_are_read_in_either_language() -> None:
    from flows.people import role_named

    assert role_named(["quản", "lý"]) == role_named(["supervisor"]) == "supervisor"
    assert role_named(["Quản", "trị", "viên"]) == "admin"
    assert role_named([]) == "staff"
    assert role_named(["god"]) == "god"  # refused later, by name


@pytest.mark.parametrize(
    "typed", ["0903123456", "0903 123 456", "0903.123.456", "+84 903 123 456", "84903123456"]
)
def test_a_phone_is_searched_for_by_what_every_way_of_writing_it_contains(typed: str) -> None:
    term = search_term(typed, 100)
    assert term == "903123456"
    assert term in "0903123456"
    assert term in "+84903123456"


def test_short_digits_and_names_are_searched_as_typed() -> None:
    assert search_term("903", 100) == "903"
    assert search_term("Chị Hương", 100) == "chi huong"


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("2 trieu", 2_000_000),
        ("200 nghin", 200_000),
        ("200 ngan", 200_000),
        ("1tr5 dong", 1_500_000),
        ("200.000 vnd", 200_000),
        ("200.000d", 200_000),
        ("2 TRIỆU", 2_000_000),
        ("2 trie\u0323\u0302u", 2_000_000),  # "2 triệu" from a keyboard sending combining marks
        ("200 nghi\u0300n", 200_000),  # "200 nghìn", decomposed
        ("200\u00a0000", 200_000),  # pasted with a no-break space
        ("1\u202f500\u202f000 đ", 1_500_000),  # narrow no-break spaces
    ],
)
def test_amounts_typed_without_marks_decomposed_or_with_no_break_spaces_are_read(
    typed: str, amount: int
) -> None:
    assert parse_money(typed, 10**12) == amount


@pytest.mark.parametrize(
    ("typed", "phone"),
    [
        ("\u202d+84 903 123 456\u202c", "+84903123456"),  # copied from a phone's contacts
        ("\u2066+84 903 123 456\u2069", "+84903123456"),
        ("0903\u00a0123\u00a0456", "0903123456"),  # no-break spaces
        ("(028) 3823 4567", "02838234567"),  # a landline, its area code in brackets
        ("+84 (28) 3823-4567", "+842838234567"),
    ],
)
def test_a_phone_pasted_from_contacts_or_with_its_area_code_in_brackets_is_read(
    typed: str, phone: str
) -> None:
    assert parse_phone(typed) == phone
    assert search_term(typed, 100) in phone


@pytest.mark.parametrize("typed", ["0903 (123) 456", "(abc) 3823 4567", "(028 3823 4567", "()"])
def test_brackets_anywhere_but_around_an_area_code_are_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_phone(typed)
    assert err.value.key == "error.bad_phone"


#: Every reader of typed values, with something it reads: a new `parse_*` must be added.
READERS: dict[str, tuple[Callable[[str], Any], str]] = {
    "parse_money": (lambda text: parse_money(text, 10**12), "2 triệu"),
    "parse_phone": (parse_phone, "+84 903 123 456"),
    "parse_when": (lambda text: parse_when(text, NOW, SAIGON, 9), "25/11 14:30"),
    "parse_past_date": (lambda text: parse_past_date(text, date(2026, 11, 23)), "1/3/2019"),
    "parse_since": (lambda text: parse_since(text, date(2026, 11, 23)), "tháng 3 năm 2019"),
    "search_term": (lambda text: search_term(text, 100), "0903 123 456"),
}


def disguised(text: str) -> str:
    """Text as a phone may send it: decomposed, with no-break spaces, wrapped in marks."""
    spaced = unicodedata.normalize("NFD", text).replace(" ", "\u00a0", 1).replace(" ", "\u3000")
    return f"\u202d\u200e{spaced}\ufeff\u202c"


def test_every_parser_is_listed_here() -> None:
    assert {name for name in vars(parsing) if name.startswith("parse_")} <= set(READERS)


@pytest.mark.parametrize("name", list(READERS))
def test_every_parser_reads_decomposed_pasted_text_as_if_typed_plainly(name: str) -> None:
    read, text = READERS[name]
    assert read(disguised(text)) == read(text)


BERLIN = ZoneInfo("Europe/Berlin")


def test_a_time_the_clocks_skip_when_summer_time_begins_is_refused_naming_it() -> None:
    saturday = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
    with pytest.raises(InvalidInput) as err:  # 02:00 → 03:00 in Berlin that night
        parse_when("28/03 02:30", saturday, BERLIN, 9)
    assert err.value.key == "error.time_skipped"
    assert err.value.params == {"day": date(2027, 3, 28), "time": "02:30", "zone": BERLIN}


def test_a_date_alone_whose_default_hour_is_skipped_means_the_hour_after_it() -> None:
    saturday = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)
    when = parse_when("28/03", saturday, BERLIN, 2)
    assert when == datetime(2027, 3, 28, 1, 0, tzinfo=UTC)  # 03:00 summer time


def test_a_time_in_the_hour_that_happens_twice_is_its_next_one_never_a_past_one() -> None:
    second_0240 = datetime(2027, 10, 31, 1, 40, tzinfo=UTC)  # 02:40 winter time, in Berlin
    when = parse_when("02:50", second_0240, BERLIN, 9)
    assert when.astimezone(UTC) == datetime(2027, 10, 31, 1, 50, tzinfo=UTC)
    first_0210 = datetime(2027, 10, 31, 0, 10, tzinfo=UTC)  # 02:10 summer time
    when = parse_when("02:30", first_0210, BERLIN, 9)
    assert when.astimezone(UTC) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    with pytest.raises(InvalidInput) as err:  # 02:30 came twice, and twice it has gone
        parse_when("02:30", datetime(2027, 10, 31, 1, 45, tzinfo=UTC), BERLIN, 9)
    assert err.value.key == "error.time_passed_today"


def test_29_february_without_a_year_is_the_leap_day_on_the_side_the_question_wants() -> None:
    november_2027 = datetime(2027, 11, 29, 5, 0, tzinfo=UTC)
    assert parse_when("29/02", november_2027, SAIGON, 9) == datetime(
        2028, 2, 29, 9, 0, tzinfo=SAIGON
    )
    assert parse_past_date("29/02", date(2029, 1, 10)) == date(2028, 2, 29)
    with pytest.raises(InvalidInput) as err:  # neither this year nor the last has one
        parse_past_date("29/02", date(2027, 6, 1))
    assert (err.value.key, err.value.params["example"]) == ("error.no_leap_day_near", "29/02/2024")
    assert parse_past_date("29/02/2020", date(2027, 6, 1)) == date(2020, 2, 29)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mai", datetime(2026, 11, 24, 9, 0, tzinfo=SAIGON)),
        ("Mai 10h", datetime(2026, 11, 24, 10, 0, tzinfo=SAIGON)),
        ("10h mai", datetime(2026, 11, 24, 10, 0, tzinfo=SAIGON)),
        ("ngày mai lúc 14:30", datetime(2026, 11, 24, 14, 30, tzinfo=SAIGON)),
        ("hôm nay 17h", datetime(2026, 11, 23, 17, 0, tzinfo=SAIGON)),
        ("mốt", datetime(2026, 11, 25, 9, 0, tzinfo=SAIGON)),
        ("thứ Hai", datetime(2026, 11, 30, 9, 0, tzinfo=SAIGON)),  # said on a Monday
        ("Thứ 6 15:00", datetime(2026, 11, 27, 15, 0, tzinfo=SAIGON)),
        ("thu sau 15h", datetime(2026, 11, 27, 15, 0, tzinfo=SAIGON)),
        ("T7 8h30", datetime(2026, 11, 28, 8, 30, tzinfo=SAIGON)),
        ("chủ nhật", datetime(2026, 11, 29, 9, 0, tzinfo=SAIGON)),
        ("tomorrow 10:00", datetime(2026, 11, 24, 10, 0, tzinfo=SAIGON)),
        ("Friday", datetime(2026, 11, 27, 9, 0, tzinfo=SAIGON)),
        ("3h chiều mai", datetime(2026, 11, 24, 15, 0, tzinfo=SAIGON)),  # never 03:00
        ("mai 9 giờ 30", datetime(2026, 11, 24, 9, 30, tzinfo=SAIGON)),
        ("9g sáng mai", datetime(2026, 11, 24, 9, 0, tzinfo=SAIGON)),
        ("1h trưa mai", datetime(2026, 11, 24, 13, 0, tzinfo=SAIGON)),
        ("7 giờ tối thứ Sáu", datetime(2026, 11, 27, 19, 0, tzinfo=SAIGON)),
        ("mai 20h tối", datetime(2026, 11, 24, 20, 0, tzinfo=SAIGON)),
        ("12h trưa mai", datetime(2026, 11, 24, 12, 0, tzinfo=SAIGON)),
        ("25/11 3pm", datetime(2026, 11, 25, 15, 0, tzinfo=SAIGON)),
    ],
)
def test_a_day_said_by_name_in_vietnamese_or_english_is_read(
    typed: str, expected: datetime
) -> None:
    assert parse_when(typed, NOW, SAIGON, 9) == expected


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("hôm nay 9h", "error.time_passed_today"),
        ("mai 25:00", "error.bad_date"),
        ("chiều mai", "error.part_needs_time"),  # at what time?
        ("15h sáng mai", "error.bad_date"),
        ("next tomorrow", "error.bad_date"),
    ],
)
def test_a_day_said_by_name_with_a_past_or_unreadable_time_is_refused(
    typed: str, key: str
) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_when(typed, NOW, SAIGON, 9)
    assert err.value.key == key


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (datetime(2027, 1, 31, 2, 0, tzinfo=UTC), datetime(2027, 2, 28, 9, 0, tzinfo=SAIGON)),
        (datetime(2028, 1, 31, 2, 0, tzinfo=UTC), datetime(2028, 2, 29, 9, 0, tzinfo=SAIGON)),
        (datetime(2027, 2, 1, 2, 0, tzinfo=UTC), datetime(2027, 3, 1, 9, 0, tzinfo=SAIGON)),
        (datetime(2026, 12, 31, 2, 0, tzinfo=UTC), datetime(2027, 1, 31, 9, 0, tzinfo=SAIGON)),
    ],
)
def test_in_a_month_is_the_same_day_next_month_or_its_last_day_if_shorter(
    today: datetime, expected: datetime
) -> None:
    assert parsing.QUICK_TIMES["in_a_month"](today, SAIGON, 9) == expected


def test_a_past_date_with_a_two_digit_year_ahead_of_this_one_is_in_the_last_century() -> None:
    today = date(2026, 11, 23)
    assert parse_past_date("15/3/98", today) == date(1998, 3, 15)
    assert parse_past_date("1/1/05", today) == date(2005, 1, 1)
    assert parse_past_date("1/1/26", today) == date(2026, 1, 1)
    assert parse_when("1/1/27", NOW, SAIGON, 9) == datetime(2027, 1, 1, 9, 0, tzinfo=SAIGON)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("hôm nay", date(2026, 11, 23)),
        ("Hôm qua", date(2026, 11, 22)),
        ("hom kia", date(2026, 11, 21)),
        ("yesterday", date(2026, 11, 22)),
        # a weekday: the last one gone (23/11/2026 is a Monday)
        ("thứ 2", date(2026, 11, 16)),
        ("Thứ Sáu", date(2026, 11, 20)),
        ("CN", date(2026, 11, 22)),
        ("Friday", date(2026, 11, 20)),
        ("mon", date(2026, 11, 16)),
    ],
)
def test_a_past_day_said_by_name_is_read(typed: str, expected: date) -> None:
    assert parse_past_date(typed, date(2026, 11, 23)) == expected


@pytest.mark.parametrize("typed", ["mai", "Ngày mai", "ngày mốt", "tomorrow"])
def test_a_day_to_come_said_by_name_is_refused_as_one_where_a_past_day_is_asked(
    typed: str,
) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_past_date(typed, date(2026, 11, 23))
    assert err.value.key == "error.date_in_future"
