"""An incident being written on a case stays open whatever someone else does to the case
meanwhile: a supervisor's decision on the termination it waits for, or a follow-up answered
from its reminder.

Before, a supervisor who approved or declined a termination while its owner was writing an
incident about the customer threw the incident away (its kind and day already chosen), and
the note the owner typed next was filed as the rung's "what was done"; a follow-up answered
from its reminder lost the incident the same way, and logged its answers with the step's.
"""

from __future__ import annotations

import pytest

from flows.forms import SIDE_FORM
from flows.procedures.complaint import Step
from flows.procedures.review import Rung
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import choose, label, open_case, walk_to_compensate

pytestmark = pytest.mark.asyncio

NOTE = "Quát nạt thu ngân ngay tại quầy"


async def act(world: World, person: Person, case_id: int, verb: str) -> None:
    """Press a side action of the case's card as it stands now."""
    version = (await world.case(case_id)).version
    await person.press_data(f"k:{case_id}:{version}:a:{verb}")


async def climb_to_decision(world: World, person: Person, case_id: int) -> None:
    """Climb the ladder, each rung not resolved, and ask for a decision (by the options'
    codes, in whatever language the person reads)."""
    for rung in ("Gọi hỏi lại", "Gửi hướng dẫn", "Đề nghị điều khoản mới", "Chuyển trả trước"):
        await person.send(rung)
        await choose(person, "not_resolved")
    await choose(person, "unprofitable")
    await choose(person, "done")
    await person.send("Chi phí gấp ba doanh thu")
    await choose(person, "done")
    assert (await world.case(case_id)).state == Rung.awaiting_decision


async def start_an_incident(world: World, person: Person, case_id: int) -> None:
    """Begin documenting abuse of staff, today: only its note is still to type."""
    await act(world, person, case_id, "incident")
    await choose(person, "abuse_of_staff")
    await choose(person, "today")
    assert (await world.case(case_id)).draft.get(SIDE_FORM) == "incident"


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize(("verdict", "after"), [("n", Rung.migrate), ("y", "termination")])
async def test_a_termination_decided_while_its_owner_writes_an_incident_keeps_the_incident(
    world: World, who: str, verdict: str, after: str
) -> None:
    person: Person = getattr(world, who)
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(person, "Lê Văn Tám")
    await climb_to_decision(world, person, case_id)
    await start_an_incident(world, person, case_id)
    version = (await world.case(case_id)).draft["_asked_at"]
    await world.minh.press_data(f"k:{case_id}:{version}:d:{verdict}")
    case = await world.case(case_id)
    assert case.state == (Rung.termination_conversation if after == "termination" else after)
    assert case.draft.get(SIDE_FORM) == "incident"  # still being written
    await person.send(NOTE)  # the incident's note, as the owner meant it
    events = await world.events(case_id)
    incident = [e for e in events if e.kind == "incident"]
    assert [e.data["incident_note"] for e in incident] == [NOTE]
    assert incident[0].data["incident_kind"] == "abuse_of_staff"
    case = await world.case(case_id)
    assert NOTE not in str(case.draft)  # not taken for the rung's or the move's answer
    assert SIDE_FORM not in case.draft  # and the case asks its own question again


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_follow_up_answered_from_its_reminder_keeps_an_incident_being_written(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await choose(person, "voucher")
    await person.send("200k")
    await person.press(label(person, "Tomorrow"))
    assert (await world.case(case_id)).state == Step.awaiting_follow_up
    await start_an_incident(world, person, case_id)
    waiting = (await world.case(case_id)).draft["_waiting_since"]
    await person.press_data(f"k:{case_id}:{waiting}:f:later_tomorrow")  # could not reach them
    case = await world.case(case_id)
    assert case.state == Step.awaiting_follow_up
    assert case.draft.get(SIDE_FORM) == "incident"
    unreachable = [e for e in await world.events(case_id) if e.kind == "unreachable"]
    assert len(unreachable) == 1
    assert "incident_kind" not in unreachable[0].data  # the step's answers only
    await person.send(NOTE)
    assert [
        e.data["incident_note"] for e in await world.events(case_id) if e.kind == "incident"
    ] == [NOTE]
