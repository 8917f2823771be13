"""A complaint cancelled as a mistake (a duplicate, the wrong customer) is no complaint the
customer made: the customer's record and the at-risk rule leave it out, and so do the
report's figures of complaints that ended — /report and the Mini App's report alike, in
both languages. Before, a duplicate cancelled beside a complaint closed satisfied read as
"Satisfied at follow-up: 1 of 2 (50%)". One closed because the customer was let go still
counts (it was made, and did not end satisfied)."""

from __future__ import annotations

import pytest

from bot.report_commands import add_report_handlers
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.miniapp_site import serving
from tests.bot.test_a_complaint_cancelled_as_a_mistake_lifts_the_at_risk_flag_it_raised import (
    cancel,
)
from tests.bot.walk import choose, compensate, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

CUSTOMER = "Nguyễn Thị Hương"
GIVEN = {"vi": "400.000 VND", "en": "400,000 VND"}


async def closed_satisfied(person: Person) -> int:
    """A complaint of a new customer walked to its follow-up, where she is satisfied."""
    case_id = await open_case(person, CUSTOMER)
    await walk_to_compensate(person)
    await compensate(person)
    await choose(person, "in_3_days")
    await choose(person, "satisfied")
    return case_id


def share(reader: Person, part: int, whole: int, percent: str) -> str:
    return words(reader, "report.share", part=part, whole=whole, percent=percent)


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_duplicate_cancelled_leaves_the_complaints_that_ended_as_they_were(
    world: World, locale: str
) -> None:
    add_report_handlers(world.app)
    person, reader = await staff_and_supervisor(world, locale)
    await closed_satisfied(person)
    duplicate = await open_case(person, CUSTOMER, existing=True)
    await cancel(person, duplicate)

    await reader.send("/report week")
    await world.work_done()
    report = reader.messages[-2].plain_text
    assert words(reader, "report.ended_heading", count=1) in report
    satisfied = share(reader, 1, 1, "100%")
    assert words(reader, "report.satisfied", share=satisfied) in report
    async with serving(world) as site:
        shown = (await site.get("report?period=week", reader.chat_id)).json()
    tiles = {t["label"]: t["value"] for t in shown["tiles"]}
    assert tiles[words(reader, "miniapp.tile_satisfied")] == satisfied


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_the_customers_record_counts_the_reopens_of_the_complaints_it_counts(
    world: World, locale: str
) -> None:
    """A duplicate reopened before it was found out: its reopen is not the customer's,
    though what was given on it was given."""
    person, reader = await staff_and_supervisor(world, locale)
    await closed_satisfied(person)
    duplicate = await open_case(person, CUSTOMER, existing=True)
    await walk_to_compensate(person)
    await compensate(person)
    await choose(person, "in_3_days")
    await choose(person, "still_unhappy")
    await cancel(person, duplicate)

    await reader.send(f"/customer {CUSTOMER}")
    given = GIVEN[locale]  # the two vouchers
    line = words(reader, "record.complaints", complaints=1, reopens=0, compensation=given)
    assert line in reader.last_text
