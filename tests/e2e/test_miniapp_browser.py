"""The Mini App in a real browser: headless Chromium (Debian's) driven by Playwright.

The bot runs in process on a SQLite file filled with realistic made-up history
(`storage.demo_data`), its web server serves the page on 127.0.0.1, and the browser opens
the page the way Telegram does: with signed initData and the theme after `#`. Lan walks a
complaint in the chat up to a compensation over her limit; Minh filters the log in the page,
opens the case's timeline and approves — the test reads the page and the database.

With UPDATE_SCREENSHOTS=1 the run writes the README's pictures: docs/miniapp-log.png and
docs/miniapp-report.png.

Without Chromium (/usr/bin/chromium) these tests are skipped, except under CI, where a missing
browser fails them (`.ci/run` installs Debian's chromium).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from sqlalchemy import update

from bot.app import build_application, offline
from bot.miniapp.init_data import init_data_for
from flows.procedures.complaint import Step
from standin.inprocess import FakeBotApi, Person
from storage import tables
from storage.demo_data import seed
from tests.bot.conftest import STRANGER, World, settings_for
from tests.bot.miniapp_site import Site, awaiting_approval, serving
from tests.conftest import Clock

CHROMIUM = Path("/usr/bin/chromium")
DOCS = Path(__file__).resolve().parents[2] / "docs"
MINH, LAN, HOA, TUAN = 2001, 1001, 1002, 1003  # the demo history's supervisor and staff
CUSTOMER = "Phạm Thị Mai"
#: Telegram's light theme, as a client sends it.
THEME = (
    '{"bg_color":"#ffffff","text_color":"#000000","hint_color":"#707579",'
    '"link_color":"#3390ec","button_color":"#3390ec","button_text_color":"#ffffff",'
    '"secondary_bg_color":"#f4f4f5","header_bg_color":"#ffffff",'
    '"accent_text_color":"#3390ec","section_bg_color":"#ffffff",'
    '"destructive_text_color":"#e53935"}'
)
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser() -> Any:
    """Playwright's async API, or skip (fail under CI) when it or Chromium is missing."""
    reason = (
        "no headless browser: needs Debian's chromium (/usr/bin/chromium; apt-get install "
        "chromium chromium-driver, as .ci/run does) and Playwright (pip install -e '.[dev]')"
    )
    try:
        from playwright import async_api
    except ImportError:
        async_api = None
    if CHROMIUM.exists() and async_api is not None:
        return async_api
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason}; CI must run the browser tests")
    pytest.skip(reason)


@pytest.fixture
async def site(tmp_path: Path, clock: Clock) -> AsyncIterator[Site]:
    """The bot on made-up history, its page served; Minh reads English, Lan Vietnamese."""
    settings = settings_for(f"sqlite+aiosqlite:///{tmp_path / 'browser.sqlite3'}")
    api = FakeBotApi()
    app = build_application(settings, request=api, clock=clock)
    async with offline(app) as services:
        async with services.engine.begin() as connection:
            await seed(connection, now=clock(), weeks=12, customers=240, complaints_per_week=25)
            await connection.execute(
                update(tables.staff).where(tables.staff.c.telegram_id == MINH).values(locale="en")
            )
        world = World(
            app,
            api,
            clock,
            services,
            lan=Person(app, api, LAN, "Lan", "vi"),
            hoa=Person(app, api, HOA, "Hòa", "vi"),
            bernd=Person(app, api, TUAN, "Tuấn", "vi"),
            minh=Person(app, api, MINH, "Minh", "en"),
            stranger=Person(app, api, STRANGER, "Eve", "en"),
        )
        async with serving(world) as served:
            yield served


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Any]:
    """Headless Chromium with a fresh profile."""
    playwright = require_browser()
    async with playwright.async_playwright() as driver:
        context = await driver.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1000, "height": 720},
            locale="en-US",
        )
        try:
            yield context
        finally:
            await context.close()


