"""A notice the supervisors' group could not take says it was the group, never "to ?".

Overdue notices go to the supervisors' group when one is configured. If Telegram refuses one
there (the bot was removed from the group, or may not post in it), each supervisor is told
privately, in their language, that it could not be posted in the group and why, with the
case below — not that it could not be delivered to "?", who should be called.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.bot.conftest import World, registered_thao
from tests.bot.test_reminders import TUESDAY_9AM, case_waiting_for_follow_up, group_world

pytestmark = pytest.mark.asyncio

__all__ = ["group_world"]  # the fixture, shared with the reminder tests

THURSDAY_9AM = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # Tuesday's follow-up is overdue

TOLD = {
    "en": "could not be posted in the supervisors' group: {reason}. The case is below.",
    "vi": "vào nhóm quản lý: {reason}. Hồ sơ liên quan ở bên dưới.",
}
REASON = {
    "forbidden": {
        "en": "the bot is no longer in the group, or may not post there",
        "vi": "bot không còn trong nhóm, hoặc không được phép gửi tin vào nhóm",
    },
    "bad_request": {"en": "Telegram refused the message", "vi": "Telegram từ chối tin nhắn"},
}


@pytest.mark.parametrize("fault", list(REASON))
async def test_an_overdue_notice_the_group_refused_is_said_as_the_groups_to_each_supervisor(
    group_world: World, fault: str
) -> None:
    world = group_world
    thao = await registered_thao(world)
    case_id = await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()  # the follow-up is due
    world.clock.now = THURSDAY_9AM
    await world.scheduler.tick()  # overdue: Lan is nudged, the group's notice is planned
    world.api.fail_next("sendMessage", fault)
    assert (await world.scheduler.tick()).failed == 1  # the group's notice
    await world.scheduler.tick()  # each supervisor is told
    for supervisor in (world.minh, thao):
        language = supervisor.language_code or "en"
        told = TOLD[language].format(reason=REASON[fault][language])
        [notice] = [m for m in supervisor.messages if told in m.plain_text]
        assert "?" not in notice.plain_text.split("\n")[0]
        assert f"#{case_id}" in notice.plain_text
