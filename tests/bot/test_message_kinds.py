"""Answers given the ways people really send them: as a reply to a card, as a shared contact,
pasted from a phone's contacts, typed without diacritics, or after the command itself."""

from __future__ import annotations

from typing import Any

import pytest

from standin.inprocess import Person
from standin.messages import photo_size
from tests.bot.conftest import World
from tests.bot.walk import case_number, open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

BOTH = pytest.mark.parametrize("who", ["lan", "hoa"])

#: Labels that differ by language.
WORDS = {
    "vi": {
        "New customer": "Khách hàng mới",
        "Individual": "Cá nhân",
        "Skip": "Bỏ qua ⏭",
        "cannot use": "không trả lời được điều tôi đang chờ cho hồ sơ",
        "no match": "Không tìm thấy khách hàng nào khớp",
    },
    "en": {
        "New customer": "New customer",
        "Individual": "Individual",
        "Skip": "Skip ⏭",
        "cannot use": "cannot answer what I am waiting for in case",
        "no match": "No customer matches",
    },
}

HUONG = "👤 Nguyễn Thị Hương · 0903123456"


def word(person: Person, english: str) -> str:
    return WORDS[person.language_code][english]


async def snapshot(world: World, case_id: int) -> tuple[Any, ...]:
    case = await world.case(case_id)
    return case.state, case.version, case.draft, len(await world.events(case_id))


async def new_customer(person: Person, name: str = "Nguyễn Thị Hương") -> int:
    """Open a complaint and start adding a new customer: the card asks for their phone."""
    await person.send("/new")
    case_id = case_number(person.last_text)
    await person.send(name)
    await person.press(word(person, "New customer"))
    await person.send(name)
    return case_id


async def at_yearly_value(person: Person) -> int:
    case_id = await new_customer(person)
    await person.send("0903123456")
    await person.press(word(person, "Individual"))
    await person.send("2019")
    return case_id


# ------------------------------------------------------------ a reply to an older card


async def second_case_asking_its_summary(person: Person) -> int:
    """Open a second complaint, for a new customer with only a name: it asks the summary."""
    case_id = await new_customer(person, "Lê Thị Lan")
    for _ in range(3):
        skip = word(person, "Skip")
        await person.press(skip if skip in person.buttons else word(person, "Individual"))
    await person.press(word(person, "Skip"))
    return case_id


async def reply(person: Person, text: str, to: Any) -> None:
    await person._send_message(
        person._private_chat(), {"text": text, "reply_to_message": person.api.message_json(to)}
    )


@BOTH
async def test_a_reply_to_another_cases_card_is_not_saved_and_says_how_to_answer_that_case(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    first = await open_case(person)
    await walk_to_fix(person)
    first_card = person.api.last_with_buttons(person.chat_id)
    second = await second_case_asking_its_summary(person)
    before = await snapshot(world, first), await snapshot(world, second)
    await reply(person, "Re-delivered by our own van", first_card)
    assert (await snapshot(world, first), await snapshot(world, second)) == before
    said = person.last_text
    assert all(part in said for part in (f"#{first}", f"#{second}", "/cases")), said
    expected = "chưa được lưu" if who == "hoa" else "was not saved"
    assert expected in said
    assert "“Re-delivered by our own van”" in said  # quoted back, to be sent again


async def test_a_reply_to_the_current_cases_own_card_is_its_answer(world: World) -> None:
    lan = world.lan
    await open_case(lan)
    await walk_to_fix(lan)
    second = await second_case_asking_its_summary(lan)
    await reply(lan, "Cake arrived squashed", lan.api.last_with_buttons(lan.chat_id))
    assert (await world.case(second)).draft.get("summary") == "Cake arrived squashed"


async def test_a_reply_to_a_message_without_a_cases_buttons_is_taken_as_today(
    world: World,
) -> None:
    lan = world.lan
    await open_case(lan)
    await walk_to_fix(lan)
    second = await second_case_asking_its_summary(lan)
    await lan.send("/help")
    await reply(lan, "Cake arrived squashed", lan.last)
    assert (await world.case(second)).draft.get("summary") == "Cake arrived squashed"


# ------------------------------------------------- amounts and phones as phones send them


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("2 trieu", 2_000_000),
        ("200 nghin", 200_000),
        ("200 ngan", 200_000),
        ("2 trie\u0323\u0302u", 2_000_000),  # "2 triệu" from a keyboard sending combining marks
        ("200 nghi\u0300n", 200_000),  # "200 nghìn", decomposed
        ("200\u00a0000", 200_000),  # pasted with a no-break space
    ],
)
async def test_an_amount_typed_without_marks_or_decomposed_is_read(
    world: World, typed: str, amount: int
) -> None:
    case_id = await at_yearly_value(world.hoa)
    await world.hoa.send(typed)
    assert (await world.case(case_id)).draft.get("new_yearly_value") == amount, world.hoa.last_text


