"""The case card, read on a phone: what it logs of the steps done stands, once, and what it
asks fits the moment (a step redone, the intake's summary, a form already open, a wait)."""

from __future__ import annotations

import pytest

from bot import callbacks as cb
from flows.procedures.review import Rung
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import label, open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

WORDS = {
    "lan": {
        "step_1": "Step 1 of 5",
        "step_2": "Step 2 of 5",
        "fixed": "Fixed now",
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
        "reason": "Abuse or mistreatment of staff",
        "form_open": "already open",
        "to_rung": "↩ Return to the rung",
        "skip_rung": "⏭ Skip rung",
        "rung_question": "What did you do on this rung?",
        "wait": "Wait and see",
        "in_a_week": "In a week",
        "waits": "waits and sees until 2026-11-30 09:00",
        "asked_again": "What did you do on this rung?",
        "news": "When there is news",
    },
    "hoa": {
        "step_1": "Bước 1/5",
        "step_2": "Bước 2/5",
        "fixed": "Đã khắc phục xong",
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
        "to_rung": "↩ Về giai đoạn",
        "skip_rung": "⏭ Bỏ qua giai đoạn",
        "rung_question": "Bạn đã làm gì ở giai đoạn này?",
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
async def test_a_step_done_again_after_going_back_stands_once_on_the_card_marked_as_redone(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    case_id = await open_case(person)
    card = person.last
    await walk_to_fix(person)  # step 1: a calm customer
    await person.press(words["back"])
    assert person.last is card  # edited in place throughout
    logged = summaries(card.plain_text, words)
    # Stepped back, the card no longer says the step is done: its summary is taken back.
    assert f"✅ #{case_id} · {words['step_1']}" not in logged
    assert f"↩ #{case_id} · {words['step_1']}" in logged
    assert words["taken_back"] in logged
    assert any(e["type"] == "strikethrough" for e in card.entities)

    await person.press(words["upset"])  # step 1 done again, differently
    await person.press(label(person, "Skip"))
    logged = summaries(card.plain_text, words)
    assert logged.count(words["step_1"]) == 1  # the one that stands, and only it
    assert f"✅ #{case_id} · {words['step_1']}" in logged
    assert words["redone"] in logged
    assert words["upset"] in logged
    assert words["taken_back"] not in logged

    # The timeline keeps everything: both apologies and the step back between them.
    kinds = [e.kind for e in await world.events(case_id)]
    assert kinds.count("apologised") == 2
    assert "back" in kinds


@PEOPLE
async def test_a_step_gone_back_to_from_a_card_sent_anew_is_marked_taken_back_where_it_was_logged(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    case_id = await open_case(person)
    first = person.last
    await walk_to_fix(person)
    await person.send("Giao lại bằng xe riêng")
    await person.press(words["fixed"])  # step 2 logged on the first card message
    await person.send("/cases")
    await person.press(f"#{case_id}")  # the card comes down, below the list
    card = person.last
    assert card is not first
    await person.press(words["back"])
    above = first.plain_text
    assert f"↩ #{case_id} · {words['step_2']}" in above
    assert words["taken_back"] in above
    assert f"✅ #{case_id} · {words['step_1']}" in above  # step 1 still stands

    await person.send("Giao lại lần hai")
    await person.press(words["fixed"])
    assert f"✅ #{case_id} · {words['step_2']}" in card.plain_text
    assert words["redone"] in card.plain_text


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
async def test_decide_now_opened_by_mistake_is_left_for_the_rung_with_nothing_ticked_kept(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    case_id = await decision_form_opened(world, person, words)
    assert words["to_rung"] in person.buttons
    await person.press(words["to_rung"])
    case = await world.case(case_id)
    assert case.state == Rung.reassess
    assert "straight" not in case.draft
    assert words["rung_question"] in person.last_text
    assert any(words["decide"] in b for b in person.buttons)  # offered again
    assert words["to_rung"] not in person.buttons


@PEOPLE
async def test_skip_rung_is_not_offered_while_decide_nows_form_is_open_and_a_press_is_stale(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    words = WORDS[who]
    case_id = await decision_form_opened(world, person, words)
    assert words["skip_rung"] not in person.buttons  # the form is the rung's way on now
    case = await world.case(case_id)
    before = (case.state, case.version, dict(case.draft))
    await person.press_data(cb.case_button(case_id, case.version, cb.ACT, "skip_reason"))
    case = await world.case(case_id)
    assert (case.state, case.version, case.draft) == before
    await person.press(words["to_rung"])
    assert words["skip_rung"] in person.buttons  # back on the rung: offered again


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
