"""Whatever is sent while a typed answer is awaited is taken as the answer or refused with
the question left open: nothing is dropped without a word.

A question about a customer (how to address them, why they may leave) asked in the middle
of a case was dropped by a photo: the photo went to the case that was asking before, and
the question was gone. A photo, a document or a sticker now leaves it asked, and said so;
the answer typed next is taken. A supervisor's comment on a decision, likewise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from flows.model import Customer
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.walk import asking_approval, label, open_case
from tests.integration.test_exports_forget import forget_customer

pytestmark = pytest.mark.asyncio

NAME = "Nguyễn Thị Hương"
WORDS = {
    "lan": {
        "rename": "How to address",
        "flag": "Flag at risk",
        "carry_on": "Carry on with this case",
        "never_mind": "Leave it as it was",
        "not_typed": "cannot answer this question",
        "asked": {"rename": "How should staff address", "flag": "Why might"},
        "note_asked": "Anything to note about the apology?",
    },
    "hoa": {
        "rename": "Xưng hô",
        "flag": "Đánh dấu nguy cơ",
        "carry_on": "Làm tiếp hồ sơ này",
        "never_mind": "Thôi, không ghi nữa",
        "not_typed": "không trả lời được câu hỏi này",
        "asked": {"rename": "Nên xưng hô với", "flag": "Vì sao"},
        "note_asked": "Có gì cần ghi chú về lời xin lỗi không?",
    },
}
ANSWERS = {"rename": "chị Hương", "flag": "Said she will try the shop across the street"}

Send = Callable[[Person], Awaitable[int]]
SENDS: dict[str, Send] = {
    "photo": lambda person: person.send_photo(caption="chị Hương"),
    "document": lambda person: person.send_document(),
    "sticker": lambda person: person.send_sticker(),
    "location": lambda person: person.send_location(10.77, 106.70),
}


async def customer(world: World) -> Customer:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        found = await uow.customers.search("huong", 2)
    assert len(found) == 1
    return found[0]


def answered(world: World, before: Customer, after: Customer, question: str) -> bool:
    if question == "rename":
        return after.given_name != before.given_name
    return after.status == "at_risk"


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("question", ["rename", "flag"])
@pytest.mark.parametrize("sent", list(SENDS))
async def test_what_cannot_answer_a_question_about_a_customer_mid_case_leaves_it_asked(
    world: World, who: str, question: str, sent: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    case_id = await open_case(person, NAME)
    await person.send("/customer " + NAME)
    await person.press(f"#{case_id}")
    await person.press(label(person, "Calm"))  # the case asks for a note on the apology
    before = await customer(world)
    await person.press(words[question])
    events = len(await world.events(case_id))
    await SENDS[sent](person)
    said = "\n".join(m.plain_text for m in person.messages[-2:])
    assert words["not_typed"] in said
    assert words["asked"][question] in person.last_text  # asked again, still open
    assert person.buttons == ["▶ " + words["carry_on"]]
    assert len(await world.events(case_id)) == events  # nothing attached to the case
    assert not answered(world, before, await customer(world), question)
    await person.send(ANSWERS[question])  # the answer typed next is taken
    assert answered(world, before, await customer(world), question)
    assert words["note_asked"] in person.last_text  # and the case drawn again where it stood


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("question", ["rename", "flag"])
@pytest.mark.parametrize("sent", ["photo", "sticker"])
async def test_what_cannot_answer_a_question_about_a_customer_outside_a_case_leaves_it_asked(
    world: World, who: str, question: str, sent: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    await open_case(person, NAME)
    await person.press(label(person, "Calm"))
    await person.press("Pause" if who == "lan" else "Tạm dừng")  # nothing is asked now
    await person.send("/customer " + NAME)
    before = await customer(world)
    await person.press(words[question])
    await SENDS[sent](person)
    assert words["not_typed"] in person.messages[-2].plain_text
    assert words["asked"][question] in person.last_text
    assert person.buttons == ["↩ " + words["never_mind"]]
    await person.send(ANSWERS[question])
    assert answered(world, before, await customer(world), question)


@pytest.mark.parametrize("sent", ["photo", "document"])
async def test_a_file_sent_for_a_comment_on_a_decision_is_refused_and_the_comment_still_waits(
    world: World, sent: str
) -> None:
    case_id = await asking_approval(world.lan)
    await world.minh.press("Approve")
    await SENDS[sent](world.minh)
    assert "typed as text" in world.minh.last_text
    assert world.minh.buttons == ["Skip, nothing to add"]
    assert "evidence" not in [e.kind for e in await world.events(case_id)]
    await world.minh.send("Well handled")
    assert "approval_comment" in [e.kind for e in await world.events(case_id)]


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("question", ["rename", "flag"])
@pytest.mark.parametrize("sent", ["text", "photo"])
async def test_a_question_about_a_customer_forgotten_meanwhile_is_closed_not_left_open(
    world: World, who: str, question: str, sent: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    case_id = await open_case(person, NAME)
    await person.send("/customer " + NAME)
    await person.press(f"#{case_id}")
    await person.press(label(person, "Calm"))
    await person.press(words[question])
    gone = await customer(world)
    await forget_customer(world.services.sessions, gone.id or 0, world.clock())
    if sent == "text":
        await person.send(ANSWERS[question])
    else:
        await SENDS[sent](person)
    forgotten = "removed at their request" if who == "lan" else "đã được xóa theo yêu cầu"
    said = "\n".join(m.plain_text for m in person.messages[-2:])
    assert forgotten in said
    assert words["note_asked"] in person.last_text  # back to the case, where it stood
    async with SqlUnitOfWork(world.services.sessions) as uow:
        actor = await uow.staff.by_telegram_id(person.telegram_id)
    assert actor is not None
    assert actor.expecting_customer_id is None  # the question closed
    await person.send("She calmed down once I owned the mistake")  # the case's note now
    recorded = [e.data for e in await world.events(case_id) if e.step == "apologise"]
    assert "She calmed down once I owned the mistake" in str(recorded)
