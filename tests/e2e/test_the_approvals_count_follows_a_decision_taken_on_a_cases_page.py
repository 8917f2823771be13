"""A supervisor who decides on a case's own page (opened from the log, not from the
Approvals tab) sees the tab's count of waiting requests follow at once: the request decided
is no longer counted, without reopening the page."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site, awaiting_approval
from tests.e2e.test_miniapp_browser import launch_url, require_browser


@pytest.mark.parametrize("verdict", ["y", "n"])
async def test_the_approvals_count_follows_a_decision_taken_on_a_cases_page(
    site: Site, browser: Any, verdict: str
) -> None:
    expect = require_browser().expect
    decided = await awaiting_approval(site.world, customer="Phạm Thị Mai")
    await awaiting_approval(site.world, customer="Lê Văn Bình")
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    count = page.locator('[data-tab="approvals"] .count')
    await expect(count).to_have_text("(2)")

    await page.locator(f'#cases tr[data-case="{decided}"]').click()
    await page.click(f'button[data-verdict="{verdict}"]')
    await page.wait_for_selector("#notice:not([hidden])")
    await expect(count).to_have_text("(1)")
