"""The periods a report or an export covers, as a supervisor names them.

A rolling period ends today: `week`, `month`, `quarter` (the last 7, 30 or 90 days;
Vietnamese `tuần`, `tháng`, `quý`). A calendar period is named by when it is — `this month`,
`last quarter`, `tháng này`, `quý trước`, `năm ngoái` — or by its number: a month
(`11/2026`, `2026-11`, `tháng 11`, `tháng 11 năm 2026`, `Nov 2026`, `November`), a quarter
(`q3 2026`, `quý 3`) or a year (`2026`, `năm 2026`). One named without its year is the
latest that has begun. A period that has begun and not ended runs to today; one that has
not begun is refused. Two dates give the days between them, both included, read the same
way (`1/11/2026 30/11/2026`, `1/11 - 30/11`, `từ 1/11 đến 20/11`, `1/11 to 20/11`: a date
without its year is the nearest, as a past date's); one date, or `hôm nay` / `today`, `hôm
qua` / `yesterday`, that day alone; one date said as a start (`từ 1/11`, `since 1/11`, `1/11
đến nay`, `1/11 to date`), the days from it to today. The last days, weeks or months counted
(`7 ngày qua`, `30 ngày gần đây`, `3 tháng qua`, `last 14 days`, `past 2 weeks`) end today; so
does a unit so far (`từ đầu tháng`, `đầu năm đến nay`, `month to date`, `ytd`: this month,
this year). Vietnamese words are read with or without diacritics, however the keyboard
composes them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flows.formats import Count
from flows.hours import add_months
from flows.parsing import EARLIEST_DAY, LATEST_DAY, MONTH_NAMES, InvalidInput, read_day_named

#: Rolling periods a supervisor names by a unit alone (`UNITS`), in days ending today (the
#: reader's today).
ROLLING: dict[str, int] = {"week": 7, "month": 30, "quarter": 90}
DEFAULT_PRESET = "month"
#: The longest period a report or an export covers (two years and a day).
MAX_DAYS = 732
#: Calendar units, by their names in either language, folded; and their length in months
#: (a week is the one counted in days).
UNITS: dict[str, str] = {
    "week": "week",
    "tuan": "week",
    "month": "month",
    "thang": "month",
    "quarter": "quarter",
    "quy": "quarter",
    "q": "quarter",
    "year": "year",
    "nam": "year",
}
MONTHS = {"month": 1, "quarter": 3, "year": 12}
#: Which one of a unit: this one, or the one before (English before the unit, Vietnamese
#: after it: `this month`, `tháng này`).
WHICH: dict[str, int] = {
    "this": 0,
    "current": 0,
    "nay": 0,
    "last": -1,
    "previous": -1,
    "truoc": -1,
    "ngoai": -1,
}
#: A unit's number, with its year or not: `11/2026`, `2026-11`, `tháng 11`, `q3 2026`,
#: `quý 3/2026`, `2026`, `năm 2026` (folded, separators made spaces).
_NUMBERED = (
    re.compile(
        r"^(?:(?P<unit>thang|month|quy|quarter|q) ?)?(?P<n>\d{1,2})(?: (?:nam )?(?P<year>\d{4}))?$"
    ),
    re.compile(r"^(?P<year>\d{4}) (?P<n>\d{1,2})$"),
    re.compile(r"^(?:(?P<unit>nam|year) )?(?P<year>\d{4})$"),
)


@dataclass(frozen=True)
class Period:
    """Calendar days from `first` to `last`, both included, in the reader's time zone."""

    first: date
    last: date

    @property
    def days(self) -> int:
        """Count the days covered."""
        return (self.last - self.first).days + 1

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """Return the period as UTC instants: from its first midnight to the one after it."""
        return _midnight(self.first, tz), _midnight(self.last + timedelta(days=1), tz)

    def week_starts(self) -> list[date]:
        """Start days of the weekly buckets: the first day, then every Monday after it."""
        starts = [self.first]
        monday = self.first + timedelta(days=7 - self.first.weekday())
        while monday <= self.last:
            starts.append(monday)
            monday += timedelta(days=7)
        return starts

    def week_bounds(self, tz: ZoneInfo) -> list[datetime]:
        """UTC instants where each weekly bucket after the first begins."""
        return [_midnight(day, tz) for day in self.week_starts()[1:]]


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)


