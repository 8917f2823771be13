"""The goodwill given at a termination's goodbye (a refund of the last period, the final
invoice cancelled, another gesture) is given to the customer as a complaint's compensation
is: the customer's record counts it in what they were given, and /report and the Mini App's
report list it, under its own name, in the compensation figures — for a person or a company,
within the staff limit or approved above it, in both languages. Before, both counted the
complaints' compensation alone: a 300,000 refund at the goodbye was nowhere."""

from __future__ import annotations

import pytest

from bot.report_commands import add_report_handlers
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.miniapp_site import serving
from tests.bot.test_review_conversation import (
    add_customer,
    climb_to_decision,
    close_the_conversation,
    open_review,
)
from tests.bot.walk import compensate, label, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

NAME = "Lê Văn Tám"
#: The voucher of their complaint, the goodwill, and both, as each reader reads amounts.
MONEY = {
    "vi": {200_000: "200.000 VND", 300_000: "300.000 VND", 500_000: "500.000 VND",
           2_000_000: "2.000.000 VND", 2_200_000: "2.200.000 VND"},
    "en": {200_000: "200,000 VND", 300_000: "300,000 VND", 500_000: "500,000 VND",
           2_000_000: "2,000,000 VND", 2_200_000: "2,200,000 VND"},
}  # fmt: skip


async def decide(supervisor: Person) -> None:
    await supervisor.press(label(supervisor, "Approve"))
    await supervisor.press(label(supervisor, "Nothing to add"))


async def goodbye(world: World, person: Person, supervisor: Person, kind: str, value: int) -> None:
    """A review climbed and approved, then the goodbye, its goodwill the refund of the last
    period worth `value` (above the limit: approved first)."""
    case_id = await open_review(person, NAME)
    await climb_to_decision(person)
    await decide(supervisor)
    await person.press(label(person, "Open case"))
    if kind == "business":
        await person.send("31/03/2027")  # the renewal date
    else:
        await person.press(label(person, "Ready"))
    await person.send("Thanked")
    await person.send("Listened")
    await person.press(label(person, "Refund the last period"))
    await person.send(f"{value // 1000}k")
    if value > world.services.policy.staff_compensation_limit:
        await decide(supervisor)
        await person.press(label(person, "Open case"))
    await close_the_conversation(person)
    assert (await world.case(case_id)).resolution == "terminated"


@pytest.mark.parametrize(
    ("locale", "kind", "value"),
    [
        ("vi", "individual", 300_000),
        ("en", "individual", 2_000_000),
        ("en", "business", 300_000),
        ("vi", "business", 2_000_000),
    ],
)
async def test_the_goodwill_of_a_goodbye_is_counted_where_compensation_is(
    world: World, locale: str, kind: str, value: int
) -> None:
    add_report_handlers(world.app)
    person, supervisor = await staff_and_supervisor(world, locale)
    money = MONEY[locale]
    await add_customer(world, NAME, kind)
    await open_case(person, NAME, existing=True)  # a complaint, given a 200,000 voucher
    await walk_to_compensate(person)
    await compensate(person, label(person, "Voucher"), "200k")
    await goodbye(world, person, supervisor, kind, value)

    await supervisor.send(f"/customer {NAME}")
    given = money[200_000 + value]
    record = words(supervisor, "record.complaints", complaints=1, reopens=0, compensation=given)
    assert record in supervisor.last_text

    await supervisor.send("/report week")
    await world.work_done()
    report = supervisor.messages[-2].plain_text
    assert words(supervisor, "report.compensation_heading", total=given) in report
    goodwill = words(supervisor, "report.goodwill.refund_last_period")
    line = words(
        supervisor, "report.compensation_line", type=goodwill, count=1, total=money[value]
    )
    assert line in report
    async with serving(world) as site:
        shown = (await site.get("report?period=week", supervisor.chat_id)).json()
    tiles = {t["label"]: t["value"] for t in shown["tiles"]}
    assert tiles[words(supervisor, "miniapp.tile_compensation")] == given
    chart = next(
        c for c in shown["charts"] if c["title"] == words(supervisor, "miniapp.chart_compensation")
    )
    assert goodwill in chart["svg"]
