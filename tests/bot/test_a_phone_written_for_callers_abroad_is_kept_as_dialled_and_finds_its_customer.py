"""A phone typed as numbers for callers abroad are written — the trunk prefix in brackets
after the country code ("+84 (0) 903 123 456"), or still there without them ("+84 0903 123
456", "84 0903 123 456"), the country code after 00 ("0084 903 123 456"), or in brackets
itself ("(+84) 903 123 456") — is kept as "+" writes it, +84903123456, and is the phone of
the customer on file with 0903 123 456.

Before, the first three were kept as +840903123456, a number no phone dials, looked up
under another key than the customer's own (who was neither offered nor found by it); the
fourth as 0084903123456, looked up as 084903123456; the last was asked again.
"""

from __future__ import annotations

import pytest

from flows.parsing import parse_phone, phone_key, search_term
from tests.bot.conftest import World
from tests.bot.test_customer_paths import start_new_customer
from tests.bot.walk import open_case

WRITTEN_FOR_ABROAD = [
    "+84 (0) 903 123 456",
    "+84 0903 123 456",
    "+840903123456",
    "84 0903 123 456",
    "0084 903 123 456",
    "0084903123456",
    "(+84) 903 123 456",
]


@pytest.mark.parametrize("typed", WRITTEN_FOR_ABROAD)
def test_a_phone_written_for_callers_abroad_is_kept_as_plus_writes_it(typed: str) -> None:
    assert parse_phone(typed) == "+84903123456"
    assert phone_key(parse_phone(typed)) == phone_key("0903 123 456")
    assert search_term(typed, 100) == phone_key("0903 123 456")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("+44 (0) 20 7946 0958", "+442079460958"),  # another country's trunk prefix
        ("(+84) 28 3823 4567", "+842838234567"),
        ("84903123456", "84903123456"),  # as before: the country code without its 0
        ("0903.123.456", "0903123456"),
        ("+841234567890123", "+841234567890123"),
    ],
)
def test_other_ways_of_writing_a_phone_are_kept_as_before(typed: str, kept: str) -> None:
    assert parse_phone(typed) == kept


@pytest.mark.asyncio
@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("typed", ["+84 (0) 903 123 456", "0084 903 123 456"])
async def test_a_customer_met_in_an_exit_interview_by_a_phone_written_for_abroad_is_offered(
    world: World, who: str, typed: str
) -> None:
    await open_case(world.lan, "Nguyễn Thị Hương")  # phone 0903 123 456
    person = getattr(world, who)
    await start_new_customer(person, "/exit", "Nguyen Thi Huong", typed)
    on_file = "đã có trong thông tin khách hàng" if who == "hoa" else "already on file"
    assert on_file in person.last_text
    assert "+84903123456" in person.last_text
    assert "Nguyễn Thị Hương" in " ".join(person.buttons)
