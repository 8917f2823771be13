"""Numbers and amounts in what the bot says are written the reader's way: thousands grouped
with dots in Vietnamese and commas in English, money with its currency — in refusals and
prompts too, not only in cards and reports."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.walk import compensate, open_case, walk_to_compensate, walk_to_fix

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize(
    ("who", "maximum"), [("lan", "10,000,000,000 VND"), ("hoa", "10.000.000.000 VND")]
)
async def test_an_amount_too_large_names_the_maximum_as_money_the_readers_way(
    world: World, who: str, maximum: str
) -> None:
    person = getattr(world, who)
    await open_case(person)
    await walk_to_compensate(person)
    await compensate(person, "Refund", "99999999999")
    assert maximum in person.last_text


@pytest.mark.parametrize(
    ("who", "limit", "said"),
    [
        ("lan", "(up to 1,000 characters)", "That is 1,200 characters; the limit is 1,000."),
        ("hoa", "(tối đa 1.000 ký tự)", "Nội dung dài 1.200 ký tự; giới hạn là 1.000."),
    ],
)
async def test_a_text_limit_and_a_text_too_long_are_counted_the_readers_way(
    world: World, who: str, limit: str, said: str
) -> None:
    person = getattr(world, who)
    await open_case(person)
    await walk_to_fix(person)  # the card asks what was done: typed text
    assert limit in person.last_text
    await person.send("x" * 1200)
    assert said in person.last_text
