"""A form opened on a review's rung and left again leaves the rung as it stood.

Before, "Decide now" pressed on a rung set to wait and see, then "↩ Return to the rung",
lost the wait: the card no longer said until when it waits, asked for the rung afresh
rather than for the news, and the reminder to look again was dropped as out of date. And
"Decide now" or "Skip rung" pressed while an incident was being written threw the incident
away unsaid.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.procedures.review import Rung
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer, open_review

pytestmark = pytest.mark.asyncio

#: Each reader's words: documenting abuse, a wait of a week, deciding now and leaving it.
WORDS = {
    "lan": {
        "incident": "Incident",
        "abuse": "Abuse of staff",
        "today": "Today",
        "wait": "Wait and see",
        "in_a_week": "In a week",
        "decide": "Decide now",
        "to_rung": "↩ Return to the rung",
        "waits": "waits and sees until 2026-11-30 09:00",
        "news": "When there is news",
        "card": "\n\nCase #",
        "skip": "⏭ Skip rung",
        "when": "When did it happen?",
    },
    "hoa": {
        "incident": "Sự việc",
        "abuse": "Xúc phạm nhân viên",
        "today": "Hôm nay",
        "wait": "Chờ xem",
        "in_a_week": "1 tuần nữa",
        "decide": "Quyết định ngay",
        "to_rung": "↩ Về giai đoạn",
        "waits": "chờ xem đến 30/11/2026 09:00",
        "news": "Khi có tin mới",
        "card": "\n\nHồ sơ #",
        "skip": "⏭ Bỏ qua giai đoạn",
        "when": "Xảy ra khi nào?",
    },
}


@pytest.mark.parametrize("who", list(WORDS))
async def test_decide_now_left_for_the_rung_keeps_the_wait_its_card_and_its_reminder(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    await add_customer(world, "Trần Minh")
    case_id = await open_review(person, "Trần Minh")
    for step in ("incident", "abuse", "today"):
        await person.press(words[step])
    await person.send("Chửi nhân viên thu ngân")
    await person.send("Gọi điện hỏi lại nhu cầu")
    await person.press(words["wait"])
    await person.press(words["in_a_week"])
    await person.press(words["decide"])
    await person.press(words["to_rung"])
    assert (await world.case(case_id)).state == Rung.reassess
    card = person.last_text.split(words["card"])[1]
    assert words["waits"] in card
    assert words["news"] in card.rsplit("➡️", 1)[1]
    world.clock.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # the wait's day is past
    report = await world.scheduler.tick()
    assert (report.sent, report.dropped) == (1, 0)
    assert f"#{case_id}" in person.last_text


@pytest.mark.parametrize("who", list(WORDS))
@pytest.mark.parametrize("leaving", ["decide", "skip"])
async def test_an_incident_being_written_stays_when_the_rung_is_decided_now_or_skipped(
    world: World, who: str, leaving: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    await add_customer(world, "Trần Minh")
    case_id = await open_review(person, "Trần Minh")
    for step in ("incident", "abuse", "today"):
        await person.press(words[step])
    await person.send("Chửi nhân viên thu ngân")
    await person.press(words["incident"])  # a second incident, its kind ticked
    await person.press(words["abuse"])
    await person.press(words[leaving])
    if leaving == "skip":
        await person.send("Đã thử ở lần trước")
    case = await world.case(case_id)
    assert case.draft.get("incident_kind") == "abuse_of_staff", case.draft
    assert words["when"] in person.last_text.rsplit("➡️", 1)[1]
    await person.press(words["today"])
    await person.send("Lại chửi nhân viên")
    assert await world.count("incidents") == 2
