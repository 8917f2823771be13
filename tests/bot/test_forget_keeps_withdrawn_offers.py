"""Forgetting a customer keeps the figures of their cases' timelines, withdrawn offers too.

The database lets a redaction only remove keys (migration 0004, on SQLite and PostgreSQL):
an offer withdrawn is kept whole, as it holds only a type and an amount.
"""

from __future__ import annotations

import pytest

from tests.bot.conftest import MINH, World
from tests.bot.miniapp_site import serving
from tests.bot.walk import asking_approval, compensate, open_case, walk_to_compensate
from tests.integration.test_exports_forget import forget_customer

pytestmark = pytest.mark.asyncio


async def test_forgetting_a_customer_keeps_the_type_and_amount_of_an_offer_withdrawn(
    world: World,
) -> None:
    case_id = await open_case(world.lan, "Nguyễn Thị Hương")
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Voucher", "400k")
    await world.lan.press("Back a step")  # withdrawn, to be offered again
    await compensate(world.lan, "Voucher", "300k")
    customer_id = (await world.case(case_id)).customer_id
    withdrawn = {"type": "voucher", "value": 400_000}
    assert [e.data.get("withdrawn") for e in await world.events(case_id) if e.kind == "back"] == [
        withdrawn
    ]
    await forget_customer(world.services.sessions, customer_id, world.clock())
    back = [e.data for e in await world.events(case_id) if e.kind == "back"]
    assert back == [{"withdrawn": withdrawn, "to": "compensate"}]  # nothing personal in it
    async with serving(world) as site:
        shown = (await site.get(f"cases/{case_id}", MINH)).text
    assert "400,000" in shown
    assert "Hương" not in shown


async def test_forgetting_a_customer_keeps_the_offer_a_cancelled_case_withdrew_but_not_why(
    world: World,
) -> None:
    case_id = await asking_approval(world.lan)  # a 2,000,000 refund waiting for a supervisor
    await world.lan.press("Cancel (mistake)")
    await world.lan.send("Chị Hương đổi ý")
    customer_id = (await world.case(case_id)).customer_id
    await forget_customer(world.services.sessions, customer_id, world.clock())
    cancel = [e.data for e in await world.events(case_id) if e.kind == "cancel"]
    withdrawn = {"type": "refund", "value": 2_000_000}
    assert cancel == [{"withdrawn": withdrawn, "to": "cancelled", "redacted": True}]
