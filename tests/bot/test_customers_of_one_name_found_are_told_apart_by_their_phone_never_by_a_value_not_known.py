"""Customers of one name found by /customer are listed with their phones, which a caller
can confirm, in either language; the at-risk list shows what each is worth a year where it
is known, and nothing where it is not, its value at stake saying how many have none on
record. Before, search results showed each one's yearly
value — "👤 Nguyễn Thị Mai · 0 VND" for one whose value was never typed (the question may be
skipped), beside "👤 Nguyễn Thị Mai · 5.000.000 VND": nothing a caller could confirm, and a
worth of nothing nobody had said."""

from __future__ import annotations

import pytest

from flows.model import Customer
from flows.parsing import search_key
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio

MAI = "Nguyễn Thị Mai"
#: Each one's phone and yearly value (None: never typed).
MAIS = [("0903123456", 5_000_000), ("0903999888", None)]


async def two_customers_of_one_name(world: World, status: str = "active") -> None:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        for phone, value in MAIS:
            await uow.customers.add(
                Customer(
                    name=MAI,
                    search_key=search_key(MAI),
                    phone=phone,
                    yearly_value=value,
                    status=status,
                )
            )
        await uow.commit()


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_customers_of_one_name_found_are_told_apart_by_their_phone(
    world: World, who: str
) -> None:
    await two_customers_of_one_name(world)
    person = getattr(world, who)
    await person.send(f"/customer {MAI}")
    assert sorted(person.buttons) == [f"👤 {MAI} · 0903123456", f"👤 {MAI} · 0903999888"]


@pytest.mark.parametrize(("who", "worth"), [("lan", "5,000,000 VND"), ("hoa", "5.000.000 VND")])
async def test_the_at_risk_list_shows_a_yearly_value_only_where_it_is_known(
    world: World, who: str, worth: str
) -> None:
    await two_customers_of_one_name(world, status="at_risk")
    person = getattr(world, who)
    await person.send("/atrisk")
    labels = person.buttons
    assert f"👤 {MAI} · {worth}" in labels
    assert all("· 0 VND" not in label for label in labels)
    # the value at stake is what is known, and says how many have none on record
    assert words(person, "customer.at_stake", value=worth) in person.last_text
    assert words(person, "customer.at_stake_unknown", count=1) in person.last_text
