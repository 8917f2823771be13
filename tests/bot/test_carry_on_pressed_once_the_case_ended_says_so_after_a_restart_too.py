"""▶ Carry on with this case, pressed once its case has ended, says the case has ended,
shows its card as it ended and goes from the message — also under a prompt sent before the
bot restarted, which the process that ended the case knew nothing of, and under a timeline.

Before, the process forgot the prompts it had sent when it restarted: a case cancelled
after the restart left the prompt's ▶ Carry on with this case in place, and a press showed
the case's timeline, as if there were still something to carry on with (without a restart
the button was gone). A timeline's ▶ Carry on did the same once its case had ended.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World, restarted
from tests.bot.walk import open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

WORDS = {
    "lan": {
        "note": "📝 Add a note",
        "carry_on": "▶ Carry on with this case",
        "ended": "has ended, so there is nothing left to carry on with",
        "cancelled": "✖ Cancelled on",
        "timeline": "Timeline",
    },
    "hoa": {
        "note": "📝 Thêm ghi chú",
        "carry_on": "▶ Làm tiếp hồ sơ này",
        "ended": "đã kết thúc nên không còn gì để làm tiếp",
        "cancelled": "✖ Đã hủy lúc",
        "timeline": "Lịch sử xử lý",
    },
}


def offered(person: Person, message: SentMessage) -> list[str]:
    """The buttons a message shows now."""
    shown = person.api.find_message(person.chat_id, message.message_id)
    assert shown is not None
    return shown.button_labels


async def cancelled_by_minh(world: World, case_id: int) -> None:
    version = (await world.case(case_id)).version
    await world.minh.press_data(f"k:{case_id}:{version}:a:cancel_reason")
    await world.minh.send("Duplicate of case 7")
    assert (await world.case(case_id)).state == "cancelled"


async def pressed_once_ended(world: World, person: Person, words: dict[str, str], at: SentMessage):
    answers = len(world.api.answers)
    sent = len(person.messages)
    await person.press(words["carry_on"], at)
    assert words["ended"] in str(world.api.answers[answers:])
    assert words["carry_on"] not in offered(person, at)
    shown = person.messages[sent:]
    assert shown, "the card as it ended"
    assert words["cancelled"] in shown[-1].plain_text
    assert not shown[-1].button_labels
    assert all(words["timeline"] not in m.plain_text for m in shown)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_prompts_carry_on_pressed_after_a_restart_once_its_case_was_cancelled_says_so(
    world: World, database_url: str, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    case_id = await open_case(person)
    await walk_to_fix(person)
    await person.press(words["note"])
    prompt = person.last
    async with restarted(world, database_url):
        await cancelled_by_minh(world, case_id)
        await pressed_once_ended(world, person, words, prompt)
        before = len(person.messages)
        await person.send("Customer called twice")  # the note left: nothing takes it
        assert "Customer called twice" not in str(await world.events(case_id))
        assert len(person.messages) > before


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_timelines_carry_on_pressed_once_the_case_was_cancelled_says_it_ended(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    case_id = await open_case(person)
    await person.send(f"/case {case_id}")
    timeline = person.last
    assert words["carry_on"] in offered(person, timeline)
    await cancelled_by_minh(world, case_id)
    await pressed_once_ended(world, person, words, timeline)


async def test_a_prompts_carry_on_pressed_after_a_restart_still_leads_back_into_an_open_case(
    world: World, database_url: str
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await walk_to_fix(lan)
    await lan.press("📝 Add a note")
    prompt = lan.last
    async with restarted(world, database_url):
        await lan.press("▶ Carry on with this case", prompt)
        assert "Step 2 of 5" in lan.last_text
        assert "📝 Add a note" in lan.buttons
        await lan.send("Re-delivered by our own van")  # answers the card, not the note
        assert (await world.case(case_id)).draft.get("action") == "Re-delivered by our own van"
