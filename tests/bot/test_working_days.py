"""Every date the bot schedules lands in working hours: waits, follow-ups, notice dates."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.procedures.review import Rung
from tests.bot.conftest import World
from tests.bot.test_decisions import take_over
from tests.bot.test_people_lifecycle import deactivate
from tests.bot.test_reminders import case_waiting_for_follow_up, reminder_texts
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.bot.walk import (
    at_the_promised_fix_question,
    choose,
    compensate,
    open_case,
    walk_to_compensate,
)

pytestmark = pytest.mark.asyncio

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
FRIDAY_9AM = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # in a month is Sunday 27 December


async def test_wait_and_see_in_a_month_never_lands_on_a_closed_day(world: World) -> None:
    world.clock.now = FRIDAY_9AM
    await add_customer(world, "Trần Minh")
    case_id = await open_review(world.lan, "Trần Minh")
    await world.lan.send("Asked what changed for them")
    await world.lan.press("Wait and see")
    await world.lan.press("In a month")
    case = await world.case(case_id)
    assert case.state == Rung.reassess
    [check] = [r for r in await world.reminders() if r.kind == "ladder_check"]
    due = check.due_at.astimezone(SAIGON)
    assert (due.date().isoformat(), due.hour) == ("2026-12-28", 9)  # Monday, same hour
    wait = [e for e in await world.events(case_id) if e.kind == "wait"][-1]
    assert datetime.fromisoformat(wait.data["wait_until"]).astimezone(SAIGON).weekday() == 0


async def test_a_follow_up_tomorrow_from_a_saturday_is_on_monday(world: World) -> None:
    world.clock.now = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)  # Saturday 09:00
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan)
    await world.lan.press("Tomorrow")
    due = (await world.case(case_id)).follow_up_due_at
    assert due is not None
    assert due.astimezone(SAIGON) == datetime(2026, 11, 30, 9, 0, tzinfo=SAIGON)


async def test_a_notice_date_on_a_sunday_is_brought_forward_to_saturday(world: World) -> None:
    await add_customer(world, "Công ty Hòa Bình", "business")
    case_id = await open_review(world.lan, "Công ty Hòa Bình")
    await climb_to_decision(world.lan)
    await world.minh.press("Approve")
    await world.lan.press("Open case")
    await world.lan.send("27/03/2027")  # three months before is Sunday 27 December
    assert "2026-12-26" in world.lan.last_text.split("\n\nCase #")[0]  # the step's log line
    [notice] = [r for r in await world.reminders() if r.kind == "termination_notice"]
    assert notice.case_id == case_id
    due = notice.due_at.astimezone(SAIGON)
    assert (due.date().isoformat(), due.hour) == ("2026-12-26", 9)


async def test_a_berlin_colleagues_overdue_follow_up_reaches_a_saigon_supervisor_by_day(
    world: World,
) -> None:
    await case_waiting_for_follow_up(world.bernd, "24/11 19:00")  # Bernd works in Berlin
    world.clock.now = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # 19:00 in Berlin
    await world.scheduler.tick()
    world.clock.now = datetime(2026, 11, 26, 18, 0, tzinfo=UTC)  # Fri 01:00 in Saigon
    await world.scheduler.tick()
    await world.scheduler.tick()
    assert not reminder_texts(world.minh, "Overdue follow-up")  # not in the night
    world.clock.now = datetime(2026, 11, 27, 0, 30, tzinfo=UTC)  # Fri 07:30 in Saigon
    await world.scheduler.tick()
    assert not reminder_texts(world.minh, "Overdue follow-up")
    world.clock.now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)  # 08:00: work opens
    await world.scheduler.tick()
    assert reminder_texts(world.minh, "Overdue follow-up")


async def test_a_departed_colleagues_follow_up_handed_over_waits_for_the_supervisors_day(
    world: World,
) -> None:
    await case_waiting_for_follow_up(world.bernd, "24/11 19:00")
    await deactivate(world, world.bernd)
    world.clock.now = datetime(2026, 11, 24, 18, 0, tzinfo=UTC)  # Wed 01:00 in Saigon
    await world.scheduler.tick()
    await world.scheduler.tick()
    assert not reminder_texts(world.minh, "Time to follow up")
    world.clock.now = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)  # Wed 09:00 in Saigon
    await world.scheduler.tick()
    assert reminder_texts(world.minh, "Time to follow up")


#: What a person is asked when a time typed for the customer had to move.
TELL = {"lan": "tell them the new time", "hoa": "hãy báo khách giờ mới"}


@pytest.mark.parametrize(
    ("who", "said"), [("lan", "outside working hours"), ("hoa", "ngoài giờ làm việc")]
)
async def test_a_follow_up_typed_for_the_evening_is_moved_and_the_person_is_told(
    world: World, who: str, said: str
) -> None:
    world.clock.now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # Monday 10:00 in Saigon
    person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person)
    await person.send("23/11 22:00")  # what the customer asked for
    due = (await world.case(case_id)).follow_up_due_at
    assert due is not None
    assert due.astimezone(SAIGON) == datetime(2026, 11, 24, 8, 0, tzinfo=SAIGON)
    told = "\n".join(m.plain_text for m in person.messages[-3:])
    assert said in told
    assert "22:00" in told  # the time agreed, so they can tell the customer the new one
    assert TELL[who] in told


async def test_a_quick_time_that_had_to_move_says_so_and_one_inside_hours_says_nothing(
    world: World,
) -> None:
    world.clock.now = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)  # Monday 19:00 in Saigon
    case_id = await open_case(world.lan)
    await at_the_promised_fix_question(world.lan)
    await world.lan.press("In 2 hours")  # 21:00: after closing (20:00)
    promised = (await world.case(case_id)).promised_fix_at
    assert promised is not None
    assert promised.astimezone(SAIGON) == datetime(2026, 11, 24, 8, 0, tzinfo=SAIGON)
    moved = "\n".join(m.plain_text for m in world.lan.messages[-3:])
    assert "outside working hours" in moved
    assert "with the customer" not in moved  # a button was pressed: nobody was told 21:00
    other = await open_case(world.lan, "Trần Văn Bình")
    await walk_to_compensate(world.lan)
    await compensate(world.lan)
    before = len(world.lan.messages)
    await world.lan.press("Tomorrow")  # 09:00 tomorrow: inside working hours
    assert (await world.case(other)).follow_up_due_at is not None
    shown = world.lan.messages[before - 1 :]  # the card edited in place, and anything new
    assert "outside working hours" not in "\n".join(m.plain_text for m in shown)


BERLIN = ZoneInfo("Europe/Berlin")


async def minh_at_bernds_promised_fix(world: World) -> int:
    """Minh (Saigon, 21:00) takes over Bernd's case (Berlin, 15:00) at its promised-fix
    question; return the case."""
    world.clock.now = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)
    case_id = await open_case(world.bernd)
    await at_the_promised_fix_question(world.bernd)
    await take_over(world.minh, case_id)
    return case_id


async def test_a_supervisor_in_another_zone_reads_the_cards_times_on_the_owners_calendar(
    world: World,
) -> None:
    case_id = await minh_at_bernds_promised_fix(world)
    await choose(world.minh, "today_end")  # "By 17:00 today", as the card offers it
    promised = (await world.case(case_id)).promised_fix_at
    assert promised is not None
    assert promised.astimezone(BERLIN).hour == 17  # Bernd's 17:00


async def test_a_moved_time_is_quoted_on_the_calendar_it_was_read_on_naming_it(
    world: World,
) -> None:
    case_id = await minh_at_bernds_promised_fix(world)
    before = len(world.minh.messages)
    await world.minh.send("24/11 22:00")  # read on Bernd's calendar: 22:00 in Berlin
    told = "\n".join(m.plain_text for m in world.minh.messages[before - 1 :])
    assert "2026-11-24 22:00 (Berlin time) is outside working hours" in told
    promised = (await world.case(case_id)).promised_fix_at
    assert promised is not None
    assert promised.astimezone(BERLIN).hour == 8
