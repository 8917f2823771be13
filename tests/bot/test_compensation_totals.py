"""The staff limit applies to everything given on a case, across reopens; figures are totals."""

from __future__ import annotations

import pytest

from bot.report_commands import figures_for
from flows.periods import parse_period
from flows.procedures.complaint import Step
from tests.bot.conftest import World
from tests.bot.walk import asking_approval, compensate, open_case, walk_to_compensate

pytestmark = pytest.mark.asyncio


async def reopen_to_compensate(world: World) -> None:
    """From the follow-up step: schedule, hear the customer is still unhappy, walk back."""
    await world.lan.press("Tomorrow")
    await world.lan.press("Still unhappy")
    await world.lan.send("Sent a technician again")
    await world.lan.press("Fixed now")
    await world.lan.send("The second visit was late too")


async def test_offers_at_the_limit_across_reopens_need_approval_once_their_total_passes_it(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Voucher", "500k")  # exactly the limit: no approval
    assert (await world.case(case_id)).state == Step.follow_up
    await reopen_to_compensate(world)
    assert "Already given on this case: 500,000 VND" in world.lan.last_text
    await compensate(world.lan, "Voucher", "500k")
    case = await world.case(case_id)
    assert case.state == Step.awaiting_approval
    assert case.compensation_total == 500_000
    assert "before this offer: 500,000 VND" in world.minh.last_text
    await world.minh.press("Approve")
    assert (await world.case(case_id)).compensation_total == 1_000_000
    await world.minh.send("/customer Hương")  # the comment still awaited is asked below
    assert "compensation and goodwill given: 1,000,000 VND" in world.minh.messages[-2].plain_text


async def test_a_declined_offer_adds_nothing_to_the_total(world: World) -> None:
    case_id = await asking_approval(world.lan)
    await world.minh.press("Decline")
    case = await world.case(case_id)
    assert (case.state, case.compensation_total) == (Step.compensate, 0)
    await world.lan.press("Open case")
    await compensate(world.lan, "Voucher", "300k")
    assert (await world.case(case_id)).compensation_total == 300_000


@pytest.mark.parametrize(
    ("who", "back", "withdrawn"),
    [
        ("lan", "Back a step", "withdrawn, to be proposed again: Voucher, 400,000 VND"),
        (
            "hoa",
            "Lùi một bước",
            "Rút lại khoản đền bù đã ghi để đề xuất lại: Phiếu quà tặng, 400.000",
        ),
    ],
)
async def test_an_offer_corrected_by_going_back_is_counted_once_and_the_log_says_so(
    world: World, who: str, back: str, withdrawn: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person, "Voucher", "400k")
    assert (await world.case(case_id)).compensation_total == 400_000
    await person.press(back)  # from the follow-up: the offer is to be made again
    case = await world.case(case_id)
    assert (case.state, case.compensation_total, case.compensation_value) == (
        Step.compensate,
        0,
        None,
    )
    await compensate(person, "Voucher", "300k")  # within the limit alone: no approval
    case = await world.case(case_id)
    assert (case.state, case.compensation_total) == (Step.follow_up, 300_000)
    await person.send(f"/case {case_id}")
    assert withdrawn in person.last_text


@pytest.mark.parametrize(
    ("owner", "cancel"), [("lan", "Cancel (mistake)"), ("hoa", "Hủy (tạo nhầm)")]
)
async def test_a_case_cancelled_while_its_offer_waits_gave_nothing_in_report_or_log(
    world: World, owner: str, cancel: str
) -> None:
    person = getattr(world, owner)
    case_id = await asking_approval(person)  # a 2,000,000 refund, never approved
    await person.press(cancel)
    await person.send("Khách rút khiếu nại")
    case = await world.case(case_id)
    assert (case.compensation_type, case.compensation_value, case.compensation_total) == (
        None,
        None,
        0,
    )
    period = parse_period(["week"], world.clock().date())
    figures = await figures_for(world.services.engine, period, world.services.tz_for(None))
    assert figures.compensation == []
    await person.send(f"/case {case_id}")
    timeline = "\n".join(m.plain_text for m in person.messages[-3:])
    assert "Khách rút khiếu nại" in timeline  # the reason, and what was withdrawn with it
    assert ("withdrawn" if owner == "lan" else "Rút lại khoản đền bù") in timeline
