"""Working hours: when a reminder may reach someone, and grace measured in working time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (earlier if negative), or the last day of
    that month if it is shorter: a month after 31 January is 28 (or 29) February."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


@dataclass(frozen=True)
class WorkingHours:
    """Opening time, closing time, open weekdays (Monday = 0) and closed dates (public
    holidays, Tết), each read on the calendar of the zone asked about."""

    opens: time = time(8, 0)
    closes: time = time(20, 0)
    days: frozenset[int] = frozenset(range(6))  # Monday to Saturday
    closed: frozenset[date] = frozenset()

    def open_on(self, day: date) -> bool:
        """Tell whether `day` is a working day: an open weekday, not a closed date."""
        return day.weekday() in self.days and day not in self.closed

    @property
    def _longest_closure(self) -> int:
        """More days than any run of closed days can last (a week, and every closed date)."""
        return 8 + len(self.closed)

    def is_open(self, moment: datetime, tz: ZoneInfo) -> bool:
        """Tell whether `moment` falls inside working hours in `tz`."""
        local = moment.astimezone(tz)
        return self.open_on(local.date()) and self.opens <= local.time() < self.closes

    def next_open(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """Return `moment` if it is inside working hours, else the next opening."""
        if self.is_open(moment, tz):
            return moment
        local = moment.astimezone(tz)
        day = local.date()
        if self.open_on(day) and local.time() < self.opens:
            return datetime.combine(day, self.opens, tzinfo=tz)
        for _ in range(self._longest_closure):
            day += timedelta(days=1)
            if self.open_on(day):
                return datetime.combine(day, self.opens, tzinfo=tz)
        raise ValueError("working hours have no open day")

    def schedule(self, moment: datetime, tz: ZoneInfo) -> datetime:
        """Move a time agreed with a customer into working hours, keeping its hour if it can.

        A time outside the opening hours moves to the next opening after it (Sunday 21:00 to
        Monday's opening, not Tuesday's); a time inside them on a closed day moves to the next
        open day at the same time of day.
        """
        local = moment.astimezone(tz)
        if not self.opens <= local.time() < self.closes:
            # no open day has that hour: the next opening after it, wherever it falls
            return self.next_open(moment, tz)
        day = local.date()
        while not self.open_on(day):
            day += timedelta(days=1)
            if day - local.date() > timedelta(days=self._longest_closure):
                raise ValueError("working hours have no open day")
        return self.next_open(datetime.combine(day, local.time(), tzinfo=tz), tz)

    def open_day_until(self, day: date) -> date:
        """Return `day` if it is an open day, else the last open day before it (a deadline)."""
        for back in range(self._longest_closure):
            candidate = day - timedelta(days=back)
            if self.open_on(candidate):
                return candidate
        raise ValueError("working hours have no open day")

    def open_days_back(self, moment: datetime, days: int, tz: ZoneInfo) -> datetime:
        """The same time of day as `moment`, `days` open days before its day in `tz`: what
        was last touched before it has stood untouched that many working days (a holiday, a
        closed weekday does not count). Calendar days where every day is open."""
        local = moment.astimezone(tz)
        day, left = local.date(), days
        for _ in range(days * self._longest_closure + 1):
            if left == 0:
                return datetime.combine(day, local.time(), tzinfo=tz)
            day -= timedelta(days=1)
            left -= self.open_on(day)
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
