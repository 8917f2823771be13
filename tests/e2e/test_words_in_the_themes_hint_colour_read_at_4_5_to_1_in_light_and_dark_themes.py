"""The words the page draws in the theme's hint colour — the log's column heads, and the
labels that stand for them on a phone, the filters' labels, the tabs not chosen, who is
reading — read at 4.5:1 at least against what they stand on (WCAG AA), whatever hint colour
the theme gives: Telegram's light theme may give #999999 (2.8:1 on white), its night theme
#708499 on #17212b; even its usual #707579 reads at 4.2:1 on its page grey #f4f4f5. A
hint too faint is drawn towards the text colour; one that reads is kept."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.miniapp.init_data import init_data_for
from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site
from tests.bot.walk import open_case
from tests.e2e.test_miniapp_browser import THEME
from tests.e2e.test_the_states_colours_read_at_4_5_to_1_in_light_and_dark_themes import (
    DARK,
    MEASURES,
)

#: Telegram's light theme with the grey hint some clients send.
GREY = json.dumps({**json.loads(THEME), "hint_color": "#999999"})
#: Telegram's night theme (blue-grey), as a client sends it.
NIGHT = json.dumps(
    {
        "bg_color": "#17212b",
        "text_color": "#f5f5f5",
        "hint_color": "#708499",
        "link_color": "#6ab3f3",
        "button_color": "#5288c1",
        "button_text_color": "#ffffff",
        "secondary_bg_color": "#232e3c",
        "header_bg_color": "#17212b",
        "accent_text_color": "#6ab2f2",
        "section_bg_color": "#17212b",
        "destructive_text_color": "#ec3942",
    }
)
#: [what, ratio] of each element (or its ::before label) the selectors find, against the
#: first background under it that is not transparent.
CONTRAST = (
    """([selectors, pseudo]) => {"""
    + MEASURES
    + """  return [...document.querySelectorAll(selectors)].filter((e) => e.offsetParent !== null)
    .map((e) => {
      const colour = getComputedStyle(e, pseudo).color;
      const [a, b] = [lum(rgb(colour)), lum(under(e))].sort((x, y) => y - x);
      return [e.tagName + (pseudo || '') + ' ' + e.textContent.slice(0, 20),
        (a + 0.05) / (b + 0.05)];
    });
}"""
)
WIDE = "#cases th, .who, #tabs [aria-selected=false], .filters label, #results .muted"


@pytest.mark.parametrize("theme", [THEME, GREY, NIGHT], ids=["light", "light-grey-hint", "night"])
async def test_column_heads_and_labels_in_the_hint_colour_read_at_4_5_to_1(
    site: Site, browser: Any, theme: str
) -> None:
    await open_case(site.world.lan, "Phạm Thị Mai")  # a row, under the column heads
    signed = init_data_for(MINH, "Minh", "en", site.world.app.bot.token, site.world.clock())
    launch = {"tgWebAppData": signed, "tgWebAppVersion": "8.0", "tgWebAppThemeParams": theme}
    page = await browser.new_page()
    await page.goto(f"{site.page}#{urlencode(launch)}")
    await page.wait_for_selector("#cases tbody tr")
    read = await page.evaluate(CONTRAST, [WIDE, None])
    assert any(what.startswith("TH") for what, _ in read)
    assert [(what, round(ratio, 2)) for what, ratio in read if ratio < 4.5] == []

    await page.set_viewport_size({"width": 360, "height": 800})  # the heads become labels
    read = await page.evaluate(CONTRAST, ["#cases td[data-label]", "::before"])
    assert read
    assert [(what, round(ratio, 2)) for what, ratio in read if ratio < 4.5] == []

    await page.click('[data-tab="report"]')  # labels on the page's own grey, not a section
    await page.wait_for_selector("#charts")
    read = await page.evaluate(CONTRAST, [".periods label, .tile .label", None])
    assert read
    assert [(what, round(ratio, 2)) for what, ratio in read if ratio < 4.5] == []


async def test_a_hint_that_reads_already_is_kept_as_the_theme_gives_it(
    site: Site, browser: Any
) -> None:
    signed = init_data_for(MINH, "Minh", "en", site.world.app.bot.token, site.world.clock())
    launch = {"tgWebAppData": signed, "tgWebAppVersion": "8.0", "tgWebAppThemeParams": DARK}
    page = await browser.new_page()
    await page.goto(f"{site.page}#{urlencode(launch)}")
    await page.wait_for_selector("#results table, #no-cases")
    assert await page.evaluate("getComputedStyle(document.querySelector('.who')).color") == (
        "rgb(170, 170, 170)"  # #aaaaaa, Telegram's dark hint: 7:1 on #212121, more on #0f0f0f
    )
