"""A message that cannot answer what a case waits for — a sticker, a location, a contact, a
poll, a dice, an animation — saves nothing and asks again (a voice message or a video note
is evidence: `test_a_voice_message_or_a_video_sent_as_evidence_is_kept_as_a_photo_is`):
the case's own question on its card, with its buttons; a note, a reason or a file with its
prompt and its way back; a supervisor's comment with its "No comment". What is then typed is
taken.

Before, each got "I cannot handle that kind of message. Please type text, or send a photo…",
and the question it interrupted was not asked again (as a question about a customer now is).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_adversarial import UNSUPPORTED
from tests.bot.walk import asking_approval, open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

WORDS = {
    "lan": {
        "not_usable": "cannot answer what I am waiting for in case #{case}, so nothing was saved",
        "generic": "nothing is waiting for an answer from you right now",
        "calm": "😌 Calm",
        "reaction": "how did the customer react?",
        "fix": "to fix it?",
        "note": "📝 Add a note",
        "note_asked": "Type your note for case",
        "cancel": "✖ Cancel (mistake)",
        "cancel_asked": "Why cancel case",
        "evidence": "📎 Attach evidence",
        "evidence_asked": "Send a photo, a document, a voice message or a video for case",
        "carry_on": "▶ Carry on with this case",
    },
    "hoa": {
        "not_usable": "không trả lời được điều tôi đang chờ cho hồ sơ #{case}",
        "generic": "không có câu hỏi nào đang chờ bạn trả lời",
        "calm": "😌 Bình tĩnh",
        "reaction": "khách phản ứng ra sao?",
        "fix": "để khắc phục?",
        "note": "📝 Thêm ghi chú",
        "note_asked": "Gõ ghi chú cho hồ sơ",
        "cancel": "✖ Hủy (tạo nhầm)",
        "cancel_asked": "Vì sao hủy hồ sơ",
        "evidence": "📎 Đính kèm",
        "evidence_asked": "Gửi một ảnh, tài liệu, tin nhắn thoại hoặc video cho hồ sơ",
        "carry_on": "▶ Làm tiếp hồ sơ này",
    },
}

FILE = {"file_id": "f-1", "file_unique_id": "u-1"}
#: What cannot answer a question, as Telegram sends it (sticker and contact: `send_kind`).
KINDS: dict[str, dict[str, Any]] = {
    **{kind: fields for kind, fields in UNSUPPORTED.items() if kind in ("dice", "poll")},
    "location": UNSUPPORTED["location"],
    "animation": {"animation": {**FILE, "width": 320, "height": 240, "duration": 2}},
}


async def send_kind(person: Person, kind: str) -> None:
    if kind == "sticker":
        await person.send_sticker()
    elif kind == "contact":  # someone else's contact, where no phone is asked
        await person.send_contact("0903 999 888", "Bình")
    else:
        await person._send_message(person._private_chat(), KINDS[kind])


def texts_since(person: Person, before: int) -> str:
    return "\n".join(m.plain_text for m in person.messages[before:])


Wait = Callable[[World, Person, dict[str, str]], Awaitable[tuple[int, str, str]]]


async def choice_question(world: World, person: Person, w: dict[str, str]) -> tuple[int, str, str]:
    return await open_case(person), w["reaction"], w["calm"]


async def typed_question(world: World, person: Person, w: dict[str, str]) -> tuple[int, str, str]:
    case_id = await open_case(person)
    await walk_to_fix(person)
    return case_id, w["fix"], ""


async def note(world: World, person: Person, w: dict[str, str]) -> tuple[int, str, str]:
    case_id = await open_case(person)
    await person.press(w["note"])
    return case_id, w["note_asked"], w["carry_on"]


async def cancel_reason(world: World, person: Person, w: dict[str, str]) -> tuple[int, str, str]:
    case_id = await open_case(person)
    await person.press(w["cancel"])
    return case_id, w["cancel_asked"], w["carry_on"]


async def evidence(world: World, person: Person, w: dict[str, str]) -> tuple[int, str, str]:
    case_id = await open_case(person)
    await person.press(w["evidence"])
    return case_id, w["evidence_asked"], w["carry_on"]


WAITS: dict[str, Wait] = {
    "choice_question": choice_question,
    "typed_question": typed_question,
    "note": note,
    "cancel_reason": cancel_reason,
    "evidence": evidence,
}
ALL_KINDS = ["sticker", "contact", *KINDS]


@pytest.mark.parametrize("kind", ALL_KINDS)
@pytest.mark.parametrize("waiting", list(WAITS))
async def test_what_cannot_answer_a_case_saves_nothing_and_asks_again_with_its_buttons(
    world: World, waiting: str, kind: str
) -> None:
    await _asks_again(world, world.lan, waiting, kind)


@pytest.mark.parametrize("kind", ["sticker", "poll", "location"])
@pytest.mark.parametrize("waiting", list(WAITS))
async def test_what_cannot_answer_a_case_is_said_in_vietnamese_and_asked_again(
    world: World, waiting: str, kind: str
) -> None:
    await _asks_again(world, world.hoa, waiting, kind)


async def _asks_again(world: World, person: Person, waiting: str, kind: str) -> None:
    w = WORDS["lan" if person.language_code == "en" else "hoa"]
    case_id, asked, button = await WAITS[waiting](world, person, w)
    before_case = await world.case(case_id)
    events = len(await world.events(case_id))
    before = len(person.messages)
    await send_kind(person, kind)
    said = texts_since(person, before) or person.last_text  # folded into the card edited
    shown = said + "\n" + person.last_text
    assert w["not_usable"].format(case=case_id) in shown
    assert w["generic"] not in shown
    assert asked in person.last_text  # the question, asked again, is the latest message
    if button:
        assert button in person.last.button_labels
    assert len(await world.events(case_id)) == events  # nothing saved
    after = await world.case(case_id)
    assert (after.state, after.draft) == (before_case.state, before_case.draft)
    if waiting in ("note", "cancel_reason"):  # what is typed next is taken
        await person.send("Typed after all")
        kinds = [e.kind for e in await world.events(case_id)]
        assert kinds[-1] == ("note" if waiting == "note" else "cancel")


async def test_a_sticker_for_a_comment_on_a_decision_keeps_the_comment_asked(
    world: World,
) -> None:
    case_id = await asking_approval(world.lan)
    await world.minh.press("Approve")
    await world.minh.send_sticker()
    assert "typed as text" in world.minh.last_text
    assert "nothing to add" in " ".join(world.minh.last.button_labels)
    await world.minh.send("Good call")
    assert "approval_comment" in [e.kind for e in await world.events(case_id)]


async def test_a_sticker_with_nothing_waiting_says_nothing_waits(world: World) -> None:
    await world.lan.send_sticker()
    assert WORDS["lan"]["generic"] in world.lan.last_text
