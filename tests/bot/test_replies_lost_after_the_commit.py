"""A reply that Telegram fails after the update committed is not lost to the person.

Found by test_faults_at_every_step.py; each test here failed on the code before its fix:

- a reply failing once on its way (a timeout, a dropped connection, a 502) is sent again;
- a button pressed again after its answer was lost shows where the case stands, not only
  "out of date" on buttons that can do nothing else;
- a text sent again after its answer was lost is confirmed as saved, even when it left
  nothing asked (it cancelled the case), not refused as unexpected;
- a photo or document sent again after its answer was lost is attached once;
- a customer card's button pressed again opens one case, not two;
- a text typed again after its answer was lost and the bot restarted is known for the one
  saved (the case keeps what each person last filed), not filed under the next question.
"""

from __future__ import annotations

import pytest

import bot.delivery
from bot.app import build_application, offline
from bot.callbacks import customer_button
from standin.errors import FaultKind
from standin.inprocess import Person
from tests.bot.conftest import World, settings_for
from tests.bot.test_every_button import add_customer
from tests.bot.walk import open_case

pytestmark = pytest.mark.asyncio

CALLS = ("sendMessage", "editMessageText", "editMessageReplyMarkup", "deleteMessage")


@pytest.fixture(autouse=True)
def no_pause(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bot.delivery, "TRANSIENT_PAUSE", 0, raising=False)


def telegram_failing(world: World, kind: FaultKind = "network", times: int = 20) -> None:
    for method in (*CALLS, "answerCallbackQuery"):
        world.api.fail_next(method, kind, times=times)


def live_version(person: Person, case_id: int) -> int:
    """The version the newest card of the case in the chat was drawn for."""
    for message in reversed(person.messages):
        for row in message.buttons:
            for button in row:
                data = button.callback_data or ""
                if data.startswith(f"k:{case_id}:") and data.split(":")[3] in "ca":
                    return int(data.split(":")[2])
    raise AssertionError("no card with buttons")


