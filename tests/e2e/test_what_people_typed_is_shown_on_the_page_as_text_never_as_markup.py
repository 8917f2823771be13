"""Whatever staff typed — a customer's name, a complaint, a note, a file's name — shows on the
page as the very characters typed: never read as HTML, never run as script, in the log, a
case's timeline and evidence, and the customer's page. Checked in the DOM (no element the
text could have made, the text shown as typed), so it holds even without the
Content-Security-Policy that would also stop the script."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from standin.inprocess import Person
from tests.bot.conftest import HOA, MINH, make_world, settings_for
from tests.bot.miniapp_site import Site, serving
from tests.bot.walk import open_case
from tests.conftest import Clock
from tests.e2e.test_miniapp_browser import browser, launch_url, require_browser

__all__ = ["browser"]  # the fixture, used by name

NAME = '<img src=x onerror="window.pwned=1">Mai'
COMPLAINT = "<script>window.pwned=2</script>Giao hàng trễ"
NOTE = '<b onmouseover="window.pwned=3">đậm</b> & <svg onload="window.pwned=4">'
FILE_NAME = '<img src=y onerror="window.pwned=5">.pdf'
#: Elements the typed text would have made if it were read as HTML.
MADE = "main img, main script, main b, main svg, #notice *"


@pytest.fixture
async def site(database_url: str, clock: Clock) -> AsyncIterator[Site]:
    async for world in make_world(settings_for(database_url), clock):
        async with serving(world) as served:
            yield served


async def type_everything(person: Person, note: str, evidence: str) -> int:
    """Open a case for a customer with markup in their name, then add a note and a file."""
    case_id = await open_case(person, NAME, COMPLAINT)
    await person.press(note)
    await person.send(NOTE)
    await person.press(evidence)
    await person.send_document(file_name=FILE_NAME)
    return case_id


async def shown_as_typed(page: Any, *typed: str) -> None:
    """Each typed text is in the page's text, and nothing it holds became an element."""
    text = await page.text_content("main") or ""
    for one in typed:
        assert one in text, (one, text)
    assert await page.locator(MADE).count() == 0
    assert await page.evaluate("window.pwned") is None


@pytest.mark.parametrize(
    ("writer", "reader", "language", "note", "evidence"),
    [
        (
            "lan",
            MINH,
            "en",
            "📝 Add a note",
            "📎 Attach evidence",
        ),  # a supervisor reads Lan's case
        ("hoa", HOA, "vi", "📝 Thêm ghi chú", "📎 Đính kèm"),  # Hòa reads her own
    ],
)
async def test_a_name_a_complaint_a_note_and_a_file_name_show_as_typed_never_as_markup(
    site: Site,
    browser: Any,
    writer: str,
    reader: int,
    language: str,
    note: str,
    evidence: str,
) -> None:
    world = site.world
    case_id = await type_everything(getattr(world, writer), note, evidence)
    events = await world.events(case_id)
    assert NOTE in [e.data.get("text") for e in events if e.kind == "note"]

    page = await browser.new_page()
    await page.goto(launch_url(site, reader, "Reader", language))
    row = page.locator(f'#cases tr[data-case="{case_id}"]')
    await row.wait_for()
    await shown_as_typed(page, "Mai")
    assert "<img" in (await row.text_content() or "")  # the name, as typed

    await row.click()
    await page.wait_for_selector("#timeline li")
    await shown_as_typed(page, NOTE, "<script>window.pwned=2</script>", "window.pwned=5")

    await page.click("#case button.plain")  # the customer's page
    await page.wait_for_selector("#customer")
    await shown_as_typed(page, "<img")
    await require_browser().expect(page.locator("#customer h2")).to_contain_text("onerror")
