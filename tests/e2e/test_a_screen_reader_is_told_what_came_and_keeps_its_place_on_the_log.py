"""A supervisor with a screen reader is told, without the focus moving, what each search or
filter brought ("Cases 1–50", or that nothing matches) and each refusal at once (an alert);
Enter in the search box searches at once; paging keeps the focus on the pager's button; the
Approvals tab's count is said in words, not as "(2)" — in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site, awaiting_approval
from tests.bot.test_miniapp_api import reads_vietnamese
from tests.bot.test_miniapp_paging import seed
from tests.e2e.test_a_keyboard_user_opens_decides_and_comes_back_without_a_pointer import (
    focused,
    tab_to,
)
from tests.e2e.test_miniapp_browser import launch_url, require_browser

SAID = {
    "en": {"first": "Cases 1–50", "second": "Cases 51–100", "none": "No case matches"},
    "vi": {"first": "Hồ sơ 1–50", "second": "Hồ sơ 51–100", "none": "Không có hồ sơ nào"},
}


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_results_are_said_as_they_come_and_paging_keeps_the_focus_on_the_pager(
    site: Site, browser: Any, locale: str
) -> None:
    expect = require_browser().expect
    said = SAID[locale]
    if locale == "vi":
        await reads_vietnamese(site.world, MINH)
    await seed(site.world)
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", locale))
    told = page.locator("#announce")
    await expect(told).to_have_text(said["first"])
    assert await told.get_attribute("aria-live") == "polite"

    await tab_to(page, "next", most=120)
    await page.keyboard.press("Enter")
    await expect(told).to_have_text(said["second"])
    assert (await focused(page))["key"] == "next"  # drawn again, the focus kept on it
    assert (await focused(page))["name"] == ("Next page" if locale == "en" else "Trang sau")

    await tab_to(page, "search", most=120)
    await page.keyboard.type("nobody at all")
    await page.keyboard.press("Enter")  # at once, not after a pause
    await expect(told).to_contain_text(said["none"], timeout=300)
    assert (await focused(page))["key"] == "search"


async def test_a_refusal_is_said_at_once_and_the_approvals_count_in_words(
    site: Site, browser: Any
) -> None:
    expect = require_browser().expect
    await awaiting_approval(site.world)
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    await page.locator("#cases tbody tr").first.wait_for()
    await page.get_by_label("Opened from").fill("2026-12-01")
    await page.get_by_label("to", exact=True).fill("2026-11-01")  # before the first day
    notice = page.locator("#notice")
    await expect(notice).to_be_visible()
    assert await notice.get_attribute("role") == "alert"
    tabs = page.locator("#tabs")
    assert await tabs.get_attribute("role") == "tablist"
    assert await tabs.get_attribute("aria-label") == "Parts of the case log"
    approvals = page.locator('[data-tab="approvals"]')
    await expect(approvals).to_have_attribute("aria-label", "Approvals: 1 waiting")
