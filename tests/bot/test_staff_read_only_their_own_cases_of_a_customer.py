"""A customer is shared, their cases are not: staff see and act on their own cases, a
colleague's only as a number on the customer's record (so that two people do not work one
customer unknowingly), never its kind, step or a button to it; supervisors see all."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.bot.conftest import HOA, LAN, MINH, World
from tests.bot.miniapp_site import Site, serving
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import open_case

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def site(world: World) -> AsyncIterator[Site]:
    async with serving(world) as served:
        yield served


async def test_a_customers_page_in_the_mini_app_lists_staff_only_their_own_cases(
    site: Site,
) -> None:
    world = site.world
    hoas = await open_case(world.hoa)
    customer_id = (await world.case(hoas)).customer_id
    lans = await open_case(world.lan, existing=True)

    def listed(answer: dict[str, object]) -> list[object]:
        cases = answer["cases"]
        assert isinstance(cases, list)
        return [c["id"] for c in cases]

    assert listed((await site.get(f"customers/{customer_id}", LAN)).json()) == [lans]
    assert listed((await site.get(f"customers/{customer_id}", HOA)).json()) == [hoas]
    assert listed((await site.get(f"customers/{customer_id}", MINH)).json()) == [lans, hoas]


async def test_a_customers_record_names_a_colleagues_open_case_by_number_only(
    world: World,
) -> None:
    hoas = await open_case(world.hoa)
    await world.lan.send("/customer Hương")
    card = world.lan.last
    assert f"Open with colleagues: #{hoas}" in card.plain_text
    assert "Open cases:" not in card.plain_text
    assert f"📂 #{hoas}" not in card.button_labels  # no way into a colleague's case
    await world.hoa.send("/customer Hương")
    assert f"Hồ sơ đang mở: #{hoas}" in world.hoa.last_text
    assert f"📂 #{hoas}" in world.hoa.last.button_labels
    await world.minh.send("/customer Hương")
    assert f"Open cases: #{hoas}" in world.minh.last_text
    assert f"📂 #{hoas}" in world.minh.last.button_labels


async def test_where_a_colleagues_problem_review_stands_is_not_on_the_customers_record(
    world: World,
) -> None:
    await add_customer(world, "Lê Văn Tám")
    await open_review(world.bernd, "Lê Văn Tám")
    await world.lan.send("/customer Tám")
    assert "Problem review at" not in world.lan.last_text
    await world.bernd.send("/customer Tám")
    assert "Problem review at" in world.bernd.last_text
    await world.minh.send("/customer Tám")
    assert "Problem review at" in world.minh.last_text
