"""Staff look a customer up the way they would say them: with a title first, typed in any
case, with or without its Vietnamese marks ("Ms Mai", "MR HUNG", "chi mai", "Anh Hung"). The
title is left out of the search, on the customer command as when a case picks its
customer, in either language."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import case_number

pytestmark = pytest.mark.asyncio

#: What each person types, as they would say it, and whom it finds.
TYPED = {
    "lan": (
        ("Ms Mai", "Nguyễn Thị Mai"),
        ("MR HUNG", "Trần Văn Hùng"),
        ("mrs. mai", "Nguyễn Thị Mai"),
    ),
    "hoa": (
        ("chi mai", "Nguyễn Thị Mai"),
        ("Anh Hung", "Trần Văn Hùng"),
        ("CHỊ MAI", "Nguyễn Thị Mai"),
    ),
}


@pytest.mark.parametrize("who", list(TYPED))
async def test_the_customer_command_finds_a_customer_named_with_a_title(
    world: World, who: str
) -> None:
    await add_customer(world, "Nguyễn Thị Mai")
    await add_customer(world, "Trần Văn Hùng")
    person = getattr(world, who)
    for typed, found in TYPED[who]:
        await person.send(f"/customer {typed}")
        assert person.last_text.startswith(f"👤 {found}\n"), (typed, person.last_text)


@pytest.mark.parametrize("who", list(TYPED))
async def test_a_case_finds_its_customer_named_with_a_title(world: World, who: str) -> None:
    await add_customer(world, "Nguyễn Thị Mai")
    person = getattr(world, who)
    await person.send("/exit")
    case_id = case_number(person.last_text)
    await person.send(TYPED[who][0][0])
    await person.press("👤 Nguyễn Thị Mai")
    assert (await world.case(case_id)).customer_id is not None


async def test_a_name_that_starts_like_a_title_is_still_found(world: World) -> None:
    await add_customer(world, "Anh Thư")
    await world.hoa.send("/customer anh thu")
    assert world.hoa.last_text.startswith("👤 Anh Thư")
