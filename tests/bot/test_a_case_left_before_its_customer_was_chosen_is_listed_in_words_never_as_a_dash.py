"""Someone who leaves with a case still at its first question (no customer chosen yet) had
it listed to the supervisors as "#1 · — · opening", with a button "#1 · —": a lone dash
where a customer's name belongs. It now says in words that no customer was chosen yet, as
the case lists do, in the notice and on its button.
"""

from __future__ import annotations

import pytest

from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_people_lifecycle import deactivate
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_a_case_without_a_customer_left_behind_is_named_in_words(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    if locale == "vi":
        await deactivate(world, world.minh)  # the notice goes to Thảo alone
    await person.send("/new")  # left at its first question: who the customer is
    await deactivate(world, person)
    assert (await world.scheduler.tick()).sent == 1
    notice = supervisor.messages[-1]
    unnamed = words(supervisor, "case.no_customer")
    assert f"#1 · {unnamed} · " in notice.plain_text
    assert f"#1 · {unnamed}" in notice.button_labels
    assert "—" not in notice.plain_text
    assert not any("—" in b for b in notice.button_labels)
