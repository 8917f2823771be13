"""Amounts typed as staff say them to a customer, and amounts typed in another currency.

Before, "1 triệu 2" (1,200,000), "2 triệu rưỡi", "1 triệu 500 nghìn", "2tr500k", "nửa
triệu", "3 trăm nghìn", "1 tỷ" and "1.5 million" were asked again as no number; and a
currency typed with an amount was dropped whatever it was: "500.000 đ" on a case kept in
USD was read as 500,000 USD, "$50" was asked again as no number. Now each amount said is
read, and one written in another currency than the case's is refused naming both.
"""

from __future__ import annotations

import pytest

from flows.parsing import InvalidInput, parse_money
from flows.scripts import LOCALES, plain
from tests.unit.wording import renderer

MOST = 10**12

SAID = [
    ("1 triệu 2", 1_200_000),
    ("1 triệu 25", 1_250_000),
    ("1 triệu 250", 1_250_000),
    ("2 triệu rưỡi", 2_500_000),
    ("1 triệu rưỡi", 1_500_000),
    ("1 triệu 500 nghìn", 1_500_000),
    ("1 triệu 2 trăm", 1_200_000),
    ("1 triệu 2 trăm nghìn", 1_200_000),
    ("2tr500k", 2_500_000),
    ("nửa triệu", 500_000),
    ("3 trăm nghìn", 300_000),
    ("2 chục nghìn", 20_000),
    ("2 trăm", 200),
    ("1 tỷ", 1_000_000_000),
    ("1 tỷ 2", 1_200_000_000),
    ("1,5 củ", 1_500_000),
    ("1.5 million", 1_500_000),
    ("2 million 500 thousand", 2_500_000),
    ("500 thousand", 500_000),
    # written in figures, as before
    ("1tr2", 1_200_000),
    ("1,2 triệu", 1_200_000),
    ("500k", 500_000),
    ("200.000 đ", 200_000),
]


@pytest.mark.parametrize(("typed", "amount"), SAID)
def test_an_amount_said_as_people_say_it_is_read(typed: str, amount: int) -> None:
    assert parse_money(typed, MOST, "VND") == amount


@pytest.mark.parametrize(
    "typed",
    [
        "500 nghìn 1 triệu",
        "1 triệu 2500",
        "1 5 triệu",
        "triệu",
        "rưỡi",
        "2 triệu rưỡi rưỡi",
        "5 lít",
    ],
)
def test_what_is_no_amount_said_is_still_asked_again(typed: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_money(typed, MOST, "VND")
    assert refused.value.key == "error.not_a_number"


def test_an_amount_said_must_still_come_out_whole() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_money("1,255 trăm", MOST, "USD")
    assert refused.value.key == "error.not_whole_amount"


#: Typed, the currency amounts are in, and the currency typed (None: the amount is taken).
CURRENCIES = [
    ("500.000 đ", "USD", "VND"),
    ("500k VNĐ", "USD", "VND"),
    ("200.000₫", "EUR", "VND"),
    ("$50", "VND", "USD"),
    ("50 USD", "VND", "USD"),
    ("50 đô", "VND", "USD"),
    ("20 euro", "VND", "EUR"),
    ("50 usd", "USD", None),
    ("200.000 đồng", "VND", None),
    ("200k đ", "VNĐ", None),  # the settings may write the code with its mark
    ("50 sgd", "SGD", None),
]


@pytest.mark.parametrize(("typed", "kept_in", "other"), CURRENCIES)
def test_an_amount_in_another_currency_than_the_cases_is_refused_never_read_in_it(
    typed: str, kept_in: str, other: str | None
) -> None:
    if other is None:
        assert parse_money(typed, MOST, kept_in) > 0
        return
    with pytest.raises(InvalidInput) as refused:
        parse_money(typed, MOST, kept_in)
    assert refused.value.key == "error.other_currency"
    assert refused.value.params["other"] == other


@pytest.mark.parametrize("locale", LOCALES)
def test_the_refusal_names_both_currencies_and_quotes_what_was_typed(locale: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_money("$50", MOST, "VND")
    told = plain(renderer(locale).t(refused.value.key, **refused.value.params))
    assert "“$50”" in told
    assert "USD" in told
    assert "VND" in told


def test_an_overlong_amount_in_another_currency_is_quoted_back_cut_short() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_money("$" + "5" * 5000, MOST, "VND")
    assert len(refused.value.params["typed"]) <= 60
