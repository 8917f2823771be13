"""Decisions: nobody decides what they asked for; each decision is named for what it decides.

A supervisor may work on anyone's case. When they enter a compensation above the limit
(or walk a review to its decision) on a staff member's case, the request is theirs: the
request names them, they cannot approve it, and another supervisor decides.
"""

from __future__ import annotations

import pytest

from bot.callbacks import NO_COMMENT
from flows.people import People
from flows.procedures.complaint import Step
from flows.procedures.review import Rung
from flows.scripts import LOCALES
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, staff_and_supervisor
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
    label,
    open_case,
    walk_to_compensate,
    walk_to_fix,
    words,
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


#: The heading of a request for compensation above the staff limit, and who asks, as each
#: reader reads them.
ASKED = {
    "en": ("Approval needed", "{name} wants to offer"),
    "vi": ("Cần duyệt", "{name} muốn đền bù"),
}


async def deciders(world: World, locale: str) -> tuple[Person, Person, Person]:
    """The staff member, the supervisor and a second supervisor (Thu) who read `locale`."""
    person, supervisor = await staff_and_supervisor(world, locale)
    return person, supervisor, await second_supervisor(world, locale)


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_supervisor_cannot_approve_a_compensation_they_entered_on_a_staff_case(
    world: World, locale: str
) -> None:
    person, supervisor, thu = await deciders(world, locale)
    heading, wants = ASKED[locale]
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await take_over(supervisor, case_id)
    await compensate(supervisor, "Refund", "2tr")
    assert (await world.case(case_id)).state == Step.awaiting_approval
    assert not any(heading in m.plain_text for m in supervisor.messages)
    request = thu.last_text
    assert wants.format(name=supervisor.first_name) in request  # who asked, not the owner
    version = (await world.case(case_id)).version
    await supervisor.press_data(f"k:{case_id}:{version}:d:y")
    assert world.api.answers[-1]["text"] == words(supervisor, "approval.not_own")
    assert (await world.case(case_id)).state == Step.awaiting_approval
    await thu.press(label(thu, "Approve"))
    assert (await world.case(case_id)).state == Step.follow_up
    decided = [e.actor_id for e in await world.events(case_id) if e.kind == "approved"]
    assert len(decided) == 1
    for told in (person, supervisor):  # the owner, and who asked
        approved = words(told, "notify.decision.compensation.approved", case=case_id, by="Thu")
        assert approved in told.last_text


async def lone_supervisor_asking(world: World, locale: str) -> tuple[Person, Person, int]:
    """The staff member, and the only supervisor left, who took their complaint over and
    asked for a refund above the limit on it: its request is the supervisor's own."""
    person, supervisor = await staff_and_supervisor(world, locale)
    if supervisor is not world.minh:
        await leaves(world, world.minh)  # Thảo is the only supervisor left
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await take_over(supervisor, case_id)
    await compensate(supervisor, "Refund", "2tr")
    return person, supervisor, case_id


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_lone_supervisor_who_asked_is_told_nobody_else_can_decide(
    world: World, locale: str
) -> None:
    _, supervisor, case_id = await lone_supervisor_asking(world, locale)
    told = "\n".join(m.plain_text for m in supervisor.messages[-2:])
    assert words(supervisor, "approval.nobody_else", case=case_id) in told


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_supervisor_cannot_decide_a_termination_they_requested(
    world: World, locale: str
) -> None:
    person, supervisor, thu = await deciders(world, locale)
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(person, "Lê Văn Tám")
    await take_over(supervisor, case_id)
    await climb_to_decision(supervisor)
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    asked = words(thu, "review.decision_request", case=case_id, staff=supervisor.first_name)
    assert asked in thu.last_text
    version = (await world.case(case_id)).version
    for verdict in "ynl":
        await supervisor.press_data(f"k:{case_id}:{version}:d:{verdict}")
        assert world.api.answers[-1]["text"] == words(supervisor, "approval.not_own")
    assert (await world.case(case_id)).state == Rung.awaiting_decision


