"""On a case's timeline each event is one entry, with the bar down its side; what it recorded
(the customer, the complaint, its category…) reads as short lines inside it — not as entries
of their own, each with a bar and an entry's spacing, which made a case's timeline look like
twice as many events and twice as long on a phone."""

from __future__ import annotations

from typing import Any

from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site
from tests.bot.walk import open_case
from tests.e2e.test_miniapp_browser import launch_url


async def test_what_an_event_recorded_reads_as_lines_of_its_entry(
    site: Site, browser: Any
) -> None:
    case_id = await open_case(site.world.lan)
    page = await browser.new_page()
    await page.set_viewport_size({"width": 360, "height": 740})
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    await page.locator(f'#cases tr[data-case="{case_id}"]').click()
    await page.wait_for_selector("#timeline li")
    entries = page.locator("#timeline > li")
    assert await entries.count() == len(await site.world.events(case_id))
    recorded = page.locator("#timeline > li li")
    assert await recorded.count() >= 5  # the complaint's customer, phone, category…
    looks = await recorded.evaluate_all(
        """(nodes) => nodes.map((node) => {
          const style = getComputedStyle(node);
          return [style.borderLeftWidth, style.paddingTop, style.paddingBottom];
        })"""
    )
    assert {tuple(look) for look in looks} == {("0px", "0px", "0px")}
    entry = await entries.first.evaluate("(node) => getComputedStyle(node).borderLeftWidth")
    assert entry == "2px"
