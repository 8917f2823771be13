"""An emoji that only decorates a heading or a button (📊 before the report's title, ✅ on
Approve, 👤 before a customer's name, ◀ on Back, ✅ after "all five in order") stays on the
page but is hidden from a screen reader (`aria-hidden`), which reads the words alone: "Approve",
not "check mark button, Approve" — in both languages, on every view."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site, awaiting_approval
from tests.bot.test_miniapp_api import reads_vietnamese
from tests.e2e.test_miniapp_browser import launch_url, require_browser

CUSTOMER = "Phạm Thị Mai"
#: The names a screen reader reads, in each language.
NAMES = {
    "en": {"approve": "Approve", "record": f"Customer's record: {CUSTOMER}", "report": "Report"},
    "vi": {"approve": "Duyệt", "record": f"Thông tin khách hàng: {CUSTOMER}", "report": "Báo cáo"},
}
#: The headings and buttons whose words, read without what is hidden, hold an emoji.
EMOJI_READ = """() => [...document.querySelectorAll('h1, h2, h3, button')]
  .filter((e) => e.offsetParent !== null)
  .map((e) => {
    const read = e.cloneNode(true);
    read.querySelectorAll('[aria-hidden="true"]').forEach((hidden) => hidden.remove());
    return read.textContent;
  })
  .filter((text) => /\\p{Extended_Pictographic}/u.test(text))"""


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_a_heading_and_a_button_are_named_by_their_words_and_their_emoji_stay_seen(
    site: Site, browser: Any, locale: str
) -> None:
    expect = require_browser().expect
    names = NAMES[locale]
    if locale == "vi":
        await reads_vietnamese(site.world, MINH)
    case_id = await awaiting_approval(site.world, customer=CUSTOMER)
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", locale))
    await page.locator(f'#cases tr[data-case="{case_id}"]').click()
    await page.wait_for_selector("#timeline li")
    assert await page.evaluate(EMOJI_READ) == []

    approve = page.locator('button[data-verdict="y"]')
    await expect(approve).to_have_accessible_name(names["approve"])
    assert "✅" in (await approve.text_content() or "")  # still seen
    assert await approve.locator('[aria-hidden="true"]').text_content() == "✅ "
    record = page.locator("#case button.plain")
    await expect(record).to_have_accessible_name(names["record"])
    assert (await record.text_content() or "").startswith("👤")

    await record.click()
    await page.wait_for_selector("#customer-cases")
    heading = page.locator("#customer h2")
    await expect(heading).to_have_accessible_name(CUSTOMER)
    assert await heading.locator('[aria-hidden="true"]').text_content() == "👤 "
    assert await page.evaluate(EMOJI_READ) == []

    await page.click('[data-tab="report"]')
    await page.wait_for_selector("#charts")
    title = page.locator("#report-title")
    await expect(title).to_have_accessible_name(re.compile(f"^{names['report']} "))
    assert (await title.text_content() or "").startswith("📊")
    assert await page.evaluate(EMOJI_READ) == []
