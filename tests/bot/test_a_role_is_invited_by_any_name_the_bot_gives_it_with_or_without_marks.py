"""`/invite` reads a role as the supervisor may type it: the bot's own name for it in either
language (*staff member*, *nhân viên*, *quản lý*) and Vietnamese typed without its marks
(*quan ly*, *nhan vien*) — the link made is for that role, as a report reads *thang* for
*tháng*; a word that names no role is still refused."""

from __future__ import annotations

import re

import pytest

from flows.scripts import LOCALES
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, staff_and_supervisor

pytestmark = pytest.mark.asyncio

#: What a supervisor types after /invite, and the role the link is for.
TYPED = {
    "staff member": "staff",
    "Staff Member": "staff",
    "nhan vien": "staff",
    "quan ly": "supervisor",
    "QUAN LY": "supervisor",
    "quản lý": "supervisor",
}


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_role_typed_without_marks_or_as_the_bot_names_it_makes_its_link(
    world: World, locale: str
) -> None:
    _, supervisor = await staff_and_supervisor(world, locale)
    for number, (typed, role) in enumerate(TYPED.items()):
        await supervisor.send(f"/invite {typed}")
        code = re.search(r"start=(\S+)", supervisor.last_text)
        assert code, (typed, supervisor.last_text)
        newcomer = Person(world.app, world.api, 8000 + number, f"N{number}", locale)
        await newcomer.send(f"/start {code[1]}")
        assert (await registered_role(world, newcomer)) == role, typed
    await supervisor.send("/invite boss")
    assert "start=" not in supervisor.last_text


async def registered_role(world: World, person: Person) -> str | None:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        known = await uow.staff.by_telegram_id(person.telegram_id)
    return known.role if known else None
