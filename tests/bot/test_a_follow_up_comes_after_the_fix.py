"""A follow-up asks the customer whether the fix worked, so it is never booked before the
fix it follows up on: a quick time that falls at or before a promised fix moves after it,
saying so; a time typed there is refused, naming the fix and a time that would do."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from flows.procedures.complaint import Step
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import at_the_promised_fix_question, compensate, label, open_case

pytestmark = pytest.mark.asyncio

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
# The tests' clock: Monday 23 November 2026, 09:00 in Saigon.
TUESDAY = datetime(2026, 11, 24, tzinfo=SAIGON)


async def at_the_follow_up_with_a_fix_promised(person: Person, promised: str) -> int:
    """Open a complaint whose fix is under way, promised for `promised` (typed), and walk it
    to the follow-up question; return the case."""
    case_id = await open_case(person)
    await at_the_promised_fix_question(person)
    await person.send(promised)
    await person.send("Chị cần bánh cho sinh nhật con")  # what mattered to the customer
    await compensate(person)
    return case_id


def told(person: Person, since: int) -> str:
    return "\n".join(m.plain_text for m in person.messages[since - 1 :])


async def due(world: World, case_id: int) -> datetime:
    case = await world.case(case_id)
    assert case.follow_up_due_at is not None
    return case.follow_up_due_at.astimezone(SAIGON)


async def test_tomorrow_pressed_before_a_fix_promised_for_ten_tomorrow_books_after_the_fix(
    world: World,
) -> None:
    case_id = await at_the_follow_up_with_a_fix_promised(world.lan, "tomorrow 10:00")
    assert "The fix is promised for 2026-11-24 10:00: book the follow-up after it" in (
        world.lan.last_text
    )
    before = len(world.lan.messages)
    await world.lan.press("Tomorrow")
    assert await due(world, case_id) == TUESDAY.replace(hour=12)
    assert (
        "The fix is promised for 2026-11-24 10:00, and a follow-up checks that it worked, "
        "so I booked it after the fix: 2026-11-24 12:00. If you told the customer "
        "2026-11-24 09:00, tell them the new time."
    ) in told(world.lan, before)


async def test_ngay_mai_pressed_before_a_fix_promised_for_ten_tomorrow_books_after_the_fix(
    world: World,
) -> None:
    case_id = await at_the_follow_up_with_a_fix_promised(world.hoa, "mai 10h")
    assert "Việc khắc phục được hẹn xong lúc 24/11/2026 10:00: hãy hẹn gọi lại theo dõi" in (
        world.hoa.last_text
    )
    before = len(world.hoa.messages)
    await world.hoa.press(label(world.hoa, "Tomorrow"))  # Ngày mai
    assert await due(world, case_id) == TUESDAY.replace(hour=12)
    assert (
        "Việc khắc phục được hẹn xong lúc 24/11/2026 10:00, mà gọi lại theo dõi là để hỏi "
        "khách việc khắc phục đã ổn chưa, nên tôi đặt lịch sau giờ đó: 24/11/2026 12:00."
    ) in told(world.hoa, before)


async def test_a_quick_time_at_the_very_hour_of_the_fix_moves_after_it_too(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    await at_the_promised_fix_question(world.lan)
    await world.lan.press("Tomorrow")  # the fix: tomorrow at 09:00
    await world.lan.send("She needed the cake for her son's birthday")
    await compensate(world.lan)
    await world.lan.press("Tomorrow")  # the follow-up: the same 09:00
    assert await due(world, case_id) == TUESDAY.replace(hour=11)


async def test_a_fix_promised_near_closing_puts_the_follow_up_into_the_next_working_morning(
    world: World,
) -> None:
    case_id = await at_the_follow_up_with_a_fix_promised(world.lan, "tomorrow 19:00")
    await world.lan.press("Tomorrow")
    # an hour's work left on Tuesday after 19:00, the other from Wednesday's 08:00 opening
    assert await due(world, case_id) == datetime(2026, 11, 25, 9, 0, tzinfo=SAIGON)


@pytest.mark.parametrize(
    ("who", "promised", "early", "refused", "later"),
    [
        (
            "lan",
            "tomorrow 10:00",
            "24/11 09:30",
            "2026-11-24 09:30 is too early: the fix is promised for 2026-11-24 10:00. "
            "A follow-up asks the customer whether the fix worked, so it comes after it. "
            "Type a later time, such as 2026-11-24 12:00, or press a button.",
            "24/11 15:00",
        ),
        (
            "hoa",
            "mai 10h",
            "mai 9h30",
            "24/11/2026 09:30 là quá sớm: việc khắc phục được hẹn xong lúc 24/11/2026 10:00. "
            "Gọi lại theo dõi là để hỏi khách việc khắc phục đã ổn chưa, nên phải sau giờ đó. "
            "Bạn hãy gõ một giờ muộn hơn, ví dụ 24/11/2026 12:00, hoặc bấm một nút.",
            "mai 15h",
        ),
    ],
)
async def test_a_follow_up_typed_before_the_promised_fix_is_refused_politely_and_a_later_one_taken(
    world: World, who: str, promised: str, early: str, refused: str, later: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await at_the_follow_up_with_a_fix_promised(person, promised)
    await person.send(early)
    assert refused in person.last_text
    case = await world.case(case_id)
    assert (case.state, case.follow_up_due_at) == (Step.follow_up, None)
    await person.send(later)
    assert await due(world, case_id) == TUESDAY.replace(hour=15)


async def test_a_fix_done_at_once_leaves_the_quick_follow_up_times_as_they_are(
    world: World,
) -> None:
    case_id = await open_case(world.hoa)
    await world.hoa.press(label(world.hoa, "Calm"))
    await world.hoa.press(label(world.hoa, "Skip"))
    await world.hoa.send("Đã giao lại bằng xe của công ty trong vòng một giờ")
    await world.hoa.press(label(world.hoa, "Fixed now"))
    await world.hoa.send("Chị cần bánh cho sinh nhật con")
    await compensate(world.hoa)
    assert "hẹn xong lúc" not in world.hoa.last_text
    await world.hoa.press(label(world.hoa, "Tomorrow"))
    assert await due(world, case_id) == TUESDAY.replace(hour=9)
