"""A note, a reason or a file the case asked for (📝 Add a note, ⚠ Escalate, ✖ Cancel
case, ⏭ Skip rung, 📎 Attach evidence pressed) and never typed or sent when the case ends or
leaves the person — their own answer closing it, a supervisor cancelling it, taking it over
or working it to its close — and an incident still being documented on a case that ends,
are said, in the person's language, never to have been added and why, with what they can
still do.
Before, the answer that closed the case, and the notices of the rest, said nothing of them:
the note, the reason, the half-written incident were silently lost."""

from __future__ import annotations

import pytest

from flows.procedures.base import PROMPTS
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_supervisor_hands_a_case_over import TAKE_IT, hand_over
from tests.bot.test_an_incident_being_written_outlives_what_others_do_to_the_case import (
    start_an_incident,
)
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import choose, compensate, label, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio


async def at_the_follow_up_result(person: Person) -> int:
    """A complaint walked to its last question (how the follow-up went): answered
    "Satisfied", it closes."""
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person)
    await person.press(label(person, "In 3 days"))
    return case_id


async def asked_for(world: World, person: Person, case_id: int, prompt: str) -> None:
    """Press the case card's button that asks for `prompt` (a note, a reason, a file)."""
    version = (await world.case(case_id)).version
    await person.press_data(f"k:{case_id}:{version}:a:{prompt}")
    assert words(person, f"ask.{prompt}", case=case_id) in person.last_text


async def satisfied(world: World, person: Person, case_id: int) -> None:
    """Answer "Satisfied" on the case's card, below which the prompt was asked."""
    card = world.api.find_message(person.chat_id, await world.card_message_id(case_id))
    assert card is not None
    [data] = [
        b.callback_data
        for row in card.buttons
        for b in row
        if (b.callback_data or "").endswith(":c:satisfied")
    ]
    await person.press(str(data), card)
    assert (await world.case(case_id)).state == "closed"


#: What a complaint asks for beside its question (a rung is skipped in a review only).
COMPLAINTS = [p for p in PROMPTS if p != "skip_reason"]


def said_since(person: Person, before: int) -> str:
    return "\n".join(m.plain_text for m in person.messages[before:])


