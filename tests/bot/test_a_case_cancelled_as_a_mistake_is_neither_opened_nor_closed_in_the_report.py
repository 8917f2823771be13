"""A case cancelled as a mistake (a duplicate complaint, a check-in opened for the wrong
customer) is no work done: "Opened · closed", the Mini App's tiles and the weekly chart leave
it out, as the figures of complaints that ended already did, so they agree with each other.
Before, one complaint closed beside two cases cancelled as mistakes read "Opened: 3 ·
closed: 3" above "Complaints that ended in the period (1)"."""

from __future__ import annotations

import pytest

from bot.report_commands import add_report_handlers, figures_for
from flows.periods import parse_period
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.miniapp_site import serving
from tests.bot.test_a_complaint_cancelled_as_a_mistake_is_no_complaint_in_the_figures import (
    CUSTOMER,
    closed_satisfied,
)
from tests.bot.test_a_complaint_cancelled_as_a_mistake_lifts_the_at_risk_flag_it_raised import (
    cancel,
)
from tests.bot.walk import case_number, open_case, words

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_cases_cancelled_as_mistakes_count_in_no_figure_of_cases(
    world: World, locale: str
) -> None:
    add_report_handlers(world.app)
    person, reader = await staff_and_supervisor(world, locale)
    await closed_satisfied(person)
    duplicate = await open_case(person, CUSTOMER, existing=True)
    await cancel(person, duplicate)
    await person.send(f"/customer {CUSTOMER}")
    await person.press(words(person, "button.new_check_in"))
    check_in = case_number(person.last_text)
    await person.press(words(person, "button.cancel_reason"))
    await person.send("Nhầm khách")
    assert (await world.case(check_in)).state == "cancelled"

    await reader.send("/report week")
    await world.work_done()
    report = reader.messages[-2].plain_text
    assert words(reader, "report.opened_closed", opened=1, closed=1) in report
    assert words(reader, "report.ended_heading", count=1) in report
    period = parse_period(["week"], world.clock().date())
    figures = await figures_for(world.services.engine, period, world.services.tz_for(None))
    assert [sum(w.opened for w in figures.weeks), sum(w.closed for w in figures.weeks)] == [1, 1]
    async with serving(world) as site:
        shown = (await site.get("report?period=week", reader.chat_id)).json()
    tiles = {t["label"]: t["value"] for t in shown["tiles"]}
    opened, closed = (words(reader, f"miniapp.tile_{k}") for k in ("opened", "closed"))
    assert (tiles[opened], tiles[closed]) == ("1", "1")