def parse_period(args: Sequence[str], today: date) -> Period:
    """Read a rolling period, a calendar one or two dates (module docstring); the last 30
    days by default.

    Raises `InvalidInput("report.usage")` for anything else, so the reader gets the usage,
    and `InvalidInput("report.not_begun")` for a period that has not begun.
    """
    words = [fold(word) for arg in args for word in arg.split()] or [DEFAULT_PRESET]
    if len(words) == 1 and (days := ROLLING.get(UNITS.get(words[0], ""))):
        return Period(today - timedelta(days=days - 1), today)
    counted = _counted_back(" ".join(words), today)
    if counted is not None:
        return counted
    calendar = _calendar([str(MONTH_NAMES.get(word, word)) for word in words], today)
    if calendar is not None:
        return calendar
    to_today = _TO_TODAY.search(" ".join(words))
    since = words[0] in SINCE or to_today is not None
    if to_today is not None:
        words = " ".join(words)[: to_today.start()].split()
    try:
        said = [read_day_named(word, today) for word in _days_said(words)]
    except InvalidInput as err:
        if err.key == "error.bad_date":
            raise InvalidInput("report.usage") from None
        raise
    found = [day for day in said if day is not None]
    if len(found) not in (1, 2) or len(found) != len(said):
        raise InvalidInput("report.usage")
    if since and len(found) == 1:  # "từ 1/11": from that day to today, never that day alone
        if found[0] > today:
            raise InvalidInput("report.not_begun")
        return days_between(found[0], today, today)
    return days_between(found[0], found[-1], today)  # one day: that day alone


#: Words that say the one day after them starts the period: từ 1/11, since 1/11, kể từ 1/11.
SINCE = {"tu", "from", "since", "ke"}
#: Words after a day that say the period runs to today: 1/11 đến nay, 1/11 to date.
TO_WORDS = ("den", "toi", "to", "until", "-", "–", "—")
TODAY_WORDS = ("nay", "hom nay", "bay gio", "gio", "today", "now", "date")
_TO_TODAY = re.compile(rf" (?:{'|'.join(TO_WORDS)}) (?:{'|'.join(TODAY_WORDS)})$| so far$")
#: Days, weeks or months counted back from today, read folded: 7 ngày qua, 30 ngày gần đây,
#: 3 tháng vừa qua, last 14 days, past 2 weeks; and a unit so far: từ đầu tháng, đầu năm đến
#: nay, month to date, ytd.
_COUNTED_BACK = re.compile(
    r"^(?:(?:the )?(?:last|past) )?(?P<n>\d{1,3}) (?P<unit>ngay|days?|tuan|weeks?|thang|months?)"
    r"(?: (?:qua|vua qua|gan day|gan nhat|tro lai day))?$"
)
_SO_FAR: dict[str, str] = {
    **dict.fromkeys(("tu dau tuan", "dau tuan den nay", "week to date", "wtd"), "week"),
    **dict.fromkeys(("tu dau thang", "dau thang den nay", "month to date", "mtd"), "month"),
    **dict.fromkeys(("tu dau quy", "dau quy den nay", "quarter to date", "qtd"), "quarter"),
    **dict.fromkeys(("tu dau nam", "dau nam den nay", "year to date", "ytd"), "year"),
}


def _counted_back(text: str, today: date) -> Period | None:
    """The last days, weeks or months counted back from today, or a unit so far (this
    month's days up to today); None if the words say neither."""
    if text in _SO_FAR:
        return _ending_today(*_one_of(_SO_FAR[text], today, 0), today)
    match = _COUNTED_BACK.match(text)
    if match is None:
        return None
    count, unit = int(match["n"]), UNITS.get(match["unit"].removesuffix("s"), "day")
    if count == 0:
        raise InvalidInput("report.usage")
    if unit == "month":
        return checked_period(add_months(today, -count) + timedelta(days=1), today)
    first = today - timedelta(days=count * (7 if unit == "week" else 1) - 1)
    return checked_period(first, today)


