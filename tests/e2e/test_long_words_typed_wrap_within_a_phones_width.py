"""Whatever staff typed without a space — a customer's name as long as a name may be, a
complaint, a note, a file's name, a comment as long as a text may be — wraps within a phone's
width on every page that shows it: the log's cards, a case (its summary, the request, the
timeline, the evidence), the customer's page and the approvals. Nothing pushes the page
sideways, so a supervisor on a phone never scrolls to the right to read a line, in either
language. So does the reader's own name in the page's bar. A phone number is never broken
to make room: it stays whole, on its line under the name."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update

from storage import tables
from tests.bot.conftest import LAN, MINH
from tests.bot.miniapp_site import Site
from tests.bot.walk import compensate, open_case, walk_to_compensate
from tests.e2e.test_miniapp_browser import launch_url

PHONE = {"width": 360, "height": 740}
NAME = "Nguyễn" + "Thị" * 36 + "Mai"  # 117 characters: a name within the limit, one word
COMPLAINT = "Giaohàngtrễ" * 80  # 880 characters
NOTE = "😠" + "ghichú" * 160  # 961 characters
FILE_NAME = "hoáđơn" * 30 + ".pdf"
READER = "Trần" + "Thị" * 20 + "Minh"  # the page's bar names the reader


async def nothing_sideways(page: Any, where: str) -> None:
    """The page is no wider than the phone, and no element shown is wider than its box."""
    wide = await page.evaluate(
        """() => {
        const width = document.documentElement.clientWidth;
        const over = [...document.querySelectorAll("body *")].filter((node) => {
          const box = node.getBoundingClientRect();
          return box.width > 0 && (box.right > width + 1 || box.left < -1);
        }).map((node) => `${node.tagName}.${node.className}#${node.id}`);
        return { page: document.documentElement.scrollWidth, width, over: over.slice(0, 5) };
      }"""
    )
    assert wide["page"] <= wide["width"], (where, wide)
    assert not wide["over"], (where, wide)


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_long_words_typed_wrap_within_a_phones_width_on_every_page(
    site: Site, browser: Any, language: str
) -> None:
    world = site.world
    lan = world.lan
    case_id = await open_case(lan, NAME, COMPLAINT)
    await lan.press("📝 Add a note")
    await lan.send(NOTE)
    await lan.press("📎 Attach evidence")
    await lan.send_document(file_name=FILE_NAME)
    await walk_to_compensate(lan)
    await compensate(lan, "Refund", "2tr")  # over her limit: the case waits for Minh
    async with world.services.engine.begin() as connection:
        await connection.execute(
            update(tables.staff)
            .where(tables.staff.c.telegram_id == MINH)
            .values(locale=language, name=READER)
        )

    page = await browser.new_page()
    await page.set_viewport_size(PHONE)
    await page.goto(launch_url(site, MINH, "Minh", language))
    row = page.locator(f'#cases tr[data-case="{case_id}"]')
    await row.wait_for()
    await nothing_sideways(page, "the log")
    phone = row.locator("td .muted")  # under the long name: whole, on one line
    assert await phone.text_content() == "0903123456"
    assert (
        await phone.evaluate(
            "(node) => node.getBoundingClientRect().height"
            " / parseFloat(getComputedStyle(node).lineHeight)"
        )
        < 1.5
    )

    await row.click()
    await page.wait_for_selector("#timeline li")
    assert NOTE in (await page.text_content("#timeline") or "")
    await nothing_sideways(page, "a case")

    await page.click("#case button.plain")
    await page.wait_for_selector("#customer")
    await nothing_sideways(page, "the customer")

    await page.click('[data-tab="approvals"]')
    await page.wait_for_selector("main .request")
    await page.fill("main .request textarea", NOTE)
    await nothing_sideways(page, "the approvals")

    lan_page = await browser.new_page()  # staff read their own case on a phone as well
    await lan_page.set_viewport_size(PHONE)
    await lan_page.goto(launch_url(site, LAN, "Lan", "vi"))
    await lan_page.locator(f'#cases tr[data-case="{case_id}"]').wait_for()
    await nothing_sideways(lan_page, "Lan's log")
