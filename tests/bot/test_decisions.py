"""Decisions: nobody decides what they asked for; each decision is named for what it decides.

A supervisor may work on anyone's case. When they enter a compensation above the limit
(or walk a review to its decision) on a staff member's case, the request is theirs: the
request names them, they cannot approve it, and another supervisor decides.
"""

from __future__ import annotations

import pytest

from flows.people import People
from flows.procedures.complaint import Step
from flows.procedures.review import Rung
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.test_review_conversation import (
    add_customer,
    approved_termination,
    climb_to_decision,
    offer_goodwill,
    open_review,
)
from tests.bot.walk import (
    asking_approval,
    compensate,
    open_case,
    walk_to_compensate,
    walk_to_fix,
)

pytestmark = pytest.mark.asyncio

THU = 2002


async def second_supervisor(world: World, locale: str = "en") -> Person:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(
            THU, "Thu", "supervisor", locale
        )
        await uow.commit()
    return Person(world.app, world.api, THU, "Thu", locale)


async def leaves(world: World, person: Person) -> None:
    """Deactivate someone, as `main.py staff deactivate` does."""
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).deactivate(person.telegram_id)
        await uow.commit()


async def take_over(supervisor: Person, case_id: int) -> None:
    """Open someone else's case from the supervisor's own chat."""
    await supervisor.send("/cases")
    await supervisor.press(f"#{case_id}", supervisor.api.last_with_buttons(supervisor.chat_id))


async def test_a_supervisor_cannot_approve_a_compensation_they_entered_on_a_staff_case(
    world: World,
) -> None:
    thu = await second_supervisor(world)
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await take_over(world.minh, case_id)
    await compensate(world.minh, "Refund", "2tr")
    assert (await world.case(case_id)).state == Step.awaiting_approval
    assert not any("Approval needed" in m.plain_text for m in world.minh.messages)
    request = thu.last_text
    assert "Minh wants to offer" in request  # who actually asked, not the case's owner
    version = (await world.case(case_id)).version
    await world.minh.press_data(f"k:{case_id}:{version}:d:y")
    assert "request you made" in world.api.answers[-1]["text"]
    assert (await world.case(case_id)).state == Step.awaiting_approval
    await thu.press("Approve")
    assert (await world.case(case_id)).state == Step.follow_up
    deciders = [e.actor_id for e in await world.events(case_id) if e.kind == "approved"]
    assert len(deciders) == 1
    assert "Thu approved the compensation" in world.lan.last_text  # the owner is told
    assert "Thu approved the compensation" in world.minh.last_text  # and so is who asked


async def test_a_lone_supervisor_who_asked_is_told_nobody_else_can_decide(world: World) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await take_over(world.minh, case_id)
    await compensate(world.minh, "Refund", "2tr")
    assert "No supervisor" in world.minh.messages[-2].plain_text + world.minh.last_text


async def test_a_supervisor_cannot_decide_a_termination_they_requested(world: World) -> None:
    thu = await second_supervisor(world)
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(world.lan, "Lê Văn Tám")
    await take_over(world.minh, case_id)
    await climb_to_decision(world.minh)
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    assert "requested by Minh" in thu.last_text
    version = (await world.case(case_id)).version
    for verdict in "ynl":
        await world.minh.press_data(f"k:{case_id}:{version}:d:{verdict}")
        assert "request you made" in world.api.answers[-1]["text"]
    assert (await world.case(case_id)).state == Rung.awaiting_decision


async def test_a_termination_decision_is_announced_as_a_termination_everywhere(
    world: World,
) -> None:
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(world.lan, "Lê Văn Tám")
    await climb_to_decision(world.lan)
    await world.minh.press("Approve")
    said = world.minh.messages[-1].plain_text
    assert "approved ending the relationship" in said
    assert "Minh approved ending the relationship" in world.lan.last_text
    await world.minh.press("Nothing to add")
    await world.lan.send(f"/case {case_id}")
    timeline = world.lan.last_text
    assert "Termination approved" in timeline
    assert "ompensation" not in said + world.lan.messages[-2].plain_text + timeline


async def test_a_declined_goodwill_offer_is_announced_as_a_goodwill_decision(
    world: World,
) -> None:
    case_id = await approved_termination(world)
    await offer_goodwill(world.lan, "2tr")
    assert "Goodwill offer needs approval" in world.minh.last_text
    await world.minh.press("Decline")
    assert "declined the goodwill offer" in world.lan.last_text
    events = await world.events(case_id)
    assert events[-1].kind == "declined"
    await world.lan.send(f"/case {case_id}")
    assert "Goodwill offer declined" in world.lan.last_text