@pytest.mark.parametrize("kind", ["timeout", "network", "server"])
async def test_a_reply_failing_once_on_its_way_is_sent_again(
    world: World, kind: FaultKind
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    for method in CALLS:
        world.api.fail_next(method, kind)
    await lan.press("Calm")
    world.api._faults.clear()
    case = await world.case(case_id)
    assert case.draft.get("reaction") == "calm"
    assert live_version(lan, case_id) == case.version


async def test_a_button_pressed_again_after_its_answer_was_lost_shows_where_the_case_stands(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    card = lan.api.last_with_buttons(lan.chat_id)
    assert card is not None
    telegram_failing(world)
    await lan.press("Calm", card)  # saved; nothing of the answer reaches Lan
    world.api._faults.clear()
    case = await world.case(case_id)
    assert live_version(lan, case_id) == case.version - 1  # the card on screen is stale
    await lan.press("Calm", card)  # nothing happened, as far as Lan can tell
    assert "out of date" in (world.api.answers[-1].get("text") or "")
    assert (await world.case(case_id)).version == case.version  # nothing done twice
    assert live_version(lan, case_id) == case.version  # and Lan sees where the case stands
    await lan.press("Skip")
    assert (await world.case(case_id)).state == "fix"


async def test_a_text_resent_after_its_answer_was_lost_is_confirmed_when_nothing_is_asked_now(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.press("Cancel (mistake)")
    telegram_failing(world)
    await lan.send("Opened for the wrong customer")  # the case is cancelled: nothing asked now
    world.api._faults.clear()
    events = [e.kind for e in await world.events(case_id)]
    assert events.count("cancel") == 1
    await lan.send("Opened for the wrong customer")  # no answer came: Lan sends it again
    assert f"I saved it once, in case #{case_id}" in lan.last_text
    assert "not waiting for any text" not in lan.last_text
    assert [e.kind for e in await world.events(case_id)] == events


async def test_a_photo_sent_again_after_its_answer_was_lost_is_attached_once(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.press("Evidence")
    telegram_failing(world)
    await lan.send_photo("photo-of-the-broken-cake")  # attached; no answer reaches Lan
    world.api._faults.clear()
    await lan.send_photo("photo-of-the-broken-cake")  # so she sends it again
    evidence = [e for e in await world.events(case_id) if e.kind == "evidence"]
    assert [e.data["file_id"] for e in evidence] == ["photo-of-the-broken-cake"]
    assert f"already attached to case #{case_id}" in "\n".join(
        m.plain_text for m in lan.messages[-2:]
    )
    await lan.send_photo("photo-of-the-receipt")  # another file is attached, of course
    evidence = [e for e in await world.events(case_id) if e.kind == "evidence"]
    assert len(evidence) == 2


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("action", ["complaint", "review", "exit", "checkin"])
async def test_a_customer_cards_button_pressed_twice_opens_one_case(
    world: World, who: str, action: str
) -> None:
    person: Person = getattr(world, who)
    customer_id = await add_customer(world, "Trần Văn Bình")
    await person.send("/customer Trần Văn Bình")
    card = person.api.last(person.chat_id)
    telegram_failing(world)
    await person.press(customer_button(customer_id, action), card)  # its answer lost
    world.api._faults.clear()
    await person.press(customer_button(customer_id, action), card)  # so it is pressed again
    assert await world.count("cases") == 1
    assert "#1" in person.last_text


async def test_a_stale_press_in_another_chat_than_the_cards_gets_the_notice_alone(
    world: World,
) -> None:
    lan, minh = world.lan, world.minh
    case_id = await open_case(lan)
    version = (await world.case(case_id)).version
    await lan.press("Calm")
    await minh.send("/cases")  # a message of Minh's to press on, newer than Lan's card
    seen = len(minh.messages)
    # Not a button of the card (a card of the case pressed in his chat is redrawn there): a
    # reminder's, say, out of date.
    await minh.press_data(f"k:{case_id}:{version}:f:satisfied", minh.messages[-1].message_id)
    assert "out of date" in (world.api.answers[-1].get("text") or "")
    assert len(minh.messages) == seen  # the case's card stays in Lan's chat


async def test_a_stale_press_on_an_older_card_shows_the_current_one_when_the_newer_is_stale_too(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    first = lan.api.last_with_buttons(lan.chat_id)
    assert first is not None
    await lan.send("/cases")
    for method in ("editMessageText", "deleteMessage", "editMessageReplyMarkup"):
        world.api.fail_next(method, "server", times=2)  # the first card is left as it was
    await lan.press(f"#{case_id}")  # the card drawn again, below
    world.api._faults.clear()
    second = lan.api.last_with_buttons(lan.chat_id)
    assert second is not None
    assert second.message_id > first.message_id
    telegram_failing(world)
    await lan.press("Calm", second)  # saved; its answer lost: both cards are stale now
    world.api._faults.clear()
    case = await world.case(case_id)
    await lan.press("Upset", first)
    assert "out of date" in (world.api.answers[-1].get("text") or "")
    assert live_version(lan, case_id) == case.version


NOTE = "Chị Hương rất bực vì bánh sinh nhật giao trễ; em đã xin lỗi chị"


async def test_a_text_typed_again_after_a_restart_is_known_for_the_one_saved(
    world: World, database_url: str
) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Calm")  # the card now asks for the apology's note
    telegram_failing(world)
    await world.lan.send(NOTE)  # saved; nothing of the answer reaches Lan
    world.api._faults.clear()
    fresh = build_application(settings_for(database_url), request=world.api, clock=world.clock)
    async with offline(fresh):  # the bot restarted meanwhile
        lan = Person(fresh, world.api, world.lan.telegram_id, "Lan", "en")
        world.clock.advance(seconds=20)
        await lan.send(NOTE)  # typed again: it was not seen to go through
        case = await world.case(case_id)
        assert case.state == "fix"
        assert "action" not in case.draft  # not the fix's answer
        assert "You sent the same text twice in a row" in lan.messages[-2].plain_text
        await lan.send(NOTE)  # sent once more, it is taken
        assert (await world.case(case_id)).draft.get("action") == NOTE
