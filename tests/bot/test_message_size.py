"""Every message fits Telegram's 4,096 characters, and a card is never lost on the way.

A review whose rungs and reasons are filled to the text limit once produced a card and a
decision request too long for Telegram: the old card was gone, the new one refused, and the
supervisors never heard of it. Cards and requests now show long entries shortened (the
timeline shows them whole, split over messages), and a card is replaced only once the new
one is there.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.callbacks import OPEN, case_button
from bot.screens import CardOnScreen, Logged
from flows.procedures.review import REASONS, Rung
from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World, make_world, settings_for
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import choose, open_case
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

LIMIT = 1000  # the text limit of one typed answer
TELEGRAM = 4096
ROOMY = 3500  # the longest text_limit the settings allow


def long_text(tag: str) -> str:
    """A typed answer at the limit, recognisable by its start and its end."""
    return (f"{tag} start " + "x" * LIMIT)[: LIMIT - len(tag) - 5] + f" {tag}END"


def all_fit(messages: list[SentMessage]) -> bool:
    return all(len(m.text.encode("utf-16-le")) // 2 <= TELEGRAM for m in messages)


async def climb_with_long_answers(person: Person, case_id: int) -> None:
    for rung in ("reassess", "educate", "renegotiate", "migrate"):
        await person.send(long_text(rung))
        await choose(person, "not_resolved")
        assert person.api.last_with_buttons(person.chat_id) is not None, rung
    for reason in REASONS:
        await choose(person, reason)
    await choose(person, "done")
    for reason in REASONS:
        await person.send(long_text(reason))
        card = person.api.last_with_buttons(person.chat_id)
        assert card is not None, reason
        assert f"#{case_id}" in card.plain_text, reason
    await choose(person, "uncivil")
    await choose(person, "done")


async def test_a_review_filled_to_the_limit_keeps_its_cards_and_reaches_the_supervisors(
    world: World,
) -> None:
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(world.lan, "Lê Văn Tám")
    await climb_with_long_answers(world.lan, case_id)
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    assert all_fit(world.lan.messages)
    request = world.minh.last_text
    assert "Termination decision needed" in request
    assert "Little or no profit" in request
    assert "shortened" in request
    assert world.minh.buttons[:2] == ["✅ Approve", "❌ Decline"]
    assert all_fit(world.minh.messages)
    await world.lan.send("/cases")
    await world.lan.press(f"#{case_id}")
    assert f"Case #{case_id}" in world.lan.last_text


async def test_the_timeline_shows_long_entries_whole_over_several_messages(
    world: World,
) -> None:
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(world.lan, "Lê Văn Tám")
    await climb_with_long_answers(world.lan, case_id)
    before = len(world.minh.messages)
    await world.minh.send(f"/case {case_id}")
    parts = world.minh.messages[before:]
    assert len(parts) > 1
    assert all_fit(parts)
    whole = "\n".join(m.plain_text for m in parts)
    for reason in REASONS:
        assert f"{reason}END" in whole


async def test_a_reminder_of_a_long_request_fits_one_message(world: World) -> None:
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(world.lan, "Lê Văn Tám")
    await climb_with_long_answers(world.lan, case_id)
    world.clock.advance(hours=5)
    report = await world.scheduler.tick()
    assert report.sent >= 1
    assert report.failed == 0
    assert "Termination decision needed" in world.minh.last_text
    assert all_fit(world.minh.messages)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_termination_conversation_filled_to_the_limit_keeps_its_card(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    await add_customer(world, "Công ty Hòa Bình", "business")
    case_id = await open_review(person, "Công ty Hòa Bình")
    await climb_with_long_answers(person, case_id)
    await world.minh.press("Approve")
    await person.press_data(case_button(case_id, 0, OPEN))
    await person.send("31/03/2027")
    for move in ("appreciate", "frame"):
        await person.send(long_text(move))
    await choose(person, "cancel_final_invoice")
    await person.send("300k")
    for move in ("goodwill_response", "apologise"):
        await person.send(long_text(move))
    await choose(person, "own_alternative")
    await person.send(long_text("own"))
    card = world.api.last_with_buttons(person.chat_id)
    assert card is not None
    assert f"#{case_id}" in card.plain_text
    await person.send(long_text("alternatives"))
    assert (await world.case(case_id)).state == Rung.terminated
    assert all_fit(person.messages)


async def test_a_card_is_replaced_only_once_the_new_one_is_delivered(world: World) -> None:
    case_id = await open_case(world.lan)
    first = world.api.last_with_buttons(world.lan.chat_id)
    assert first is not None
    world.api.fail_next("sendMessage", "bad_request")
    await world.lan.send(f"/case {case_id}")  # a message in between: the card is not the last
    await world.lan.send("/cases")
    world.api.fail_next("sendMessage", "bad_request")
    await world.lan.press(f"#{case_id}")
    still = world.api.find_message(world.lan.chat_id, first.message_id)
    assert still is not None
    assert not still.deleted
    assert still.buttons


async def test_a_card_that_moves_down_leaves_its_old_message_with_as_much_log_as_fits(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    card = lan.api.last_with_buttons(lan.chat_id)
    assert card is not None
    # The steps this message logged, more than one message holds (however they came to be).
    summaries = [f"✅ Step {n}: " + "y" * 300 for n in range(20)]
    logged = [Logged(f"step_{n}", text, text) for n, text in enumerate(summaries)]
    world.services.screens.show(lan.chat_id, card.message_id, CardOnScreen(logged))
    await lan.send("/cases")  # a list below the card: the card will move down
    await lan.send("She is calm now")  # typed where a button is wanted: the card again, below
    old = lan.api.find_message(lan.chat_id, card.message_id)
    assert old is not None
    assert old.buttons == []  # the way into the case is the new card, below
    assert old.plain_text.startswith("✅ Step 0: ")
    assert old.plain_text.endswith("…")  # what did not fit is cut, not refused
    assert all_fit(lan.api.messages(lan.chat_id))
    new = lan.api.last_with_buttons(lan.chat_id)
    assert new is not None
    assert new.message_id > card.message_id
    assert f"Case #{case_id}" in new.plain_text


@pytest.fixture
async def roomy_world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    """A world whose typed answers may be as long as the settings allow (3,500)."""
    settings = settings_for(database_url, complaints={"text_limit": ROOMY})
    async for world in make_world(settings, clock):
        yield world


async def test_a_notice_built_from_the_longest_typed_text_fits_one_message(
    roomy_world: World,
) -> None:
    world = roomy_world
    case_id = await open_case(world.lan, complaint="complaint " + "y" * (ROOMY - 10))
    version = (await world.case(case_id)).version
    await world.minh.press_data(f"k:{case_id}:{version}:a:cancel_reason")
    await world.minh.send("reason " + "z" * (ROOMY - 7))  # the summary is as long
    assert (await world.case(case_id)).state == "cancelled"
    told = world.lan.messages[-1]
    assert "Minh cancelled your case" in told.plain_text
    assert all_fit(world.lan.messages)
