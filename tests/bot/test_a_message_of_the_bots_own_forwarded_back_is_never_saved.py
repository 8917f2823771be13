"""A message of the bot's own forwarded back to it — a card, a refusal that quoted what was
typed ("What you just sent was not saved: …"), a reminder — is never anyone's answer: not the
customer's words, not a note, not a search for a customer, not a reason. The bot says it is
its own message, that nothing of it was saved and how to send the words it quotes, and asks
again what waits. Before, forwarding back the refusal to "send it again" saved the bot's
whole sentence as what the customer said."""

from __future__ import annotations

from typing import Any

import pytest

from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.walk import case_number, open_case, words

pytestmark = pytest.mark.asyncio


async def forward_back(person: Person, text: str | None = None) -> None:
    """Forward to the bot its own last message to the person (or one saying `text`)."""
    said = text if text is not None else person.last_text
    origin = {"type": "user", "sender_user": person.api.bot_user, "date": 1_700_000}
    fields: dict[str, Any] = {"text": said, "forward_origin": origin}
    await person._send_message(person._private_chat(), fields)


async def notes(world: World, case_id: int) -> list[str]:
    return [str(e.data["text"]) for e in await world.events(case_id) if e.kind == "note"]


def told(person: Person) -> bool:
    said = "\n".join(m.plain_text for m in person.messages[-3:])
    return words(person, "input.own_message_forwarded") in said


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_bots_refusal_forwarded_back_is_not_taken_as_what_the_customer_said(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    await person.send("/new")
    case_id = case_number(person.last_text)
    await person.send("Nguyễn Thị Hương")
    await person.press("New customer" if who == "lan" else "Khách hàng mới")
    for typed in ("Nguyễn Thị Hương", "0903 123 456"):
        await person.send(typed)
    await person.press("Individual" if who == "lan" else "Cá nhân")
    for typed in ("2019", "3tr"):
        await person.send(typed)
    refusal = words(person, "error.not_expecting_text", text="Giao hàng trễ 3 ngày")
    await forward_back(person, refusal)
    assert told(person), person.last_text
    case = await world.case(case_id)
    assert case.summary is None
    assert "summary" not in case.draft, case.draft
    assert await notes(world, case_id) == []
    await person.send("Giao hàng trễ 3 ngày")  # the question still waits
    assert (await world.case(case_id)).draft.get("summary") == "Giao hàng trễ 3 ngày"


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_bots_card_forwarded_back_where_a_note_is_asked_is_not_kept(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await open_case(person)
    card = person.api.last_with_buttons(person.chat_id)
    assert card is not None
    await person.press(words(person, "button.note"))
    await forward_back(person, card.plain_text)
    assert told(person), person.last_text
    assert await notes(world, case_id) == []
    assert words(person, "ask.note", case=case_id) in person.last_text  # asked again
    await person.send("Khách hẹn gọi lại lúc 5 giờ")
    assert await notes(world, case_id) == ["Khách hẹn gọi lại lúc 5 giờ"]


async def test_the_bots_message_forwarded_back_at_the_customer_question_searches_nothing(
    world: World,
) -> None:
    lan = world.lan
    await lan.send("/new")
    case_id = case_number(lan.last_text)
    await forward_back(lan)  # the card asking who the customer is
    assert told(lan), lan.last_text
    assert (await world.case(case_id)).customer_id is None
    async with SqlUnitOfWork(world.services.sessions) as uow:
        assert await uow.customers.search("case", 8) == []


async def test_the_bots_message_forwarded_back_with_nothing_asked_is_told_as_its_own(
    world: World,
) -> None:
    await world.lan.send("/help")
    await forward_back(world.lan)
    assert told(world.lan), world.lan.last_text
    assert await world.count("cases") == 0


async def test_a_file_of_the_bots_own_forwarded_back_is_not_attached(world: World) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.press(words(lan, "button.evidence"))
    document = {
        "file_id": "export-1",
        "file_unique_id": "export-1",
        "file_name": "khach-hang-2026-11.csv",
        "mime_type": "text/csv",
    }
    origin = {"type": "user", "sender_user": lan.api.bot_user, "date": 1_700_000}
    await lan._send_message(lan._private_chat(), {"document": document, "forward_origin": origin})
    assert told(lan), lan.last_text
    assert [e for e in await world.events(case_id) if e.kind == "evidence"] == []
    assert words(lan, "ask.evidence", case=case_id) in lan.last_text  # asked again
