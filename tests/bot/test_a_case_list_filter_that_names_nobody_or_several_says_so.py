"""`/cases` typed carelessly: a staff name (after @) or a customer that names nobody, or more
than one, and dates back to front, are answered saying so in the reader's words — never an
empty list that looks like the answer, nor the cases of whichever one came first. A customer
is found as `/customer` finds them: with a title before the name, or by the phone as typed."""

from __future__ import annotations

import pytest

from flows.people import People
from flows.scripts import LOCALES
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio


async def register(world: World, telegram_id: int, name: str) -> None:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(
            telegram_id, name, "staff", "en"
        )
        await uow.commit()


async def listed(person: Person, filters: str) -> str:
    await person.send(f"/cases {filters}")
    return person.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_dates_back_to_front_are_refused_as_the_report_refuses_them(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await open_case(person)
    for reader in (person, supervisor):
        answer = await listed(reader, "2026-11-30 2026-11-01")
        assert answer == words(reader, "report.reversed")
        assert await listed(reader, "2026-11-01 2026-11-30") != words(reader, "cases.none")


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_staff_name_that_fits_nobody_or_several_is_said_not_guessed(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await register(world, 7001, "Lan Anh")
    await register(world, 7002, "Hòa Bình")
    lans = await open_case(world.lan, "Trần Văn Bình")
    assert await listed(supervisor, "@Zed") == words(supervisor, "cases.no_staff", name="Zed")
    several = words(supervisor, "cases.several_staff", name="H", names="Hòa, Hòa Bình")
    assert await listed(supervisor, "@H") == several
    assert f"#{lans}" in await listed(supervisor, "@lan")  # her whole name: Lan, not Lan Anh
    # staff see their own cases whatever @name says: no name of anyone else is looked up
    assert words(person, "cases.no_staff", name="Zed") != await listed(person, "@Zed")


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_customer_that_fits_nobody_or_several_is_said_not_guessed(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await add_customer(world, "Nguyễn Văn Bình")
    huongs = await open_case(person)  # Nguyễn Thị Hương, 0903 123 456
    for reader in (person, supervisor):
        several = words(
            reader,
            "cases.several_customer",
            name="Nguyễn",
            names="Nguyễn Thị Hương, Nguyễn Văn Bình",
        )
        assert await listed(reader, "Nguyễn") == several
        assert await listed(reader, "pending") == words(
            reader, "cases.no_customer", name="pending"
        )
        for typed in ("chị Hương", "+84 903 123 456", "nguyen thi huong"):
            assert f"#{huongs} · Nguyễn Thị Hương" in await listed(reader, typed), typed


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_name_that_fits_nobody_is_quoted_within_one_message_however_long(
    world: World, locale: str
) -> None:
    _, supervisor = await staff_and_supervisor(world, locale)
    for typed in ("@" + "Lan" * 1300, "Hương" * 800):
        said = await listed(supervisor, typed)
        assert len(said) <= 4096, len(said)
        assert "Lan" * 100 not in said
        assert "Hương" * 100 not in said
