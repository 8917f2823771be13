"""Follow-up reminders: on time, within working hours, once, through restarts and faults.

The clock is moved by hand and the scheduler ticked directly; nothing sleeps.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.app import build_application, offline
from bot.scheduler import Scheduler
from flows.model import Reminder, ReminderStatus
from flows.procedures.complaint import Step
from flows.reminding import Reminding
from standin.inprocess import Person
from tests.bot.conftest import World, make_world, settings_for
from tests.bot.walk import (
    asking_approval,
    at_the_promised_fix_question,
    choose,
    compensate,
    label,
    open_case,
    walk_to_compensate,
)
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

TUESDAY_9AM = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 09:00 in Ho Chi Minh City


async def case_waiting_for_follow_up(person: Person, when: str = "Tomorrow") -> int:
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person, "Voucher", "200k")
    if when in ("Tomorrow", "In 3 days", "In a week"):
        await person.press(label(person, when))
    else:
        await person.send(when)
    return case_id


def reminder_texts(person: Person, phrase: str) -> list[str]:
    return [m.plain_text for m in person.messages if phrase in m.plain_text]


async def test_a_follow_up_reminder_reaches_the_owner_when_due_and_only_once(
    world: World,
) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    scheduler = world.scheduler
    assert (await scheduler.tick()).sent == 0  # not due yet
    world.clock.now = TUESDAY_9AM
    assert (await scheduler.tick()).sent == 1
    assert (await scheduler.tick()).sent == 0
    [text] = reminder_texts(world.lan, "Time to follow up")
    assert f"case #{case_id}" in text
    assert "Nguyễn Thị Hương" in text
    assert "Giao hàng trễ 3 ngày" in text
    assert "Re-delivered by our own van" in text  # what was fixed
    assert "Voucher 200,000 VND" in text  # what compensation was given
    assert world.lan.buttons[:4] == [
        "😊 Satisfied",
        "😞 Still unhappy",
        "📵 In 1 hour",
        "📵 Tomorrow",
    ]
    assert "Hello Hương. This is Lan from customer care" in text  # the call's script


async def test_satisfied_in_the_reminder_closes_the_case_as_the_flow_does(world: World) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    await world.lan.press("Satisfied")
    case = await world.case(case_id)
    assert (case.state, case.resolution) == (Step.closed, "resolved")
    assert (await world.events(case_id))[-1].kind == "satisfied"


async def test_no_answer_sets_a_new_follow_up_and_reminds_again_an_hour_later(
    world: World,
) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    await world.lan.press("in 1 hour")
    case = await world.case(case_id)
    assert case.state == Step.awaiting_follow_up
    assert case.follow_up_due_at == TUESDAY_9AM + timedelta(hours=1)
    world.clock.advance(minutes=59)
    assert (await world.scheduler.tick()).sent == 0
    world.clock.advance(minutes=1)
    assert (await world.scheduler.tick()).sent == 1
    assert len(reminder_texts(world.lan, "Time to follow up")) == 2


async def test_a_follow_up_set_again_for_the_same_time_is_reminded_once(world: World) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    await world.lan.press("Back a step")
    await world.lan.press("Tomorrow")  # the same time, agreed again: a new wait
    assert (await world.case(case_id)).state == Step.awaiting_follow_up
    world.clock.now = TUESDAY_9AM
    assert (await world.scheduler.tick()).sent == 1
    await world.lan.press("Satisfied")
    assert (await world.case(case_id)).state == Step.closed


async def test_a_reminder_for_a_case_that_moved_on_is_dropped_silently(world: World) -> None:
    await case_waiting_for_follow_up(world.lan)
    await world.lan.press("Satisfied")  # recorded before the reminder fell due
    world.clock.now = TUESDAY_9AM
    report = await world.scheduler.tick()
    assert (report.sent, report.dropped) == (0, 1)
    assert reminder_texts(world.lan, "Time to follow up") == []


async def test_a_fix_promised_in_progress_is_checked_at_the_promised_time(world: World) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Calm")
    await world.lan.press("Skip")
    await world.lan.send("Replacement ordered from the warehouse")
    await world.lan.press("In progress")
    await world.lan.press("In 2 hours")
    world.clock.advance(hours=2)
    await world.scheduler.tick()
    [text] = reminder_texts(world.lan, "Is the fix done?")
    assert "Replacement ordered from the warehouse" in text
    await world.lan.press("Done")
    assert (await world.case(case_id)).promised_fix_at is None
    assert (await world.events(case_id))[-1].kind == "fix_done"


async def test_a_promised_fix_reminder_from_before_a_reopen_leaves_the_new_promise_alone(
    world: World,
) -> None:
    case_id = await promised_fix(world.lan)
    world.clock.advance(hours=2)
    await world.scheduler.tick()
    first = world.api.last_with_buttons(world.lan.chat_id)  # the first promise's reminder
    assert first is not None
    answers = [first.find_button(name).callback_data for name in ("Done", "In 2 hours")]
    await world.lan.send("She needed the cake for her son's birthday")
    await compensate(world.lan)
    await choose(world.lan, "tomorrow")
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    await world.lan.press("Still unhappy")  # reopened: the fix step again
    await world.lan.send("A second replacement is on its way")
    await choose(world.lan, "in_progress")
    await choose(world.lan, "in_2h")
    promised = (await world.case(case_id)).promised_fix_at
    # Its answers went with the promise they were about; a client that kept them sends them.
    assert first.button_labels == ["📂 Open case", "🕓 See the timeline"]
    for answer in answers:
        await world.lan.press_data(str(answer), first.message_id)
        assert "out of date" in world.api.answers[-1]["text"]
        assert (await world.case(case_id)).promised_fix_at == promised
    assert "Step 3 of 5" in world.lan.last_text  # where the case stands, drawn again
    assert (await world.events(case_id))[-1].kind == "fixed"


async def promised_fix(person: Person) -> int:
    """A case whose fix is in progress, promised in two hours; the card then asks what
    mattered to the customer."""
    case_id = await open_case(person)
    await at_the_promised_fix_question(person)
    await choose(person, "in_2h")
    return case_id


FIX_ASKED = {"en": "Is the fix done?", "vi": "Đã khắc phục xong chưa?"}
FIX_ANSWERS = {
    "en": {"done": "Done", "in_2h": "In 2 hours", "tomorrow": "Tomorrow"},
    "vi": {"done": "Đã xong", "in_2h": "2 giờ nữa", "tomorrow": "Ngày mai"},
}
FIX_NOTED = {"en": "Noted: the fix for case #{case}", "vi": "việc khắc phục cho hồ sơ #{case}"}


@pytest.mark.parametrize("answer", ["done", "in_2h", "tomorrow"])
@pytest.mark.parametrize("language", ["en", "vi"])
async def test_each_answer_to_a_promised_fix_reminder_is_recorded_in_either_language(
    world: World, language: str, answer: str
) -> None:
    person = world.lan if language == "en" else world.hoa
    case_id = await promised_fix(person)
    world.clock.advance(hours=2)
    assert (await world.scheduler.tick()).sent == 1
    assert len(reminder_texts(person, FIX_ASKED[language])) == 1
    await person.press(FIX_ANSWERS[language][answer])
    case, [*_, last] = await world.case(case_id), await world.events(case_id)
    assert FIX_NOTED[language].format(case=case_id) in person.last_text
    if answer == "done":
        assert (case.promised_fix_at, last.kind) == (None, "fix_done")
        return
    assert last.kind == "fix_rescheduled"
    assert case.promised_fix_at is not None
    world.clock.now = case.promised_fix_at
    assert (await world.scheduler.tick()).sent == 1  # asked again at the new time
    assert len(reminder_texts(person, FIX_ASKED[language])) == 2


async def test_a_reminder_due_at_night_arrives_when_work_opens_next(world: World) -> None:
    await case_waiting_for_follow_up(world.lan, "24/11 22:00")
    world.clock.now = datetime(2026, 11, 24, 15, 30, tzinfo=UTC)  # 22:30 local
    assert (await world.scheduler.tick()).sent == 0
    world.clock.now = datetime(2026, 11, 25, 0, 59, tzinfo=UTC)  # 07:59 local
    assert (await world.scheduler.tick()).sent == 0
    world.clock.now = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 08:00 local
    assert (await world.scheduler.tick()).sent == 1


async def test_a_saturday_evening_reminder_waits_until_monday_morning(world: World) -> None:
    await case_waiting_for_follow_up(world.lan, "28/11 20:30")
    world.clock.now = datetime(2026, 11, 29, 5, 0, tzinfo=UTC)  # Sunday noon
    assert (await world.scheduler.tick()).sent == 0
    world.clock.now = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 08:00
    assert (await world.scheduler.tick()).sent == 1


async def test_reminders_held_through_a_downtime_arrive_in_the_order_they_fell_due(
    world: World,
) -> None:
    # Saturday evening, before closing: planned first but due later, then planned second
    # but due earlier. The bot is down until Sunday; both wait for Monday's opening.
    later = await case_waiting_for_follow_up(world.lan, "28/11 19:00")
    earlier = await case_waiting_for_follow_up(world.lan, "28/11 18:00")
    world.clock.now = datetime(2026, 11, 29, 5, 0, tzinfo=UTC)  # Sunday noon
    assert (await world.scheduler.tick()).sent == 0
    world.clock.now = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # Monday 08:00
    assert (await world.scheduler.tick()).sent == 2
    reminded = reminder_texts(world.lan, "Time to follow up")
    assert [f"#{earlier} " in reminded[0], f"#{later} " in reminded[1]] == [True, True]


async def test_each_staff_member_is_reminded_within_their_own_working_hours(
    world: World,
) -> None:
    # Each types a time in their own zone: 06:00 in Berlin is before Bernd's day starts.
    await case_waiting_for_follow_up(world.bernd, "24/11 06:00")
    await case_waiting_for_follow_up(world.lan, "24/11 09:00")
    world.clock.now = TUESDAY_9AM
    assert (await world.scheduler.tick()).sent == 1
    assert reminder_texts(world.lan, "Time to follow up")
    assert not reminder_texts(world.bernd, "Time to follow up")
    world.clock.now = datetime(2026, 11, 24, 7, 0, tzinfo=UTC)  # 08:00 in Berlin
    assert (await world.scheduler.tick()).sent == 1
    assert reminder_texts(world.bernd, "Time to follow up")


async def test_reminders_survive_a_restart_and_are_delivered_exactly_once(
    world: World, database_url: str
) -> None:
    await case_waiting_for_follow_up(world.lan)
    await case_waiting_for_follow_up(world.hoa, "25/11 10:00")
    world.clock.now = datetime(2026, 11, 25, 4, 0, tzinfo=UTC)
    fresh = build_application(settings_for(database_url), request=world.api, clock=world.clock)
    async with offline(fresh) as services:
        scheduler = Scheduler(fresh.bot, services)
        assert (await scheduler.tick()).sent == 2
        assert (await scheduler.tick()).sent == 0
    assert len(reminder_texts(world.lan, "Time to follow up")) == 1
    assert len(reminder_texts(world.hoa, "Đến giờ theo dõi")) == 1


async def test_a_claim_whose_process_died_is_taken_over_when_its_lease_runs_out(
    world: World,
) -> None:
    await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    from storage.uow import SqlUnitOfWork

    async with SqlUnitOfWork(world.services.sessions) as uow:  # a process claims, then dies
        claimed = await uow.reminders.claim_due(world.clock(), 10, timedelta(seconds=120))
        await uow.commit()
    assert len(claimed) == 1
    assert (await world.scheduler.tick()).claimed == 0  # the lease still holds
    world.clock.advance(seconds=121)
    assert (await world.scheduler.tick()).sent == 1
    assert len(reminder_texts(world.lan, "Time to follow up")) == 1


async def test_an_overdue_follow_up_nudges_the_owner_and_tells_supervisors(
    world: World,
) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    world.clock.now = datetime(2026, 11, 26, 1, 59, tzinfo=UTC)  # 23 working hours later
    assert (await world.scheduler.tick()).sent == 0
    world.clock.now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)  # 24 working hours
    await world.scheduler.tick()  # the owner's nudge; it queues the supervisors' notices
    await world.scheduler.tick()
    assert reminder_texts(world.lan, "Follow-up overdue")
    [notice] = reminder_texts(world.minh, "Overdue follow-up")
    assert "handled by Lan" in notice
    case = await world.case(case_id)
    assert case.overdue_since is not None
    assert (await world.events(case_id))[-1].kind == "overdue"
    await world.scheduler.tick()
    assert len(reminder_texts(world.minh, "Overdue follow-up")) == 1


GROUP = -100123


@pytest.fixture
async def group_world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    settings = settings_for(database_url, reminders={"supervisors_chat_id": GROUP})
    async for world in make_world(settings, clock):
        yield world


async def test_overdue_notices_go_to_the_supervisors_group_when_one_is_configured(
    group_world: World,
) -> None:
    world = group_world
    await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    world.clock.now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    await world.scheduler.tick()
    await world.scheduler.tick()
    # A group has no personal language: it reads the default one (Vietnamese).
    assert any("Quá hạn theo dõi" in m.plain_text for m in world.api.messages(GROUP))
    assert not reminder_texts(world.minh, "Overdue follow-up")


async def test_an_undecided_approval_reminds_the_supervisors(world: World) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Refund", "3tr")
    world.clock.advance(hours=3, minutes=59)
    assert (await world.scheduler.tick()).sent == 0
    world.clock.advance(minutes=1)
    assert (await world.scheduler.tick()).sent == 1
    [text] = reminder_texts(world.minh, "Still waiting for a decision")
    assert f"case #{case_id}" in text
    await world.minh.press("Approve")
    assert (await world.case(case_id)).state == Step.follow_up


async def test_the_daily_digest_goes_only_to_people_with_something_due(
    digest_world: World,
) -> None:
    world = digest_world
    world.clock.now = datetime(2026, 11, 23, 0, 30, tzinfo=UTC)  # Monday 07:30
    await case_waiting_for_follow_up(world.lan, "24/11 10:00")
    world.clock.now = datetime(2026, 11, 24, 0, 59, tzinfo=UTC)  # 07:59 on Tuesday
    await world.scheduler.tick()
    assert not reminder_texts(world.lan, "Good morning")
    world.clock.now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 08:00
    await world.scheduler.tick()  # plans the digest and fans it out
    await world.scheduler.tick()  # delivers each person's digest
    [staff_digest] = reminder_texts(world.lan, "Good morning")
    assert "Follow-ups due today (1)" in staff_digest
    [supervisor_digest] = reminder_texts(world.minh, "Good morning")
    assert "Open cases by step" in supervisor_digest
    assert not reminder_texts(world.hoa, "Chào buổi sáng")  # nothing due for Hòa
    await world.scheduler.tick()
    assert len(reminder_texts(world.lan, "Good morning")) == 1


async def test_an_overdue_follow_up_is_listed_in_the_digest_once_as_overdue_not_as_due_today(
    digest_world: World,
) -> None:
    world = digest_world
    lans = await case_waiting_for_follow_up(world.lan)  # due Tuesday 09:00
    hoas = await case_waiting_for_follow_up(world.hoa)
    for day in range(24, 28):  # overdue on Thursday; the digests of each morning until Friday
        world.clock.now = datetime(2026, 11, day, 1, 0, tzinfo=UTC)
        while (await world.scheduler.tick()).claimed:
            pass
    friday = [person.messages[-1].plain_text for person in (world.minh, world.lan, world.hoa)]
    assert all(text.startswith(("☀️ Good morning", "☀️ Chào buổi sáng")) for text in friday)
    minhs, lans_digest, hoas_digest = friday
    assert "Overdue follow-ups (2)" in minhs
    assert "Follow-ups due today" not in minhs
    assert minhs.count(f"#{lans} ·") == minhs.count(f"#{hoas} ·") == 1
    assert world.minh.buttons == [f"#{lans} · Nguyễn Thị Hương", f"#{hoas} · Nguyễn Thị Hương"]
    assert "Overdue follow-ups (1)" in lans_digest  # her own, said as it is
    assert "Follow-ups due today" not in lans_digest
    assert "Quá hạn theo dõi (1)" in hoas_digest
    assert "Cần theo dõi hôm nay" not in hoas_digest


async def test_telegrams_flood_limit_is_honoured_and_the_reminder_sent_after_it(
    world: World,
) -> None:
    await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    world.api.fail_next("sendMessage", "retry_after", retry_after=30)
    report = await world.scheduler.tick()
    assert (report.sent, report.retried) == (0, 1)
    world.clock.advance(seconds=29)
    assert (await world.scheduler.tick()).claimed == 0
    world.clock.advance(seconds=1)
    assert (await world.scheduler.tick()).sent == 1
    assert len(reminder_texts(world.lan, "Time to follow up")) == 1


async def test_server_errors_are_retried_with_backoff_then_supervisors_are_told(
    world: World,
) -> None:
    await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    attempts = world.services.settings.reminders.max_attempts
    world.api.fail_next("sendMessage", "server", times=attempts)
    retried = 0
    for _ in range(attempts):
        report = await world.scheduler.tick()
        retried += report.retried
        world.clock.advance(hours=1)
    assert retried == attempts - 1
    assert any(r.status == ReminderStatus.failed for r in await world.reminders())
    await world.scheduler.tick()
    [problem] = reminder_texts(world.minh, "could not be delivered")
    assert "to Lan: Telegram kept failing." in problem  # in words, not an exception's name


async def test_a_network_error_is_retried_and_delivered_once(world: World) -> None:
    await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    world.api.fail_next("sendMessage", "network")
    assert (await world.scheduler.tick()).retried == 1
    world.clock.advance(seconds=30)
    assert (await world.scheduler.tick()).sent == 1
    assert len(reminder_texts(world.lan, "Time to follow up")) == 1


async def test_staff_who_blocked_the_bot_are_marked_unreachable_and_supervisors_told(
    world: World,
) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    world.api.fail_next("sendMessage", "forbidden")
    assert (await world.scheduler.tick()).failed == 1
    await world.scheduler.tick()
    [told] = reminder_texts(world.minh, "could not be delivered to Lan")
    assert "to Lan: they have blocked the bot. Please tell them directly" in told
    assert "blocked:" not in told
    assert f"Case #{case_id} · Nguyễn Thị Hương" in told  # which case, to act on it
    notice = world.api.last_with_buttons(world.minh.chat_id)
    assert notice is not None
    await world.minh.press("Open case", notice)
    from storage.uow import SqlUnitOfWork

    async with SqlUnitOfWork(world.services.sessions) as uow:
        lan = await uow.staff.by_telegram_id(world.lan.telegram_id)
    assert lan is not None
    assert lan.unreachable


async def test_followups_lists_upcoming_follow_ups_soonest_first(world: World) -> None:
    later = await case_waiting_for_follow_up(world.lan, "In a week")
    sooner = await case_waiting_for_follow_up(world.lan, "Tomorrow")
    await world.lan.send("/followups")
    text = world.lan.last_text
    assert text.index(f"#{sooner}") < text.index(f"#{later}")
    await world.hoa.send("/followups")
    assert "Không có lịch theo dõi" in world.hoa.last_text
    await world.minh.send("/followups")
    assert "All follow-ups (2)" in world.minh.last_text


@pytest.fixture
async def busy_world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    async for world in make_world(settings_for(database_url, reminders={"batch_size": 7}), clock):
        yield world


async def test_a_burst_of_due_reminders_is_sent_in_batches_each_exactly_once(
    busy_world: World,
) -> None:
    world = busy_world
    cases = [await case_waiting_for_follow_up(world.lan) for _ in range(10)]
    world.clock.now = TUESDAY_9AM
    reports = [await world.scheduler.tick() for _ in range(3)]
    assert [r.sent for r in reports] == [7, 3, 0]
    texts = reminder_texts(world.lan, "Time to follow up")
    assert sorted(int(t.split("#")[1].split()[0]) for t in texts) == cases


async def test_two_schedulers_sharing_a_database_deliver_each_reminder_once(
    world: World, database_url: str
) -> None:
    from flows.model import Reminder
    from flows.reminders import Kind
    from storage.uow import SqlUnitOfWork

    now = world.clock()
    async with SqlUnitOfWork(world.services.sessions) as uow:
        minh = await uow.staff.by_telegram_id(world.minh.telegram_id)
        assert minh is not None
        for n in range(300):
            uow.reminders.add(
                Reminder(
                    kind=Kind.delivery_problem,
                    due_at=now,
                    recipient_id=minh.id,
                    created_at=now,
                    payload={"who": f"#{n}", "about": "fix_due", "reason": "test"},
                )
            )
        await uow.commit()
    other = build_application(
        settings_for(database_url, reminders={"batch_size": 25}),
        request=world.api,
        clock=world.clock,
    )
    async with offline(other) as services:
        first, second = world.scheduler, Scheduler(other.bot, services)

        async def drain(scheduler: Scheduler) -> int:
            sent = 0
            while (report := await scheduler.tick()).claimed:
                sent += report.sent
            return sent

        counts = await asyncio.gather(drain(first), drain(second))
    assert sum(counts) == 300
    texts = reminder_texts(world.minh, "could not be delivered")
    assert len(texts) == len(set(texts)) == 300  # each one arrived, none twice


async def test_a_batch_slower_than_its_lease_renews_it_and_a_second_scheduler_takes_nothing(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = [await case_waiting_for_follow_up(world.lan) for _ in range(3)]
    world.clock.now = TUESDAY_9AM
    first, second = world.scheduler, world.scheduler
    original = world.api.do_request
    sends = 0

    async def slow(url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        nonlocal sends
        if url.endswith("sendMessage"):
            sends += 1
            world.clock.advance(seconds=70)  # each send takes longer than half the lease
            if sends == 3:  # meanwhile another instance ticks
                monkeypatch.setattr(world.api, "do_request", original)
                assert (await second.tick()).claimed == 0
        return await original(url, method, *args, **kwargs)

    monkeypatch.setattr(world.api, "do_request", slow)
    report = await first.tick()
    assert report.sent == 3
    texts = reminder_texts(world.lan, "Time to follow up")
    assert sorted(int(t.split("case #")[1].split()[0].rstrip(":.,")) for t in texts) == cases


async def test_the_supervisors_digest_lists_every_decision_waiting_reviews_included(
    digest_world: World,
) -> None:
    from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review

    world = digest_world
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(world.lan, "Lê Văn Tám")
    await climb_to_decision(world.lan)
    world.clock.now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 08:00 on Tuesday
    await world.scheduler.tick()
    await world.scheduler.tick()
    [digest] = reminder_texts(world.minh, "Good morning")
    assert "Waiting for your decision (1)" in digest
    assert f"#{case_id}" in digest


async def test_an_answer_typed_after_a_reminder_brings_the_card_below_the_reminder(
    world: World,
) -> None:
    lan = world.lan
    case_id = await promised_fix(lan)
    world.clock.advance(hours=2)
    assert (await world.scheduler.tick()).sent == 1
    reminder = lan.last.message_id
    await lan.send("She needed the cake for her son's birthday")
    assert lan.last.message_id > reminder  # the card came to the bottom, where it is seen
    assert f"Case #{case_id}" in lan.last_text


async def test_a_request_cancelled_while_waiting_drops_its_reminders_and_the_rest_go_out(
    world: World,
) -> None:
    await case_waiting_for_follow_up(world.hoa)  # due Tuesday 09:00
    case_id = await asking_approval(world.lan, customer="Phạm Văn Đồng")
    await world.lan.press("Cancel (mistake)")
    await world.lan.send("Customer withdrew the complaint")
    assert (await world.case(case_id)).state == "cancelled"
    world.clock.now = TUESDAY_9AM
    report = await world.scheduler.tick()
    assert (report.sent, report.dropped, report.failed) == (1, 1, 0)
    assert reminder_texts(world.hoa, "Đến giờ theo dõi")
    assert not reminder_texts(world.minh, "Still waiting for a decision")


async def test_a_reminder_that_cannot_be_prepared_is_set_aside_and_the_queue_goes_on(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = await case_waiting_for_follow_up(world.lan)
    await case_waiting_for_follow_up(world.hoa)
    prepare = Reminding.prepare

    async def broken_for_the_first(self: Reminding, reminder: Reminder, *args: Any) -> Any:
        if reminder.case_id == first:
            raise RuntimeError("a fault in our code")
        return await prepare(self, reminder, *args)

    monkeypatch.setattr(Reminding, "prepare", broken_for_the_first)
    world.clock.now = TUESDAY_9AM
    report = await world.scheduler.tick()
    assert (report.sent, report.failed) == (1, 1)
    assert reminder_texts(world.hoa, "Đến giờ theo dõi")
    world.clock.advance(hours=1)  # the set-aside row is not claimed first ever again
    assert (await world.scheduler.tick()).claimed == 0
