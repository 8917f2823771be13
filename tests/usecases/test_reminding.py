"""Due reminders: whether they still matter, what they make happen, and who hears of them."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flows.case_filter import FilterWords
from flows.forms import waiting_version
from flows.model import Reminder
from flows.outcomes import ShowCases, StaffOverview
from flows.reminding import Message
from tests.usecases.office import KHOA, Office, Person, Work
from tests.usecases.walks import (
    asking_approval,
    complaint,
    promising_fix,
    review,
    waiting_on_rung,
)

GROUP_CHAT = -100123


async def prepare(office: Office, reminder: Reminder, group: int | None = None) -> Message | None:
    """What the scheduler's tick does with a claimed reminder."""
    now = office.clock()
    return await office.system(lambda w: w.reminding.prepare(reminder, now, group))


async def due_follow_up(office: Office, lan: Person) -> tuple[int, Reminder]:
    """Lan's complaint waiting for the follow-up agreed for tomorrow, and its reminder."""
    case_id = await complaint(lan, await office.customer("Mai"), "awaiting_follow_up")
    (reminder,) = office.reminders("follow_up_due", case_id)
    return case_id, reminder


async def test_a_follow_up_reminder_brings_the_case_and_what_was_done(
    office: Office, lan: Person
) -> None:
    case_id, reminder = await due_follow_up(office, lan)
    message = await prepare(office, reminder)
    assert message is not None
    assert (message.kind, message.recipient and message.recipient.name) == ("follow_up_due", "Lan")
    assert message.chat_id == lan.telegram_id
    assert message.view is not None
    assert message.view.case.id == case_id
    assert message.facts == {"action": "Re-delivered by van", "compensation": ("voucher", 200_000)}


async def test_a_reminder_whose_case_moved_on_is_dropped(office: Office, lan: Person) -> None:
    case_id, reminder = await due_follow_up(office, lan)
    await lan.press("unreachable", case_id)
    await lan.press("in_3_days", case_id)  # another time agreed: the first reminder is stale
    assert await prepare(office, reminder) is None
    latest = office.reminders("follow_up_due", case_id)[-1]
    assert await prepare(office, latest) is not None
    await lan.press("satisfied", case_id)
    assert await prepare(office, latest) is None


async def test_a_promised_fix_reminder_is_dropped_once_the_fix_is_confirmed(
    office: Office, lan: Person
) -> None:
    case_id = await promising_fix(lan, await office.customer("Mai"))
    (reminder,) = office.reminders("fix_due", case_id)
    message = await prepare(office, reminder)
    assert message is not None
    promise = message.facts["promise"]  # what its buttons carry: the event that promised
    assert promise == office.last_event(case_id, "fixed").seq
    await lan.do(lambda w: w.desk.answer_fix(w.actor, case_id, promise, "done"))
    assert await prepare(office, reminder) is None