#: Between two days, the words that join them: 1/11 - 30/11, từ 1/11 đến 30/11, 1/11 to
#: 30/11, from 1/11 until 30/11, kể từ 1/11 (read folded).
JOINING = {"-", "–", "—", "tu", "from", "den", "to", "until", "ngay", "between", "and", "va"}
JOINING |= SINCE
#: Two days written without a space around the dash that joins them: 1/11-30/11.
_DASHED = re.compile(r"^(\d{1,2}[/.]\d{1,2}(?:[/.]\d{2,4})?)[-–—](\d{1,2}[/.]\d{1,2}.*)$")


def _days_said(words: list[str]) -> list[str]:
    """The words that name days, without those joining them, each day one word ("hôm nay",
    two words, is one)."""
    text = re.sub(r"\bhom (nay|qua)\b", r"hom_\1", " ".join(words))
    parts = [m.groups() if (m := _DASHED.match(w)) else (w,) for w in text.split()]
    said = [w for part in parts for w in part if w not in JOINING]
    return [w.replace("_", " ") for w in said]


def fold(word: str) -> str:
    """A word as the period's names are kept: lower case, without diacritics (đ is d)."""
    decomposed = unicodedata.normalize("NFD", word.strip().lower().replace("đ", "d"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def checked_period(first: date, last: date) -> Period:
    """Make a period of two dates, refusing a reversed or overlong one."""
    if first > last:
        raise InvalidInput("report.reversed")
    period = Period(first, last)
    if period.days > MAX_DAYS:
        raise InvalidInput("report.too_long", days=Count(MAX_DAYS))
    return period


def days_between(first: date, last: date, today: date) -> Period:
    """The days between two dates typed, both included, read as a named period is: one not
    over runs to today, one that has not begun is refused (back to front is said first)."""
    if first > last:
        raise InvalidInput("report.reversed")
    begun = _ending_today(first, last, today)
    return checked_period(begun.first, begun.last)


def _calendar(words: list[str], today: date) -> Period | None:
    """A calendar period named by when it is or by its number, or None if the words name
    none."""
    if len(words) == 2 and {words[0], words[1]} & WHICH.keys():
        unit, which = words if words[0] in UNITS else words[::-1]
        if unit in UNITS and which in WHICH:
            return _ending_today(*_one_of(UNITS[unit], today, WHICH[which]), today)
        return None
    spaced = re.sub(r"[/\-. ]+", " ", " ".join(words))
    match = next((m for pattern in _NUMBERED if (m := pattern.match(spaced))), None)
    if match is None:
        return None
    named = match.groupdict()
    year = int(named["year"]) if named.get("year") else None
    if year is not None and not EARLIEST_DAY.year <= year <= LATEST_DAY.year:
        raise InvalidInput("report.usage")
    if named.get("n") is None:
        return _ending_today(*_unit(date(year or today.year, 1, 1), "year"), today)
    return _numbered(UNITS[named.get("unit") or "month"], int(named["n"]), year, today)


def _numbered(unit: str, number: int, year: int | None, today: date) -> Period:
    """The `number`th month or quarter of `year`, or of the latest year it has begun in."""
    months = MONTHS[unit]
    if not 1 <= number <= 12 // months:
        raise InvalidInput("report.usage")
    month = (number - 1) * months + 1
    if year is None:
        year = today.year if date(today.year, month, 1) <= today else today.year - 1
    return _ending_today(*_unit(date(year, month, 1), unit), today)


def _one_of(unit: str, today: date, step: int) -> tuple[date, date]:
    """The unit today is in (`step` 0) or the one before it (-1), whole."""
    if unit == "week":
        monday = today - timedelta(days=today.weekday()) + timedelta(weeks=step)
        return monday, monday + timedelta(days=6)
    months = MONTHS[unit]
    index = today.year * 12 + (today.month - 1) // months * months + step * months
    return _unit(date(index // 12, index % 12 + 1, 1), unit)


def _unit(first: date, unit: str) -> tuple[date, date]:
    """A month, a quarter or a year from its first day to its last."""
    index = first.year * 12 + first.month - 1 + MONTHS[unit]
    return first, date(index // 12, index % 12 + 1, 1) - timedelta(days=1)


def _ending_today(first: date, last: date, today: date) -> Period:
    """The days of a unit up to today; a unit that has not begun is refused."""
    if first > today:
        raise InvalidInput("report.not_begun")
    return Period(first, min(last, today))
