"""A supervisors' group made a supergroup (Telegram does so when a group grows, or when its
history is opened to newcomers) answers under a new id. An overdue notice sent to the old id
is posted at once under the new one, and the log names the id to set in
`reminders.supervisors_chat_id`. Before, the notice was retried for minutes against the old
id, then said to each supervisor as one the group had refused, and the log never named the
new id."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from tests.bot.conftest import World
from tests.bot.test_reminders import GROUP, TUESDAY_9AM, case_waiting_for_follow_up, group_world

pytestmark = pytest.mark.asyncio

__all__ = ["group_world"]  # the fixture, shared with the reminder tests

THURSDAY_9AM = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Tuesday's follow-up is overdue
SUPERGROUP = -1001234567890


async def test_an_overdue_notice_for_a_group_made_a_supergroup_is_posted_under_its_new_id(
    group_world: World, caplog: pytest.LogCaptureFixture
) -> None:
    world = group_world
    case_id = await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()  # the follow-up is due
    world.clock.now = THURSDAY_9AM
    await world.scheduler.tick()  # overdue: Lan is nudged, the group's notice is planned
    world.api.fail_next("sendMessage", "migrated", migrate_to_chat_id=SUPERGROUP)
    with caplog.at_level(logging.WARNING):
        done = await world.scheduler.tick()
    assert (done.sent, done.failed) == (1, 0), done
    [notice] = world.api.messages(SUPERGROUP)
    assert f"#{case_id}" in notice.plain_text
    assert notice.buttons  # the case can be opened from it, as in any group notice
    assert world.api.messages(GROUP) == []
    assert any(str(SUPERGROUP) in r.getMessage() for r in caplog.records), caplog.records
    await world.scheduler.tick()
    assert not any("supervisors' group" in m.plain_text for m in world.minh.messages)