async def test_an_approval_reminder_shows_the_request_until_it_is_decided(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    (reminder,) = office.reminders("approval_pending", case_id)
    message = await prepare(office, reminder)
    assert message is not None
    assert message.request == (
        "approval_request",
        {
            "asked_by": "Lan",
            "asker_left": False,
            "type": "refund",
            "value": 2_000_000,
            "given": 0,
            "limit": 500_000,
            "limit_now": 500_000,
        },
    )
    await minh.decide(case_id, "y")
    assert await prepare(office, reminder) is None


async def test_a_wait_on_a_rung_is_recalled_only_while_the_review_is_on_that_rung(
    office: Office, lan: Person
) -> None:
    case_id = await waiting_on_rung(lan, await office.customer("Mai"))
    (reminder,) = office.reminders("ladder_check", case_id)
    assert await prepare(office, reminder) is not None
    await lan.type("Trial did not help")
    await lan.press("not_resolved")
    assert await prepare(office, reminder) is None


async def test_a_follow_up_coming_due_plans_one_overdue_check_after_the_grace(
    office: Office, lan: Person
) -> None:
    case_id, reminder = await due_follow_up(office, lan)
    for _ in range(2):  # prepared again after a crash: nothing twice
        await prepare(office, reminder)
    (check,) = office.reminders("follow_up_overdue", case_id)
    due = office.case(case_id).follow_up_due_at
    assert due is not None
    since = waiting_version(office.case(case_id))
    assert check.payload == {"target": due.isoformat(), "waiting_since": since}
    # 24 working hours after Tuesday 09:00 (open 08:00-20:00): Thursday 09:00.
    assert check.due_at == datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    assert check.dedupe_key == f"overdue:{case_id}:{due.isoformat()}"


async def overdue(office: Office, lan: Person) -> tuple[int, Reminder]:
    case_id, reminder = await due_follow_up(office, lan)
    await prepare(office, reminder)
    (check,) = office.reminders("follow_up_overdue", case_id)
    return case_id, check


async def test_an_overdue_follow_up_marks_the_case_once_and_tells_the_supervisors(
    office: Office, lan: Person, minh: Person
) -> None:
    await office.register(KHOA, "Khoa", "supervisor")
    case_id, check = await overdue(office, lan)
    office.clock.advance(days=3)
    message = await prepare(office, check)
    assert message is not None
    assert (message.kind, message.recipient and message.recipient.name) == (
        "follow_up_overdue",
        "Lan",
    )
    marked_at = office.clock()
    office.clock.advance(hours=1)
    await prepare(office, check)  # again: marked once, told once
    assert office.case(case_id).overdue_since == marked_at
    assert office.logged(case_id).count("overdue") == 1
    notices = office.reminders("overdue_notice", case_id)
    khoa = office.staff_row(KHOA).id
    assert sorted(n.recipient_id or 0 for n in notices) == sorted([minh.id, khoa or 0])


async def test_going_back_from_an_overdue_follow_up_leaves_it_neither_overdue_nor_listed(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, check = await overdue(office, lan)

    async def lists(person: Person) -> tuple[list[int], ...]:
        (followups,) = await person.do(lambda w: w.lists.follow_ups(w.actor))
        (late,) = await person.do(lambda w: w.lists.cases(w.actor, FilterWords(status="d")))
        (staff,) = await minh.do(lambda w: w.oversight.staff_overview(w.actor))
        message = await digest_for(office, person)
        digest = message.digest if message is not None else None
        assert isinstance(followups, ShowCases)
        assert isinstance(late, ShowCases)
        assert isinstance(staff, StaffOverview)
        return (
            [c.id or 0 for c, _ in followups.cases],
            [c.id or 0 for c, _ in late.cases],
            [c.id or 0 for c, _ in digest.overdue] if digest is not None else [],
            [figures["overdue"] for p, figures in staff.rows if p.id == lan.id],
        )

    office.clock.advance(days=3)
    await prepare(office, check)
    assert office.case(case_id).overdue_since is not None
    assert await lists(minh) == ([case_id], [case_id], [case_id], [1])
    await lan.side("back", case_id)
    case = office.case(case_id)
    assert (case.state, case.follow_up_due_at, case.overdue_since) == ("follow_up", None, None)
    assert await prepare(office, check) is None  # the old date's nudge is moot
    assert await lists(minh) == ([], [], [], [0])
    assert await lists(lan) == ([], [], [], [0])


async def test_a_follow_up_agreed_again_after_going_back_is_reminded_once(
    office: Office, lan: Person
) -> None:
    case_id, abandoned = await due_follow_up(office, lan)
    await lan.side("back", case_id)
    await lan.press("tomorrow", case_id)  # the same time as before: agreed anew
    await only_the_newer_goes(office, abandoned, office.reminders("follow_up_due", case_id)[-1])


async def test_a_fix_promised_again_for_the_same_time_is_reminded_once(
    office: Office, lan: Person
) -> None:
    case_id = await promising_fix(lan, await office.customer("Mai"), "tomorrow")
    (first,) = office.reminders("fix_due", case_id)
    await lan.side("back", case_id)  # the fix step again, and the same time promised anew
    await lan.type("A second technician on the way")
    await lan.press("in_progress", case_id)
    await lan.press("tomorrow", case_id)
    await only_the_newer_goes(office, first, office.reminders("fix_due", case_id)[-1])


async def only_the_newer_goes(office: Office, older: Reminder, newer: Reminder) -> None:
    """Two reminders planned for the same time, the older for what the newer replaced:
    only the newer is sent."""
    assert newer.id != older.id
    assert newer.payload["target"] == older.payload["target"]
    assert await prepare(office, older) is None
    assert await prepare(office, newer) is not None


async def test_overdue_notices_go_to_the_supervisors_group_when_there_is_one(
    office: Office, lan: Person
) -> None:
    case_id, check = await overdue(office, lan)
    await prepare(office, check, GROUP_CHAT)
    (notice,) = office.reminders("overdue_notice", case_id)
    assert (notice.chat_id, notice.recipient_id) == (GROUP_CHAT, None)


async def test_a_supervisors_own_overdue_case_is_not_announced_to_them(
    office: Office, minh: Person
) -> None:
    case_id, check = await overdue(office, minh)
    await prepare(office, check)
    assert office.reminders("overdue_notice", case_id) == []
    assert office.case(case_id).overdue_since is not None


async def test_the_digest_is_planned_once_a_day_on_open_days_only(office: Office) -> None:
    async def plan(day: date) -> bool:
        now = office.clock()
        return await office.system(lambda w: w.reminding.plan_digest(day, now))

    assert await plan(date(2026, 11, 23))
    assert not await plan(date(2026, 11, 23))
    assert not await plan(date(2026, 11, 29))  # a Sunday
    assert len(office.reminders("digest")) == 1


async def test_the_digest_fans_out_once_to_everyone_active_and_reachable(
    office: Office, lan: Person, hoa: Person, minh: Person
) -> None:
    await office.register(KHOA, "Khoa", "supervisor")
    await office.system(lambda w: w.people.deactivate(KHOA))

    async def unreachable(w: Work) -> None:
        blocked = await w.uow.staff.by_telegram_id(hoa.telegram_id)
        assert blocked is not None
        blocked.unreachable = True

    await office.system(unreachable)
    now = office.clock()
    await office.system(lambda w: w.reminding.plan_digest(date(2026, 11, 23), now))
    (digest,) = office.reminders("digest")
    for _ in range(2):
        assert await prepare(office, digest) is None
    people = [r.recipient_id for r in office.reminders("digest_person")]
    assert people == [lan.id, minh.id]


async def digest_for(office: Office, person: Person) -> Message | None:
    reminder = Reminder("digest_person", office.clock(), person.id, payload={"date": "x"})
    return await prepare(office, reminder)


async def test_a_persons_digest_lists_their_follow_ups_due_today(
    office: Office, lan: Person, hoa: Person
) -> None:
    case_id, _ = await due_follow_up(office, lan)
    assert await digest_for(office, lan) is None  # due tomorrow: nothing today
    office.clock.advance(days=1)
    message = await digest_for(office, lan)
    assert message is not None
    assert message.digest is not None
    assert [(c.id, name) for c, name in message.digest.due_today] == [(case_id, "Mai")]
    assert (message.digest.overdue, message.digest.approvals) == ([], [])
    assert await digest_for(office, hoa) is None


async def test_a_supervisors_digest_lists_every_decision_waiting_reviews_included(
    office: Office, lan: Person, minh: Person
) -> None:
    mai = await office.customer("Mai")
    waiting = await review(lan, mai, "awaiting_decision")
    compensation, _ = await asking_approval(lan, mai)
    message = await digest_for(office, minh)
    assert message is not None
    assert message.digest is not None
    assert [c.id for c, _ in message.digest.approvals] == [waiting, compensation]
    assert message.digest.by_state == {"awaiting_decision": 1, "awaiting_approval": 1}


async def test_work_due_to_someone_who_left_goes_to_the_supervisors_once(
    office: Office, lan: Person, minh: Person
) -> None:
    await office.register(KHOA, "Khoa", "supervisor")
    case_id, reminder = await due_follow_up(office, lan)
    await office.system(lambda w: w.people.deactivate(lan.telegram_id))
    for _ in range(2):
        assert await prepare(office, reminder) is None
    handed = office.reminders("follow_up_due", case_id)[1:]
    assert [r.recipient_id for r in handed] == [minh.id, office.staff_row(KHOA).id]
    assert all(r.payload == reminder.payload for r in handed)


async def test_requests_and_digests_of_someone_who_left_are_not_handed_over(
    office: Office, lan: Person
) -> None:
    khoa = await office.register(KHOA, "Khoa", "supervisor")
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    await office.system(lambda w: w.people.deactivate(KHOA))
    (to_khoa,) = [r for r in office.reminders("approval_pending") if r.recipient_id == khoa.id]
    before = len(office.reminders())
    assert await prepare(office, to_khoa) is None
    assert len(office.reminders()) == before
    assert office.case(case_id).state == "awaiting_approval"


async def test_a_reminder_that_cannot_be_delivered_tells_the_supervisors(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, reminder = await due_follow_up(office, lan)

    async def give_up(about: Reminder, unreachable: bool) -> None:
        await office.system(lambda w: w.reminding.gave_up(about, "Forbidden", unreachable))

    await give_up(reminder, unreachable=True)
    assert lan.row.unreachable
    (notice,) = office.reminders("delivery_problem")
    assert (notice.recipient_id, notice.case_id, notice.payload) == (
        minh.id,
        case_id,
        {"about": "follow_up_due", "reason": "Forbidden", "who": "Lan"},
    )
    await give_up(notice, unreachable=False)  # a notice about a failure that failed
    assert len(office.reminders("delivery_problem")) == 1
    assert not minh.row.unreachable


async def test_a_reminder_about_a_case_that_is_gone_is_dropped(
    office: Office, lan: Person
) -> None:
    stray = Reminder("fix_due", office.clock(), lan.id, case_id=999, payload={"target": None})
    assert await prepare(office, stray) is None