@pytest.mark.parametrize("prompt", COMPLAINTS)
@pytest.mark.parametrize("locale", LOCALES)
async def test_the_answer_that_closes_the_case_says_what_was_asked_for_was_never_added(
    world: World, locale: str, prompt: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await at_the_follow_up_result(person)
    await asked_for(world, person, case_id, prompt)
    before = len(person.messages)
    await satisfied(world, person, case_id)
    said = said_since(person, before)
    assert words(person, f"left.{prompt}", case=case_id) in said
    assert words(person, f"aside.{prompt}", case=case_id) not in said


async def a_note_said_never_added(world: World, locale: str) -> tuple[Person, Person, int]:
    """A supervisor cancels a case while its owner's note prompt is open: the owner is told
    the note was never added."""
    owner, supervisor = await staff_and_supervisor(world, locale)
    case_id = await open_case(owner)
    await asked_for(world, owner, case_id, "note")
    version = (await world.case(case_id)).version
    await supervisor.press_data(f"k:{case_id}:{version}:a:cancel_reason")
    await supervisor.send("Duplicate of case 7")
    assert words(owner, "left.note", case=case_id) in owner.last_text
    return owner, supervisor, case_id


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_supervisor_cancelling_the_case_tells_its_owner_their_note_was_never_added(
    world: World, locale: str
) -> None:
    owner, supervisor, case_id = await a_note_said_never_added(world, locale)
    assert (await world.case(case_id)).state == "cancelled"
    assert owner.last_text.startswith(
        words(
            owner,
            "notify.case_cancelled",
            by=supervisor.first_name,
            case=case_id,
            reason="Duplicate of case 7",
        )
    )


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_supervisor_taking_the_case_tells_its_former_owner_their_file_was_never_added(
    world: World, locale: str
) -> None:
    owner, supervisor = await staff_and_supervisor(world, locale)
    case_id = await open_case(owner)
    await asked_for(world, owner, case_id, "evidence")
    await hand_over(supervisor, case_id, TAKE_IT[locale])
    told = owner.last_text
    assert told.startswith(
        words(owner, "notify.taken_away", by=supervisor.first_name, case=case_id)
    )
    assert words(owner, "left.evidence", case=case_id) in told


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_supervisor_closing_the_case_tells_its_owner_their_reason_was_never_added(
    world: World, locale: str
) -> None:
    owner, supervisor = await staff_and_supervisor(world, locale)
    case_id = await at_the_follow_up_result(owner)
    await asked_for(world, owner, case_id, "escalate_reason")
    await supervisor.send(f"/case {case_id}")
    await supervisor.press(words(supervisor, "button.carry_on"))
    await satisfied(world, supervisor, case_id)
    told = said_since(owner, len(owner.messages) - 2)
    assert words(owner, "left.escalate_reason", case=case_id) in told


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_case_left_with_nothing_asked_for_tells_of_nothing_left(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await at_the_follow_up_result(person)
    before = len(person.messages)
    await satisfied(world, person, case_id)
    said = said_since(person, before)
    assert not any(words(person, f"left.{p}", case=case_id) in said for p in PROMPTS)


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_review_cancelled_while_a_rung_was_being_skipped_says_the_rung_was_not_skipped(
    world: World, locale: str
) -> None:
    owner, supervisor = await staff_and_supervisor(world, locale)
    await add_customer(world, "Trần Văn Bình")
    case_id = await open_review(owner, "Trần Văn Bình")
    await asked_for(world, owner, case_id, "skip_reason")
    version = (await world.case(case_id)).version
    await supervisor.press_data(f"k:{case_id}:{version}:a:cancel_reason")
    await supervisor.send("Opened by mistake")
    assert (await world.case(case_id)).state == "cancelled"
    assert words(owner, "left.skip_reason", case=case_id) in owner.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_case_cancelled_while_an_incident_was_being_documented_says_it_was_not_recorded(
    world: World, locale: str
) -> None:
    owner, supervisor = await staff_and_supervisor(world, locale)
    case_id = await open_case(owner)
    version = (await world.case(case_id)).version
    await owner.press_data(f"k:{case_id}:{version}:a:incident")
    await choose(owner, "abuse_of_staff")  # its kind chosen, its day and words still to come
    version = (await world.case(case_id)).version
    await supervisor.press_data(f"k:{case_id}:{version}:a:cancel_reason")
    await supervisor.send("Opened by mistake")
    assert (await world.case(case_id)).state == "cancelled"
    assert words(owner, "left.incident", case=case_id) in owner.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_follow_up_closing_the_case_from_its_reminder_says_the_incident_was_not_recorded(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await at_the_follow_up_result(person)
    await start_an_incident(world, person, case_id)
    waiting = (await world.case(case_id)).draft["_waiting_since"]
    before = len(person.messages)
    await person.press_data(f"k:{case_id}:{waiting}:f:satisfied")  # from its reminder
    assert (await world.case(case_id)).state == "closed"
    assert words(person, "left.incident", case=case_id) in said_since(person, before)


@pytest.mark.parametrize("command", ["/new", "/cases"])
@pytest.mark.parametrize("locale", LOCALES)
async def test_a_note_said_never_added_is_not_said_again_by_the_next_command(
    world: World, locale: str, command: str
) -> None:
    owner, _, case_id = await a_note_said_never_added(world, locale)
    before = len(owner.messages)
    await owner.send(command)
    said = said_since(owner, before)
    assert words(owner, "left.note", case=case_id) not in said
    assert words(owner, "aside.note", case=case_id) not in said


@pytest.mark.parametrize("locale", LOCALES)
async def test_text_typed_after_a_note_said_never_added_is_quoted_back_as_meant_for_the_case(
    world: World, locale: str
) -> None:
    owner, _, case_id = await a_note_said_never_added(world, locale)
    await owner.send("Khách đã nhận lại hàng")
    quoted = words(owner, "error.case_ended_typed", case=case_id, text="Khách đã nhận lại hàng")
    assert owner.last_text == quoted
