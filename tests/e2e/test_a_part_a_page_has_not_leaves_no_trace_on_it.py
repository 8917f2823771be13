"""A page draws only the parts it has: a complaint that waits for no decision, a problem
review (no five steps, no request), a customer with no review or exit interview — none of
them shows "null", "undefined" or any other trace of the part it has not, in either
language."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bot.conftest import LAN, MINH
from tests.bot.miniapp_site import Site
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import open_case
from tests.e2e.test_miniapp_browser import launch_url

TRACES = ("null", "undefined", "[object", "NaN")


async def no_trace(page: Any, where: str) -> None:
    shown = await page.text_content("body") or ""
    for trace in TRACES:
        assert trace not in shown, (where, trace, shown)


@pytest.mark.parametrize(("reader", "language"), [(MINH, "en"), (LAN, "vi")])
async def test_a_part_a_page_has_not_leaves_no_trace_on_it(
    site: Site, browser: Any, reader: int, language: str
) -> None:
    world = site.world
    complaint = await open_case(world.lan, "Phạm Thị Mai")
    await add_customer(world, "Công ty Hòa Bình", kind="business")
    review = await open_review(world.lan, "Công ty Hòa Bình")
    page = await browser.new_page()
    await page.goto(launch_url(site, reader, "Reader", language))
    for case_id in (complaint, review):
        await page.locator(f'#cases tr[data-case="{case_id}"]').click()
        await page.wait_for_selector("#timeline li")
        await no_trace(page, f"case #{case_id}")
        await page.click("#case button.plain")  # the customer's page
        await page.wait_for_selector("#customer")
        await no_trace(page, f"the customer of case #{case_id}")
        await page.click("#back")
        await page.click("#back")
        await page.wait_for_selector("#cases")
