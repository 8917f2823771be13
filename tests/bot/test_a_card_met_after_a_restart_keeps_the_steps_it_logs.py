"""A card the bot drew before it restarted keeps the steps it logs: the new process does
not know what that message shows, so it leaves it as it is and only takes its buttons; the
step just done is logged on the new card below. So for any button of it, in every procedure
(complaint, review and its ladder, exit interview, check-in), the owner's or a supervisor's.

Before, the old message was edited to show only the step just done, or deleted where the
card came anew for another reason (▶ Carry on with this case under a prompt): the steps it
had logged were gone from the chat, which a process that had not restarted kept; a press
that completed no step (an answer within a step, a box ticked, going back) edited the old
message in place, its log lost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World, restarted
from tests.bot.test_every_careless_step_is_answered_in_the_readers_language import (
    registered_thao,
)
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import choose, label, open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

OPENING = {"lan": "✅ #1 · Record the complaint", "hoa": "✅ #1 · Tiếp nhận khiếu nại"}
STEP_ONE = {"lan": "✅ #1 · Step 1 of 5", "hoa": "✅ #1 · Bước 1/5"}
NOTE_CARRY_ON = {
    "lan": ("📝 Add a note", "▶ Carry on with this case"),
    "hoa": ("📝 Thêm ghi chú", "▶ Làm tiếp hồ sơ này"),
}


def chat_text(world: World, person: Person) -> str:
    return "\n".join(m.plain_text for m in world.api.messages(person.chat_id))


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_step_done_after_a_restart_leaves_the_steps_the_old_card_logs(
    world: World, database_url: str, who: str
) -> None:
    person: Person = getattr(world, who)
    await open_case(person)
    old = person.last
    await person.press(label(person, "Calm"))
    async with restarted(world, database_url):
        await person.press(label(person, "Skip"), old)
        shown = world.api.find_message(person.chat_id, old.message_id)
        assert shown is not None
        assert not shown.deleted
        assert OPENING[who] in shown.plain_text  # logged before the restart: still there
        assert not shown.button_labels
        assert STEP_ONE[who] in person.last.plain_text  # the step done, on the new card
        assert chat_text(world, person).count(STEP_ONE[who]) == 1


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_carry_on_after_a_restart_leaves_the_old_card_in_the_chat(
    world: World, database_url: str, who: str
) -> None:
    person: Person = getattr(world, who)
    await open_case(person)
    old = person.last
    note, carry_on = NOTE_CARRY_ON[who]
    await person.press(note)
    prompt = person.last
    async with restarted(world, database_url):
        await person.press(carry_on, prompt)
        shown = world.api.find_message(person.chat_id, old.message_id)
        assert shown is not None
        assert not shown.deleted
        assert OPENING[who] in shown.plain_text
        assert not shown.button_labels  # the card is the new one below
        assert person.last.button_labels


#: "Back a step", in each language.
BACK = {"en": "↩ Go back a step", "vi": "↩ Lùi một bước"}
WHO = {"en": "lan", "vi": "hoa"}
CARRY_ON = {"en": "▶ Carry on", "vi": "▶ Làm tiếp"}
CHECK_IN = {"en": "Check-in call", "vi": "Hỏi thăm khách"}
#: A customer on record, for the procedures that start from one.
CUSTOMER = "Lê Văn Tám"


async def a_press_after_a_restart_leaves_the_old_card_as_it_was(
    world: World, database_url: str, person: Person, press: Callable[[], Awaitable[object]]
) -> None:
    """`press` a button of the card `person` has on screen, once the bot restarted: the old
    message keeps all it shows (the steps it logs above the card included) and loses its
    buttons; the card comes anew below it."""
    old = world.api.last_with_buttons(person.chat_id)
    assert old is not None
    before = old.plain_text
    async with restarted(world, database_url, person):
        await press()
        shown = world.api.find_message(person.chat_id, old.message_id)
        assert shown is not None
        assert not shown.deleted
        assert shown.plain_text == before  # not a word of it lost
        assert not shown.button_labels
        assert person.last.message_id != old.message_id
        assert person.last.button_labels  # the card, anew


def staff(world: World, language: str) -> Person:
    person: Person = getattr(world, WHO[language])
    return person


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_an_answer_that_completes_no_step_leaves_the_steps_the_old_card_logs(
    world: World, database_url: str, language: str
) -> None:
    person = staff(world, language)
    await open_case(person)
    assert OPENING[WHO[language]] in person.last.plain_text
    await a_press_after_a_restart_leaves_the_old_card_as_it_was(
        world, database_url, person, lambda: choose(person, "calm")
    )


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_going_back_a_step_after_a_restart_leaves_the_steps_the_old_card_logs(
    world: World, database_url: str, language: str
) -> None:
    person = staff(world, language)
    await open_case(person)
    await walk_to_fix(person)
    await a_press_after_a_restart_leaves_the_old_card_as_it_was(
        world, database_url, person, lambda: person.press(BACK[language])
    )


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_reason_ticked_after_a_restart_leaves_the_rungs_the_old_card_logs(
    world: World, database_url: str, language: str
) -> None:
    person = staff(world, language)
    await add_customer(world, CUSTOMER)
    await open_review(person, CUSTOMER)
    for rung in ("Called them", "Sent the guide", "New terms", "Prepaid billing"):
        await person.send(rung)
        await choose(person, "not_resolved")
    assert "✅ #1" in person.last.plain_text  # the rungs climbed, logged on the card
    await a_press_after_a_restart_leaves_the_old_card_as_it_was(
        world, database_url, person, lambda: choose(person, "unprofitable")
    )


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize(
    ("entry", "answer"),
    [("/exit", "price_quality"), ("/problem", "wait")],
    ids=["exit interview", "review"],
)
async def test_any_procedures_card_pressed_after_a_restart_stays_as_it_was(
    world: World, database_url: str, language: str, entry: str, answer: str
) -> None:
    person = staff(world, language)
    await add_customer(world, CUSTOMER)
    await person.send(entry)
    await person.send(CUSTOMER)
    await person.press(CUSTOMER)
    if entry == "/problem":
        await person.send("Called them")
    await a_press_after_a_restart_leaves_the_old_card_as_it_was(
        world, database_url, person, lambda: choose(person, answer)
    )


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_check_ins_card_pressed_after_a_restart_stays_as_it_was(
    world: World, database_url: str, language: str
) -> None:
    person = staff(world, language)
    await add_customer(world, CUSTOMER)
    await person.send(f"/customer {CUSTOMER}")
    await person.press(CHECK_IN[language])
    await person.send("Close to home")
    await a_press_after_a_restart_leaves_the_old_card_as_it_was(
        world, database_url, person, lambda: choose(person, "needs_partly_met")
    )


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_supervisors_card_pressed_after_a_restart_keeps_the_steps_it_logs(
    world: World, database_url: str, language: str
) -> None:
    owner = staff(world, language)
    supervisor = world.minh if language == "en" else await registered_thao(world)
    case_id = await open_case(owner)
    await supervisor.send(f"/case {case_id}")
    await supervisor.press(CARRY_ON[language])
    await walk_to_fix(supervisor)
    await a_press_after_a_restart_leaves_the_old_card_as_it_was(
        world, database_url, supervisor, lambda: supervisor.press(BACK[language])
    )
