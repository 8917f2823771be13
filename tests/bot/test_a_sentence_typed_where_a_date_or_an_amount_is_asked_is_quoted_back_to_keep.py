"""A sentence typed where a date, an amount or a phone is asked is quoted back, to keep.

Careless or hurried, staff type what the customer said where the card asks for something
short: the complaint's words where it asks how much the customer spends a year, an
explanation where it asks when the fix was promised. The bot could not read it and said
how to write the answer — and nothing of the sentence: not that it was not saved, not the
words, no way to keep them. Now words that read as a sentence (four or more) are quoted
back as not saved, with how to write the answer, and 📝 Keep as note files them whole on
the case, which stays at its question. A short slip ("32/13", "abc") is refused as before:
how to write it, no quote, nothing kept.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import (
    at_the_promised_fix_question,
    choose,
    label,
    open_case,
    walk_to_compensate,
    words,
)

pytestmark = pytest.mark.asyncio

SENTENCE = "Khách nói đã chờ hai tuần mà vẫn chưa nhận được hàng đúng"
KEEP = {"en": "📝 Keep as note", "vi": "📝 Lưu làm ghi chú"}
NOT_SAVED = {"en": "was not saved", "vi": "chưa được lưu"}


def staff(world: World, language: str) -> Person:
    return world.lan if language == "en" else world.hoa


async def notes(world: World, case_id: int) -> list[str]:
    return [e.data["text"] for e in await world.events(case_id) if e.kind == "note"]


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_sentence_where_a_promised_time_is_asked_is_quoted_and_kept_with_one_press(
    world: World, language: str
) -> None:
    person = staff(world, language)
    case_id = await open_case(person)
    await at_the_promised_fix_question(person)
    before = await world.case(case_id)
    await person.send(SENTENCE)
    refusal = person.last
    assert NOT_SAVED[language] in refusal.plain_text
    assert f"“{SENTENCE}”" in refusal.plain_text
    assert words(person, "error.bad_date") in refusal.plain_text  # how to write it
    assert refusal.button_labels == [KEEP[language]]
    await person.press(KEEP[language], refusal)
    assert await notes(world, case_id) == [SENTENCE]
    after = await world.case(case_id)
    assert (after.state, after.version, after.draft) == (
        before.state,
        before.version,
        before.draft,
    )
    await choose(person, "tomorrow")  # the question still waits, and takes its answer
    assert (await world.case(case_id)).state == "empathise"


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_sentence_where_an_amount_is_asked_is_quoted_with_how_to_write_one(
    world: World, language: str
) -> None:
    person = staff(world, language)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await person.press(label(person, "Voucher"))
    await person.send(SENTENCE)
    assert f"“{SENTENCE}”" in person.last_text
    assert words(person, "error.not_a_number") in person.last_text
    await person.press(KEEP[language], person.last)
    assert await notes(world, case_id) == [SENTENCE]


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("slip", ["32/13", "abc", "mai chiều"])
async def test_a_short_slip_is_refused_as_before_without_a_quote_or_a_keep(
    world: World, language: str, slip: str
) -> None:
    person = staff(world, language)
    case_id = await open_case(person)
    await at_the_promised_fix_question(person)
    await person.send(slip)
    assert NOT_SAVED[language] not in person.last_text  # how to write it, as before
    assert f"“{slip}”" not in person.last_text
    assert not person.last.buttons
    await choose(person, "tomorrow")
    assert (await world.case(case_id)).state == "empathise"


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_same_sentence_sent_again_is_refused_again_not_taken_as_saved_once(
    world: World, language: str
) -> None:
    person = staff(world, language)
    case_id = await open_case(person)
    await at_the_promised_fix_question(person)
    await person.send(SENTENCE)
    first = person.last
    await person.send(SENTENCE)
    assert f"“{SENTENCE}”" in person.last_text
    assert NOT_SAVED[language] in person.last_text
    assert person.last.message_id != first.message_id
    await person.press(KEEP[language], person.last)  # the newer one keeps it, once
    assert await notes(world, case_id) == [SENTENCE]
