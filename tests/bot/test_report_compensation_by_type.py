"""The report's compensation by type: every amount given, under the type it was given as.

A complaint's `compensation_total` adds up what it gave across reopens, while its
`compensation_type` is only the last offer; the report reads what each offer gave from the
timeline, so its rows by type always add up to the total.
"""

from __future__ import annotations

import random

import pytest

from bot.report_commands import figures_for
from flows.periods import parse_period
from flows.procedures.complaint import Step
from flows.reports import Figures
from tests.bot.conftest import World
from tests.bot.walk import compensate, open_case, walk_to_compensate

pytestmark = pytest.mark.asyncio

LIMIT = 500_000  # the staff limit (Policy's default)
TYPES = {"Voucher": "voucher", "Refund": "refund", "Gift": "gift"}


async def figures(world: World) -> Figures:
    period = parse_period(["week"], world.clock().date())
    return await figures_for(world.services.engine, period, world.services.tz_for(None))


def by_type(f: Figures) -> dict[str, tuple[int, int]]:
    return {c.type: (c.count, c.total) for c in f.compensation}


async def reopen_to_compensate(world: World) -> None:
    """From the follow-up step: schedule, hear the customer is still unhappy, walk back."""
    await world.lan.press("Tomorrow")
    await world.lan.press("Still unhappy")
    await world.lan.send("Sent a technician again")
    await world.lan.press("Fixed now")
    await world.lan.send("The second visit was late too")


async def a_voucher_then_reopened(world: World) -> int:
    """A complaint given a 200,000 voucher, then reopened back to its compensation."""
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Voucher", "200k")
    await reopen_to_compensate(world)
    return case_id


async def only_the_voucher_is_reported(world: World) -> None:
    f = await figures(world)
    assert by_type(f) == {"voucher": (1, 200_000)}
    assert f.compensation_total == {"VND": 200_000}


async def test_a_voucher_given_before_a_reopen_is_reported_as_a_voucher_not_as_no_compensation(
    world: World,
) -> None:
    case_id = await a_voucher_then_reopened(world)
    await world.lan.press("No compensation")
    await world.lan.send("Already had a voucher")
    await world.lan.press("Tomorrow")
    await world.lan.press("😊 Satisfied — close")
    case = await world.case(case_id)
    assert (case.state, case.compensation_type, case.compensation_total) == (
        Step.closed,
        "none",
        200_000,
    )
    await only_the_voucher_is_reported(world)


async def test_a_voucher_given_before_a_reopen_stays_in_the_report_when_the_next_offer_is_dropped(
    world: World,
) -> None:
    case_id = await a_voucher_then_reopened(world)
    await compensate(world.lan, "Refund", "2tr")  # over the limit: waits, then cancelled
    await world.lan.press("Cancel (mistake)")
    await world.lan.send("Customer withdrew")
    case = await world.case(case_id)
    assert (case.state, case.compensation_type, case.compensation_total) == (
        Step.cancelled,
        None,
        200_000,
    )
    await only_the_voucher_is_reported(world)


async def test_offers_given_across_reopens_are_each_reported_under_their_own_type(
    world: World,
) -> None:
    case_id = await a_voucher_then_reopened(world)
    await compensate(world.lan, "Refund", "1tr")  # waits; approved
    await world.minh.press("Approve")
    await world.lan.press("Open case")
    await world.lan.press("Tomorrow")
    await world.lan.press("😊 Satisfied — close")
    assert (await world.case(case_id)).compensation_total == 1_200_000
    f = await figures(world)
    assert by_type(f) == {"voucher": (1, 200_000), "refund": (1, 1_000_000)}
    assert f.compensation_total == {"VND": 1_200_000}


class Walk:
    """One complaint walked at random, and what it gave, tracked from the actions taken."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.world, self.rng = world, rng
        self.given: list[tuple[str, int]] = []  # offers given, in order
        self.last_given = False

    @property
    def total(self) -> int:
        return sum(value for _, value in self.given)

    async def press_on_card(self, label: str) -> None:
        lan = self.world.lan
        card = lan.api.last_with_buttons(lan.chat_id)
        if card is None or not any(label in shown for shown in card.button_labels):
            await lan.press("Open case")
        await lan.press(label)

    async def run(self, name: str) -> None:
        lan, minh, rng = self.world.lan, self.world.minh, self.rng
        await open_case(lan, name)
        await walk_to_compensate(lan)
        while True:  # at the compensation step
            if rng.random() < 0.2:
                await lan.press("No compensation")
                await lan.send("Did not want anything")
                offer = ("none", 0)
            else:
                label = rng.choice(list(TYPES))
                value = rng.choice((100_000, 200_000, 300_000, 2_000_000))
                await compensate(lan, label, f"{value // 1000}k")
                offer = (TYPES[label], value)
            waits = offer[1] > 0 and offer[1] + self.total > LIMIT
            if waits:
                verdict = rng.choice(("approve", "approve", "decline", "back", "cancel"))
                if verdict == "cancel":
                    return await self.cancel()
                if verdict == "back":
                    await self.press_on_card("Go back a step")
                    continue
                await minh.press("Approve" if verdict == "approve" else "Decline")
                if verdict == "decline":
                    await lan.press("Open case")
                    continue
            self.given.append(offer)
            self.last_given = True
            choice = rng.choice(("back", "reopen", "reopen", "close", "cancel"))
            if choice == "back":  # withdraws the offer just given
                await self.press_on_card("Go back a step")
                self.given.pop()
                continue
            if choice == "cancel":
                return await self.cancel()
            if choice == "close" or len(self.given) > 3:
                await self.press_on_card("Tomorrow")
                return await lan.press("😊 Satisfied — close")
            await self.press_on_card("Tomorrow")
            await lan.press("Still unhappy")
            await lan.send("Sent a technician again")
            await lan.press("Fixed now")
            await lan.send("The second visit was late too")

    async def cancel(self) -> None:
        await self.press_on_card("Cancel (mistake)")
        await self.world.lan.send("Customer withdrew")

    def by_type(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for kind, value in self.given:
            totals[kind] = totals.get(kind, 0) + value
        if len(totals) > 1:
            totals.pop("none", None)
        return totals


@pytest.mark.parametrize("seed", range(6))
async def test_the_rows_by_type_add_up_to_what_was_given_whatever_the_walk(
    world: World, seed: int
) -> None:
    rng = random.Random(seed)
    expected: dict[str, tuple[int, int]] = {}
    given = 0
    for n in range(4):
        walk = Walk(world, rng)
        await walk.run(f"Khách Số {n} Mai")
        given += walk.total
        for kind, value in walk.by_type().items():
            count, total = expected.get(kind, (0, 0))
            expected[kind] = (count + 1, total + value)
    cases_total = sum([(await world.case(i)).compensation_total for i in range(1, 5)])
    f = await figures(world)
    assert cases_total == given
    assert by_type(f) == expected
    assert f.compensation_total == ({"VND": given} if given else {})
