"""A case is left unfinished after so many working days, not calendar days.

The days the company is closed — Tết and other closed dates, and closed weekdays (Sunday) —
are nobody's days to carry a case on: a case touched the day before a five-day Tết closure
is not listed on the first morning back, nor one touched on a Thursday on the Monday after;
each is listed once `untouched_days` (3) working days have passed since its last touch.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.bot.conftest import make_world, settings_for
from tests.bot.test_a_case_left_unfinished_is_listed_in_its_owners_digest import mornings_until
from tests.bot.test_reminders import reminder_texts
from tests.bot.walk import case_number
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

#: Tết: closed from Tuesday 24 to Saturday 28 November 2026; Sunday 29 is closed as every
#: Sunday is, so Monday 30 is the first day back.
TET = ["2026-11-24", "2026-11-25", "2026-11-26", "2026-11-27", "2026-11-28"]
HEADING = "Your cases left unfinished"


def morning(day: int, month: int = 11) -> datetime:
    """08:00 in Hồ Chí Minh City (the digest's time) on `day` of 2026."""
    return datetime(2026, month, day, 1, 0, tzinfo=UTC)


async def test_a_case_touched_the_day_before_tet_waits_for_working_days_after_it(
    database_url: str, clock: Clock
) -> None:
    settings = settings_for(database_url, reminders={"digest": True, "closed_dates": TET})
    async for world in make_world(settings, clock):
        lan = world.lan
        await lan.send("/new")  # Monday 23, 09:00: the day before Tết
        left = case_number(lan.last_text)
        for day, month in ((30, 11), (1, 12), (2, 12)):  # back on Monday 30: one, two days
            await mornings_until(world, morning(day, month))
            assert not reminder_texts(lan, HEADING), (day, month)
        await mornings_until(world, morning(3, 12))  # Thursday: three working days passed
        [digest] = reminder_texts(lan, HEADING)
        assert f"#{left} ·" in digest
        assert "unchanged since 2026-11-23 09:00" in digest


async def test_a_closed_sunday_is_not_counted_among_the_days_a_case_stood(
    database_url: str,
) -> None:
    thursday = Clock(datetime(2026, 11, 19, 2, 0, tzinfo=UTC))  # 09:00
    async for world in make_world(
        settings_for(database_url, reminders={"digest": True}), thursday
    ):
        lan = world.lan
        await lan.send("/new")
        left = case_number(lan.last_text)
        await mornings_until(world, morning(23))  # Monday: Friday and Saturday only
        assert not reminder_texts(lan, HEADING)
        await mornings_until(world, morning(24))  # Tuesday: Friday, Saturday and Monday
        [digest] = reminder_texts(lan, HEADING)
        assert f"#{left} ·" in digest
