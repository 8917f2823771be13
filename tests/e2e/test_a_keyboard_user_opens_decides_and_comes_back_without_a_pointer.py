"""A supervisor who works by keyboard alone (and with a screen reader) can do all a pointer
does: Tab reaches every case of the log and of a customer's page, Enter opens it (Space too,
as on any button), a screen reader names each ("Open case #12: Phạm Thị Mai"), the focus is
always shown, and after a page changes the focus lands somewhere sensible — on the new view's
heading; back on the case it came from after Back, the page's or the browser's; still on the
pager's button after Next — never lost at the top of the page. A decision is made by keyboard
only."""

from __future__ import annotations

from typing import Any

import pytest

from flows.procedures.complaint import Step
from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site, awaiting_approval
from tests.bot.test_miniapp_api import reads_vietnamese
from tests.bot.walk import open_case
from tests.e2e.test_miniapp_browser import launch_url, require_browser

#: How each language names the control that opens a case, and the page's Back.
OPEN = {"en": "Open case #{case}: {what}", "vi": "Xem hồ sơ #{case}: {what}"}
BACK = {"en": "Back", "vi": "Quay lại"}


async def focused(page: Any) -> dict[str, Any]:
    """What has the focus: its tag, `data-focus` key, name, and whether its ring shows."""
    return await page.evaluate(
        """() => {
          const e = document.activeElement;
          return { tag: e.tagName, key: e.dataset ? e.dataset.focus || null : null,
                   name: e.getAttribute('aria-label') || e.textContent.trim(),
                   ring: getComputedStyle(e).outlineStyle };
        }"""
    )


async def tab_to(page: Any, key: str, most: int = 60) -> None:
    """Press Tab until the control `key` has the focus (failing after `most` presses)."""
    for _ in range(most):
        await page.keyboard.press("Tab")
        if (await focused(page))["key"] == key:
            return
    raise AssertionError(f"Tab never reached {key}")


@pytest.mark.parametrize(("locale", "width"), [("en", 1000), ("vi", 360)])
async def test_a_supervisor_opens_a_case_decides_and_goes_back_by_keyboard_only(
    site: Site, browser: Any, locale: str, width: int
) -> None:
    expect = require_browser().expect
    world = site.world
    if locale == "vi":
        await reads_vietnamese(world, MINH)
    case_id = await awaiting_approval(world, customer="Phạm Thị Mai")
    page = await browser.new_page()
    await page.set_viewport_size({"width": width, "height": 800})
    await page.goto(launch_url(site, MINH, "Minh", locale))
    await page.locator(f'#cases tr[data-case="{case_id}"]').wait_for()

    await tab_to(page, f"case-{case_id}")
    opener = await focused(page)
    assert opener["tag"] == "BUTTON"
    assert opener["name"].startswith(OPEN[locale].format(case=case_id, what="Phạm Thị Mai"))
    assert opener["ring"] != "none"  # where the keyboard is, shown
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#case")
    landed = await focused(page)
    assert landed["tag"] == "H2"  # the case's heading, not lost at the top
    assert f"#{case_id}" in landed["name"]

    await tab_to(page, f"comment-{case_id}")
    await page.keyboard.type("OK")
    await tab_to(page, f"verdict-{case_id}-y")
    await page.keyboard.press("Space")
    await expect(page.locator(".request")).to_have_count(0)
    assert (await world.case(case_id)).state == Step.follow_up
    assert (await focused(page))["tag"] == "H2"  # the case drawn again, read from its top

    # Back by keyboard: the log again, the focus on the case it came from.
    await page.focus("#back")
    assert (await focused(page))["name"] == BACK[locale]
    await page.keyboard.press("Enter")
    await page.wait_for_selector(f'#cases tr[data-case="{case_id}"]')
    await expect(page.locator("#case")).to_have_count(0)
    assert (await focused(page))["key"] == f"case-{case_id}"


async def test_the_browsers_back_leaves_a_case_as_the_pages_back_does(
    site: Site, browser: Any
) -> None:
    case_id = await open_case(site.world.lan, "Phạm Thị Mai")
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    await page.locator(f'#cases tr[data-case="{case_id}"]').wait_for()
    address = page.url
    await tab_to(page, f"case-{case_id}")
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#case")

    await page.go_back()
    await page.wait_for_selector(f'#cases tr[data-case="{case_id}"]')
    assert page.url == address  # still the page, its signed initData with it
    assert await page.locator("#case").count() == 0
    assert await page.locator("#back").is_hidden()
    assert (await focused(page))["key"] == f"case-{case_id}"

    # A tab pressed from inside a case leaves it: the browser's Back from the next case opened
    # comes back to the log, not to the case left by the tab.
    await page.locator(f'#cases tr[data-case="{case_id}"]').click()
    await page.wait_for_selector("#case")
    await page.click('[data-tab="cases"]')
    await page.locator(f'#cases tr[data-case="{case_id}"]').click()
    await page.wait_for_selector("#case")
    await page.go_back()
    await page.wait_for_selector(f'#cases tr[data-case="{case_id}"]')
    assert await page.locator("#case").count() == 0


async def test_a_customers_cases_open_by_keyboard_and_are_named_to_a_screen_reader(
    site: Site, browser: Any
) -> None:
    lan = site.world.lan
    first = await open_case(lan, "Phạm Thị Mai")
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    await page.locator(f'#cases tr[data-case="{first}"]').click()
    await page.wait_for_selector("#case")
    await page.locator("#case button.plain").click()  # the customer's record
    await page.wait_for_selector("#customer-cases")
    assert (await focused(page))["tag"] == "H2"

    await tab_to(page, f"case-{first}")
    assert (await focused(page))["name"].startswith(f"Open case #{first}: Complaint")
    await page.keyboard.press("Enter")
    await page.wait_for_selector("#case")
    assert f"#{first}" in (await page.text_content("#case h2") or "")


async def test_every_control_on_the_log_is_a_named_control_a_keyboard_reaches(
    site: Site, browser: Any
) -> None:
    await awaiting_approval(site.world)
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    await page.locator("#cases tbody tr").first.wait_for()
    for tab in ("cases", "approvals", "report"):
        await page.click(f'[data-tab="{tab}"]')
        await page.wait_for_selector("main section")
        unreachable = await page.evaluate(
            """() => [...document.querySelectorAll('[onclick], tr, li, td, div, span, p')]
                 .filter((e) => getComputedStyle(e).cursor === 'pointer'
                   && getComputedStyle(e.parentElement).cursor !== 'pointer'
                   && !e.closest('button, a, select, input, textarea')
                   && !e.querySelector('button'))
                 .map((e) => e.outerHTML.slice(0, 80))"""
        )
        assert unreachable == [], tab
        unnamed = await page.evaluate(
            """() => [...document.querySelectorAll('button, select, input, textarea')]
                 .filter((e) => e.offsetParent !== null)
                 .filter((e) => !(e.getAttribute('aria-label') || e.labels?.[0]?.textContent
                   || e.textContent).trim().match(/\\p{L}/u))
                 .map((e) => e.outerHTML.slice(0, 80))"""
        )
        assert unnamed == [], tab
        assert (await focused(page))["key"] == f"tab-{tab}"  # the tab pressed keeps the focus
