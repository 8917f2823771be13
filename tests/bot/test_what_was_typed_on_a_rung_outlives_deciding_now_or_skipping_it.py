"""What staff typed on a rung (what they did there), before pressing ⚖ Decide now or
⏭ Skip rung instead of saying how it went, is kept once: on the request for the decision and
its summary, on the rung when the decision's form is left for it, or on the skip — in both
languages. So is what was ticked and typed in the decision's form when it is left for the
rung (↩ Return to the rung): on an event of its own, only when there was something.

Before, either press threw the words away with no event keeping them: the decision's form
opened without them, the rung returned to asked again what was done there, and the skip's
event held only its reason; the notes typed on the reasons of a decision's form left for
the rung were lost the same way.
"""

from __future__ import annotations

import pytest

from flows.procedures.review import Rung
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_termination_declined_or_withdrawn_keeps_the_caution_its_next_request_shows import (  # noqa: E501
    decided_at_once,
)
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import label, words

pytestmark = pytest.mark.asyncio

DONE_THERE = "Gọi khách hai lần về các hóa đơn quá hạn"


async def typed_on_the_first_rung(world: World, person: Person) -> int:
    """A review whose customer has abuse of staff documented; what was done on its first
    rung typed, how it went not yet said."""
    await add_customer(world, "Vũ Thị Hạnh")
    case_id = await open_review(person, "Vũ Thị Hạnh")
    await person.press(label(person, "Incident"))
    await person.press(label(person, "Abuse of staff"))
    await person.press(label(person, "Today"))
    await person.send("Shouted at the cashier")
    await person.send(DONE_THERE)
    assert (await world.case(case_id)).draft.get("rung_action") == DONE_THERE
    return case_id


async def timeline(person: Person, case_id: int) -> str:
    await person.send(f"/case {case_id}")
    return person.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_decision_asked_at_once_keeps_what_was_done_on_the_rung(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await typed_on_the_first_rung(world, person)
    await decided_at_once(person)
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    asked = words(supervisor, "event.straight_to_decision")
    rung = words(supervisor, "step.reassess.title")
    assert f"• {rung} — {asked}: {DONE_THERE}" in supervisor.last_text
    (event,) = [e for e in await world.events(case_id) if e.kind == "straight_to_decision"]
    assert event.data["rung_action"] == DONE_THERE
    assert (await timeline(person, case_id)).count(DONE_THERE) == 1


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_rung_returned_to_from_the_decisions_form_still_holds_what_was_done(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await typed_on_the_first_rung(world, person)
    await person.press(label(person, "Decide now"))
    assert DONE_THERE in person.last_text
    await person.press(words(person, "button.to_rung"))
    case = await world.case(case_id)
    assert case.state == Rung.reassess
    assert case.draft.get("rung_action") == DONE_THERE
    assert words(person, "field.rung_outcome.prompt") in person.last_text  # not asked again
    assert words(person, "field.rung_action.prompt") not in person.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_rung_skipped_keeps_what_was_typed_on_it_on_its_skip(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await typed_on_the_first_rung(world, person)
    await person.press(label(person, "Skip rung"))
    await person.send("Đã rõ lý do, không cần đánh giá thêm")
    assert (await world.case(case_id)).state == Rung.educate
    (skip,) = [e for e in await world.events(case_id) if e.kind == "skip"]
    assert skip.data["unfinished"] == {"rung_action": DONE_THERE}
    said = await timeline(person, case_id)
    assert said.count(DONE_THERE) == 1
    assert words(person, "timeline.unfinished") in said


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_decisions_form_left_for_the_rung_keeps_what_was_typed_in_it_once(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await typed_on_the_first_rung(world, person)
    await person.press(label(person, "Decide now"))
    await person.press(label(person, "Abuse or mistreatment of staff"))
    await person.press(label(person, "Done"))
    await person.send("Quát nhân viên thu ngân hai lần")
    await person.press(words(person, "button.to_rung"))
    assert "note_abuses_staff" not in (await world.case(case_id)).draft  # the form is left
    (left,) = [e for e in await world.events(case_id) if e.kind == "to_rung"]
    assert left.data["unfinished"] == {
        "reasons": ["abuses_staff"],
        "note_abuses_staff": "Quát nhân viên thu ngân hai lần",
    }
    said = await timeline(person, case_id)
    assert words(person, "event.to_rung") in said
    assert said.count("Quát nhân viên thu ngân hai lần") == 1


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_decisions_form_left_untouched_adds_nothing_to_the_timeline(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await typed_on_the_first_rung(world, person)
    await person.press(label(person, "Decide now"))
    await person.press(words(person, "button.to_rung"))
    assert [e for e in await world.events(case_id) if e.kind == "to_rung"] == []
