"""Customers whose names differ only in what the eye cannot see are told apart as customers
of one name are: a name with an invisible joiner or mark in it, a Hangul filler for a space,
a Cyrillic "А" for a Latin "A", a full-width letter — each looks exactly like "Nguyễn Văn
An" on a button, so each is labelled with its phone where it is its own, else its customer
number, wherever staff pick a customer. Before, only labels equal character for character
were told apart: the list showed several identical buttons, and staff could pick the wrong
(or a planted) record. A name that truly differs ("Nguyễn Văn Ân") keeps its usual label."""

from __future__ import annotations

import pytest

from flows.model import Customer
from flows.parsing import clean_name, search_key
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World

pytestmark = pytest.mark.asyncio

AN = "Nguyễn Văn An"
#: Names stored as typed (cleaned as the bot cleans a name) that read exactly like `AN`.
LOOK_ALIKE = {
    "a grapheme joiner": "Nguyễn Văn An\u034f",
    "a zero-width non-joiner": "Nguyễn Văn\u200c An",
    "a variation selector": "Nguyễn Văn A\ufe0fn",
    "a Hangul filler for a space": "Nguyễn Văn\u3164An",
    "a Cyrillic A": "Nguyễn Văn \u0410n",
    "a full-width A": "Nguyễn Văn \uff21n",
}
OTHER = "Nguyễn Văn Ân"


async def add(world: World, name: str, phone: str | None = None) -> int:
    stored = clean_name(name, 120)
    assert stored == name  # the bot keeps such a name as it was typed
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = Customer(name=stored, search_key=search_key(stored), phone=phone)
        added = await uow.customers.add(customer)
        await uow.commit()
        return added.id or 0


async def customers(world: World) -> dict[str, int]:
    """The look-alikes, `AN` itself (with a phone of its own) and `OTHER`, by name."""
    ids = {AN: await add(world, AN, "0903111222")}
    for name in LOOK_ALIKE.values():
        ids[name] = await add(world, name)
    ids[OTHER] = await add(world, OTHER)
    return ids


def expected(ids: dict[str, int], number: str) -> list[str]:
    return [
        f"👤 {AN} · 0903111222",
        *(f"👤 {name} · {number} #{ids[name]}" for name in LOOK_ALIKE.values()),
        f"👤 {OTHER}",
    ]


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_customer_commands_matches_that_look_alike_are_told_apart(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    ids = await customers(world)
    await person.send("/customer nguyen van")
    number = "customer" if who == "lan" else "khách hàng"
    assert sorted(person.buttons) == sorted(expected(ids, number)), person.buttons


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_case_offers_customers_that_look_alike_told_apart(world: World, who: str) -> None:
    person = getattr(world, who)
    ids = await customers(world)
    await person.send("/exit")
    await person.send("Nguyen Van")
    number = "customer" if who == "lan" else "khách hàng"
    offered = [b for b in person.buttons if b.startswith("👤")]
    assert sorted(offered) == sorted(expected(ids, number)), offered
