"""On the page, a comment or a search that shows nothing is no comment and no search.

Spaces alone were already taken as nothing; a zero-width space, a direction mark, a
control character or a Hangul filler (pasted, or left by a keyboard) looks just as empty
in the box, yet refused the whole decision with "That message is empty. Please type
something." — and a search of one listed nothing but a refusal."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from flows.procedures.complaint import Step
from tests.bot.conftest import LAN, MINH, World
from tests.bot.miniapp_site import Site, awaiting_approval, serving

#: What a box can hold that shows nothing: spaces, a zero-width space, a right-to-left
#: override with a zero-width joiner, a NUL, a Hangul filler, a newline and a tab.
SHOWS_NOTHING = ["   ", "\u200b", "\u202e\u200d", "\u0000", " \u3164 ", "\n\t"]


@pytest.fixture
async def site(world: World) -> AsyncIterator[Site]:
    async with serving(world) as served:
        yield served


@pytest.mark.parametrize("comment", SHOWS_NOTHING)
async def test_a_comment_that_shows_nothing_leaves_a_decision_without_a_comment(
    site: Site, comment: str
) -> None:
    world = site.world
    case_id = await awaiting_approval(world)
    version = (await world.case(case_id)).version
    body = {"version": version, "verdict": "y", "comment": comment}
    decided = await site.post(f"cases/{case_id}/decision", body, MINH)
    assert decided.status_code == 200, decided.text
    assert (await world.case(case_id)).state == Step.follow_up
    kinds = [e.kind for e in await world.events(case_id)]
    assert kinds[-1] == "approved"
    assert "approval_comment" not in kinds
    assert "commented" not in world.lan.last_text  # told of the approval, of no comment


@pytest.mark.parametrize("search", SHOWS_NOTHING)
async def test_a_search_that_shows_nothing_lists_the_log_as_no_search_does(
    site: Site, search: str
) -> None:
    await awaiting_approval(site.world)
    everything = await site.post("cases", {}, LAN)
    searched = await site.post("cases", {"search": search}, LAN)
    assert searched.status_code == 200, searched.text
    assert searched.json()["rows"] == everything.json()["rows"] != []
