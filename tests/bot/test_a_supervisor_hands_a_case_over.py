"""A supervisor hands a case over to another active member of staff, or takes it themselves.

The case's owner changes with a timeline event saying who handed it from whom to whom; its
pending reminders go to the new owner, who gets the case at its step and carries it on; the
former owner, if still active, is told; a request waiting for a decision keeps waiting, its
answer now for the new owner. Only supervisors may hand over; a forged press or one drawn
before the case changed changes nothing.
"""

from __future__ import annotations

import pytest

from flows.model import ReminderStatus
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_cases_of_someone_who_left_have_someone_told import quang
from tests.bot.test_people_lifecycle import deactivate, staff_row
from tests.bot.test_reminders import TUESDAY_9AM, case_waiting_for_follow_up
from tests.bot.walk import asking_approval, label, open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

HAND_OVER = {"en": "🔁 Hand over", "vi": "🔁 Chuyển giao"}
TAKE_IT = {"en": "🙋 Take it myself", "vi": "🙋 Nhận về mình"}
EVENT = {"en": "Case handed over", "vi": "Chuyển giao hồ sơ"}
FROM_TO = {"en": "From {giver} to {taker}", "vi": "Từ {giver} sang {taker}"}


async def owner_of(world: World, case_id: int) -> int:
    return (await world.case(case_id)).owner_id


