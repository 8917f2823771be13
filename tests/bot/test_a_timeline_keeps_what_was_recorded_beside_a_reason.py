"""The timeline (/case N) says everything a step recorded with a reason: no compensation is
read as such, with its reason under its label, and a rung of a review skipped after the
long-standing customer's caution was answered keeps that answer beside the reason. A note or
an escalation, which record only their words, still read as those words alone. For a person
and a business, in both languages."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_a_business_without_a_contact_is_addressed_as_the_company import (
    open_complaint_of,
)
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import choose, label, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}
SKIP_RUNG = {"en": "Skip rung", "vi": "Bỏ qua giai đoạn"}


def entry(person: Person, event: str) -> list[str]:
    """The first two lines of the timeline's (last) entry for `event`, as the reader sees them."""
    heading = words(person, f"event.{event}")
    text = person.last_text
    assert heading in text, text
    return text.rsplit(heading, 1)[1].split("\n", 1)[1].split("\n", 2)[:2]


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("kind", ["individual", "business"])
async def test_no_compensation_reads_as_such_with_its_reason_in_the_timeline(
    world: World, locale: str, kind: str
) -> None:
    person: Person = getattr(world, WHO[locale])
    case_id = await open_complaint_of(world, person, kind)
    await walk_to_compensate(person)
    await choose(person, "none")
    await person.send("Khách từ chối nhận quà")
    await person.send(f"/case {case_id}")
    assert entry(person, "compensated") == [
        f"• {words(person, 'field.type.label')}: {words(person, 'option.none')}",
        f"• {words(person, 'field.reason.label')}: Khách từ chối nhận quà",
    ]


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_rung_skipped_after_the_caution_keeps_its_answer_beside_the_reason(
    world: World, locale: str
) -> None:
    person: Person = getattr(world, WHO[locale])
    await add_customer(world, "Bà Năm", since="2012-05-01")
    case_id = await open_review(person, "Bà Năm")
    await person.press(label(person, "It will not change"))
    await person.press(SKIP_RUNG[locale])
    await person.send("Đã gọi nhiều lần, khách không nghe")
    await person.send(f"/case {case_id}")
    assert entry(person, "skip") == [
        f"• {words(person, 'field.reason.label')}: Đã gọi nhiều lần, khách không nghe",
        f"• {words(person, 'field.caution.label')}: {words(person, 'option.will_not_change')}",
    ]


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_note_and_an_escalation_read_as_their_words_alone(
    world: World, locale: str
) -> None:
    person: Person = getattr(world, WHO[locale])
    case_id = await open_case(person)
    for button, said, event in (
        ("button.note", "Khách gọi lại lần hai", "note"),
        ("button.escalate_reason", "Khách dọa đăng lên mạng", "escalated"),
    ):
        await person.press(words(person, button))
        await person.send(said)
        await person.send(f"/case {case_id}")
        assert entry(person, event)[0] == f"• {said}"
