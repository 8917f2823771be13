"""The case card, read on a phone: what it logs of the steps done stands, once, and what it
asks fits the moment (a step redone, the intake's summary, a form already open, a wait)."""

from __future__ import annotations

import pytest

from bot import callbacks as cb
from flows.procedures.review import Rung
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import open_case

pytestmark = pytest.mark.asyncio

WORDS = {
    "lan": {
        "step_1": "Step 1 of 5",
        "back": "Back a step",
        "taken_back": "stepped back: to be done again",
        "redone": "done again",
        "upset": "Upset",
        "customer": "Customer:",
        "name": "Name:",
        "card": "\n\nCase #",
        "incident": "Incident",
        "abuse": "Abuse of staff",
        "today": "Today",
        "decide": "Decide now",
        "reason": "Is mean to or abuses staff",
        "form_open": "already open",
        "wait": "Wait and see",
        "in_a_week": "In a week",
        "waits": "waits and sees until 2026-11-30 09:00",
        "asked_again": "What did you do on this rung?",
        "news": "When there is news",
    },
    "hoa": {
        "step_1": "Bước 1/5",
        "back": "Lùi một bước",
        "taken_back": "đã lùi lại, cần làm lại",
        "redone": "đã làm lại",
        "upset": "Buồn bực",
        "customer": "Khách hàng:",
        "name": "Tên:",
        "card": "\n\nHồ sơ #",
        "incident": "Sự việc",
        "abuse": "Xúc phạm nhân viên",
        "today": "Hôm nay",
        "decide": "Quyết định ngay",
        "reason": "Cư xử tệ, xúc phạm nhân viên",
        "form_open": "đang mở",
        "wait": "Chờ xem",
        "in_a_week": "1 tuần nữa",
        "waits": "chờ xem đến 30/11/2026 09:00",
        "asked_again": "Bạn đã làm gì ở giai đoạn này?",
        "news": "Khi có tin mới",
    },
}
PEOPLE = pytest.mark.parametrize("who", ["lan", "hoa"])


def summaries(text: str, words: dict[str, str]) -> str:
    """The steps a card message logs: everything above the card itself."""
    return text.split(words["card"])[0]


@PEOPLE
async def test_the_intake_summary_of_a_new_customer_names_them_once(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    await open_case(person, "Nguyễn Thị Hương")
    intake = summaries(person.last_text, words)
    assert intake.count("Nguyễn Thị Hương") == 1
    assert f"• {words['customer']} Nguyễn Thị Hương" in intake
    assert f"• {words['name']}" not in intake
    assert "0903123456" in intake  # the other details of the new customer stay


async def decision_form_opened(world: World, person: Person, words: dict[str, str]) -> int:
    """A review of a customer with documented abuse of staff, "Decide now" pressed and one
    reason ticked: the card asks which situations apply."""
    await add_customer(world, "Trần Minh")
    case_id = await open_review(person, "Trần Minh")
    for step in ("incident", "abuse", "today"):
        await person.press(words[step])
    await person.send("Chửi nhân viên thu ngân")
    await person.press(words["decide"])
    await person.press(words["reason"])
    return case_id


@PEOPLE
async def test_decide_now_is_not_offered_while_its_form_is_open_and_a_press_changes_nothing(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    case_id = await decision_form_opened(world, person, words)
    assert not any(words["decide"] in b for b in person.buttons)
    case = await world.case(case_id)
    before = (case.version, dict(case.draft))

    await person.press_data(cb.case_button(case_id, case.version, cb.ACT, "straight"))
    assert words["form_open"] in world.api.answers[-1]["text"]
    case = await world.case(case_id)
    assert (case.version, case.draft) == before  # the reason ticked is still ticked


@PEOPLE
async def test_a_rung_set_to_wait_says_until_when_and_asks_for_the_news_not_the_rung_again(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    await add_customer(world, "Trần Minh")
    case_id = await open_review(person, "Trần Minh")
    await person.send("Gọi điện hỏi lại nhu cầu")
    await person.press(words["wait"])
    await person.press(words["in_a_week"])
    assert (await world.case(case_id)).state == Rung.reassess
    card = person.last_text.split(words["card"])[1]
    assert words["waits"] in card
    question = card.rsplit("➡️", 1)[1]
    assert words["asked_again"] not in question
    assert words["news"] in question
