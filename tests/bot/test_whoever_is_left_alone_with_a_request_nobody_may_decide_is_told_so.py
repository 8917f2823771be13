"""Whoever is left alone with a request nobody may decide any more is told so, as
`approval.nobody_else` tells it at asking time: a staff member made a supervisor while her
own request waits, whose only other supervisor then leaves (or is made staff), reads that
nobody can decide it — nobody decides their own case or a request they made — and that it
waits until another supervisor is active. A staff member whose last supervisor leaves reads
that no supervisor is active at all. Nobody is told while someone may still decide it.

Before, she was told nothing: her request waited on nobody, unsaid.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tests.bot.conftest import World
from tests.bot.test_a_supervisor_made_staff_or_gone_keeps_no_request_to_decide import (
    made_staff,
    made_supervisor,
)
from tests.bot.test_decisions import leaves, second_supervisor
from tests.bot.walk import asking_approval, words

pytestmark = pytest.mark.asyncio

TUESDAY_9AM = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 09:00 in Ho Chi Minh City


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("gone", [leaves, made_staff])
async def test_a_supervisor_whose_only_other_supervisor_goes_is_told_nobody_decides_her_request(
    world: World, language: str, gone: Any
) -> None:
    person = world.lan if language == "en" else world.hoa
    case_id = await asking_approval(person)
    await made_supervisor(world, person)  # promoted while her own request waits
    await gone(world, world.minh)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    said = words(person, "reminder.nobody_decides", case=case_id)
    [told] = [m for m in person.messages if said in m.plain_text]
    assert f"{case_id}:0:o" in str(told.buttons)  # the case a tap away
    await world.scheduler.tick()  # told once
    assert len([m for m in person.messages if said in m.plain_text]) == 1


async def test_a_staff_member_whose_last_supervisor_leaves_is_told_no_supervisor_is_active(
    world: World,
) -> None:
    case_id = await asking_approval(world.hoa)
    await leaves(world, world.minh)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    said = words(world.hoa, "reminder.nobody_decides_none", case=case_id)
    assert any(said in m.plain_text for m in world.hoa.messages)


async def test_nobody_is_told_while_another_supervisor_may_still_decide(world: World) -> None:
    await second_supervisor(world, "vi")
    case_id = await asking_approval(world.hoa)
    await made_supervisor(world, world.hoa)
    await leaves(world, world.minh)  # Thu may still decide it
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    for key in ("reminder.nobody_decides", "reminder.nobody_decides_none"):
        said = words(world.hoa, key, case=case_id)
        assert not any(said in m.plain_text for m in world.hoa.messages)


async def test_nobody_is_told_once_a_supervisor_who_may_decide_is_back(world: World) -> None:
    case_id = await asking_approval(world.hoa)
    await made_supervisor(world, world.hoa)
    await made_staff(world, world.minh)
    await made_supervisor(world, world.minh)  # back before the notice went out
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    said = words(world.hoa, "reminder.nobody_decides", case=case_id)
    assert not any(said in m.plain_text for m in world.hoa.messages)
