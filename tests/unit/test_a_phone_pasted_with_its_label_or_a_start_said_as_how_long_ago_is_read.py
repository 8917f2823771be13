"""A phone number pasted from a contact card or a chat with its label ("SĐT: 0903 123 456",
"Tel: +84…") is read as the number, and one of more digits than any phone has (E.164's 15)
is asked again, not kept; when someone became a customer said as how long ago ("2 năm",
"được 3 năm rồi", "khoảng 6 tháng", "5 years ago", "năm ngoái") is kept as the year or the
month it names. Before, the first and the last were asked again, and an 18-digit typo kept."""

from __future__ import annotations

from datetime import date

import pytest

from flows.parsing import InvalidInput, parse_phone, parse_since, search_term

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("SĐT: 0903 123 456", "0903123456"),
        ("sdt 0903123456", "0903123456"),
        ("ĐT 0903.123.456", "0903123456"),
        ("Số điện thoại: 0903 123 456", "0903123456"),
        ("Tel: +84 903 123 456", "+84903123456"),
        ("Zalo 0903123456", "0903123456"),
        ("phone: (028) 3823 4567", "02838234567"),
        ("+841234567890123", "+841234567890123"),  # fifteen digits: the most there are
    ],
)
def test_a_phone_pasted_with_its_label_is_read_as_the_number(typed: str, number: str) -> None:
    assert parse_phone(typed) == number


@pytest.mark.parametrize("typed", ["090312345678901234", "+8412345678901234", "SĐT:", "tel 12"])
def test_a_phone_of_more_digits_than_any_or_a_label_alone_is_asked_again(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_phone(typed)
    assert refused.value.key == "error.bad_phone"


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("2 năm", "2024"),
        ("2 năm nay", "2024"),
        ("được 3 năm rồi", "2023"),
        ("hơn 2 năm", "2024"),
        ("khoảng 6 tháng", "2026-05"),
        ("5 years", "2021"),
        ("5 years ago", "2021"),
        ("for about 6 months", "2026-05"),
        ("năm ngoái", "2025"),
        ("tháng trước", "2026-10"),
        ("last year", "2025"),
        ("từ 2019", "2019"),  # as before
    ],
)
def test_a_customers_start_said_as_how_long_ago_is_kept_as_the_year_or_month_it_names(
    typed: str, kept: str
) -> None:
    assert parse_since(typed, TODAY) == kept


@pytest.mark.parametrize(
    ("typed", "searched"),
    [
        ("SĐT: 0903 123 456", "903123456"),
        ("Zalo 0903123456", "903123456"),
        ("Tel Aviv", "tel aviv"),
    ],
)
def test_a_customer_is_searched_by_a_phone_pasted_with_its_label_as_by_the_number(
    typed: str, searched: str
) -> None:
    assert search_term(typed, 120) == searched
