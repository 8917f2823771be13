"""Two customers of one name are never two identical buttons: where staff pick a customer —
the customer command's matches, the customers at risk, the customer a case is for — those
whose labels would read alike are told apart by their phone where it is theirs alone, else
by their customer number, in either language; the others keep their usual label."""

from __future__ import annotations

import pytest

from flows.model import Customer
from flows.parsing import search_key
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World

pytestmark = pytest.mark.asyncio

MAI = "Nguyễn Thị Mai"
#: Long names that the width of a button cuts alike.
LONG = "Tôn Nữ Thị Hoàng Phương Thảo Minh Khai Ngọc Diệp"


async def add(world: World, name: str, phone: str | None = None, status: str = "active") -> int:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = Customer(
            name=name, search_key=search_key(name), phone=phone, yearly_value=12_000_000
        )
        customer.status = status
        added = await uow.customers.add(customer)
        await uow.commit()
        return added.id or 0


def alike(labels: list[str]) -> list[str]:
    return [shown for shown in labels if labels.count(shown) > 1]


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_customer_commands_matches_never_read_alike(world: World, who: str) -> None:
    person = getattr(world, who)
    await add(world, MAI, "0903123456")
    await add(world, MAI)
    without_phone = await add(world, MAI)
    await add(world, f"{LONG} Anh")
    await add(world, f"{LONG} Em")
    await person.send("/customer nguyen thi mai")
    shown = person.buttons
    assert len(shown) == 3, shown
    assert not alike(shown), shown
    assert f"👤 {MAI} · 0903123456" in shown
    number = "customer" if who == "lan" else "khách hàng"
    assert f"👤 {MAI} · {number} #{without_phone}" in shown
    await person.press(f"👤 {MAI} · 0903123456")
    assert person.last_text.startswith(f"👤 {MAI}\n")
    assert "0903123456" in person.last_text
    await person.send("/customer ngoc diep")
    assert len(person.buttons) == 2, person.buttons
    assert not alike(person.buttons), person.buttons


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_customers_at_risk_of_one_name_never_read_alike(world: World, who: str) -> None:
    person = getattr(world, who)
    for phone in ("0903123456", "0912000111"):
        await add(world, MAI, phone, status="at_risk")
    await person.send("/atrisk")
    shown = person.buttons
    assert sorted(shown) == [f"👤 {MAI} · 0903123456", f"👤 {MAI} · 0912000111"], shown


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_case_offers_customers_of_one_name_told_apart(world: World, who: str) -> None:
    person = getattr(world, who)
    first, second = await add(world, MAI), await add(world, MAI)
    await person.send("/exit")
    await person.send("Mai")
    number = "customer" if who == "lan" else "khách hàng"
    offered = [b for b in person.buttons if b.startswith("👤")]
    assert offered == [f"👤 {MAI} · {number} #{first}", f"👤 {MAI} · {number} #{second}"]
