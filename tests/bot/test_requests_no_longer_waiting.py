"""Every supervisor's copy of a request stops looking open once the request no longer waits.

A request goes to every supervisor who may decide (and comes again as reminders). Once one of
them decides — in the chat or on the Mini App's page — or the request goes otherwise (the
case cancelled, the request withdrawn), each copy is edited in place: it says who decided
what, or that nothing waits any more, and keeps no verdict buttons.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from flows.people import People
from standin.inprocess import Person
from standin.messages import SentMessage
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import MINH, World
from tests.bot.miniapp_site import serving
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.bot.test_worst_case_sizes import (
    add_long_incidents,
    climb_with_every_reason_at_the_limit,
)
from tests.bot.walk import asking_approval

pytestmark = pytest.mark.asyncio

THU = 2002
VERDICT_LABELS = ("Approve", "Decline", "Put off", "Duyệt", "Từ chối", "Để sau")


async def supervisor_thu(world: World, locale: str = "vi") -> Person:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(
            THU, "Thu", "supervisor", locale
        )
        await uow.commit()
    return Person(world.app, world.api, THU, "Thu", locale)


def live(copy: SentMessage) -> bool:
    """Tell whether a message still offers a verdict."""
    return any(label in b for b in copy.button_labels for label in VERDICT_LABELS)


async def asked_both(world: World) -> tuple[Person, int, SentMessage, SentMessage]:
    """Lan asks for an approval; Minh (English) and Thu (Vietnamese) each get a copy."""
    thu = await supervisor_thu(world)
    case_id = await asking_approval(world.lan)
    minh_copy, thu_copy = world.minh.last, thu.last
    assert live(minh_copy)
    assert live(thu_copy)
    return thu, case_id, minh_copy, thu_copy


async def test_a_decision_in_the_chat_turns_every_copy_into_who_decided_what(
    world: World,
) -> None:
    thu, case_id, minh_copy, thu_copy = await asked_both(world)
    await thu.press("Duyệt", thu_copy)
    await world.work_done()  # the copies are redrawn off the lane
    assert f"Case #{case_id}: Thu approved the compensation" in minh_copy.plain_text
    assert "Bạn đã duyệt khoản đền bù" in thu_copy.plain_text  # her own copy says it was her
    assert not live(minh_copy)
    assert not live(thu_copy)
    assert "📂 Open case" in minh_copy.button_labels  # the case is still a tap away
    assert await world.count("request_copies") == 0  # nothing left to redraw


async def test_a_copy_says_in_vietnamese_who_decided(world: World) -> None:
    _, case_id, minh_copy, thu_copy = await asked_both(world)
    await world.minh.press("Decline", minh_copy)
    await world.work_done()  # the copies are redrawn off the lane
    assert f"Hồ sơ #{case_id}: Minh đã từ chối khoản đền bù" in thu_copy.plain_text
    assert "You declined the compensation" in minh_copy.plain_text
    assert not live(minh_copy)
    assert not live(thu_copy)


async def test_a_withdrawn_request_leaves_no_copy_that_looks_open(world: World) -> None:
    _, case_id, minh_copy, thu_copy = await asked_both(world)
    await world.lan.press("Back a step")
    await world.work_done()  # the copies are redrawn off the lane
    assert f"Case #{case_id} no longer waits for a decision" in minh_copy.plain_text
    assert f"Hồ sơ #{case_id} không còn chờ quyết định" in thu_copy.plain_text
    assert not live(minh_copy)
    assert not live(thu_copy)


async def test_a_decision_on_the_mini_app_turns_the_chat_copies_too(world: World) -> None:
    _, case_id, minh_copy, thu_copy = await asked_both(world)
    version = (await world.case(case_id)).version
    async with serving(world) as site:
        body = {"version": version, "verdict": "y"}
        decided = await site.post(f"cases/{case_id}/decision", body, MINH)
        assert decided.status_code == 200, decided.text
        await world.work_done()  # the copies are redrawn off the lane
    assert "You approved the compensation" in minh_copy.plain_text
    assert f"Hồ sơ #{case_id}: Minh đã duyệt khoản đền bù" in thu_copy.plain_text
    assert not live(minh_copy)
    assert not live(thu_copy)


async def test_a_termination_put_off_says_so_on_every_copy_and_is_asked_again_later(
    world: World,
) -> None:
    thu = await supervisor_thu(world)
    await add_customer(world, "Lê Văn Tám")
    await open_review(world.lan, "Lê Văn Tám")
    await climb_to_decision(world.lan)
    minh_copy, thu_copy = world.minh.last, thu.last
    await world.minh.press("Put off", minh_copy)
    await world.work_done()  # the copies are redrawn off the lane
    assert "Minh đã tạm hoãn quyết định" in thu_copy.plain_text
    assert "You put off the decision" in minh_copy.plain_text
    assert not live(minh_copy)
    assert not live(thu_copy)
    world.clock.advance(hours=5)
    await world.scheduler.tick()
    assert live(thu.last)  # asked again: the reminder offers the verdicts


async def test_a_reminder_of_a_request_is_turned_as_well(world: World) -> None:
    thu, case_id, minh_copy, _ = await asked_both(world)
    world.clock.advance(hours=5)
    assert (await world.scheduler.tick()).sent == 2
    reminder = world.minh.last
    assert reminder is not minh_copy
    assert live(reminder)
    await thu.press("Duyệt", thu.last)
    await world.work_done()  # the copies are redrawn off the lane
    assert f"Case #{case_id}: Thu approved the compensation" in reminder.plain_text
    assert not any(live(m) for m in world.minh.messages + thu.messages)


async def test_a_copy_deleted_from_the_chat_is_let_go_quietly(world: World) -> None:
    thu, case_id, minh_copy, thu_copy = await asked_both(world)
    minh_copy.deleted = True  # Minh deleted it in his chat
    await thu.press("Duyệt", thu_copy)
    await world.work_done()  # the copies are redrawn off the lane
    assert "Bạn đã duyệt khoản đền bù" in thu_copy.plain_text
    assert (await world.case(case_id)).state == "follow_up"
    assert await world.count("request_copies") == 0


async def test_a_copy_telegram_would_not_edit_then_is_turned_by_a_later_tick(
    world: World,
) -> None:
    thu, _, minh_copy, thu_copy = await asked_both(world)
    # The copy pressed and the owner's card, at once, then both copies off the lane: each
    # edit tried twice.
    world.api.fail_next("editMessageText", "server", times=8)
    await thu.press("Duyệt", thu_copy)
    await world.work_done()  # the copies are redrawn off the lane
    assert live(minh_copy)
    assert await world.count("request_copies") == 2  # kept in the database, not in memory
    await world.scheduler.tick()  # another process's copies are its own while it works on them
    assert live(minh_copy)
    world.clock.advance(minutes=5)
    await world.scheduler.tick()  # a new scheduler: as after a restart
    assert "Thu approved the compensation" in minh_copy.plain_text
    assert "Bạn đã duyệt khoản đền bù" in thu_copy.plain_text
    assert await world.count("request_copies") == 0


async def test_a_supervisor_made_staff_since_reads_why_but_no_longer_sees_the_case(
    world: World,
) -> None:
    _, case_id, minh_copy, thu_copy = await asked_both(world)
    async with SqlUnitOfWork(world.services.sessions) as uow:  # as `main.py staff add` does
        await People(uow, world.services.policy, world.clock).register(THU, "Thu", "staff")
        await uow.commit()
    await world.minh.press("Approve", minh_copy)
    await world.work_done()  # the copies are redrawn off the lane
    assert f"Hồ sơ #{case_id}: bạn không còn là quản lý" in thu_copy.plain_text
    assert "Nguyễn Thị Hương" not in thu_copy.plain_text  # not her case: nothing of it now
    assert "Theo dõi" not in thu_copy.plain_text
    assert thu_copy.button_labels == []
    assert "Nguyễn Thị Hương" in minh_copy.plain_text  # a supervisor still sees it


async def test_the_decider_is_answered_while_the_other_copies_are_still_being_redrawn(
    world: World,
) -> None:
    # Minh's copy cannot be edited yet (Telegram slow, or pacing his chat): Thu's decision
    # is answered and done all the same, and the copy follows once Telegram takes it.
    thu, case_id, minh_copy, thu_copy = await asked_both(world)
    telegram = world.api.do_request
    minh_may_be_edited = asyncio.Event()

    async def slow_in_minhs_chat(
        url: str, method: str, request_data: Any = None, **kw: Any
    ) -> Any:
        chat = str(request_data.parameters.get("chat_id")) if request_data else ""
        if url.endswith("editMessageText") and chat == str(MINH):
            await minh_may_be_edited.wait()
        return await telegram(url, method, request_data, **kw)

    world.api.do_request = slow_in_minhs_chat  # type: ignore[method-assign]
    await asyncio.wait_for(thu.press("Duyệt", thu_copy), 5)
    assert (await world.case(case_id)).state == "follow_up"
    assert "Bạn đã duyệt khoản đền bù" in thu.last_text  # answered
    assert live(minh_copy)  # not yet redrawn
    minh_may_be_edited.set()
    await world.work_done()
    assert not live(minh_copy)


async def test_a_request_at_its_longest_is_one_message_so_its_redraw_leaves_nothing_asking(
    world: World,
) -> None:
    thu = await supervisor_thu(world)
    customer_id = await add_customer(world, "Lê Văn Tám")
    await add_long_incidents(world, customer_id, 12)
    said = {world.minh: len(world.minh.messages), thu: len(thu.messages)}
    await open_review(world.lan, "Lê Văn Tám")
    await climb_with_every_reason_at_the_limit(world.lan)
    asking = {world.minh: "Termination decision needed", thu: "Cần quyết định chấm dứt"}
    for person, header in asking.items():
        request = person.messages[said[person] :]
        assert len(request) == 1  # not split: the one message the copy's row names
        assert header in request[0].plain_text
        assert live(request[0])
    await thu.press("Từ chối", thu.last)
    await world.work_done()  # the copies are redrawn off the lane
    for person, header in asking.items():
        assert not any(header in m.plain_text for m in person.messages)
        assert not any(live(m) for m in person.messages)