async def test_a_decision_reminder_shows_the_same_grounds_as_the_first_request(
    world: World,
) -> None:
    await add_customer(world, "Lê Văn Tám")
    await open_review(world.lan, "Lê Văn Tám")
    await climb_to_decision(world.lan)
    first = world.minh.last_text
    world.clock.advance(hours=5)
    assert (await world.scheduler.tick()).sent >= 1
    reminder = world.minh.last_text
    assert reminder != first
    for text in (
        "Costs 3× what they bring in",
        "Called Lan names twice",
        "The uncivil client",
        "Sent the self-service guide",
        "Proposed prepaid billing",
    ):
        assert text in first
        assert text in reminder
    assert "• —" not in reminder


async def test_a_goodwill_request_is_reminded_too(world: World) -> None:
    await approved_termination(world)
    await offer_goodwill(world.lan, "2tr")
    before = len(world.minh.messages)
    world.clock.advance(hours=5)
    await world.scheduler.tick()
    assert len(world.minh.messages) == before + 1
    assert "Goodwill offer needs approval" in world.minh.last_text
    assert "2,000,000 VND" in world.minh.last_text


async def supervisor_mid_way_through_their_own_case(world: World) -> int:
    """Lan asks for 2tr; Minh meanwhile opens a complaint of his own, at its fix question."""
    await asking_approval(world.lan)
    mine = await open_case(world.minh, customer="Trần Văn Bình")
    await walk_to_fix(world.minh)
    return mine


async def test_deciding_in_the_middle_of_their_own_case_leaves_the_supervisors_place(
    world: World,
) -> None:
    mine = await supervisor_mid_way_through_their_own_case(world)
    request = next(
        m for m in reversed(world.minh.messages) if any("Approve" in b for b in m.button_labels)
    )
    await world.minh.press("Approve", request)
    assert "still goes to the task you were working on" in world.minh.last_text
    await world.minh.send("Replaced the kettle")
    assert (await world.case(mine)).draft.get("action") == "Replaced the kettle"
    await world.minh.send_photo("kettle-1")  # evidence for his own case, not Lan's
    assert "evidence" in [e.kind for e in await world.events(mine)]


async def test_an_old_no_comment_button_leaves_what_the_supervisor_went_on_to(
    world: World,
) -> None:
    await asking_approval(world.lan)
    await world.minh.press("Approve")
    old = world.api.last_with_buttons(world.minh.chat_id)
    await world.minh.press("Nothing to add", old)
    mine = await open_case(world.minh, customer="Trần Văn Bình")
    await walk_to_fix(world.minh)
    await world.minh.press("Nothing to add", old)  # pressed again, later
    await world.minh.send("Replaced the kettle")
    assert (await world.case(mine)).draft.get("action") == "Replaced the kettle"


async def test_a_photo_while_a_comment_is_awaited_is_not_filed_on_the_decided_case(
    world: World,
) -> None:
    case_id = await asking_approval(world.lan)
    await world.minh.press("Approve")
    await world.minh.send_photo("selfie-1")
    assert "typed as text" in world.minh.last_text  # the comment still waits
    assert "evidence" not in [e.kind for e in await world.events(case_id)]


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_an_answer_typed_for_a_question_a_colleague_has_answered_meanwhile_is_not_filed(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_fix(person)
    await take_over(world.minh, case_id)
    await world.minh.send("Minh sent a courier with a new cake")
    await world.minh.press("Fixed now")  # the case moves on to the empathy step
    before = await world.case(case_id)
    await person.send("Re-delivered by our own van within the hour")  # for the fix question
    case = await world.case(case_id)
    assert case.version == before.version
    assert case.draft == before.draft
    assert "Re-delivered" not in str([e.data for e in await world.events(case_id)])
    said = "chưa được lưu" if who == "hoa" else "was not saved"
    answer = "\n".join(m.plain_text for m in person.messages[-2:])
    assert said in answer
    assert "Re-delivered by our own van" in answer  # quoted, to send again
    await person.send("She needed the cake for her son's birthday")  # the question shown now
    assert (await world.case(case_id)).state != before.state


async def test_the_owner_types_the_next_answer_after_a_decision_without_being_stopped(
    world: World,
) -> None:
    case_id = await approved_termination(world)
    await offer_goodwill(world.lan, "2tr")  # over the limit: the form waits for Minh
    await world.minh.press("Approve")
    await world.lan.send("She accepted")  # the answer the decision's notice now asks for
    assert "not saved" not in world.lan.last_text
    events = await world.events(case_id)
    assert any("She accepted" in str(e.data) for e in events) or "She accepted" in str(
        (await world.case(case_id)).draft
    )


async def test_a_request_reminder_says_the_staff_member_who_asked_has_left_in_both_languages(
    world: World,
) -> None:
    thu = await second_supervisor(world, "vi")
    await asking_approval(world.lan)
    assert "Lan wants to offer" in world.minh.last_text
    await leaves(world, world.lan)
    world.clock.advance(hours=5)
    assert (await world.scheduler.tick()).sent >= 2
    assert "Approval needed" in world.minh.last_text
    left = "Lan (left: their reminders go to the supervisors) wants to offer"
    assert left in world.minh.last_text
    assert "Lan (đã nghỉ việc, lời nhắc chuyển cho quản lý)" in thu.last_text
