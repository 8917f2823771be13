"""Someone who joins from an invite link under the name of a member already on the team
(perhaps a supervisor's second Telegram account) is told to the admins and to whoever made
the invite; /staff tells the two apart by when each joined and offers, to those who may
invite that role, a button that removes the one that joined later. Nobody else may.
"""

from __future__ import annotations

import pytest

from flows.people import People
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import MINH, World, registered_thao, supervisor_reading

pytestmark = pytest.mark.asyncio

SECOND = 3001  # the supervisor's second Telegram account
NAMES = {"en": "Minh", "vi": "Thảo"}
TOLD = {
    "en": "has just joined as supervisor from an invite link, and someone of the same name",
    "vi": "vừa tham gia với vai trò quản lý qua link mời, trong khi nhóm đã có người cùng tên",
}
REMOVED = {"en": "Removed the account of Minh", "vi": "Đã gỡ tài khoản Thảo"}
REFUSED = {"en": "Only supervisors can do that.", "vi": "Chỉ quản lý mới làm được việc này."}
GONE = {
    "en": "There is nothing to remove there any more",
    "vi": "Không còn gì để gỡ ở đây",
}
LOCKED_OUT = {"en": "only for registered staff", "vi": "chỉ dành cho nhân viên"}


async def second_account(world: World, language: str) -> tuple[Person, Person]:
    """The supervisor reading `language` invites a supervisor and opens the link from a
    second account of the same name; both sides of the chat."""
    if language == "vi":
        await registered_thao(world)
    supervisor = supervisor_reading(world, language)
    await supervisor.send("/invite supervisor")
    link = supervisor.last_text.split("start=")[1].split()[0]
    second = Person(world.app, world.api, SECOND, NAMES[language], language)
    await second.send(f"/start {link}")
    return supervisor, second


def removal(person: Person) -> str:
    """The data of the 🗑 button on the person's last message."""
    buttons = [
        b.callback_data or "" for row in person.api.last(person.chat_id).buttons for b in row
    ]
    return next(data for data in buttons if data.startswith("s:"))


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_second_account_of_a_supervisor_is_told_to_whoever_invited_it(
    world: World, language: str
) -> None:
    supervisor, _ = await second_account(world, language)
    await world.scheduler.tick()
    assert TOLD[language] in supervisor.last_text, supervisor.last_text
    assert not any("👥" in m.plain_text for m in world.hoa.messages)  # staff are not told


async def test_a_newcomer_of_another_name_is_told_to_nobody(world: World) -> None:
    await world.minh.send("/invite supervisor")
    link = world.minh.last_text.split("start=")[1].split()[0]
    await Person(world.app, world.api, SECOND, "Tí", "en").send(f"/start {link}")
    before = len(world.minh.messages)
    await world.scheduler.tick()
    assert len(world.minh.messages) == before


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_second_account_is_removed_from_staff_in_one_press(
    world: World, language: str
) -> None:
    supervisor, second = await second_account(world, language)
    await supervisor.send("/staff")
    listing = supervisor.api.last(supervisor.chat_id)
    assert listing.plain_text.count(f"• {NAMES[language]} (") == 2, listing.plain_text
    await supervisor.press(removal(supervisor), listing)
    assert REMOVED[language] in supervisor.last_text, supervisor.last_text
    redrawn = supervisor.api.find_message(supervisor.chat_id, listing.message_id)
    assert redrawn is not None
    assert not redrawn.buttons  # nothing left to remove
    assert redrawn.plain_text.count(f"• {NAMES[language]} (") == 1, redrawn.plain_text
    await second.send("/cases")
    assert LOCKED_OUT[language] in second.last_text, second.last_text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_removal_pressed_by_staff_or_twice_is_refused_politely(
    world: World, language: str
) -> None:
    supervisor, _ = await second_account(world, language)
    await supervisor.send("/staff")
    data = removal(supervisor)
    staff = world.lan if language == "en" else world.hoa
    await staff.press_data(data)
    assert world.api.answers[-1].get("text") == REFUSED[language], world.api.answers[-1]
    listing = supervisor.api.last(supervisor.chat_id)
    await supervisor.press(data, listing)
    await supervisor.press_data(data, listing.message_id)  # an old copy of the list
    assert str(world.api.answers[-1].get("text")).startswith(GONE[language])


async def test_an_admin_is_told_of_a_namesake_invited_by_someone_else_in_their_own_language(
    world: World,
) -> None:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(MINH, "Minh", "admin")
        await uow.commit()
    maker, _ = await second_account(world, "vi")  # Thảo invites her own second account
    await world.scheduler.tick()
    assert TOLD["vi"] in maker.last_text, maker.last_text
    assert "Thảo</b> has just joined as supervisor" in world.minh.last.text, world.minh.last.text
