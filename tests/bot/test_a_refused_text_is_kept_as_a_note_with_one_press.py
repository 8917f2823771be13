"""A text the bot refuses on a case that can still take a note is kept with one press.

A question answered with buttons, a card that asks nothing now (waiting for a supervisor),
a file asked for, a question someone else answered meanwhile, a message edited: the text
is refused and quoted back, and the refusal carries 📝 Keep as note. Pressed, it files the
whole text (not the quote, cut at 200 characters) as a note, as 📝 Add a note and typing it
would, and leaves the case where it was: its step, its question, its version (the card's
buttons still work) and what waits for the person's typing. Pressed twice, it files once;
a button of a text replaced by a newer one, of a case ended since, of a customer forgotten
since, or pressed by anyone but who typed it, changes nothing. The text is kept in the
database: a restart between the refusal and the press loses nothing.

Before, the refusal asked to press 📝 Add a note and type the text again: a long text typed
on a phone had to be copied out of the quote, which kept only its first 200 characters.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from standin.inprocess import Person
from standin.messages import SentMessage
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, restarted
from tests.bot.test_cancelled_by_a_supervisor import cancel_as_supervisor
from tests.bot.walk import (
    asking_approval,
    open_case,
    walk_to_compensate,
    walk_to_fix,
)
from tests.integration.test_exports_forget import forget_customer

pytestmark = pytest.mark.asyncio

#: Longer than the quote (200 characters): the note holds every word of it.
TYPED = " ".join(f"Khách gọi lại lần {n}, hẹn giao sáng mai trước 9 giờ." for n in range(1, 9))
KEEP = {"en": "📝 Keep as note", "vi": "📝 Lưu làm ghi chú"}
ADD_A_NOTE = {"en": "📝 Add a note", "vi": "📝 Thêm ghi chú"}
SAVED = {"en": "Note added to case #{}", "vi": "Đã thêm ghi chú vào hồ sơ #{}"}
RETYPE = {"en": "send it again", "vi": "gửi lại"}
ATTACH = {"en": "📎 Attach evidence", "vi": "📎 Đính kèm"}
ALREADY = {"en": "already a note", "vi": "đã được lưu làm ghi chú"}
REPLACED = {"en": "you sent another text since", "vi": "bạn đã gửi một nội dung khác"}
ENDED = {"en": "has ended since", "vi": "đã kết thúc"}
NOT_YOURS = {"en": "only the person who typed", "vi": "chỉ người đã gõ"}
GONE = {"en": "no longer held", "vi": "không còn được giữ"}


def staff(world: World, language: str) -> Person:
    return world.lan if language == "en" else world.hoa


def language_of(person: Person) -> str:
    return person.language_code or "en"


async def at_a_choice(world: World, person: Person) -> int:
    """The card asks how the customer reacted (buttons); the person types instead."""
    case_id = await open_case(person)
    await person.send(TYPED)
    return case_id


async def waiting_for_a_supervisor(world: World, person: Person) -> int:
    """The case waits for a supervisor's approval (its card asks nothing now)."""
    case_id = await asking_approval(person)
    await person.send(TYPED)
    return case_id


async def asked_for_a_file(world: World, person: Person) -> int:
    """📎 Attach evidence was pressed: a file is waited for, a text comes."""
    case_id = await open_case(person)
    await person.press(ATTACH[language_of(person)])
    await person.send(TYPED)
    return case_id


async def answered_meanwhile(world: World, person: Person) -> int:
    """A supervisor answered the question the person was typing for (the case moved on)."""
    case_id = await open_case(person)
    version = (await world.case(case_id)).version
    await world.minh.press_data(f"k:{case_id}:{version}:c:calm")
    await person.send(TYPED)
    return case_id


async def edited(world: World, person: Person) -> int:
    """An answer, saved, then edited: the words it holds now are not read."""
    case_id = await open_case(person)
    await walk_to_fix(person)
    sent = await person.send("Re-delivered by our own van")
    message_id = person.api.updates[sent]["message"]["message_id"]
    await person.edit(message_id, TYPED)
    return case_id


Refusal = Callable[[World, Person], Awaitable[int]]
REFUSALS: dict[str, Refusal] = {
    "use_buttons": at_a_choice,
    "use_buttons_now": waiting_for_a_supervisor,
    "send_file": asked_for_a_file,
    "question_moved": answered_meanwhile,
    "edit_not_read": edited,
}

#: What each refusal says of why the text was not taken, in each language.
WHY = {
    "use_buttons": {"en": "answered with the buttons", "vi": "chỉ trả lời bằng nút"},
    "use_buttons_now": {"en": "Nothing needs typing", "vi": "không cần gõ gì"},
    "send_file": {"en": "waiting for a file", "vi": "đang chờ một tệp"},
    "question_moved": {"en": "updated meanwhile", "vi": "vừa được cập nhật"},
    "edit_not_read": {"en": "changes made to a message", "vi": "phần bạn sửa"},
}


def keep_offer(person: Person) -> SentMessage:
    """The refusal offering 📝 Keep as note: the latest message of the chat with it."""
    offering = [m for m in person.messages if KEEP[language_of(person)] in m.button_labels]
    assert offering, [m.plain_text for m in person.messages[-3:]]
    return offering[-1]


def keep_data(person: Person, message: SentMessage) -> str:
    [data] = [
        str(b.callback_data)
        for row in message.buttons
        for b in row
        if b.text == KEEP[language_of(person)]
    ]
    return data


