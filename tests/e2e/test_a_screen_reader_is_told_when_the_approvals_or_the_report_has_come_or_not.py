"""A supervisor with a screen reader who opens the Approvals or the Report tab is told, without
the focus moving, once it has come ("1 request waits for your decision", "Report … is
ready") or, once, that it did not and why (the notice, an alert), in both languages."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site, awaiting_approval
from tests.bot.test_miniapp_api import reads_vietnamese
from tests.e2e.test_miniapp_browser import launch_url, require_browser

SAID = {
    "en": {
        "waiting": "1 request waits for your decision.",
        "none": "Nothing waits for your decision.",
        "ready": r"^Report .+ is ready\.$",
        "approvals_failed": "The approvals could not be shown.",
        "report_failed": "The report could not be shown.",
    },
    "vi": {
        "waiting": "Có 1 yêu cầu đang chờ bạn quyết định.",
        "none": "Không có yêu cầu nào chờ bạn quyết định.",
        "ready": r"^Báo cáo .+ đã sẵn sàng\.$",
        "approvals_failed": "Chưa tải được danh sách chờ duyệt.",
        "report_failed": "Chưa tải được báo cáo.",
    },
}


async def opened(site: Site, browser: Any, locale: str) -> Any:
    """Minh's page in `locale`, the log come."""
    if locale == "vi":
        await reads_vietnamese(site.world, MINH)
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", locale))
    await page.locator("#results table, #no-cases").first.wait_for()
    return page


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_each_tab_says_it_has_come_and_what_it_holds(
    site: Site, browser: Any, locale: str
) -> None:
    expect = require_browser().expect
    said = SAID[locale]
    page = await opened(site, browser, locale)
    told = page.locator("#announce")
    await page.click('[data-tab="approvals"]')
    await expect(told).to_have_text(said["none"])

    await page.click('[data-tab="report"]')
    await page.locator("#charts").wait_for()
    await expect(told).to_have_text(re.compile(said["ready"]))
    assert "📊" not in (await told.text_content() or "")

    await awaiting_approval(site.world)
    await page.click('[data-tab="approvals"]')
    await expect(told).to_have_text(said["waiting"])
    assert (await page.locator('[data-tab="approvals"]').get_attribute("data-focus")) == (
        "tab-approvals"
    )
    assert await page.evaluate("document.activeElement.dataset.tab") == "approvals"


@pytest.mark.parametrize("locale", ["en", "vi"])
@pytest.mark.parametrize("tab", ["approvals", "report"])
async def test_a_tab_that_did_not_come_is_said_once_with_why(
    site: Site, browser: Any, locale: str, tab: str
) -> None:
    expect = require_browser().expect
    page = await opened(site, browser, locale)
    await page.route(re.compile(f"/api/{tab}"), lambda route: route.abort())  # the network drops
    await page.click(f'[data-tab="{tab}"]')
    alert = page.locator("#notice")
    await expect(alert).to_have_attribute("role", "alert")
    failed = SAID[locale][f"{tab}_failed"]
    await expect(alert).to_have_text(re.compile(f"^{re.escape(failed)} .+"))  # which, and why
    await page.wait_for_timeout(200)  # past the polite region's own delay
    assert failed not in (await page.locator("#announce").text_content() or "")  # not twice