@pytest.mark.parametrize(
    ("typed", "phone"),
    [
        ("\u202d+84 903 123 456\u202c", "+84903123456"),  # copied from a phone's contacts
        ("0903\u00a0123\u00a0456", "0903123456"),  # no-break spaces
        ("(028) 3823 4567", "02838234567"),  # a landline, its area code in brackets
    ],
)
async def test_a_phone_pasted_from_contacts_or_with_its_area_code_in_brackets_is_taken(
    world: World, typed: str, phone: str
) -> None:
    case_id = await new_customer(world.lan)
    await world.lan.send(typed)
    assert (await world.case(case_id)).draft.get("new_phone") == phone, world.lan.last_text


# ------------------------------------------------------------------ a shared contact


@BOTH
async def test_a_shared_contact_answers_the_phone_question(world: World, who: str) -> None:
    person: Person = getattr(world, who)
    case_id = await new_customer(person)
    await person.send_contact("+84903123456", "Hương")
    assert (await world.case(case_id)).draft.get("new_phone") == "+84903123456", person.last_text


@BOTH
async def test_a_shared_contact_searches_for_the_customer(world: World, who: str) -> None:
    person: Person = getattr(world, who)
    await open_case(person)  # Nguyễn Thị Hương, 0903 123 456, is on record now
    await person.send("/new")
    await person.send_contact("84903123456", "Hương")  # as Telegram sends it: no "+"
    assert HUONG in person.buttons, person.last_text


@BOTH
async def test_a_shared_contact_elsewhere_gets_the_polite_answer_and_changes_nothing(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await open_case(person)  # the card asks how the customer reacted
    before = await snapshot(world, case_id)
    await person.send_contact("+84903123456", "Hương")
    assert word(person, "cannot use") in person.last_text  # above the question, asked again
    assert person.last.buttons
    assert await snapshot(world, case_id) == before


# ---------------------------------------------------------------- words after /new


@BOTH
@pytest.mark.parametrize("words", ["Nguyen Thi Huong", "0903123456", "chị Hương"])
async def test_words_after_new_search_for_the_customer(world: World, who: str, words: str) -> None:
    person: Person = getattr(world, who)
    await open_case(person)
    await person.send(f"/new {words}")
    assert HUONG in person.buttons, person.last_text


@BOTH
@pytest.mark.parametrize("command", ["/problem", "/exit"])
async def test_words_after_problem_or_exit_search_for_the_customer(
    world: World, who: str, command: str
) -> None:
    person: Person = getattr(world, who)
    await open_case(person)
    await person.send(f"{command} Huong")
    assert HUONG in person.buttons, person.last_text


@BOTH
async def test_words_after_new_that_match_nobody_open_the_case_and_say_so(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    await person.send("/new Trần Văn Nam")
    said = " ".join(m.plain_text for m in person.messages[-2:])
    assert word(person, "no match") in said
    assert "Trần Văn Nam" in said
    assert word(person, "New customer") in " ".join(person.buttons)
    assert await world.count("cases") == 1


async def test_words_after_new_too_long_to_search_open_the_case_and_say_so(
    world: World,
) -> None:
    lan = world.lan
    await lan.send("/new " + "Hương " * 40)
    said = " ".join(m.plain_text for m in lan.messages[-2:])
    assert "the limit is 120" in said
    assert "New customer" in " ".join(lan.buttons)
    assert await world.count("cases") == 1


async def test_a_photo_replying_to_another_cases_card_is_attached_to_neither(
    world: World,
) -> None:
    lan = world.lan
    first = await open_case(lan)
    await walk_to_fix(lan)
    first_card = lan.api.last_with_buttons(lan.chat_id)
    second = await second_case_asking_its_summary(lan)
    photo = {
        "photo": [photo_size("p-thumb", 90), photo_size("p", 1280)],
        "caption": "the squashed cake",
        "reply_to_message": lan.api.message_json(first_card),
    }
    await lan._send_message(lan._private_chat(), photo)
    for case_id in (first, second):
        assert "evidence" not in [e.kind for e in await world.events(case_id)]
    assert "was not saved: “the squashed cake”" in lan.last_text  # its words quoted back
