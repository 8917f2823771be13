"""A supervisor moves along the tabs (Cases, Approvals, Report) the way WAI-ARIA's tabs pattern
says: a tab list of tabs, each naming the panel it controls and the panel named by the chosen
one; Tab reaches only the chosen tab (a roving tabindex) and goes on into its panel; Right and
Left go to the next and the previous tab (round the ends), Home and End to the first and the
last, and the tab reached is opened and keeps the focus."""

from __future__ import annotations

from typing import Any

from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site, awaiting_approval
from tests.e2e.test_a_keyboard_user_opens_decides_and_comes_back_without_a_pointer import (
    focused,
)
from tests.e2e.test_miniapp_browser import launch_url, require_browser

#: Each tab, and what its panel shows once it has come.
SHOWN = {"cases": "#cases tbody tr", "approvals": "main .request", "report": "#charts"}


async def tabs(page: Any) -> list[tuple[str, str | None, str | None]]:
    """Each tab: its name, whether it is chosen, and its tabindex."""
    return [
        (one["tab"], one["selected"], one["index"])
        for one in await page.evaluate(
            """() => [...document.querySelectorAll('#tabs [role="tab"]')].map((e) => ({
                 tab: e.dataset.tab, selected: e.getAttribute('aria-selected'),
                 index: e.getAttribute('tabindex') }))"""
        )
    ]


async def chosen_and_focused(page: Any, name: str) -> None:
    """The tab `name` is chosen, has the focus, is the only one Tab reaches; its panel came."""
    await page.locator(SHOWN[name]).first.wait_for()
    assert await tabs(page) == [
        (one, str(one == name).lower(), "0" if one == name else "-1") for one in SHOWN
    ]
    assert (await focused(page))["key"] == f"tab-{name}"
    panel = page.locator('[role="tabpanel"]')
    assert await panel.get_attribute("aria-labelledby") == f"tab-{name}"


async def test_arrow_keys_home_and_end_move_the_choice_and_the_focus_along_the_tabs(
    site: Site, browser: Any
) -> None:
    await awaiting_approval(site.world)  # something on the Approvals tab
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    await page.locator("#cases tbody tr").first.wait_for()
    assert await page.get_attribute("#tabs", "role") == "tablist"
    for one in SHOWN:  # each tab controls the panel, which is in the page, inside main
        controls = await page.get_attribute(f'[data-tab="{one}"]', "aria-controls")
        assert controls
        assert await page.locator(f"main #{controls}").get_attribute("role") == "tabpanel"

    await page.focus('[data-tab="cases"]')
    for key, name in [
        ("ArrowRight", "approvals"),
        ("ArrowRight", "report"),
        ("ArrowRight", "cases"),  # round the end
        ("ArrowLeft", "report"),  # round the start
        ("ArrowLeft", "approvals"),
        ("Home", "cases"),
        ("End", "report"),
    ]:
        await page.keyboard.press(key)
        await chosen_and_focused(page, name)

    # Tab leaves the tab list for the panel; Shift+Tab comes back to the chosen tab only.
    await page.keyboard.press("Tab")
    assert await page.evaluate("document.activeElement.closest('[role=tabpanel]') !== null")
    await page.keyboard.press("Shift+Tab")
    assert (await focused(page))["key"] == "tab-report"
    await page.keyboard.press("Shift+Tab")
    assert (await focused(page))["key"] not in ("tab-cases", "tab-approvals")


async def test_a_click_on_a_tab_moves_the_roving_tabindex_with_the_choice(
    site: Site, browser: Any
) -> None:
    expect = require_browser().expect
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    await page.locator("#results table, #no-cases").first.wait_for()
    await page.click('[data-tab="report"]')
    await page.locator("#charts").wait_for()
    await expect(page.locator('[data-tab="report"]')).to_have_attribute("tabindex", "0")
    assert [index for _, _, index in await tabs(page)] == ["-1", "-1", "0"]
