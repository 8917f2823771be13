"""A supervisor who types a long comment sees the limit under the box from the first letter
on, and sees it said once the text goes over — before pressing Approve, not after. Every text
box of the page does so (the decision's comment, the log's search), with the very limit the
server holds the text to (the policy's, sent by `/api/me`, never a number copied into the
page), counted as the server counts it and written the reader's way. The server's refusal of
an over-long comment keeps what was typed in the box, to be shortened, and decides nothing."""

from __future__ import annotations

from typing import Any

import pytest

from flows.procedures.complaint import Step
from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site, awaiting_approval
from tests.bot.test_miniapp_api import reads_vietnamese
from tests.e2e.test_miniapp_browser import launch_url, require_browser

#: What the line under a box says, in each language: within the limit, and over it.
SAID = {
    "en": ("{count} of {limit} characters", "{over} characters over the limit of {limit}"),
    "vi": ("{count}/{limit} ký tự", "Vượt quá giới hạn {limit} ký tự, thừa {over} ký tự"),
}


def written(value: int, locale: str) -> str:
    """A number the reader's way: 1,000 in English, 1.000 in Vietnamese."""
    return f"{value:,}".replace(",", "." if locale == "vi" else ",")


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_the_comment_box_shows_its_limit_and_a_refused_comment_stays_in_it(
    site: Site, browser: Any, locale: str
) -> None:
    expect = require_browser().expect
    world = site.world
    limit = world.services.policy.text_limit
    within, over = SAID[locale]
    if locale == "vi":
        await reads_vietnamese(world, MINH)
    case_id = await awaiting_approval(world)
    page = await browser.new_page()
    await page.set_viewport_size({"width": 360, "height": 740})
    await page.goto(launch_url(site, MINH, "Minh", locale))
    await page.locator(f'#cases tr[data-case="{case_id}"]').click()
    box = page.locator(".request textarea")
    line = page.locator(".request .limit")
    await expect(line).to_have_text(within.format(count=0, limit=written(limit, locale)))
    assert await box.get_attribute("aria-describedby") == await line.get_attribute("id")

    typed = "Đồng ý. " + "x" * limit  # a few over, before anything is sent
    await box.fill(typed)
    said = over.format(over=len(typed.strip()) - limit, limit=written(limit, locale))
    await expect(line).to_contain_text(said)
    assert await box.get_attribute("aria-invalid") == "true"
    await expect(page.locator("#announce")).to_contain_text(said)  # a screen reader is told

    await page.click('button[data-verdict="y"]')
    refused = page.locator("#notice")
    await expect(refused).to_be_visible()
    too_long = world.services.scripts.get(locale, "error.too_long").split("{")[0]
    assert too_long in (await refused.text_content() or "")
    assert await refused.get_attribute("role") == "alert"
    assert await box.input_value() == typed  # kept whole, to be shortened
    assert (await world.case(case_id)).state == Step.awaiting_approval

    await box.fill("Đồng ý")
    await expect(line).to_have_text(within.format(count=6, limit=written(limit, locale)))
    await page.click('button[data-verdict="y"]')
    await expect(page.locator(".request")).to_have_count(0)
    assert (await world.case(case_id)).state == Step.follow_up


async def test_the_search_box_shows_the_limit_the_server_holds_a_search_to(
    site: Site, browser: Any
) -> None:
    expect = require_browser().expect
    limit = site.world.services.policy.name_limit
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    box = page.get_by_placeholder("Customer name or phone")
    line = page.locator(".filters .limit")
    await expect(line).to_have_text(f"0 of {limit} characters")
    await box.fill("Nguyễn")
    await expect(line).to_have_text(f"6 of {limit} characters")  # letters, as the server counts

    await box.fill("a" * (limit + 3))
    await expect(line).to_contain_text(f"3 characters over the limit of {limit}")
    await expect(page.locator("#notice")).to_be_visible()  # the server refuses it too
    assert await box.input_value() == "a" * (limit + 3)
