"""Working hours: when a reminder may reach someone, and grace measured in working time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class WorkingHours:
    """Opening time, closing time and open weekdays (Monday = 0)."""

    opens: time = time(8, 0)
    closes: time = time(20, 0)
    days: frozenset[int] = frozenset(range(6))  # Monday to Saturday

    def is_open(self, moment: datetime, tz: ZoneInfo) -> bool:
        """Tell whether `moment` falls inside working hours in `tz`."""
        local = moment.astimezone(tz)
        return local.weekday() in self.days and self.opens <= local.time() < self.closes

    def next_open(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """Return `moment` if it is inside working hours, else the next opening."""
        if self.is_open(moment, tz):
            return moment
        local = moment.astimezone(tz)
        day = local.date()
        if local.weekday() in self.days and local.time() < self.opens:
            return datetime.combine(day, self.opens, tzinfo=tz)
        for _ in range(7):
            day += timedelta(days=1)
            if day.weekday() in self.days:
                return datetime.combine(day, self.opens, tzinfo=tz)
        raise ValueError("working hours have no open day")

    def schedule(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """Move a time agreed with a customer into working hours, keeping its hour if it can.

        A closed day moves to the next open day at the same time of day; a time outside the
        opening hours moves to the next opening.
        """
        local = moment.astimezone(tz)
        day = local.date()
        while day.weekday() not in self.days:
            day += timedelta(days=1)
            if day - local.date() > timedelta(days=7):
                raise ValueError("working hours have no open day")
        return self.next_open(datetime.combine(day, local.time(), tzinfo=tz), tz)

    def open_day_until(self, day: date) -> date:
        """Return `day` if it is an open day, else the last open day before it (a deadline)."""
        for back in range(7):
            candidate = day - timedelta(days=back)
            if candidate.weekday() in self.days:
                return candidate
        raise ValueError("working hours have no open day")

    def add(self, start: datetime, hours: float, tz: ZoneInfo) -> datetime:
        """Move forward by `hours` of working time, skipping nights and closed days.

        Counted in real time (in UTC: a moment plus a duration in one zone is wall-clock
        time in Python, an hour off across a change of summer time)."""
        left = timedelta(hours=hours)
        moment = self.next_open(start, tz).astimezone(UTC)
        while True:
            local = moment.astimezone(tz)
            closing = datetime.combine(local.date(), self.closes, tzinfo=tz).astimezone(UTC)
            if moment + left <= closing:
                return moment + left
            left -= closing - moment
            moment = self.next_open(closing, tz).astimezone(UTC)
