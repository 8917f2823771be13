"""A side action's prompt (note, evidence, escalate, cancel, skip a rung) offers the way
back to the case: a button pressed by mistake never forces the next typed answer into it.

Before, "✖ Cancel (mistake)" pressed by mistake left only one way on: whatever was typed next —
the step's answer, most likely — cancelled the case as its reason.
"""

from __future__ import annotations

import pytest

from flows.procedures.complaint import Step
from tests.bot.conftest import World
from tests.bot.walk import open_case, walk_to_fix

pytestmark = pytest.mark.asyncio

#: Each reader's labels: the side actions a complaint's card carries, and the way back.
LABELS = {
    "lan": (
        ("📝 Add a note", "📎 Attach evidence", "⚠ Escalate", "✖ Cancel (mistake)"),
        "▶ Carry on with this case",
    ),
    "hoa": (
        ("📝 Thêm ghi chú", "📎 Đính kèm", "⚠ Báo cấp trên", "✖ Hủy (tạo nhầm)"),
        "▶ Làm tiếp hồ sơ này",
    ),
}


@pytest.mark.parametrize("who", list(LABELS))
async def test_every_side_actions_prompt_offers_the_way_back_to_the_case(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    (*actions,), back = LABELS[who]
    await open_case(person)
    await walk_to_fix(person)
    for action in actions:
        await person.press(action)
        assert person.last.button_labels == [back], (action, person.last_text)
        await person.press(back)
        assert set(actions) <= set(person.buttons)  # the card, again


@pytest.mark.parametrize("who", list(LABELS))
async def test_cancel_pressed_by_mistake_then_the_steps_answer_typed_keeps_the_case(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    (*_, cancel), back = LABELS[who]
    case_id = await open_case(person)
    await walk_to_fix(person)
    await person.press(cancel)
    await person.press(back)
    await person.send("Re-delivered by our own van within the hour")
    case = await world.case(case_id)
    assert (case.state, case.resolution) == (Step.fix, None)
    assert "Re-delivered" in str(case.draft)


#: Each reader's labels: documenting an incident, leaving it, and going back a step.
INCIDENT = {
    "lan": ("🚩 Log an incident", "↩ Drop it", "↩ Go back a step"),
    "hoa": ("🚩 Ghi nhận sự việc", "↩ Thôi ghi", "↩ Lùi một bước"),
}


@pytest.mark.parametrize("who", list(INCIDENT))
async def test_an_incident_begun_by_mistake_is_left_without_stepping_the_case_back(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    incident, drop, back = INCIDENT[who]
    case_id = await open_case(person)
    await walk_to_fix(person)
    await person.press(incident)
    assert drop in person.buttons
    assert back not in person.buttons
    await person.press(drop)
    case = await world.case(case_id)
    assert case.state == Step.fix
    assert not any(k.startswith("incident") for k in case.draft)
    assert incident in person.buttons
    assert drop not in person.buttons
    assert await world.count("incidents") == 0


#: The day an incident happened, typed as a year, and what each reader is told.
YEAR_ALONE = {"lan": "A year alone is not enough", "hoa": "Chỉ có năm thì chưa đủ"}


@pytest.mark.parametrize("who", list(YEAR_ALONE))
async def test_an_incident_dated_by_a_year_alone_asks_for_the_day_and_records_nothing(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    incident, *_ = INCIDENT[who]
    await open_case(person)
    await walk_to_fix(person)
    await person.press(incident)
    await person.press(person.buttons[1])  # a kind of incident
    await person.send("2019")
    assert YEAR_ALONE[who] in person.last_text
    assert await world.count("incidents") == 0
