"""A copy of a request whose place in its chat was never written down (the process died
between sending it and learning where it went) is noted before it is sent: once someone
else decides, its reader is told what became of the request in a message of their own,
below the copy, as soon as the copy's hold runs out, without pressing anything. Pressed
before that, the copy is placed and redrawn in place, told of once.

Before, nothing told the bot that the copy existed: it kept offering its verdict buttons
until pressed.
"""

from __future__ import annotations

import pytest

from tests.bot.conftest import World, restarted
from tests.bot.test_a_request_copy_whose_place_was_never_recorded_follows_its_request import (
    APPROVE,
    ASKING,
    asked_unrecorded,
)
from tests.bot.test_requests_no_longer_waiting import live

pytestmark = pytest.mark.asyncio

DECIDED_BY = {
    "en": "Case #{case}: Thu approved the compensation",
    "vi": "Hồ sơ #{case}: Minh đã duyệt khoản đền bù",
}


@pytest.mark.parametrize("reader", ["en", "vi"])
async def test_a_copy_never_placed_is_told_in_a_message_of_its_own_who_decided(
    world: World, database_url: str, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    case_id, people, copies = await asked_unrecorded(world, monkeypatch)
    decider = "vi" if reader == "en" else "en"
    async with restarted(world, database_url, people["vi"]):
        await people[decider].press(APPROVE[decider], copies[decider])
        await world.work_done()
        world.clock.advance(seconds=world.services.settings.reminders.lease_seconds + 1)
        await world.scheduler.tick()
        told = people[reader].last
        assert told.message_id > copies[reader].message_id  # below the copy: the phone rings
        assert DECIDED_BY[reader].format(case=case_id) in told.plain_text
        assert not live(told)
        await world.scheduler.tick()
        assert people[reader].last.message_id == told.message_id  # told once


@pytest.mark.parametrize("reader", ["en", "vi"])
async def test_a_copy_never_placed_pressed_before_its_hold_ran_out_is_told_of_once(
    world: World, database_url: str, monkeypatch: pytest.MonkeyPatch, reader: str
) -> None:
    _, people, copies = await asked_unrecorded(world, monkeypatch)
    decider = "vi" if reader == "en" else "en"
    async with restarted(world, database_url, people["vi"]):
        await people[decider].press(APPROVE[decider], copies[decider])
        await world.work_done()
        await people[reader].press(APPROVE[reader], copies[reader])
        assert ASKING[reader] not in copies[reader].plain_text
        assert not live(copies[reader])
        before = len(people[reader].messages)
        world.clock.advance(seconds=world.services.settings.reminders.lease_seconds + 1)
        await world.scheduler.tick()
        assert len(people[reader].messages) == before  # redrawn in place: not told again
