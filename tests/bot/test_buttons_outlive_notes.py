"""Buttons about a request, a follow-up or a promised fix answer that one thing: a note or a
photo added meanwhile leaves them working, and they go stale only when it changes.

Each of these once answered "already decided, or the case has moved on" after a note: the
buttons carried the case's version, which every note moves on.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.procedures.complaint import Step
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_reminders import (
    TUESDAY_9AM,
    case_waiting_for_follow_up,
    promised_fix,
    reminder_texts,
)
from tests.bot.walk import asking_approval, compensate

pytestmark = pytest.mark.asyncio

NOTE = {"en": "📝 Add a note", "vi": "📝 Thêm ghi chú"}
ATTACH = {"en": "📎 Attach evidence", "vi": "📎 Đính kèm"}


async def add_note_and_photo(world: World, person: Person, case_id: int) -> None:
    """The owner notes the customer's call on the case's card, then attaches a photo of
    the receipt."""
    note, attach = NOTE[person.language_code], ATTACH[person.language_code]
    card = next(m for m in reversed(person.messages) if note in m.button_labels)
    await person.press(note, card)
    await person.send("Khách gọi lại, hỏi khi nào được hoàn tiền")
    card = next(m for m in reversed(person.messages) if attach in m.button_labels)
    await person.press(attach, card)
    await person.send_photo("receipt-1")
    assert [e.kind for e in await world.events(case_id)][-2:] == ["note", "evidence"]


@pytest.mark.parametrize("owner", ["lan", "hoa"])
async def test_a_supervisor_decides_a_request_after_the_owner_added_a_note_and_a_photo(
    world: World, owner: str
) -> None:
    person = getattr(world, owner)
    case_id = await asking_approval(person)
    request = world.api.last_with_buttons(world.minh.chat_id)
    await add_note_and_photo(world, person, case_id)
    assert request is not None
    decline = request.find_button("Decline").callback_data
    await world.minh.press("Approve", request)
    case = await world.case(case_id)
    assert (case.state, case.compensation_total) == (Step.follow_up, 2_000_000)
    await world.minh.press_data(str(decline), request.message_id)  # the spent buttons
    assert "already been decided" in world.api.answers[-1]["text"]
    assert (await world.case(case_id)).compensation_total == 2_000_000


async def test_a_request_withdrawn_by_going_back_cannot_be_decided_from_its_old_buttons(
    world: World,
) -> None:
    case_id = await asking_approval(world.lan)
    first = world.api.last_with_buttons(world.minh.chat_id)
    assert first is not None
    approve = next(b.callback_data for row in first.buttons for b in row if "Approve" in b.text)
    await world.lan.press("Back a step")
    await world.work_done()  # the copies are redrawn off the lane
    assert "Lan withdrew the request on case" in world.minh.last_text
    assert "✅ Approve" not in first.button_labels  # the copy no longer looks open
    case = await world.case(case_id)
    assert (case.state, case.compensation_value, case.compensation_total) == (
        Step.compensate,
        None,
        0,
    )
    await compensate(world.lan, "Refund", "3tr")  # asked again, for another amount
    await world.minh.press_data(str(approve), first.message_id)  # a keyboard shown before
    case = await world.case(case_id)
    assert (case.state, case.compensation_value) == (Step.awaiting_approval, 3_000_000)
    await world.minh.press("Approve", world.api.last_with_buttons(world.minh.chat_id))
    assert (await world.case(case_id)).compensation_total == 3_000_000


async def test_the_reminder_of_a_request_still_comes_after_a_note_and_decides_it(
    world: World,
) -> None:
    case_id = await asking_approval(world.lan)
    await add_note_and_photo(world, world.lan, case_id)
    world.clock.advance(hours=5)
    assert (await world.scheduler.tick()).sent == 1
    assert "Still waiting for a decision" in world.minh.last_text
    await world.minh.press("Approve")
    assert (await world.case(case_id)).state == Step.follow_up


@pytest.mark.parametrize(("owner", "satisfied"), [("lan", "Satisfied"), ("hoa", "😊 Hài lòng")])
async def test_a_follow_up_reminder_closes_the_case_after_a_note(
    world: World, owner: str, satisfied: str
) -> None:
    person = getattr(world, owner)
    case_id = await case_waiting_for_follow_up(person)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    reminder = world.api.last_with_buttons(person.chat_id)
    await add_note_and_photo(world, person, case_id)
    await person.press(satisfied, reminder)
    case = await world.case(case_id)
    assert (case.state, case.resolution) == (Step.closed, "resolved")


async def test_a_follow_up_reminder_is_stale_once_the_follow_up_is_moved(world: World) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    reminder = world.api.last_with_buttons(world.lan.chat_id)
    assert reminder is not None
    satisfied = str(reminder.find_button("Satisfied").callback_data)
    await world.lan.press("in 1 hour", reminder)  # no answer: asked again in an hour
    assert "Satisfied" not in str(reminder.button_labels)  # gone with the wait it answered
    await world.lan.press_data(satisfied, reminder.message_id)  # a client that kept it
    case = await world.case(case_id)
    assert (case.state, case.follow_up_due_at) == (
        Step.awaiting_follow_up,
        TUESDAY_9AM + timedelta(hours=1),
    )
    world.clock.advance(hours=1)
    await world.scheduler.tick()
    await world.lan.press("Satisfied")  # the new reminder's
    assert (await world.case(case_id)).state == Step.closed
    assert len(reminder_texts(world.lan, "Time to follow up")) == 2


async def test_a_promised_fix_is_confirmed_from_its_reminder_after_the_case_moved_on(
    world: World,
) -> None:
    case_id = await promised_fix(world.lan)
    world.clock.advance(hours=2)
    await world.scheduler.tick()
    reminder = world.api.last_with_buttons(world.lan.chat_id)
    await world.lan.send("She needed the cake for her son's birthday")  # step 3 done since
    await world.lan.press("Done", reminder)
    case = await world.case(case_id)
    assert (case.state, case.promised_fix_at) == (Step.compensate, None)
    await world.lan.press("Done", reminder)  # the promise is kept already: nothing to do
    assert [e.kind for e in await world.events(case_id)].count("fix_done") == 1


@pytest.mark.parametrize(
    ("owner", "cancel"), [("lan", "Cancel (mistake)"), ("hoa", "Hủy (tạo nhầm)")]
)
async def test_supervisors_asked_for_a_decision_are_told_when_the_case_is_cancelled(
    world: World, owner: str, cancel: str
) -> None:
    person = getattr(world, owner)
    case_id = await asking_approval(person)
    await person.press(cancel)
    await person.send("Khách rút khiếu nại")
    assert (await world.case(case_id)).state == "cancelled"
    assert f"withdrew the request on case #{case_id}" in world.minh.last_text  # in his language
