"""`/case N` for a number no case could have — negative, or longer than any case number — is
answered as `/case 0` is, in the reader's words and whatever their role: there is no such
case. Only words that are no number at all get the usage."""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

HUGE = "9" * 40


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_number_no_case_could_have_is_no_such_case_not_a_missing_number(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    before = await world.case(case_id)
    for reader in (person, supervisor):
        for typed, said in (("-1", "-1"), ("+0", "+0"), (HUGE, "9" * 20 + "…")):
            await reader.send(f"/case {typed}")
            assert reader.last_text == words(reader, "error.no_such_case", case=said)
        for typed in ("12abc", "-", "#x"):
            await reader.send(f"/case {typed}")
            assert reader.last_text == words(reader, "error.case_usage")
    assert (await world.case(case_id)).version == before.version