def launch_url(site: Site, telegram_id: int, name: str, language: str, token: str = "") -> str:
    """The page's address as Telegram opens it: signed initData and theme after `#`."""
    signed = init_data_for(
        telegram_id, name, language, token or site.world.app.bot.token, site.world.clock()
    )
    launch = {"tgWebAppData": signed, "tgWebAppVersion": "8.0", "tgWebAppThemeParams": THEME}
    return f"{site.page}#{urlencode(launch)}"


async def test_a_supervisor_filters_the_log_opens_a_timeline_and_approves(
    site: Site, browser: Any
) -> None:
    world = site.world
    expect = require_browser().expect
    case_id = await awaiting_approval_for(world)
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", "en"))
    await page.wait_for_selector("#cases tbody tr")
    assert await page.text_content("#title") == "Case log"
    assert "Minh" in (await page.text_content("#who") or "")
    assert await page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--tg-theme-button-color')"
    ) == "#3390ec"

    # Filter: awaiting a decision, the customer typed without diacritics.
    await page.get_by_label("Status").select_option("a")
    await page.get_by_placeholder("Customer name or phone").fill("pham thi mai")
    row = page.locator(f'#cases tr[data-case="{case_id}"]')
    await expect(page.locator("#cases tbody tr")).to_have_count(1)
    assert CUSTOMER in (await row.text_content() or "")
    waiting = world.services.scripts.get("en", "step.awaiting_approval.short")
    assert waiting in (await row.text_content() or "")
    await page.get_by_label("Status").select_option("-")
    await page.get_by_placeholder("Customer name or phone").fill("")
    await expect(page.locator("#cases tbody tr")).to_have_count(50)
    await page.locator("#title").click()  # nothing focused in the picture
    await screenshot(page, "miniapp-log.png")

    # The timeline, with the five steps and the request.
    await page.get_by_placeholder("Customer name or phone").fill("pham thi mai")
    await expect(page.locator("#cases tbody tr")).to_have_count(1)
    await row.click()
    await page.wait_for_selector("#timeline li")
    case_text = await page.text_content("main") or ""
    assert f"#{case_id}" in case_text
    assert "Approval needed" in case_text
    assert "2,000,000 VND" in case_text
    assert await page.locator("#timeline > li").count() == len(await world.events(case_id))
    steps = page.locator("#compliance .steps li")
    assert await steps.count() == 5
    assert await page.locator("#compliance .steps li.done").count() == 4  # follow-up not yet

    # Approve, with a comment.
    await page.get_by_placeholder("Comment for the staff member (optional)").fill(
        "Đồng ý, nhớ gọi lại cho chị"
    )
    told_before = len(world.api.messages(world.lan.chat_id))
    await page.click('button[data-verdict="y"]')
    await page.wait_for_selector("#notice:not([hidden])")
    assert "You approved the compensation" in (await page.text_content("#notice") or "")
    await expect(page.locator(".request")).to_have_count(0)
    case = await world.case(case_id)
    assert case.state == Step.follow_up
    events = await world.events(case_id)
    assert [e.kind for e in events][-2:] == ["approved", "approval_comment"]
    assert events[-2].actor_id == events[-1].actor_id != case.owner_id
    assert events[-1].data == {"text": "Đồng ý, nhớ gọi lại cho chị"}
    assert len(world.api.messages(world.lan.chat_id)) == told_before + 2  # decision, comment

    # Back to the log, then the report.
    assert await page.text_content("#back") == "◀ Back"
    await page.click("#back")
    await page.wait_for_selector("#cases")
    await page.click('[data-tab="report"]')
    await page.wait_for_selector("#charts svg")
    assert "Report" in (await page.text_content("#report-title") or "")
    assert await page.locator("#tiles .tile").count() == 12
    await page.set_viewport_size({"width": 412, "height": 900})
    await screenshot(page, "miniapp-report.png", full_page=True)


