"""People come and go: who left gets nothing, their work goes on, their links stop working."""

from __future__ import annotations

import pytest

from flows.model import Staff
from flows.people import People
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, make_world, settings_for
from tests.bot.test_reminders import (
    TUESDAY_9AM,
    case_waiting_for_follow_up,
    reminder_texts,
)
from tests.bot.walk import compensate, open_case, walk_to_compensate, walk_to_fix
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

NEWCOMER = 5555


async def deactivate(world: World, person: Person) -> None:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).deactivate(person.telegram_id)
        await uow.commit()


async def staff_row(world: World, person: Person) -> Staff:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        found = await uow.staff.by_telegram_id(person.telegram_id)
    assert found is not None
    return found


async def test_a_deactivated_owners_follow_up_goes_to_the_supervisors_not_to_them(
    world: World,
) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    await deactivate(world, world.lan)
    before = len(world.lan.messages)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()  # the owner's reminder is handed over
    await world.scheduler.tick()  # the supervisors' copies go out
    assert len(world.lan.messages) == before
    [handed] = reminder_texts(world.minh, "Time to follow up")
    assert f"case #{case_id}" in handed
    await world.minh.press("Satisfied")
    assert (await world.case(case_id)).state == "closed"


async def supervisor(world: World, who: str) -> Person:
    """Minh, who reads English, or Quang, a Vietnamese supervisor registered here."""
    if who == "minh":
        return world.minh
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(
            2002, "Quang", "supervisor", "vi"
        )
        await uow.commit()
    return Person(world.app, world.api, 2002, "Quang", "vi")


@pytest.mark.parametrize(
    ("who", "left"), [("minh", "Lan (left: "), ("quang", "Lan (đã nghỉ việc")]
)
async def test_the_staff_figures_say_who_has_left_beside_the_open_cases_they_leave(
    world: World, who: str, left: str
) -> None:
    await case_waiting_for_follow_up(world.lan)
    await deactivate(world, world.lan)
    reader = await supervisor(world, who)
    await reader.send("/staff")
    row = next(line for line in reader.last_text.split("\n") if line.startswith("• Lan"))
    assert row.startswith(f"• {left}")
    assert row.endswith(": 1 · 0 · 🏆 0")  # the open case she leaves behind


@pytest.mark.parametrize(
    ("who", "handled_by"),
    [
        ("minh", "Handled by: Lan (left: their reminders go to the supervisors)"),
        ("quang", "Người phụ trách: Lan (đã nghỉ việc, lời nhắc chuyển cho quản lý)"),
    ],
)
async def test_a_case_of_someone_who_left_says_so_where_it_names_them(
    world: World, who: str, handled_by: str
) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    await deactivate(world, world.lan)
    reader = await supervisor(world, who)
    await reader.send(f"/case {case_id}")
    assert handled_by in reader.last_text.split("\n")


