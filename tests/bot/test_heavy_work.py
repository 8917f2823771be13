"""Reports and exports run off the staff's lane, from rows that survive a crash.

On SQLite one chat is served at a time: a minute-long export inside an update would freeze
every member of staff. `/export` now only queues its work; the runner works it out in a task
of its own, renews its lease while it does, and a request caught by a crash is done after.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

import bot.report_commands
from bot.heavy import HeavyWork
from flows.model import ReminderStatus
from tests.bot.conftest import World
from tests.bot.walk import case_number

pytestmark = pytest.mark.asyncio


@pytest.fixture
async def slow_export(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[asyncio.Event]:
    """Exports wait until the test lets them go on."""
    go_on = asyncio.Event()
    real = bot.report_commands.export_all

    async def waiting(*args: Any, **kwargs: Any) -> dict[str, int]:
        await go_on.wait()
        return await real(*args, **kwargs)

    monkeypatch.setattr(bot.report_commands, "export_all", waiting)
    yield go_on
    go_on.set()


def documents(world: World) -> list[str]:
    return [str(m.filename) for m in world.minh.messages if m.kind == "document"]


async def test_staff_are_served_while_a_long_export_is_being_prepared(
    world: World, slow_export: asyncio.Event
) -> None:
    await world.minh.send("/export week")
    assert "Preparing the CSV files" in world.minh.last_text
    # The export is still running; on SQLite (one chat at a time) Lan is answered anyway.
    await asyncio.wait_for(world.lan.send("/new"), timeout=5)
    assert case_number(world.lan.last_text) == 1
    assert documents(world) == []
    slow_export.set()
    await world.work_done()
    assert len(documents(world)) == 3


async def test_an_export_queued_before_a_crash_is_sent_after_the_restart(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(HeavyWork, "kick", lambda self: None)  # the process died at once
    await world.minh.send("/export week")
    [queued] = [r for r in await world.reminders() if r.kind == "export"]
    assert queued.status == ReminderStatus.pending
    restarted = HeavyWork(world.app.bot, world.services)
    assert await restarted.run_due() == 1
    assert len(documents(world)) == 3
    [done] = [r for r in await world.reminders() if r.kind == "export"]
    assert done.status == ReminderStatus.sent


async def test_an_export_cut_off_by_a_crash_is_worked_out_again_once_its_lease_runs_out(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(HeavyWork, "kick", lambda self: None)
    await world.minh.send("/export week")
    crashed = HeavyWork(world.app.bot, world.services)
    assert await crashed._claim() is not None  # claimed, then the process died
    assert await HeavyWork(world.app.bot, world.services).run_due() == 0  # still leased
    world.clock.advance(seconds=crashed.lease.total_seconds() + 1)
    assert await HeavyWork(world.app.bot, world.services).run_due() == 1
    assert len(documents(world)) == 3


async def test_a_long_export_keeps_its_lease_so_no_other_instance_takes_it_over(
    world: World, slow_export: asyncio.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner: HeavyWork = world.app.bot_data.heavy
    runner.lease = timedelta(seconds=0.3)  # renewed every 0.1 s while the export runs
    await world.minh.send("/export week")
    world.clock.advance(seconds=60)  # far past the lease it was claimed with
    await asyncio.sleep(0.25)
    other = HeavyWork(world.app.bot, world.services)
    assert await other.run_due() == 0
    slow_export.set()
    await world.work_done()
    assert len(documents(world)) == 3


async def test_a_report_for_someone_who_left_meanwhile_is_dropped(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from storage.uow import SqlUnitOfWork

    monkeypatch.setattr(HeavyWork, "kick", lambda self: None)
    await world.minh.send("/report week")
    async with SqlUnitOfWork(world.services.sessions) as uow:
        minh = await uow.staff.by_telegram_id(world.minh.telegram_id)
        assert minh is not None
        minh.active = False
        await uow.commit()
    before = len(world.minh.messages)
    assert await HeavyWork(world.app.bot, world.services).run_due() == 1
    assert len(world.minh.messages) == before
    [job] = [r for r in await world.reminders() if r.kind == "report"]
    assert job.status == ReminderStatus.dropped