async def hand_over(supervisor: Person, case_id: int, to: str) -> None:
    """From `/case N`, as a supervisor opens someone else's case: hand it over to `to`."""
    await supervisor.send(f"/case {case_id}")
    await supervisor.press(HAND_OVER[supervisor.language_code or "en"])
    await supervisor.press(to)


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_an_open_complaint_handed_over_mid_step_is_carried_on_by_the_new_owner_from_there(
    world: World, language: str
) -> None:
    supervisor = world.minh if language == "en" else await quang(world)
    taker = world.bernd if language == "en" else world.hoa
    case_id = await open_case(world.lan)
    await walk_to_fix(world.lan)  # at step 2: what was done to fix it
    before = (await world.case(case_id)).state
    await hand_over(supervisor, case_id, f"👤 {taker.first_name}")
    case = await world.case(case_id)
    assert case.owner_id == (await staff_row(world, taker)).id
    assert case.state == before  # at the same step
    done = {
        "en": f"Case #{case_id} handed over from Lan to Bernd",
        "vi": f"Đã chuyển hồ sơ #{case_id} từ Lan sang Hòa",
    }
    assert done[language] in supervisor.last_text
    told = {"en": "handed case #{case} over to you", "vi": "đã chuyển hồ sơ #{case} cho bạn"}
    assert told[language].format(case=case_id) in taker.last_text
    assert ("Step 2 of 5" if language == "en" else "Bước 2/5") in taker.last_text
    await taker.send("Giao lại bằng xe riêng trong 1 giờ")  # the step's question, answered
    await taker.press(label(taker, "Fixed now"))
    assert (await world.case(case_id)).state != before
    assert ("Step 3 of 5" if language == "en" else "Bước 3/5") in taker.last_text
    assert f"over to {taker.first_name}" in world.lan.last_text  # the former owner is told
    assert not world.lan.last.buttons  # it is not theirs to open any more
    await world.lan.send(f"/case {case_id}")
    assert f"Case #{case_id} was handed over and is with {taker.first_name} now" in (
        world.lan.last_text
    )


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_supervisor_hands_over_a_case_of_someone_who_left_from_the_notice(
    world: World, language: str
) -> None:
    supervisor = world.minh if language == "en" else await quang(world)
    case_id = await case_waiting_for_follow_up(world.lan)
    await deactivate(world, world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    heading = "Lan has left" if language == "en" else "Lan đã nghỉ việc"
    [notice] = [m for m in supervisor.messages if heading in m.plain_text]
    await supervisor.press(f"{HAND_OVER[language]} #{case_id}", notice)
    await supervisor.press(TAKE_IT[language])
    assert await owner_of(world, case_id) == (await staff_row(world, supervisor)).id
    assert f"#{case_id}" in supervisor.last_text  # the case, to carry on at once
    assert supervisor.last.buttons


def reminded(person: Person, case_id: int) -> list[str]:
    """The follow-up reminders of the case that reached `person` (by their buttons)."""
    return [
        m.plain_text
        for m in person.messages
        if any(
            f"k:{case_id}:" in (b.callback_data or "") and ":f:" in (b.callback_data or "")
            for row in m.buttons
            for b in row
        )
    ]


async def test_the_reminders_of_a_case_handed_over_reach_the_new_owner_only(
    world: World,
) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    await hand_over(world.minh, case_id, "👤 Hòa")
    lan_before, minh_before = len(world.lan.messages), len(world.minh.messages)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    await world.scheduler.tick()
    [text] = reminded(world.hoa, case_id)
    assert "Hòa" in text  # her call now: the script names her
    assert len(world.lan.messages) == lan_before
    assert len(world.minh.messages) == minh_before
    hoa = (await staff_row(world, world.hoa)).id
    pending = [r for r in await world.reminders() if r.case_id == case_id]
    assert all(r.recipient_id == hoa for r in pending if r.status == ReminderStatus.pending)


async def test_the_reminders_handed_to_the_supervisors_when_the_owner_left_go_to_the_new_owner(
    world: World,
) -> None:
    second = await quang(world)
    case_id = await case_waiting_for_follow_up(world.lan)
    await deactivate(world, world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()  # Lan's follow-up, due now, handed to both supervisors
    copies = [r for r in await world.reminders() if (r.dedupe_key or "").startswith("handover:")]
    assert len(copies) == 2
    await hand_over(world.minh, case_id, "👤 Hòa")
    await world.scheduler.tick()
    await world.scheduler.tick()
    assert reminded(world.hoa, case_id)
    assert not reminded(world.minh, case_id)
    assert not reminded(second, case_id)


async def test_a_request_waiting_when_handed_over_waits_on_and_its_answer_goes_to_the_new_owner(
    world: World,
) -> None:
    case_id = await asking_approval(world.lan, "2tr")
    request = next(m for m in reversed(world.minh.messages) if f"#{case_id}" in m.plain_text)
    await world.minh.send(f"/case {case_id}")
    await world.minh.press("🔁 Hand over")
    await world.minh.press("👤 Hòa")
    assert (await world.case(case_id)).state == "awaiting_approval"
    lan_before = len(world.lan.messages)
    await world.minh.press("✅ Approve", request)
    assert (await world.case(case_id)).state == "follow_up"
    assert any("đã duyệt" in m.plain_text.lower() for m in world.hoa.messages[-2:]), [
        m.plain_text for m in world.hoa.messages[-2:]
    ]
    assert len(world.lan.messages) == lan_before


async def test_staff_never_see_the_hand_over_button(world: World) -> None:
    case_id = await open_case(world.lan)
    assert not any("Hand over" in b for b in world.lan.buttons)
    await world.lan.send(f"/case {case_id}")
    assert not any("Hand over" in b for b in world.lan.buttons)
    await world.minh.send(f"/case {case_id}")
    assert "🔁 Hand over" in world.minh.buttons


@pytest.mark.parametrize("who", ["lan", "hoa", "stranger"])
async def test_a_forged_hand_over_press_by_staff_or_a_stranger_is_refused_and_changes_nothing(
    world: World, who: str
) -> None:
    case_id = await open_case(world.lan)
    case = await world.case(case_id)
    hoa = (await staff_row(world, world.hoa)).id
    presser: Person = getattr(world, who)
    events = len(await world.events(case_id))
    for arg in ("o", f"s{hoa}"):
        answers = len(world.api.answers)
        await presser.press_data(f"k:{case_id}:{case.version}:h:{arg}")
        assert len(world.api.answers) == answers + 1  # answered, once
        if who != "stranger":
            toast = world.api.answers[-1].get("text") or ""
            assert "Only a supervisor can hand a case over" in toast or (
                "Chỉ quản lý mới chuyển giao được hồ sơ" in toast
            ), toast
    assert await owner_of(world, case_id) == case.owner_id
    assert len(await world.events(case_id)) == events
    assert not any("Who should take" in m.plain_text for m in presser.messages)
    assert not any("cho ai?" in m.plain_text for m in presser.messages)


async def test_a_hand_over_pressed_after_the_case_changed_changes_nothing(world: World) -> None:
    case_id = await open_case(world.lan)
    await world.minh.send(f"/case {case_id}")
    await world.minh.press("🔁 Hand over")
    picker = world.minh.last
    hoa = next(b.callback_data for row in picker.buttons for b in row if b.text == "👤 Hòa")
    await walk_to_fix(world.lan)  # the case moves on meanwhile: the list's buttons go
    shown = world.api.find_message(world.minh.chat_id, picker.message_id)
    assert shown is not None
    assert not shown.buttons
    lan = (await staff_row(world, world.lan)).id
    await world.minh.press_data(str(hoa), picker.message_id)  # an old copy pressed
    assert await owner_of(world, case_id) == lan
    assert not any(e.kind == "handed_over" for e in await world.events(case_id))


async def test_handing_a_case_to_its_owner_or_to_someone_who_left_is_refused(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    case = await world.case(case_id)
    lan = (await staff_row(world, world.lan)).id
    bernd = (await staff_row(world, world.bernd)).id
    await deactivate(world, world.bernd)
    for taker in (lan, bernd, 999_999):
        await world.minh.press_data(f"k:{case_id}:{case.version}:h:s{taker}")
        assert await owner_of(world, case_id) == lan
    assert not any(e.kind == "handed_over" for e in await world.events(case_id))
    await world.minh.send(f"/case {case_id}")
    await world.minh.press("🔁 Hand over")
    labels = world.minh.buttons
    assert "👤 Lan" not in labels  # its owner is not offered
    assert "👤 Bernd" not in labels  # nor someone who left
    assert "👤 Hòa" in labels
    assert "🙋 Take it myself" in labels


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_timeline_shows_who_handed_the_case_from_whom_to_whom(
    world: World, language: str
) -> None:
    supervisor = world.minh if language == "en" else await quang(world)
    case_id = await open_case(world.lan)
    await hand_over(supervisor, case_id, "👤 Hòa")
    [event] = [e for e in await world.events(case_id) if e.kind == "handed_over"]
    assert event.actor_id == (await staff_row(world, supervisor)).id
    assert event.data["from_name"] == "Lan"
    assert event.data["to_name"] == "Hòa"
    await supervisor.send(f"/case {case_id}")
    timeline = supervisor.last_text
    assert EVENT[language] in timeline
    assert FROM_TO[language].format(giver="Lan", taker="Hòa") in timeline


async def test_the_picker_pages_through_many_people(world: World) -> None:
    from flows.people import People
    from storage.uow import SqlUnitOfWork

    async with SqlUnitOfWork(world.services.sessions) as uow:
        people = People(uow, world.services.policy, world.clock)
        for n in range(12):
            await people.register(5000 + n, f"Staff {n:02d}", "staff", "en")
        await uow.commit()
    case_id = await open_case(world.lan)
    await world.minh.send(f"/case {case_id}")
    await world.minh.press("🔁 Hand over")
    first = world.minh.last
    assert "Next ▶" in first.button_labels
    await world.minh.press("Next ▶", first)
    turned = world.minh.last  # the same message, its page turned
    assert turned.message_id == first.message_id
    assert "◀ Previous" in turned.button_labels
    await world.minh.press("👤 Staff 11", turned)
    assert "Staff 11" in world.minh.last_text
    assert any(e.kind == "handed_over" for e in await world.events(case_id))


NOBODY_TO_DECIDE = {
    "en": "With Minh on it, no supervisor would be left to make it",
    "vi": "Nếu giao cho Quang thì sẽ không còn quản lý nào quyết định được",
}


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_only_supervisor_who_may_decide_a_waiting_request_cannot_take_its_case(
    world: World, language: str
) -> None:
    """Nobody decides on their own case or request: taken by the one supervisor who could
    decide, the request would wait on nobody, its card promising a decision to come."""
    if language == "vi":
        supervisor = await quang(world)
        case_id = await asking_approval(world.lan, "2tr")
        await deactivate(world, world.minh)  # Quang alone may decide now
    else:
        supervisor = world.minh
        case_id = await asking_approval(world.lan, "2tr")
    lan = (await staff_row(world, world.lan)).id
    await hand_over(supervisor, case_id, TAKE_IT[language])
    assert NOBODY_TO_DECIDE[language] in supervisor.last_text
    case = await world.case(case_id)
    assert case.owner_id == lan
    assert case.state == "awaiting_approval"
    assert not any(e.kind == "handed_over" for e in await world.events(case_id))
    await supervisor.send("/approvals")
    await supervisor.press(f"#{case_id}")  # it can still be decided, then handed over
    await supervisor.press("✅ Approve" if language == "en" else "✅ Duyệt")
    assert (await world.case(case_id)).state == "follow_up"
    await hand_over(supervisor, case_id, TAKE_IT[language])
    assert await owner_of(world, case_id) == (await staff_row(world, supervisor)).id


async def test_a_waiting_request_may_go_with_its_case_to_a_supervisor_while_another_may_decide(
    world: World,
) -> None:
    second = await quang(world)
    case_id = await asking_approval(world.lan, "2tr")
    await hand_over(world.minh, case_id, "🙋 Take it myself")
    assert await owner_of(world, case_id) == (await staff_row(world, world.minh)).id
    await second.send("/approvals")
    await second.press(f"#{case_id}")
    await second.press("✅ Duyệt")
    assert (await world.case(case_id)).state == "follow_up"


NOT_YOURS_NOW = {
    "en": "Case #{case} was handed over and is with Hòa now: it is no longer yours",
    "vi": "Hồ sơ #{case} đã được chuyển giao, hiện do Lan phụ trách nên bạn không làm tiếp",
}


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_former_owners_old_card_loses_its_buttons_and_says_whose_the_case_is_now(
    world: World, language: str
) -> None:
    former, taker = (world.lan, "👤 Hòa") if language == "en" else (world.hoa, "👤 Lan")
    case_id = await open_case(former)
    card = world.api.last_with_buttons(former.chat_id)
    assert card is not None
    [calm] = [
        b.callback_data
        for row in card.buttons
        for b in row
        if b.text.endswith("Calm") or b.text.endswith(label(former, "Calm"))
    ]
    await hand_over(world.minh, case_id, taker)
    again = world.api.find_message(former.chat_id, card.message_id)
    assert again is not None
    assert not again.button_labels  # told it went, nothing on the card answers any more
    events = len(await world.events(case_id))
    await former.press_data(str(calm), card.message_id)  # pressed before the buttons went
    toast = world.api.answers[-1].get("text") or ""
    assert NOT_YOURS_NOW[language].format(case=case_id) in toast, toast
    assert (await world.case(case_id)).state == "apologise"
    assert len(await world.events(case_id)) == events
    await former.send(f"/case {case_id}")
    assert NOT_YOURS_NOW[language].format(case=case_id) in former.last_text
    await world.bernd.send(f"/case {case_id}")  # staff who never had it learn nothing
    assert f"There is no case #{case_id} that you can open" in world.bernd.last_text
