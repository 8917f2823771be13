"""A button that adds to a case whatever step it is at — 📝 Add a note, 📎 Attach evidence,
⚠ Escalate, ⏸ Pause — works from an older card of the case as it works from the current one:
the note typed next is the note, not an answer to the question the case has moved on to.

Before, every button of an older card was out of date: the pop-up said so and the card was
drawn anew, and a note typed next went to the card's question — a follow-up date, say,
answered "I could not read that date", and the note was saved nowhere. Buttons that answer
a step are still out of date on an older card
(tests/bot/test_every_stale_press_shows_where_the_case_stands.py).
"""

from __future__ import annotations

import copy

import pytest

from flows.forms import SIDE_FORM
from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World
from tests.bot.test_every_stale_press_shows_where_the_case_stands import WORDS, opened

pytestmark = pytest.mark.asyncio

ASKED = {
    "lan": {
        "note": "Type your note for case #",
        "evidence": "Send a photo, a document, a voice message or a video for case #",
        "escalate_reason": "Why are you escalating case #",
        "pause": "is paused",
    },
    "hoa": {
        "note": "Gõ ghi chú cho hồ sơ #",
        "evidence": "Gửi một ảnh, tài liệu, tin nhắn thoại hoặc video cho hồ sơ #",
        "escalate_reason": "Vì sao bạn báo hồ sơ #",
        "pause": "tạm dừng",
    },
}
SAVED = {"lan": "📝 Note added to case #", "hoa": "📝 Đã thêm ghi chú vào hồ sơ #"}


def side_button(card: SentMessage, verb: str) -> str:
    """The data of the card's side button `verb`."""
    (data,) = [
        b.callback_data or ""
        for row in card.buttons
        for b in row
        if (b.callback_data or "").endswith(f":a:{verb}")
    ]
    return data


async def an_older_card(world: World, person: Person, command: str) -> tuple[int, SentMessage]:
    """A case, and a copy of its card as drawn before a note moved the case on."""
    case_id = await opened(world, person, command)
    old = copy.deepcopy(person.api.last_with_buttons(person.chat_id))
    assert old is not None
    await person.press(WORDS[person_key(world, person)]["note"])
    await person.send("Called her back at 10")
    assert (await world.case(case_id)).version != int(side_button(old, "note").split(":")[2])
    return case_id, old


def person_key(world: World, person: Person) -> str:
    return "lan" if person is world.lan else "hoa"


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("command", ["/new", "/problem", "/exit"])
async def test_a_note_pressed_on_an_older_card_is_saved_as_the_note_typed_next(
    world: World, who: str, command: str
) -> None:
    person: Person = getattr(world, who)
    case_id, old = await an_older_card(world, person, command)
    state = (await world.case(case_id)).state
    said = len(person.messages)
    await person.press_data(side_button(old, "note"), old.message_id)
    assert ASKED[who]["note"] in person.messages[-1].plain_text
    await person.send("Her neighbour confirmed the delivery")
    assert SAVED[who] in "\n".join(m.plain_text for m in person.messages[said:])
    notes = [e.data.get("text") for e in await world.events(case_id) if e.kind == "note"]
    assert notes == ["Called her back at 10", "Her neighbour confirmed the delivery"]
    assert (await world.case(case_id)).state == state  # a note moves no step


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("verb", ["evidence", "escalate_reason", "pause"])
async def test_every_button_that_adds_to_any_step_works_from_an_older_card(
    world: World, who: str, verb: str
) -> None:
    person: Person = getattr(world, who)
    _, old = await an_older_card(world, person, "/new")
    await person.press_data(side_button(old, verb), old.message_id)
    assert WORDS[who]["stale"] not in str(world.api.answers[-1:])
    assert ASKED[who][verb] in person.messages[-1].plain_text


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_an_incident_pressed_on_an_older_card_opens_its_form_once_and_keeps_its_answers(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    case_id, old = await an_older_card(world, person, "/new")
    await person.press_data(side_button(old, "incident"), old.message_id)
    assert WORDS[who]["stale"] not in str(world.api.answers[-1:])
    kinds = person.api.last_with_buttons(person.chat_id)
    assert kinds is not None
    late = (b.callback_data or "" for row in kinds.buttons for b in row)
    await person.press_data(next(d for d in late if "late_payment" in d), kinds.message_id)
    begun = await world.case(case_id)
    assert (begun.draft.get(SIDE_FORM), begun.draft.get("incident_kind")) == (
        "incident",
        "late_payment",
    )
    # Pressed again, on that older card, while the form is being written: it stands as it is.
    await person.press_data(side_button(old, "incident"), old.message_id)
    again = await world.case(case_id)
    assert (again.version, again.draft) == (begun.version, begun.draft)
