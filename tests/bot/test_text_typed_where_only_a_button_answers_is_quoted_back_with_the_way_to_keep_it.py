"""Text typed where the bot cannot use it is quoted back, with what to do instead and,
where the case is open, a button that keeps it as a note: at a question only buttons
answer (a complaint's mood, a rung's caution, an exit interview's reasons, a check-in's
needs), where a file is asked, as a button's name, in a reply to another case's card, or as
a message edited.

Before, the answer only said "What you typed was not saved": what had been typed (often a
long note meant for the case) was gone from view, and nothing said how to keep it.
"""

from __future__ import annotations

from typing import Any

import pytest

from flows.formats import QUOTED as SAID_BACK
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_message_kinds import reply, second_case_asking_its_summary
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import case_number, open_case, walk_to_fix, words

pytestmark = pytest.mark.asyncio

TYPED = "Khách <b>gọi lại</b> lúc 9h\nhẹn giao sáng mai"
#: As it reads in the answer: on one line, its tags shown as typed (escaped, not bold).
QUOTED = "“Khách <b>gọi lại</b> lúc 9h hẹn giao sáng mai”"


async def snapshot(world: World, case_id: int) -> tuple[Any, ...]:
    case = await world.case(case_id)
    return case.state, case.version, case.draft, len(await world.events(case_id))


async def at_a_complaints_mood(world: World, person: Person) -> int:
    """Step 1 of a complaint: how the customer feels, a choice."""
    return await open_case(person)


async def at_a_rungs_caution(world: World, person: Person) -> int:
    """A review of a long-standing customer: whether things may change, a choice."""
    await add_customer(world, "Bà Năm", since="2012-05-01")
    return await open_review(person, "Bà Năm")


async def at_an_exit_interviews_reasons(world: World, person: Person) -> int:
    """An exit interview: why the customer left, a multiple choice."""
    await add_customer(world, "Phan Thu Hà")
    await person.send("/exit")
    case_id = case_number(person.last_text)
    await person.send("Phan Thu Hà")
    await person.press("Phan Thu Hà")
    return case_id


async def at_a_check_ins_needs(world: World, person: Person) -> int:
    """A check-in: whether we meet the customer's needs, a choice."""
    await add_customer(world, "Phan Thu Hà")
    await person.send("/customer phan thu")
    await person.press(words(person, "button.new_check_in"))
    case_id = case_number(person.last_text)
    await person.send("Fast delivery")
    return case_id


AT_A_CHOICE = [at_a_complaints_mood, at_a_rungs_caution, at_an_exit_interviews_reasons]
AT_A_CHOICE.append(at_a_check_ins_needs)


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("reach", AT_A_CHOICE, ids=lambda f: f.__name__)
async def test_text_typed_at_a_question_only_buttons_answer_is_quoted_with_the_way_to_keep_it(
    world: World, locale: str, reach: Any
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await reach(world, person)
    before = await snapshot(world, case_id)
    await person.send(TYPED)
    assert await snapshot(world, case_id) == before  # nothing saved, nothing moved on
    keep = words(person, "button.keep_note")
    refusal = next(m for m in reversed(person.messages) if keep in m.button_labels)
    assert QUOTED in refusal.plain_text, refusal.plain_text
    assert keep in refusal.plain_text  # how to keep it: one press, nothing typed again
    await person.press(keep, refusal)
    notes = [e.data["text"] for e in await world.events(case_id) if e.kind == "note"]
    assert notes == [TYPED]


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_whole_message_typed_at_a_choice_is_quoted_shortened(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    await open_case(person)
    typed = ("Khách phàn nàn 😠 " * 300)[:4096]
    await person.send(typed)
    said = next(m.plain_text for m in person.messages[-3:] if "“" in m.plain_text)
    start = said.index("“")
    quoted = said[start + 1 : said.index("”", start)]
    assert quoted.endswith("…")
    assert len(quoted) == SAID_BACK
    assert typed.startswith(quoted[:-1])


@pytest.mark.parametrize("locale", LOCALES)
async def test_text_typed_where_a_file_is_asked_is_quoted_back(world: World, locale: str) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await person.press(words(person, "button.evidence"))
    await person.send(TYPED)
    assert QUOTED in person.last_text
    assert words(person, "button.keep_note") in person.last_text
    assert [e for e in await world.events(case_id) if e.kind in ("note", "evidence")] == []


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_buttons_name_typed_is_quoted_back(world: World, locale: str) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    await open_case(person)
    await person.press(words(person, "button.note"))
    skip = words(person, "button.skip")
    await person.send(skip)
    assert any(f"“{skip}”" in m.plain_text for m in person.messages[-2:])


@pytest.mark.parametrize("locale", LOCALES)
async def test_text_replying_to_another_cases_card_is_quoted_back(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    first = await open_case(person)
    await walk_to_fix(person)
    first_card = person.api.last_with_buttons(person.chat_id)
    second = await second_case_asking_its_summary(person)
    before = await snapshot(world, first), await snapshot(world, second)
    await reply(person, TYPED, first_card)
    assert (await snapshot(world, first), await snapshot(world, second)) == before
    said = person.last_text
    assert QUOTED in said, said
    assert f"#{first}" in said
    assert f"#{second}" in said


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_words_of_a_message_edited_are_quoted_back(world: World, locale: str) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await walk_to_fix(person)
    update_id = await person.send("Re-delivered by van")
    before = await snapshot(world, case_id)
    await person.edit(person.message_id_of(update_id), TYPED)
    assert await snapshot(world, case_id) == before
    told = "\n".join(m.plain_text for m in person.messages[-2:])
    assert QUOTED in told, told
    assert words(person, "button.keep_note") in told


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_note_of_a_whole_message_over_the_limit_is_refused_quoting_how_it_began(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await person.press(words(person, "button.note"))
    typed = ("Khách <i>gọi</i> lại nhiều lần 📞\n" * 200)[:4096]  # Telegram's most
    await person.send(typed)
    said = "\n".join(m.plain_text for m in person.messages[-2:])
    assert "“Khách <i>gọi</i> lại nhiều lần 📞 Khách" in said, said
    assert [e for e in await world.events(case_id) if e.kind == "note"] == []
    await person.send("Khách gọi lại nhiều lần")  # the note still asked for
    notes = [e.data["text"] for e in await world.events(case_id) if e.kind == "note"]
    assert notes == ["Khách gọi lại nhiều lần"]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("blank", ["\u200b", " \n ", "\u3164"])
async def test_a_text_that_shows_nothing_at_a_choice_is_never_quoted_as_empty_marks(
    world: World, locale: str, blank: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    before = await snapshot(world, case_id)
    await person.send(blank)
    assert await snapshot(world, case_id) == before
    said = "\n".join(m.plain_text for m in person.messages[-2:])
    assert "“”" not in said, said  # nothing quoted as empty marks
    assert words(person, "input.not_usable", case=case_id) in said
