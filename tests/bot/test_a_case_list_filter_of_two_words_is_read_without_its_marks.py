"""`/cases qua han`, `/cases cho duyet khieu nai`: a Vietnamese filter of two words typed
without its marks (as `/report thang truoc` is read) filters as it does with them, for a
supervisor and for staff, whatever language they read — not taken as a customer's name. A
single word keeps its marks: *Đông* is a customer, *đóng* the closed cases."""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.walk import asking_approval, open_case

pytestmark = pytest.mark.asyncio


async def listed(person: Person, filters: str) -> str:
    await person.send(f"/cases {filters}")
    return person.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_filter_of_two_words_without_marks_filters_as_with_them(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await open_case(person, "Trần Văn Đông")
    waiting = await asking_approval(person)
    for reader in (person, supervisor):
        marked = await listed(reader, "chờ duyệt khiếu nại")
        assert f"#{waiting}" in marked
        assert await listed(reader, "cho duyet khieu nai") == marked
        assert await listed(reader, "Cho Duyet") == await listed(reader, "chờ duyệt")
        assert await listed(reader, "dang mo") == await listed(reader, "đang mở")
        assert "Trần Văn Đông" in await listed(reader, "Đông")  # a name, not "đóng"
