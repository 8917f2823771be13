"""A supervisor whose page has stood open on a request that another supervisor has since
decided in the chat presses a verdict: the page says who decided what, in the reader's
words, and draws the request as it stands, with no verdict button left to press again."""

from __future__ import annotations

from typing import Any

import pytest

from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site
from tests.bot.test_requests_no_longer_waiting import asked_both
from tests.e2e.test_miniapp_browser import launch_url, require_browser


@pytest.mark.parametrize("verdict", ["y", "n"])
async def test_a_late_verdict_on_the_page_says_who_decided_and_leaves_no_verdict_buttons(
    site: Site, browser: Any, verdict: str
) -> None:
    expect = require_browser().expect
    thu, case_id, _, thu_copy = await asked_both(site.world)
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    await page.locator(f'#cases tr[data-case="{case_id}"]').click()
    verdicts = page.locator("button[data-verdict]")
    await expect(verdicts).to_have_count(2)

    await thu.press("Duyệt", thu_copy)  # decided in the chat while Minh's page stands open
    await page.click(f'button[data-verdict="{verdict}"]')
    await expect(page.locator("#notice")).to_have_text(
        f"☑️ Case #{case_id}: Thu approved the compensation. Nothing is left for you to decide."
    )
    await expect(verdicts).to_have_count(0)
