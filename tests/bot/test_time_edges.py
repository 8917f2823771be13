"""Moments at the edges of the calendar: nights after a downtime, summer time, year ends."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.config import WEEKDAYS
from tests.bot.conftest import World, make_world, settings_for
from tests.bot.test_decisions import take_over
from tests.bot.test_reminders import case_waiting_for_follow_up, reminder_texts
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import compensate, open_case, walk_to_compensate
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
BERLIN = ZoneInfo("Europe/Berlin")


async def test_a_reminder_due_by_day_found_at_night_after_a_downtime_waits_for_the_morning(
    world: World,
) -> None:
    await case_waiting_for_follow_up(world.lan)  # due Tuesday 09:00 in Saigon
    world.clock.now = datetime(2026, 11, 24, 20, 0, tzinfo=UTC)  # back up at 03:00 Wednesday
    assert (await world.scheduler.tick()).sent == 0
    assert not reminder_texts(world.lan, "Time to follow up")
    world.clock.now = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 08:00
    assert (await world.scheduler.tick()).sent == 1
    assert (await world.scheduler.tick()).sent == 0
    assert len(reminder_texts(world.lan, "Time to follow up")) == 1


async def test_a_reminder_due_just_before_closing_still_goes_when_the_tick_is_a_little_late(
    world: World,
) -> None:
    await case_waiting_for_follow_up(world.lan, "24/11 19:59")
    world.clock.now = datetime(2026, 11, 24, 13, 0, 30, tzinfo=UTC)  # 20:00:30
    assert (await world.scheduler.tick()).sent == 1


async def test_a_digest_planned_late_after_a_downtime_is_not_sent_beside_the_next_mornings(
    digest_world: World,
) -> None:
    world = digest_world
    await case_waiting_for_follow_up(world.lan, "25/11 10:00")
    world.clock.now = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # back up at 21:00 Tuesday
    await world.scheduler.tick()  # plans Tuesday's digest, for when work opens
    await world.scheduler.tick()
    assert not reminder_texts(world.lan, "Good morning")  # not at night
    world.clock.now = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 08:00 Wednesday
    for _ in range(3):
        await world.scheduler.tick()
    [digest] = reminder_texts(world.lan, "Good morning")
    assert "Follow-ups due today (1)" in digest


@pytest.fixture
async def round_the_clock(database_url: str, clock: Clock) -> AsyncIterator[World]:
    every_day = {"opens": "00:00", "closes": "23:59", "days": list(WEEKDAYS)}
    async for world in make_world(settings_for(database_url, reminders=every_day), clock):
        yield world


async def test_a_berlin_follow_up_typed_for_the_hour_summer_time_skips_is_asked_again(
    round_the_clock: World,
) -> None:
    world = round_the_clock
    world.clock.now = datetime(2027, 3, 27, 12, 0, tzinfo=UTC)  # Saturday, 13:00 in Berlin
    case_id = await open_case(world.bernd)
    await walk_to_compensate(world.bernd)
    await compensate(world.bernd)
    await world.bernd.send("28/03 02:30")
    assert "There is no 02:30 on 2027-03-28 (Berlin time)" in world.bernd.messages[-1].plain_text
    assert (await world.case(case_id)).follow_up_due_at is None
    await world.bernd.send("28/03 03:30")
    due = (await world.case(case_id)).follow_up_due_at
    assert due is not None
    assert due.astimezone(BERLIN) == datetime(2027, 3, 28, 3, 30, tzinfo=BERLIN)


async def test_a_customer_since_today_seen_early_in_the_morning_has_no_negative_worth(
    world: World,
) -> None:
    world.clock.now = datetime(2026, 11, 23, 23, 30, tzinfo=UTC)  # 06:30 on the 24th in Saigon
    await add_customer(world, "Trần Minh", since="2026-11-24")
    await open_review(world.lan, "Trần Minh")
    shown = "\n".join(m.plain_text for m in world.lan.messages)
    assert "Customer for less than a year" in shown
    assert "-" not in shown.split("worth", 1)[1].split("\n", 1)[0]  # on the case's first line


async def test_a_follow_up_typed_as_mai_10h_is_tomorrow_at_ten(world: World) -> None:
    case_id = await open_case(world.hoa)  # Monday 09:00 in Saigon
    await walk_to_compensate(world.hoa)
    await compensate(world.hoa)
    await world.hoa.send("mai 10h")
    due = (await world.case(case_id)).follow_up_due_at
    assert due is not None
    assert due.astimezone(SAIGON) == datetime(2026, 11, 24, 10, 0, tzinfo=SAIGON)


async def test_on_a_closed_date_nobody_gets_a_digest_and_a_follow_up_waits_for_the_next_day(
    database_url: str, clock: Clock
) -> None:
    holiday = {"digest": True, "closed_dates": ["2026-11-24"]}
    async for world in make_world(settings_for(database_url, reminders=holiday), clock):
        case_id = await case_waiting_for_follow_up(world.lan)  # tomorrow: a closed Tuesday
        due = (await world.case(case_id)).follow_up_due_at
        assert due is not None
        assert due.astimezone(SAIGON) == datetime(2026, 11, 25, 9, 0, tzinfo=SAIGON)
        world.clock.now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # Tuesday 09:00
        await world.scheduler.tick()
        await world.scheduler.tick()
        assert not reminder_texts(world.lan, "Good morning")
        assert not reminder_texts(world.lan, "Time to follow up")
        world.clock.now = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # Wednesday 09:00
        for _ in range(3):
            await world.scheduler.tick()
        assert len(reminder_texts(world.lan, "Time to follow up")) == 1
        assert len(reminder_texts(world.lan, "Good morning")) == 1


async def test_a_supervisor_setting_a_wait_on_a_berlin_review_plans_it_on_the_owners_calendar(
    world: World,
) -> None:
    world.clock.now = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 15:00 in Berlin
    await add_customer(world, "Trần Minh")
    case_id = await open_review(world.bernd, "Trần Minh")
    await world.bernd.send("Asked what changed for them")
    await take_over(world.minh, case_id)
    await world.minh.press("Wait and see")
    await world.minh.send("24/11 19:00")  # Bernd's 19:00, past midnight in Saigon
    [check] = [r for r in await world.reminders() if r.kind == "ladder_check"]
    assert check.due_at.astimezone(BERLIN) == datetime(2026, 11, 24, 19, 0, tzinfo=BERLIN)


GROUP = -100123


async def test_a_notice_for_the_supervisors_group_found_at_night_waits_for_the_morning(
    database_url: str, clock: Clock
) -> None:
    settings = settings_for(database_url, reminders={"supervisors_chat_id": GROUP})
    async for world in make_world(settings, clock):
        await case_waiting_for_follow_up(world.lan)
        world.clock.now = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
        await world.scheduler.tick()  # the follow-up
        world.clock.now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
        await world.scheduler.tick()  # overdue: the owner's nudge; the group's notice queued
        assert not world.api.messages(GROUP)
        world.clock.now = datetime(2026, 11, 26, 16, 0, tzinfo=UTC)  # back up at 23:00
        await world.scheduler.tick()
        assert not any("Quá hạn theo dõi" in m.plain_text for m in world.api.messages(GROUP))
        world.clock.now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 08:00
        await world.scheduler.tick()
        await world.scheduler.tick()
        notices = [m for m in world.api.messages(GROUP) if "Quá hạn theo dõi" in m.plain_text]
        assert len(notices) == 1


@pytest.mark.parametrize(
    ("who", "said"),
    [
        ("lan", "the same time on the next working day"),
        ("hoa", "cùng giờ vào ngày làm việc kế tiếp"),
    ],
)
async def test_a_follow_up_agreed_for_a_sunday_keeps_its_hour_on_monday_and_says_so(
    world: World, who: str, said: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)  # Monday 23 November, 09:00 in Saigon
    await walk_to_compensate(person)
    await compensate(person)
    await person.send("29/11 10:00")  # a Sunday
    due = (await world.case(case_id)).follow_up_due_at
    assert due is not None
    assert due.astimezone(SAIGON) == datetime(2026, 11, 30, 10, 0, tzinfo=SAIGON)
    told = "\n".join(m.plain_text for m in person.messages[-3:])
    assert said in told
    assert "when work next begins" not in told
    assert "đầu giờ làm việc" not in told
