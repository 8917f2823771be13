"""Staff, invites and customers: the same answers from the fake and from SQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.model import Invite, Role
from flows.parsing import search_key
from flows.privacy import forgotten_name
from tests.contract.conftest import Store
from tests.contract.seed import NOW, customer, person


async def test_people_are_found_by_telegram_id_whether_active_or_not(store: Store) -> None:
    async with store.unit() as uow:
        lan = await person(uow, 1001, "Lan")
        gone = await person(uow, 1002, "Gone", active=False)
        await uow.commit()
    async with store.unit() as uow:
        assert (lan.id, gone.id) == (1, 2)
        found = await uow.staff.by_telegram_id(1002)
        assert found is not None
        assert found.name == "Gone"
        assert not found.active
        assert await uow.staff.by_telegram_id(4242) is None
        assert await uow.staff.get(1) is await uow.staff.by_telegram_id(1001)


async def test_overseers_are_the_active_supervisors_and_admins_in_order(store: Store) -> None:
    async with store.unit() as uow:
        await person(uow, 1, "Admin", Role.admin)
        await person(uow, 2, "Lan")
        await person(uow, 3, "Minh", Role.supervisor)
        await person(uow, 4, "Left", Role.supervisor, active=False)
        await uow.commit()
    async with store.unit() as uow:
        assert [p.name for p in await uow.staff.overseers()] == ["Admin", "Minh"]
        assert [p.name for p in await uow.staff.everyone()] == ["Admin", "Lan", "Minh", "Left"]
        assert {i: p.name for i, p in (await uow.staff.by_ids({2, 4, 99})).items()} == {
            2: "Lan",
            4: "Left",
        }
        assert await uow.staff.by_ids(set()) == {}


async def test_a_telegram_id_registers_one_person_only(store: Store) -> None:
    async with store.unit() as uow:
        await person(uow, 1001, "Lan")
        with pytest.raises(store.refused):
            await person(uow, 1001, "Lan again")


async def test_an_invite_is_used_once_and_the_use_is_stored(store: Store) -> None:
    async with store.unit() as uow:
        minh = await person(uow, 2001, "Minh", Role.supervisor)
        hoa = await person(uow, 1002, "Hoa")
        invite = Invite("code-1", Role.staff, minh.id or 0, NOW, NOW + timedelta(hours=48))
        uow.invites.add(invite)
        await uow.commit()
    async with store.unit() as uow:
        loaded = await uow.invites.get("code-1")
        assert loaded is not None
        assert loaded.used_at is None
        assert await uow.invites.use("code-1", hoa.id or 0, NOW)
        assert not await uow.invites.use("code-1", hoa.id or 0, NOW)
        assert not await uow.invites.use("no-such-code", hoa.id or 0, NOW)
        assert await uow.invites.get("nope") is None
        await uow.commit()
    async with store.unit() as uow:
        used = await uow.invites.get("code-1")
        assert used is not None
        assert (used.used_by, used.used_at) == (hoa.id, NOW)
        assert not await uow.invites.use("code-1", hoa.id or 0, NOW)


async def test_customers_are_found_by_folded_name_or_phone_in_name_order(store: Store) -> None:
    async with store.unit() as uow:
        await customer(uow, "Trần Văn Đức", phone="0912000111")
        await customer(uow, "Nguyễn Thị Hương", phone="0903123456")
        await customer(uow, "Bùi Đức Anh")
        await customer(uow, "100% Café")
        await customer(uow, "Le_Minh")
        await uow.commit()
    async with store.unit() as uow:

        async def names(key: str, limit: int = 8) -> list[str]:
            return [c.name for c in await uow.customers.search(key, limit)]

        assert await names("duc") == ["Bùi Đức Anh", "Trần Văn Đức"]
        assert await names("duc", 1) == ["Bùi Đức Anh"]
        assert await names("huong") == ["Nguyễn Thị Hương"]
        assert await names("3123") == ["Nguyễn Thị Hương"]
        assert await names("09") == ["Nguyễn Thị Hương", "Trần Văn Đức"]
        assert await names("%") == ["100% Café"]  # wildcards are taken literally
        assert await names("e_m") == ["Le_Minh"]
        assert await names("nobody") == []


async def test_customers_of_one_name_are_listed_in_the_order_they_were_recorded(
    store: Store,
) -> None:
    """Ties in name order are broken by the order of record, not by phone or by chance: a
    filter by customer (`/cases Hương`) takes the first match, and two readings of one
    search (its page of buttons, the list filtered) must agree on it."""
    async with store.unit() as uow:
        first = await customer(uow, "Nguyễn Thị Hương", phone="0909000001")
        second = await customer(uow, "Nguyễn Thị Hương", phone="0901000002")
        third = await customer(uow, "Nguyễn Thị Hương", phone="0905000003")
        phones = ("0912 000 111", "+84912000111", "0912.000.111")  # one number, written so
        twins = [await customer(uow, "Trần Văn Đức", phone=phone) for phone in phones]
        await uow.commit()
    async with store.unit() as uow:
        found = [c.id for c in await uow.customers.search("huong", 8)]
        assert found == [first.id, second.id, third.id]
        assert [c.id for c in await uow.customers.search("huong", 1)] == [first.id]
        shared = [c.id for c in await uow.customers.with_phone("912000111", 8)]
        assert shared == [c.id for c in twins]


async def test_a_whole_phone_number_finds_its_customers_however_either_was_written(
    store: Store,
) -> None:
    async with store.unit() as uow:
        await customer(uow, "Nguyễn Thị Hương", phone="+84903123456")
        await customer(uow, "Trần Văn Đức", phone="0903123456")
        await customer(uow, "Lê Văn Hùng", phone="02838234567")  # a landline, area code 028
        await customer(uow, "Phạm Thị Lan", phone="0912000111")
        await uow.commit()
    async with store.unit() as uow:

        async def names(key: str) -> list[str]:
            return [c.name for c in await uow.customers.search(key, 8)]

        async def sharing(key: str) -> list[str]:
            return [c.name for c in await uow.customers.with_phone(key, 8)]

        assert await names("903123456") == ["Nguyễn Thị Hương", "Trần Văn Đức"]
        assert await names("2838234567") == ["Lê Văn Hùng"]
        assert await names("283823456") == ["Lê Văn Hùng"]  # its last digit not yet typed
        assert await names("38234567") == ["Lê Văn Hùng"]  # the number without its area code
        assert await names("000111") == ["Phạm Thị Lan"]  # its last digits
        assert await sharing("903123456") == ["Nguyễn Thị Hương", "Trần Văn Đức"]
        assert await sharing("90312345") == []  # one the same, not one beginning the same
        assert await sharing("912000111") == ["Phạm Thị Lan"]


async def test_a_forgotten_customer_is_never_found_by_a_search(store: Store) -> None:
    async with store.unit() as uow:
        kept = await customer(uow, "Nguyễn Thị Hương", phone="0903123456")
        gone = await customer(uow, "Trần Văn Đức")
        gone.name = forgotten_name(gone.id or 0)  # as forgetting leaves them
        gone.search_key = search_key(gone.name)
        odd = await customer(uow, forgotten_name(99))  # a name typed so: not forgotten
        await uow.commit()
    async with store.unit() as uow:
        found = {
            c.id for key in ("forgotten", "2", "9") for c in await uow.customers.search(key, 8)
        }
        assert found == {kept.id, odd.id}


async def test_customers_at_risk_are_listed_most_valuable_first_each_currency_apart(
    store: Store,
) -> None:
    async with store.unit() as uow:
        await customer(uow, "Small", status="at_risk", yearly_value=1_000_000, currency="VND")
        await customer(uow, "Unknown", status="at_risk")
        await customer(uow, "Large", status="at_risk", yearly_value=90_000_000)  # kept before
        await customer(uow, "Calm", status="active", yearly_value=500_000_000)
        await customer(uow, "Gone", status="defected", yearly_value=400_000_000)
        await customer(uow, "Dollars", status="at_risk", yearly_value=5_000, currency="USD")
        await uow.commit()
    async with store.unit() as uow:
        listed = [c.name for c in await uow.customers.at_risk(10, "VND")]
        assert listed == ["Large", "Small", "Dollars", "Unknown"]  # another currency apart
        listed = [c.name for c in await uow.customers.at_risk(10, "USD")]
        assert listed == ["Large", "Dollars", "Small", "Unknown"]  # Large: kept in the one set
        assert [c.name for c in await uow.customers.at_risk(1, "VND")] == ["Large"]
        found = await uow.customers.by_ids({1, 4, 77})
        assert {i: c.name for i, c in found.items()} == {1: "Small", 4: "Calm"}
        assert await uow.customers.by_ids(set()) == {}
