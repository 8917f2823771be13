"""Buttons pressed in the supervisors' group answer privately: no customer data in the group."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.bot.conftest import World
from tests.bot.test_reminders import GROUP, TUESDAY_9AM, case_waiting_for_follow_up, group_world

pytestmark = pytest.mark.asyncio

__all__ = ["group_world"]  # the fixture, shared with the reminder tests


async def overdue_notice_in_the_group(world: World) -> int:
    case_id = await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    world.clock.now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    await world.scheduler.tick()
    await world.scheduler.tick()
    return case_id


@pytest.mark.parametrize("button", ["Xem lịch sử", "Xem hồ sơ"])
async def test_a_button_pressed_in_the_group_answers_in_the_private_chat(
    group_world: World, button: str
) -> None:
    world = group_world
    case_id = await overdue_notice_in_the_group(world)
    [notice] = [m for m in world.api.messages(GROUP) if m.buttons]
    in_group = len(world.api.messages(GROUP))
    before = len(world.minh.messages)
    await world.minh.press(button, notice)
    assert len(world.api.messages(GROUP)) == in_group  # nothing new in the group
    assert world.api.find_message(GROUP, notice.message_id) == notice  # nor changed there
    assert len(world.minh.messages) > before
    assert f"#{case_id}" in world.minh.last_text
    assert "private chat" in world.api.answers[-1]["text"]


async def test_someone_with_no_private_chat_is_asked_to_open_one_and_sees_nothing(
    group_world: World,
) -> None:
    world = group_world
    await overdue_notice_in_the_group(world)
    [notice] = [m for m in world.api.messages(GROUP) if m.buttons]
    in_group = len(world.api.messages(GROUP))
    world.api.fail_next("sendMessage", "forbidden", times=3)
    await world.minh.press("Xem lịch sử", notice)
    assert len(world.api.messages(GROUP)) == in_group
    answer = world.api.answers[-1]
    assert "Open a chat with me" in answer["text"]
    assert answer.get("show_alert")
