"""A customer's start is shown with as much as was said: a year as the year, a month as the
month, a day as the day — never "01/01/2019" for a customer known to be one "since 2019"."""

from __future__ import annotations

from datetime import date

import pytest

from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.walk import case_number

pytestmark = pytest.mark.asyncio


async def add_customer_since(person: Person, name: str, since: str) -> str:
    """Open a complaint for `name`, a new customer since `since`; return the case's card as
    it stood once the start was typed (it records the customer's details so far)."""
    english = person.language_code == "en"
    await person.send("/new")
    await person.send(name)
    await person.press("New customer" if english else "Khách hàng mới")
    await person.send(name)
    await person.send("0903 123 456")
    await person.press("Individual" if english else "Cá nhân")
    await person.send(since)
    card = person.last_text
    await person.press("Skip" if english else "Bỏ qua")  # the yearly value
    await person.send("Giao hàng trễ 3 ngày")
    await person.press("Delay" if english else "Chậm trễ")
    await person.press("High" if english else "Nặng")
    return card


async def test_a_start_given_as_a_year_reads_as_the_year_on_the_case_and_the_customers_card(
    world: World,
) -> None:
    card = await add_customer_since(world.lan, "Nguyễn Thị Hương", "2019")
    assert "• Customer since: 2019\n" in card
    card = await add_customer_since(world.hoa, "Trần Văn Bình", "năm 2019")
    assert "• Khách hàng từ: năm 2019\n" in card
    await world.lan.send("/customer Hương")
    assert "customer since 2019 ·" in world.lan.last_text
    await world.hoa.send("/customer Bình")
    assert "khách hàng từ năm 2019 ·" in world.hoa.last_text
    for person in (world.lan, world.hoa):
        shown = "\n".join(m.plain_text for m in person.messages)
        assert "2019-01-01" not in shown
        assert "01/01/2019" not in shown


async def test_a_start_given_as_a_month_reads_as_the_month_in_either_language(
    world: World,
) -> None:
    card = await add_customer_since(world.hoa, "Trần Văn Bình", "tháng 3/2019")
    assert "• Khách hàng từ: tháng 3/2019\n" in card
    card = await add_customer_since(world.lan, "Nguyễn Thị Hương", "3/2019")
    assert "• Customer since: March 2019\n" in card
    await world.hoa.send("/customer Hương")
    assert "khách hàng từ tháng 3/2019 ·" in world.hoa.last_text
    await world.lan.send("/customer Bình")
    assert "customer since March 2019 ·" in world.lan.last_text


async def test_a_start_given_as_a_day_still_reads_as_that_day(world: World) -> None:
    card = await add_customer_since(world.lan, "Nguyễn Thị Hương", "15/03/2021")
    assert "• Customer since: 2021-03-15\n" in card
    await world.hoa.send("/customer Hương")
    assert "khách hàng từ 15/03/2021 ·" in world.hoa.last_text


async def test_a_start_kept_to_the_year_is_stored_as_its_first_day_with_what_was_said(
    world: World,
) -> None:
    await add_customer_since(world.lan, "Nguyễn Thị Hương", "2019")
    case = await world.case(case_number(world.lan.last_text))
    assert case.customer_id is not None
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.get(case.customer_id)
    assert customer is not None
    assert (customer.since, customer.since_precision) == (date(2019, 1, 1), "year")


async def test_a_start_said_with_tu_or_since_before_it_is_read_as_said(world: World) -> None:
    card = await add_customer_since(world.hoa, "Trần Văn Bình", "Từ năm 2019")
    assert "• Khách hàng từ: năm 2019\n" in card
    card = await add_customer_since(world.lan, "Nguyễn Thị Hương", "since March 2019")
    assert "• Customer since: March 2019\n" in card
    card = await add_customer_since(world.hoa, "Lê Văn Tám", "từ 15/03/2021")
    assert "• Khách hàng từ: 15/03/2021\n" in card
    assert await world.count("customers") == 3
