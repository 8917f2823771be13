"""Reminders wait for working hours, in each person's own time zone."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from flows.hours import WorkingHours

SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
BERLIN = ZoneInfo("Europe/Berlin")
HOURS = WorkingHours()


def local(tz: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=tz)


def test_a_moment_inside_working_hours_is_kept() -> None:
    moment = local(SAIGON, 2026, 11, 23, 10, 30)  # Monday
    assert HOURS.next_open(moment, SAIGON) == moment


def test_a_reminder_due_at_night_arrives_at_the_next_opening() -> None:
    assert HOURS.next_open(local(SAIGON, 2026, 11, 23, 22, 0), SAIGON) == local(
        SAIGON, 2026, 11, 24, 8, 0
    )
    assert HOURS.next_open(local(SAIGON, 2026, 11, 24, 6, 15), SAIGON) == local(
        SAIGON, 2026, 11, 24, 8, 0
    )


def test_a_reminder_due_on_saturday_evening_waits_until_monday_morning() -> None:
    assert HOURS.next_open(local(SAIGON, 2026, 11, 28, 20, 0), SAIGON) == local(
        SAIGON, 2026, 11, 30, 8, 0
    )
    assert HOURS.next_open(local(SAIGON, 2026, 11, 29, 12, 0), SAIGON) == local(
        SAIGON, 2026, 11, 30, 8, 0
    )


def test_the_same_instant_is_judged_in_each_persons_time_zone() -> None:
    instant = local(SAIGON, 2026, 11, 23, 15, 0)  # 09:00 in Berlin
    assert HOURS.next_open(instant, SAIGON) == instant
    assert HOURS.next_open(instant, BERLIN) == instant
    early = local(SAIGON, 2026, 11, 23, 12, 0)  # 06:00 in Berlin
    assert HOURS.next_open(early, BERLIN) == local(BERLIN, 2026, 11, 23, 8, 0)


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        ((2026, 11, 23, 9, 0), 2, (2026, 11, 23, 11, 0)),
        ((2026, 11, 23, 18, 0), 4, (2026, 11, 24, 10, 0)),
        ((2026, 11, 23, 9, 0), 24, (2026, 11, 25, 9, 0)),
        ((2026, 11, 28, 19, 0), 2, (2026, 11, 30, 9, 0)),
        ((2026, 11, 23, 21, 0), 1, (2026, 11, 24, 9, 0)),
    ],
)
def test_grace_is_counted_in_working_hours(
    start: tuple[int, ...], hours: float, expected: tuple[int, ...]
) -> None:
    assert HOURS.add(local(SAIGON, *start), hours, SAIGON) == local(SAIGON, *expected)


def test_custom_hours_and_days_are_respected() -> None:
    weekdays = WorkingHours(time(9, 0), time(17, 0), frozenset(range(5)))
    assert weekdays.next_open(local(SAIGON, 2026, 11, 28, 10, 0), SAIGON) == local(
        SAIGON, 2026, 11, 30, 9, 0
    )


def test_a_time_agreed_for_a_closed_day_moves_to_the_next_open_day_at_the_same_hour() -> None:
    sunday = local(SAIGON, 2026, 11, 29, 9, 0)
    assert HOURS.schedule(sunday, SAIGON) == local(SAIGON, 2026, 11, 30, 9, 0)


def test_a_time_agreed_after_closing_moves_to_the_next_opening() -> None:
    saturday_night = local(SAIGON, 2026, 11, 28, 21, 0)
    assert HOURS.schedule(saturday_night, SAIGON) == local(SAIGON, 2026, 11, 30, 8, 0)
    assert HOURS.schedule(local(SAIGON, 2026, 11, 24, 10, 0), SAIGON) == local(
        SAIGON, 2026, 11, 24, 10, 0
    )


def test_a_time_agreed_for_the_evening_of_a_closed_day_moves_to_the_very_next_opening() -> None:
    sunday_night = local(SAIGON, 2026, 11, 29, 22, 13)
    assert HOURS.schedule(sunday_night, SAIGON) == local(SAIGON, 2026, 11, 30, 8, 0)  # not Tuesday
    sunday_dawn = local(SAIGON, 2026, 11, 29, 6, 0)
    assert HOURS.schedule(sunday_dawn, SAIGON) == local(SAIGON, 2026, 11, 30, 8, 0)


def test_a_deadline_on_a_closed_day_is_brought_forward_to_the_last_open_day() -> None:
    from datetime import date

    assert HOURS.open_day_until(date(2026, 12, 27)) == date(2026, 12, 26)  # Sunday → Saturday
    assert HOURS.open_day_until(date(2026, 12, 28)) == date(2026, 12, 28)


ROUND_THE_CLOCK = WorkingHours(time(0, 0), time(23, 59), frozenset(range(7)))


@pytest.mark.parametrize(
    "start",
    [datetime(2027, 3, 27, 23, 0, tzinfo=BERLIN), datetime(2027, 10, 30, 23, 0, tzinfo=BERLIN)],
)
def test_working_hours_added_across_a_change_of_summer_time_are_real_hours(
    start: datetime,
) -> None:
    end = ROUND_THE_CLOCK.add(start, 5, BERLIN)
    # 5 hours of work, and the minute the desk closes at midnight: never 4 or 6 hours
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=5, minutes=1)


NEW_YEAR_AND_TET = WorkingHours(
    closed=frozenset(
        {datetime(2027, 1, 1).date()} | {datetime(2027, 2, d).date() for d in range(5, 11)}
    )
)


def test_a_follow_up_on_new_years_eve_after_closing_lands_on_the_first_working_day_after_it() -> (
    None
):
    moved = NEW_YEAR_AND_TET.schedule(local(SAIGON, 2026, 12, 31, 20, 30), SAIGON)
    assert moved == local(SAIGON, 2027, 1, 2, 8, 0)  # 1 January is closed; the 2nd a Saturday


def test_a_reminder_due_before_tet_waits_for_the_office_to_open_again() -> None:
    assert NEW_YEAR_AND_TET.next_open(local(SAIGON, 2027, 2, 4, 21, 0), SAIGON) == local(
        SAIGON, 2027, 2, 11, 8, 0
    )
    assert not NEW_YEAR_AND_TET.is_open(local(SAIGON, 2027, 2, 8, 10, 0), SAIGON)
    # a time agreed for a closed day keeps its hour on the next working day
    assert NEW_YEAR_AND_TET.schedule(local(SAIGON, 2027, 2, 6, 10, 0), SAIGON) == local(
        SAIGON, 2027, 2, 11, 10, 0
    )


def test_a_notice_date_on_a_closed_day_comes_before_the_closure() -> None:
    assert (
        NEW_YEAR_AND_TET.open_day_until(datetime(2027, 2, 9).date()) == datetime(2027, 2, 4).date()
    )


def test_working_hours_added_across_a_closure_skip_it() -> None:
    due = local(SAIGON, 2027, 2, 4, 19, 0)
    assert NEW_YEAR_AND_TET.add(due, 2, SAIGON) == local(SAIGON, 2027, 2, 11, 9, 0)


def test_months_are_counted_on_the_calendar_ending_on_the_last_day_of_a_shorter_month() -> None:
    from datetime import date

    from flows.hours import add_months

    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2027, 5, 31), -3) == date(2027, 2, 28)  # a notice 3 months before
    assert add_months(date(2020, 2, 29), 12) == date(2021, 2, 28)
    assert add_months(date(2026, 12, 15), 1) == date(2027, 1, 15)


def test_days_left_untouched_are_counted_back_in_working_days_skipping_tet_and_sundays() -> None:
    back = NEW_YEAR_AND_TET.open_days_back
    # Thursday 11 February 2027, the first day back after Tết: three working days back is
    # before the closure (Thursday 4, Wednesday 3, Tuesday 2), at the same time of day
    assert back(local(SAIGON, 2027, 2, 11, 8, 0), 3, SAIGON) == local(SAIGON, 2027, 2, 2, 8, 0)
    # a Tuesday: Monday, then Saturday (Sunday is closed), at the same time in the zone asked
    assert HOURS.open_days_back(local(BERLIN, 2026, 11, 24, 8, 0), 2, BERLIN) == local(
        BERLIN, 2026, 11, 21, 8, 0
    )
    assert HOURS.open_days_back(local(SAIGON, 2026, 11, 24, 8, 0), 0, SAIGON) == local(
        SAIGON, 2026, 11, 24, 8, 0
    )
    with pytest.raises(ValueError, match="no open day"):
        WorkingHours(days=frozenset()).open_days_back(local(SAIGON, 2026, 11, 24, 8), 1, SAIGON)
