"""A staff member who opens on the page their own case that waits for a supervisor is told
that a supervisor decides it and that the chat will tell them — not the line for a
supervisor who may not decide their own case ("another supervisor decides"), which would
call them a supervisor. A supervisor reading their own case's request still reads that line.
In both languages."""

from __future__ import annotations

import pytest

from flows.procedures.complaint import Step
from tests.bot.conftest import HOA, LAN, MINH, World
from tests.bot.miniapp_site import serving
from tests.bot.walk import asking_approval, compensate, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_staff_reading_their_case_that_waits_are_told_a_supervisor_decides_it(
    world: World, language: str
) -> None:
    person, telegram_id = (world.hoa, HOA) if language == "vi" else (world.lan, LAN)
    case_id = await asking_approval(person, "2.000.000")
    async with serving(world) as site:
        request = (await site.get(f"cases/{case_id}", telegram_id)).json()["request"]
    assert request["may_decide"] is False
    assert request["not_yours_said"] == words(person, "miniapp.for_a_supervisor")
    assert request["not_yours_said"] != words(person, "miniapp.own_case")


async def test_a_supervisor_reading_their_own_cases_request_is_told_another_decides(
    world: World,
) -> None:
    case_id = await open_case(world.minh)
    await walk_to_compensate(world.minh)
    await compensate(world.minh, "Refund", "2.000.000")
    assert (await world.case(case_id)).state == Step.awaiting_approval
    async with serving(world) as site:
        request = (await site.get(f"cases/{case_id}", MINH)).json()["request"]
    assert request["not_yours_said"] == words(world.minh, "miniapp.own_case")