async def notes(world: World, case_id: int) -> list[str]:
    return [e.data["text"] for e in await world.events(case_id) if e.kind == "note"]


async def where_it_stands(world: World, person: Person, case_id: int) -> tuple[object, ...]:
    """The case's step, version, draft and questions drawn, and what waits for the person."""
    case = await world.case(case_id)
    async with SqlUnitOfWork(world.services.sessions) as uow:
        actor = await uow.staff.by_telegram_id(person.telegram_id)
    assert actor is not None
    waits = (actor.expecting, actor.expecting_case_id)
    return case.state, case.version, case.draft, case.asked, waits


def toasts_since(world: World, before: int) -> str:
    return " ".join(str(a.get("text")) for a in world.api.answers[before:])


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("refused", list(REFUSALS))
async def test_a_refused_text_is_filed_whole_as_a_note_with_one_press_the_case_left_as_it_was(
    world: World, language: str, refused: str
) -> None:
    person = staff(world, language)
    case_id = await REFUSALS[refused](world, person)
    offer = keep_offer(person)
    assert WHY[refused][language] in offer.plain_text, offer.plain_text
    assert ADD_A_NOTE[language] not in offer.plain_text  # no longer told to type it again
    assert TYPED not in offer.plain_text  # only its start is quoted
    before = await where_it_stands(world, person, case_id)
    await person.press(KEEP[language], offer)
    assert await notes(world, case_id) == [TYPED]
    assert SAVED[language].format(case_id) in person.last_text
    assert await where_it_stands(world, person, case_id) == before
    pressed = person.api.find_message(person.chat_id, offer.message_id)
    assert pressed is not None
    assert KEEP[language] not in pressed.button_labels  # spent
    timeline = [e for e in await world.events(case_id) if e.kind == "note"]
    assert timeline[0].actor_id is not None


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_kept_once_however_often_it_is_pressed(world: World, language: str) -> None:
    person = staff(world, language)
    case_id = await at_a_choice(world, person)
    offer = keep_offer(person)
    data = keep_data(person, offer)
    await person.press(KEEP[language], offer)
    answers = len(world.api.answers)
    await person.press_data(data, offer.message_id)
    assert ALREADY[language] in toasts_since(world, answers)
    assert await notes(world, case_id) == [TYPED]


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_text_replaced_by_a_newer_one_is_no_longer_kept_by_its_button(
    world: World, language: str
) -> None:
    person = staff(world, language)
    case_id = await at_a_choice(world, person)
    first = keep_offer(person)
    await person.send("Second thought: she wants a refund")
    second = keep_offer(person)
    assert second.message_id != first.message_id
    answers = len(world.api.answers)
    await person.press(KEEP[language], first)
    assert REPLACED[language] in toasts_since(world, answers)
    assert await notes(world, case_id) == []
    await person.press(KEEP[language], second)
    assert await notes(world, case_id) == ["Second thought: she wants a refund"]


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_text_of_a_case_ended_since_is_not_kept(world: World, language: str) -> None:
    person = staff(world, language)
    case_id = await at_a_choice(world, person)
    offer = keep_offer(person)
    await cancel_as_supervisor(world, case_id)
    answers = len(world.api.answers)
    await person.press(KEEP[language], offer)
    assert ENDED[language] in toasts_since(world, answers)
    assert await notes(world, case_id) == []


async def test_only_who_typed_it_may_keep_it_not_a_supervisor_nor_another_nor_a_stranger(
    world: World,
) -> None:
    case_id = await at_a_choice(world, world.lan)
    data = keep_data(world.lan, keep_offer(world.lan))
    answers = len(world.api.answers)
    await world.minh.press_data(data)
    assert NOT_YOURS["en"] in toasts_since(world, answers)
    await world.bernd.press_data(data)  # a case not theirs: not even said to exist
    await world.stranger.press_data(data)
    assert await notes(world, case_id) == []
    await world.lan.press_data(data)
    assert await notes(world, case_id) == [TYPED]


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_refused_text_is_kept_across_a_restart(
    world: World, database_url: str, language: str
) -> None:
    person = staff(world, language)
    case_id = await waiting_for_a_supervisor(world, person)
    offer = keep_offer(person)
    async with restarted(world, database_url):
        await person.press(KEEP[language], offer)
        assert await notes(world, case_id) == [TYPED]
        assert SAVED[language].format(case_id) in person.last_text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_text_kept_for_a_customer_forgotten_since_goes_with_what_they_said(
    world: World, language: str
) -> None:
    person = staff(world, language)
    case_id = await at_a_choice(world, person)
    offer = keep_offer(person)
    customer_id = (await world.case(case_id)).customer_id
    await forget_customer(world.services.sessions, customer_id or 0, world.clock())
    assert TYPED not in str((await world.case(case_id)).filed)
    answers = len(world.api.answers)
    await person.press(KEEP[language], offer)
    assert GONE[language] in toasts_since(world, answers)
    assert await notes(world, case_id) == []


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_no_button_where_no_case_could_take_the_text(world: World, language: str) -> None:
    person = staff(world, language)
    await person.send(TYPED)  # nothing waits
    assert not person.last.button_labels
    assert RETYPE[language] in person.last_text or ADD_A_NOTE[language] in person.last_text
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await cancel_as_supervisor(world, case_id)
    await person.send(TYPED)  # the case ended meanwhile
    assert KEEP[language] not in person.last.button_labels
    assert ADD_A_NOTE[language] in person.last_text