async def test_staff_see_their_own_cases_in_their_language_and_no_supervisors_tabs(
    site: Site, browser: Any
) -> None:
    own = await awaiting_approval_for(site.world)
    page = await browser.new_page()
    await page.set_viewport_size({"width": 412, "height": 860})
    await page.goto(launch_url(site, LAN, "Lan", "vi"))
    await page.wait_for_selector("#cases tbody tr")
    assert await page.text_content("#title") == "Sổ hồ sơ"
    assert await page.text_content("#back") == "◀ Quay lại"
    assert await page.locator("#tabs").is_hidden()
    owners = await page.locator('#cases td[data-label="Nhân viên"]').all_text_contents()
    assert owners
    assert set(owners) == {"Lan"}
    assert await page.locator(f'#cases tr[data-case="{own}"]').count() == 1


@pytest.mark.parametrize(
    ("locale", "more"),
    [("en", "only the first 20 requests are listed"), ("vi", "chỉ liệt kê 20 yêu cầu đầu tiên")],
)
async def test_the_approvals_tab_lists_each_request_and_says_when_more_wait_than_it_lists(
    site: Site, browser: Any, locale: str, more: str
) -> None:
    from tests.bot.test_worst_case_sizes import many_waiting_cases

    await many_waiting_cases(site.world, 25)  # 25 requests waiting, besides the history's
    async with site.world.services.engine.begin() as connection:  # Minh reads `locale`
        await connection.execute(
            update(tables.staff).where(tables.staff.c.telegram_id == MINH).values(locale=locale)
        )
    page = await browser.new_page()
    await page.goto(launch_url(site, MINH, "Minh", locale))
    await page.wait_for_selector("#cases tbody tr")
    tab = page.locator('[data-tab="approvals"]')
    await require_browser().expect(tab.locator(".count")).to_have_text("(20+)")
    await tab.click()
    await page.wait_for_selector("main .request")
    shown = await page.text_content("main") or ""
    assert "[object" not in shown
    assert await page.locator("main .request").count() == 20
    assert more in shown


async def test_a_page_opened_with_forged_initdata_shows_a_message_and_no_data(
    site: Site, browser: Any
) -> None:
    page = await browser.new_page()
    forged = "987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    await page.goto(launch_url(site, MINH, "Minh", "en", token=forged))
    await page.wait_for_selector("main section p")
    assert "open the case log again from the bot" in (await page.text_content("main") or "")
    assert await page.locator("#cases").count() == 0


@pytest.mark.parametrize(
    ("locale", "title", "failed"),
    [
        ("vi-VN", "Sổ hồ sơ", "Không kết nối được máy chủ. Bạn vui lòng thử lại."),
        ("en-US", "Case log", "The server could not be reached. Please try again."),
    ],
)
async def test_a_page_that_cannot_reach_the_server_says_so_in_the_browsers_language(
    site: Site, browser: Any, locale: str, title: str, failed: str
) -> None:
    page = await browser.new_page()
    await page.route("**/api/me", lambda route: route.abort())  # the network drops

    async def in_language(route: Any) -> None:  # the webview's language, as Telegram's app
        await route.continue_(headers={**route.request.headers, "accept-language": locale})

    await page.route(site.page, in_language)
    await page.goto(launch_url(site, LAN, "Lan", locale[:2]))
    await page.wait_for_selector("#notice:not([hidden])")
    assert (await page.text_content("#notice") or "").strip() == failed
    assert await page.title() == title
    assert await page.get_attribute("html", "lang") == locale[:2]


async def awaiting_approval_for(world: World) -> int:
    """Lan (in Vietnamese) asks for a compensation over her limit, for a new customer."""
    case_id = await awaiting_approval(world, customer=CUSTOMER)
    assert (await world.case(case_id)).state == Step.awaiting_approval
    return case_id


async def screenshot(page: Any, name: str, *, full_page: bool = False) -> None:
    """Write a picture for the README when asked to (UPDATE_SCREENSHOTS=1)."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        await page.screenshot(path=str(DOCS / name), full_page=full_page)

