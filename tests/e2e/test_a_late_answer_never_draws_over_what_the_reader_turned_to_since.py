"""On a phone's slow network an answer may come after the reader has moved on: they opened a
case and pressed Back before it came, or typed a second search before the first one's cases
came. The page shows what the reader turned to last — the log they went back to, the cases
of the search in the box — never the late answer drawn over it. The Approvals tab's count is
no view: it shows, however soon the reader turned to another tab."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site, awaiting_approval
from tests.bot.walk import open_case
from tests.e2e.test_miniapp_browser import launch_url, require_browser

LATE = 1.5  # seconds an answer is held back, as a slow network would


async def held_back(route: Any) -> None:
    """Let the request through, late."""
    await asyncio.sleep(LATE)
    await route.continue_()


async def test_a_case_opened_then_left_with_back_before_it_came_does_not_cover_the_log(
    site: Site, browser: Any
) -> None:
    case_id = await open_case(site.world.lan, "Phạm Thị Mai")
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    row = page.locator(f'#cases tr[data-case="{case_id}"]')
    await row.wait_for()
    await page.route(f"**/api/cases/{case_id}", held_back)

    await row.click()
    await page.click("#back")  # before the case came
    await page.wait_for_selector("#cases")
    await asyncio.sleep(LATE + 1)  # the case's answer has come by now

    assert await page.locator("#case").count() == 0
    assert await page.locator("#cases").count() == 1
    assert await page.locator("#back").is_hidden()


async def test_the_cases_of_an_earlier_search_never_replace_those_of_the_search_typed_last(
    site: Site, browser: Any
) -> None:
    lan = site.world.lan
    await open_case(lan, "Nguyễn Văn An")
    mai = await open_case(lan, "Phạm Thị Mai")
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    await page.locator("#cases tbody tr").first.wait_for()

    async def first_search_late(route: Any) -> None:
        if (route.request.post_data_json or {}).get("search") == "nguyen":
            await asyncio.sleep(LATE)
        await route.continue_()

    await page.route("**/api/cases", first_search_late)
    box = page.get_by_placeholder("Customer name or phone")
    await box.fill("nguyen")
    await asyncio.sleep(0.6)  # the page has asked for it
    await box.fill("pham")
    await asyncio.sleep(LATE + 1)  # both answers have come by now

    rows = page.locator("#cases tbody tr")
    await require_browser().expect(rows).to_have_count(1)
    assert await rows.first.get_attribute("data-case") == str(mai)
    assert await box.input_value() == "pham"


async def test_the_approvals_count_shows_though_the_reader_turned_away_before_the_log_came(
    site: Site, browser: Any
) -> None:
    await awaiting_approval(site.world)
    page = await browser.new_page()
    await page.route("**/api/cases", held_back)  # the log's first page comes late
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    await page.click('[data-tab="report"]')  # before the log came
    await page.wait_for_selector("#charts svg")
    await asyncio.sleep(LATE + 1)
    count = page.locator('[data-tab="approvals"] .count')
    await require_browser().expect(count).to_have_text("(1)")
    assert await page.locator("#cases").count() == 0  # the log came late: not drawn
