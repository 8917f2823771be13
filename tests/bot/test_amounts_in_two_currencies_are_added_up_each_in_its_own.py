"""Amounts recorded in two currencies (the settings' currency changed between them) are
never added together: /report's compensation and value lost, the Mini App's tiles and its
compensation chart, and the value at stake of /atrisk give each currency's sum apart, in both
languages; /atrisk lists the customers valued in the currency set first. Before, 200,000
VND and 100 USD given read as "300,100" in the currency set, and
each type's line and bar added them up too."""

from __future__ import annotations

import pytest

from bot.report_commands import add_report_handlers
from standin.inprocess import Person
from tests.bot.conftest import World, restarted, staff_and_supervisor
from tests.bot.miniapp_site import serving
from tests.bot.test_cases_closed_by_a_defection_say_why import records_a_defection
from tests.bot.walk import choose, compensate, label, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

BEFORE, AFTER = "Nguyễn Thị Hương", "Trần Văn Bình"
#: What was given before and after the change, and each customer's yearly value.
SAID = {
    "vi": ("100 USD + 200.000 VND", "3.000.000 USD + 3.000.000 VND"),
    "en": ("100 USD + 200,000 VND", "3,000,000 USD + 3,000,000 VND"),
}


async def closed_satisfied(person: Person, name: str, value: str) -> None:
    """Two complaints of a new customer (the at-risk rule flags them): the first given a
    voucher worth `value` and closed satisfied at its follow-up."""
    await open_case(person, name)
    await walk_to_compensate(person)
    await compensate(person, label(person, "Voucher"), value)
    await choose(person, "in_3_days")
    await choose(person, "satisfied")
    await open_case(person, name, existing=True)


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_no_sum_of_amounts_adds_one_currency_to_another(
    world: World, database_url: str, locale: str
) -> None:
    person, reader = await staff_and_supervisor(world, locale)
    given, worth = SAID[locale]
    await closed_satisfied(person, BEFORE, "200k")
    async with restarted(world, database_url, reader, complaints={"currency": "USD"}):
        add_report_handlers(world.app)
        await closed_satisfied(person, AFTER, "100")

        await reader.send("/atrisk")
        assert words(reader, "customer.at_stake", value=worth) in reader.last_text
        listed = reader.last_text + " ".join(reader.buttons)  # the currency set's value first
        assert listed.index(AFTER) < listed.index(BEFORE)

        for name in (BEFORE, AFTER):
            await records_a_defection(person, name)
        await reader.send("/report week")
        await world.work_done()
        report = reader.messages[-2].plain_text
        assert words(reader, "report.compensation_heading", total=given) in report
        voucher = label(reader, "Voucher")
        for value in given.split(" + "):
            line = words(reader, "report.compensation_line", type=voucher, count=1, total=value)
            assert line in report
        assert words(reader, "report.value_lost", count=2, value=worth) in report

        async with serving(world) as site:
            shown = (await site.get("report?period=week", reader.chat_id)).json()
    tiles = {t["label"]: t["value"] for t in shown["tiles"]}
    assert tiles[words(reader, "miniapp.tile_compensation")] == given
    assert tiles[words(reader, "miniapp.tile_value_lost")] == worth
    titles = [chart["title"] for chart in shown["charts"]]
    for currency in ("USD", "VND"):
        assert words(reader, "miniapp.chart_compensation_in", currency=currency) in titles
    assert words(reader, "miniapp.chart_compensation") not in titles