async def test_nothing_with_customer_data_reaches_a_deactivated_owner(world: World) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Refund", "2tr")
    await deactivate(world, world.lan)
    before = len(world.lan.messages)
    await world.minh.press("Approve")
    assert (await world.case(case_id)).state == "follow_up"
    assert len(world.lan.messages) == before
    await world.lan.send("/cases")
    assert "only for registered staff" in world.lan.last_text


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_someone_who_left_comes_back_by_a_new_invite_not_by_being_told_they_are_in(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    await deactivate(world, person)
    await person.send("/cases")
    assert ("only for registered staff" if who == "lan" else "chỉ dành cho nhân viên") in (
        person.last_text
    )
    await world.minh.send("/invite")
    link = world.minh.last_text.split("start=")[1].split()[0]
    await person.send(f"/start {link}")
    assert "already registered" not in person.last_text
    assert (await staff_row(world, person)).active
    await person.send(f"/start {link}")  # the link is spent
    await person.send("/cases")
    assert "only for registered staff" not in person.last_text


async def test_an_invite_of_a_supervisor_who_left_registers_nobody(world: World) -> None:
    await world.minh.send("/invite supervisor")
    link = world.minh.last_text.split("start=")[1].split()[0]
    await deactivate(world, world.minh)
    newcomer = Person(world.app, world.api, NEWCOMER, "Tí", "en")
    await newcomer.send(f"/start {link}")
    assert "not valid" in newcomer.last_text
    await newcomer.send("/cases")
    assert "only for registered staff" in newcomer.last_text


async def test_an_invite_outlives_no_demotion_of_its_maker(world: World) -> None:
    await world.minh.send("/invite supervisor")
    link = world.minh.last_text.split("start=")[1].split()[0]
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(
            world.minh.telegram_id, "Minh", "staff"
        )
        await uow.commit()
    newcomer = Person(world.app, world.api, NEWCOMER, "Tí", "en")
    await newcomer.send(f"/start {link}")
    assert "not valid" in newcomer.last_text


async def test_someone_who_blocked_the_bot_is_reachable_again_once_they_write(
    world: World,
) -> None:
    await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    world.api.fail_next("sendMessage", "forbidden")
    assert (await world.scheduler.tick()).failed == 1
    assert (await staff_row(world, world.lan)).unreachable
    await world.lan.send("/cases")
    assert not (await staff_row(world, world.lan)).unreachable
    await world.scheduler.tick()
    await world.scheduler.tick()
    missed = [m for m in world.lan.messages if "Time to follow up" in m.plain_text]
    assert len(missed) == 1  # the follow-up they missed, sent again, once


async def test_the_digest_reaches_someone_again_after_they_come_back(
    digest_world: World,
) -> None:
    world = digest_world
    await case_waiting_for_follow_up(world.lan, "Tomorrow")
    async with SqlUnitOfWork(world.services.sessions) as uow:
        lan = await uow.staff.by_telegram_id(world.lan.telegram_id)
        assert lan is not None
        lan.unreachable = True  # a digest once failed with 403: they had blocked the bot
        await uow.commit()
    await world.lan.send("/followups")  # they unblocked it and wrote again
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    await world.scheduler.tick()
    assert reminder_texts(world.lan, "Good morning")


async def test_two_instances_starting_together_both_register_the_configured_admin(
    database_url: str, clock: Clock
) -> None:
    import asyncio
    from dataclasses import replace

    from bot.app import bootstrap_admins

    async for world in make_world(settings_for(database_url), clock):
        named = settings_for(database_url, people={"admins": [4242, 4343]})
        starting = [replace(world.services, settings=named) for _ in range(8)]
        await asyncio.gather(*(bootstrap_admins(services) for services in starting))
        assert await world.count("staff") == 6  # the four of the world and the two admins


async def test_a_supervisor_demoted_while_a_comment_was_awaited_is_not_stuck_on_that_case(
    world: World,
) -> None:
    await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Refund", "3tr")
    await world.minh.press("Approve")  # Minh's next message would be his comment
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(2001, "Minh", "staff")
        await uow.commit()
    await world.minh.send("Please call her today")
    assert "no case" not in world.minh.last_text.lower()
    assert "you are no longer a supervisor" in world.minh.last_text  # told why, not stuck
    assert "“Please call her today”" in world.minh.last_text
    async with SqlUnitOfWork(world.services.sessions) as uow:
        minh = await uow.staff.by_telegram_id(2001)
        assert minh is not None
        assert (minh.role, minh.expecting, minh.expecting_case_id) == ("staff", None, None)


async def test_someone_promoted_in_the_middle_of_a_step_goes_on_with_what_they_were_typing(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    await walk_to_fix(world.lan)  # Lan's next message is what was done to fix it
    asked = await open_case(world.hoa)
    await walk_to_compensate(world.hoa)
    await compensate(world.hoa, "Refund", "3tr")
    await world.minh.press("Approve")  # Minh's next message is his comment
    async with SqlUnitOfWork(world.services.sessions) as uow:
        people = People(uow, world.services.policy, world.clock)
        await people.register(1001, "Lan", "supervisor")
        await people.register(2001, "Minh", "admin")
        await uow.commit()
    await world.lan.send("Re-delivered by our own van")
    assert (await world.case(case_id)).draft.get("action") == "Re-delivered by our own van"
    await world.minh.send("Please call her today")
    assert (await world.events(asked))[-1].data == {"text": "Please call her today"}


async def test_registering_someone_again_without_a_role_keeps_the_one_they_have(
    world: World,
) -> None:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        minh = await People(uow, world.services.policy, world.clock).register(
            2001, "Minh", timezone="Europe/Berlin"
        )
        await uow.commit()
    assert (minh.role, minh.timezone) == ("supervisor", "Europe/Berlin")