#: What a reader would see of a compensation, in words no termination may use.
COMPENSATION = {"en": "ompensation", "vi": "đền bù"}


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_termination_decision_is_announced_as_a_termination_everywhere(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(person, "Lê Văn Tám")
    await climb_to_decision(person)
    await supervisor.press(label(supervisor, "Approve"))
    said = supervisor.messages[-1].plain_text
    owner_told = words(supervisor, "approval.told.owner", owner=person.first_name)
    key = "approval.recorded.termination.approved"
    assert words(supervisor, key, case=case_id, told=owner_told) in said
    told = words(
        person, "notify.decision.termination.approved", case=case_id, by=supervisor.first_name
    )
    assert told in person.last_text
    await supervisor.press(label(supervisor, "Nothing to add"))
    await person.send(f"/case {case_id}")
    timeline = person.last_text
    assert words(person, "event.decision.approved_termination") in timeline
    shown = said + person.messages[-2].plain_text + timeline
    assert COMPENSATION[locale] not in shown


#: The heading of a request for a goodwill offer above the staff limit, and its 2tr.
GOODWILL_ASKED = {
    "en": ("Goodwill offer needs approval", "2,000,000 VND"),
    "vi": ("Cần duyệt khoản hỗ trợ thiện chí", "2.000.000 VND"),
}


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_declined_goodwill_offer_is_announced_as_a_goodwill_decision(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await approved_termination(world, staff=person, supervisor=supervisor)
    await offer_goodwill(person, "2tr")
    assert GOODWILL_ASKED[locale][0] in supervisor.last_text
    await supervisor.press(label(supervisor, "Decline"))
    told = words(
        person, "notify.decision.goodwill.declined", case=case_id, by=supervisor.first_name
    )
    assert told in person.last_text
    events = await world.events(case_id)
    assert events[-1].kind == "declined"
    await person.send(f"/case {case_id}")
    assert words(person, "event.decision.declined_goodwill") in person.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_decision_reminder_shows_the_same_grounds_as_the_first_request(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await add_customer(world, "Lê Văn Tám")
    await open_review(person, "Lê Văn Tám")
    await climb_to_decision(person)
    first = supervisor.last_text
    world.clock.advance(hours=5)
    assert (await world.scheduler.tick()).sent >= 1
    reminder = supervisor.last_text
    assert reminder != first
    assert words(supervisor, "reminder.approval_pending", case=1) in reminder
    for text in (
        "Costs 3× what they bring in",
        "Called Lan names twice",
        words(supervisor, "option.uncivil"),
        "Sent the self-service guide",
        "Proposed prepaid billing",
    ):
        assert text in first
        assert text in reminder
    assert "• —" not in reminder


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_goodwill_request_is_reminded_too(world: World, locale: str) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await approved_termination(world, staff=person, supervisor=supervisor)
    await offer_goodwill(person, "2tr")
    before = len(supervisor.messages)
    world.clock.advance(hours=5)
    await world.scheduler.tick()
    assert len(supervisor.messages) == before + 1
    heading, amount = GOODWILL_ASKED[locale]
    assert heading in supervisor.last_text
    assert amount in supervisor.last_text


async def supervisor_mid_way_through_their_own_case(person: Person, supervisor: Person) -> int:
    """The person asks for 2tr; the supervisor meanwhile opens a complaint of their own, at
    its fix question."""
    await asking_approval(person)
    mine = await open_case(supervisor, customer="Trần Văn Bình")
    await walk_to_fix(supervisor)
    return mine


@pytest.mark.parametrize("locale", LOCALES)
async def test_deciding_in_the_middle_of_their_own_case_leaves_the_supervisors_place(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    mine = await supervisor_mid_way_through_their_own_case(person, supervisor)
    approve = label(supervisor, "Approve")
    request = next(
        m for m in reversed(supervisor.messages) if any(approve in b for b in m.button_labels)
    )
    await supervisor.press(approve, request)
    assert words(supervisor, "approval.kept_focus") in supervisor.last_text
    await supervisor.send("Replaced the kettle")
    assert (await world.case(mine)).draft.get("action") == "Replaced the kettle"
    await supervisor.send_photo("kettle-1")  # evidence for their own case, not the person's
    assert "evidence" in [e.kind for e in await world.events(mine)]


@pytest.mark.parametrize("locale", LOCALES)
async def test_an_old_no_comment_button_leaves_what_the_supervisor_went_on_to(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await asking_approval(person)
    await supervisor.press(label(supervisor, "Approve"))
    old = world.api.last_with_buttons(supervisor.chat_id)
    assert old is not None
    await supervisor.press(label(supervisor, "Nothing to add"), old)
    mine = await open_case(supervisor, customer="Trần Văn Bình")
    await walk_to_fix(supervisor)
    gone = world.api.find_message(supervisor.chat_id, old.message_id)
    assert gone is not None
    assert not gone.buttons  # the button went as soon as it was used
    await supervisor.press_data(NO_COMMENT, old.message_id)  # pressed again, later (a copy)
    await supervisor.send("Replaced the kettle")
    assert (await world.case(mine)).draft.get("action") == "Replaced the kettle"


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_photo_while_a_comment_is_awaited_is_not_filed_on_the_decided_case(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await asking_approval(person)
    await supervisor.press(label(supervisor, "Approve"))
    await supervisor.send_photo("selfie-1")
    # the comment still waits
    assert words(supervisor, "approval.comment_not_typed") in supervisor.last_text
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


#: How each reader is told that what they typed was not saved.
NOT_SAVED = {"en": "not saved", "vi": "chưa được lưu"}


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_owner_types_the_next_answer_after_a_decision_without_being_stopped(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await approved_termination(world, staff=person, supervisor=supervisor)
    await offer_goodwill(person, "2tr")  # over the limit: the form waits for the supervisor
    await supervisor.press(label(supervisor, "Approve"))
    await person.send("She accepted")  # the answer the decision's notice now asks for
    assert NOT_SAVED[locale] not in person.last_text
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
