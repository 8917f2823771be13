"""Every amount keeps the currency it was recorded in: a case's offers and what it gave, and
a customer's yearly value, are drawn in the currency set when they were recorded, after the
settings change it — on the case's card, its timeline, the customer's record and the Mini
App's page of the case, in both languages. A case opened after the change is in the new one.
Before, a change of currency relabelled every old amount: 200.000 VND read as 200.000 USD."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World, restarted, staff_and_supervisor
from tests.bot.miniapp_site import serving
from tests.bot.walk import compensate, label, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

NAME = "Trần Văn Bình"
#: The voucher given, the customer's yearly value, and an offer made after the change.
SAID = {
    "vi": ("200.000 VND", "3.000.000 VND", "100 USD"),
    "en": ("200,000 VND", "3,000,000 VND", "100 USD"),
}


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_change_of_currency_leaves_the_amounts_recorded_before_it_as_they_were(
    world: World, database_url: str, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    given, yearly, after = SAID[locale]
    case_id = await open_case(person, NAME)  # a new customer worth 3tr a year
    await walk_to_compensate(person)
    await compensate(person, label(person, "Voucher"), "200k")

    async with restarted(world, database_url, supervisor, complaints={"currency": "USD"}):
        await supervisor.send(f"/case {case_id}")
        timeline = supervisor.last_text
        assert given in timeline
        assert yearly in timeline
        assert "USD" not in timeline
        await supervisor.send(f"/customer {NAME}")
        record = words(
            supervisor, "record.complaints", complaints=1, reopens=0, compensation=given
        )
        assert record in supervisor.last_text
        assert yearly in supervisor.last_text
        async with serving(world) as site:
            page = (await site.get(f"cases/{case_id}", supervisor.chat_id)).json()
        assert "USD" not in str(page)
        assert given in str(page)

        later = await open_case(person, NAME, existing=True)
        await walk_to_compensate(person)
        await compensate(person, label(person, "Voucher"), "100")
        await supervisor.send(f"/case {later}")
        assert after in supervisor.last_text
        await supervisor.send(f"/customer {NAME}")
        both = f"{after} + {given}"  # each in its own currency, by its code
        record = words(supervisor, "record.complaints", complaints=2, reopens=0, compensation=both)
        assert record in supervisor.last_text
