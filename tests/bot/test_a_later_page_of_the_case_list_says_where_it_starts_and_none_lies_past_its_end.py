"""Paging `/cases` as a supervisor (and staff) does, in both languages: a page or a filter
pressed on the list is drawn in the list's place, not as one more message below; a later page
says where it starts inside its heading's count, not after the sentence that ends it; a *Next ▶*
pressed once the list has shrunk (a case cancelled meanwhile), or a page number far past the
end, shows the list from its start — never "no cases match" over cases that do."""

from __future__ import annotations

import pytest

from flows.case_filter import PAGE
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

NEXT = {"en": "Next", "vi": "Sau"}


async def two_pages_of_cases(world: World, locale: str) -> tuple[Person, Person]:
    """A member of staff with one case more than a page holds, and a supervisor."""
    person, supervisor = await staff_and_supervisor(world, locale)
    for n in range(PAGE + 1):
        await open_case(person, f"Khách {n}")
    return person, supervisor


def heading(person: Person) -> str:
    return person.last_text.split("\n")[0]


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_later_page_says_where_it_starts_in_its_count(world: World, locale: str) -> None:
    person, supervisor = await two_pages_of_cases(world, locale)
    for reader, scope in ((supervisor, "all"), (person, "own")):
        await reader.send("/cases")
        await reader.press(NEXT[locale])
        count = words(reader, "cases.from", count=1, first=PAGE + 1)
        assert heading(reader) == words(reader, f"cases.heading_{scope}", count=count)


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_page_or_a_filter_pressed_on_the_list_is_drawn_in_its_place(
    world: World, locale: str
) -> None:
    person, supervisor = await two_pages_of_cases(world, locale)
    for reader in (supervisor, person):
        await reader.send("/cases")
        listing, first_page = reader.last, reader.last_text
        sent = len(world.api.messages(reader.chat_id))
        await reader.press(NEXT[locale], listing)
        assert reader.last.message_id == listing.message_id  # the same message, turned
        assert reader.last_text != first_page
        [ticked, *_] = [b for row in reader.last.buttons for b in row if b.text.startswith("✓")]
        await reader.press(str(ticked.callback_data), listing)  # the filter shown: page 1
        await reader.press(str(ticked.callback_data), listing)  # the same again
        assert len(world.api.messages(reader.chat_id)) == sent
        assert reader.last_text == first_page


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_page_past_the_end_shows_the_list_from_its_start(
    world: World, locale: str
) -> None:
    person, supervisor = await two_pages_of_cases(world, locale)
    await supervisor.send("/cases")
    first_page = supervisor.last_text
    listing = supervisor.last
    assert supervisor.api.last_with_buttons(supervisor.chat_id) is listing
    # the newest case
    await person.press("Cancel (mistake)" if locale == "en" else "Hủy (tạo nhầm)")
    await person.send("Opened by mistake")
    await supervisor.press(NEXT[locale], listing)  # drawn when there were two pages
    now = supervisor.last_text
    assert now != words(supervisor, "cases.none")
    assert now.count("\n• #") == PAGE
    assert heading(supervisor) == first_page.split("\n")[0]
    await supervisor.press_data("p:o:-:::::800", listing.message_id)  # far past the end
    assert supervisor.last_text == now
