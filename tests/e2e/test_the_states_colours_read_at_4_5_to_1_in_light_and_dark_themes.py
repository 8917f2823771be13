"""What the page marks by colour — an overdue case, the five steps recorded in order or not,
a step recorded, a text over its limit, the Decline button — reads at 4.5:1 at least against
what it stands on (WCAG AA for normal text), in Telegram's light and dark themes and in a
plain browser's light and dark: the states' colours are the page's own, not a theme's red or
green that may read too faintly."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from bot.miniapp.init_data import init_data_for
from tests.bot.conftest import MINH
from tests.bot.miniapp_site import Site
from tests.e2e.test_miniapp_browser import THEME

DARK = (
    '{"bg_color":"#212121","text_color":"#ffffff","hint_color":"#aaaaaa",'
    '"link_color":"#8774e1","button_color":"#8774e1","button_text_color":"#ffffff",'
    '"secondary_bg_color":"#0f0f0f","header_bg_color":"#212121",'
    '"accent_text_color":"#8774e1","section_bg_color":"#212121",'
    '"destructive_text_color":"#ff595a"}'
)
#: Each state drawn as the page draws it.
STATES = """
<section id="states">
  <span class="badge late">overdue</span>
  <p class="verdict ok">All five recorded</p>
  <p class="verdict no">Not all five</p>
  <ul class="steps"><li class="done"><span class="mark">✓</span></li></ul>
  <span class="limit over">3 characters over</span>
  <button type="button" class="danger">Decline</button>
</section>
"""
#: A colour's parts (`rgb`), its relative luminance (`lum`, WCAG's) and the first background
#: under an element that is not transparent (`under`), for a page's script to measure with.
MEASURES = """
  const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 4).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => {
      v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const under = (e) => {
    for (; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c;
    }
    return [255, 255, 255];
  };
"""
CONTRAST = (
    """() => {"""
    + MEASURES
    + """  return [...document.querySelectorAll('#states span, #states p, #states button')]
    .map((e) => {
      const [a, b] = [lum(rgb(getComputedStyle(e).color)), lum(under(e))].sort((x, y) => y - x);
      return [e.className || e.parentElement.className, (a + 0.05) / (b + 0.05)];
    });
}"""
)


@pytest.mark.parametrize(
    ("theme", "scheme"),
    [(THEME, "light"), (DARK, "dark"), (None, "light"), (None, "dark")],
    ids=["telegram-light", "telegram-dark", "browser-light", "browser-dark"],
)
async def test_every_state_reads_at_4_5_to_1_against_what_it_stands_on(
    site: Site, browser: Any, theme: str | None, scheme: str
) -> None:
    signed = init_data_for(MINH, "Minh", "en", site.world.app.bot.token, site.world.clock())
    launch = {"tgWebAppData": signed, "tgWebAppVersion": "8.0"}
    if theme:
        launch["tgWebAppThemeParams"] = theme
    page = await browser.new_page()
    await page.emulate_media(color_scheme=scheme)
    await page.goto(f"{site.page}#{urlencode(launch)}")
    await page.wait_for_selector("#results table, #no-cases")
    await page.evaluate(
        "(html) => document.getElementById('main').insertAdjacentHTML('beforeend', html)",
        STATES,
    )
    faint = [(state, round(ratio, 2)) for state, ratio in await page.evaluate(CONTRAST)]
    assert [one for one in faint if one[1] < 4.5] == [], faint
