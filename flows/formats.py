"""Values written the reader's way: one formatter per value type and locale.

Vietnamese groups thousands with dots and writes decimals with a comma (1.500.000 VND,
2,5 năm, 12,5%) and dates day first (23/11/2026); English uses commas for thousands and
a point for decimals, and ISO dates (2026-11-23). Words (the "and" of a list, units)
come from the scripts; this module only arranges them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo


class Money(int):
    """An amount of the currency handed to wording: written the reader's way, with the
    currency (10.000.000.000 VND, 10,000,000,000 VND)."""

    __slots__ = ()


def roughly(amount: float, digits: int = 3) -> int:
    """An estimate kept to the digits that mean something: 23,679,671 -> 23,700,000."""
    places = len(str(int(abs(amount)))) - digits
    return int(round(amount, -places)) if places > 0 else round(amount)


class Count(int):
    """A number that counts (characters, days) handed to wording: its thousands grouped the
    reader's way (1.000, 1,000). A plain int — a case number — is written as it is."""

    __slots__ = ()


class Weekday(int):
    """A day of the week (Monday = 0) handed to wording: named in the reader's words
    (`weekday.*`: thứ Sáu, Friday)."""

    __slots__ = ()

    @property
    def key(self) -> str:
        """The wording that names it."""
        return f"weekday.{WEEKDAY_KEYS[self]}"


WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


#: Thousands separator, decimal separator, date, moment and brief moment per locale.
_STYLE: dict[str, tuple[str, str, str, str, str]] = {
    "vi": (".", ",", "%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m %H:%M"),
    "en": (",", ".", "%Y-%m-%d", "%Y-%m-%d %H:%M", "%d %b %H:%M"),
}


@dataclass(frozen=True)
class Formats:
    """Write numbers, money, dates, moments and lists for one reader."""

    locale: str
    tz: ZoneInfo
    currency: str = "VND"

    @property
    def _style(self) -> tuple[str, str, str, str, str]:
        return _STYLE.get(self.locale, _STYLE["en"])

    def number(self, value: int) -> str:
        """Group thousands: 1.234.567 (vi) or 1,234,567 (en)."""
        return f"{value:,}".replace(",", self._style[0])

    def decimal(self, value: float, digits: int = 1) -> str:
        """Write a decimal number: 2,5 (vi) or 2.5 (en); a whole number has no decimals."""
        rounded = round(value, digits)
        if rounded == int(rounded):
            return self.number(int(rounded))
        whole, fraction = f"{rounded:,.{digits}f}".split(".")
        return whole.replace(",", self._style[0]) + self._style[1] + fraction.rstrip("0")

    def percent(self, ratio: float) -> str:
        """Write a ratio as a percentage with one decimal where it has one: 12,5% (vi) or
        12.5% (en), and 65% rather than 65,0%."""
        written = f"{ratio * 100:.1f}".removesuffix(".0")
        return f"{written}%".replace(".", self._style[1])

    def money(self, amount: int | None, currency: str | None = None) -> str:
        """Write an amount with its currency — the one it was recorded in, else the one set:
        1.500.000 VND or 1,500,000 VND."""
        return f"{self.number(amount or 0)} {currency or self.currency}"

    def day(self, value: date | str) -> str:
        """Write a calendar date: 23/11/2026 (vi) or 2026-11-23 (en)."""
        if isinstance(value, str):
            value = date.fromisoformat(value[:10])
        return value.strftime(self._style[2])

    def spoken_day(self, value: date) -> str:
        """Write a calendar date as staff read it aloud to a customer: 23/11/2026 (vi, read
        "ngày 23 tháng 11") or 23 November 2026 (en) — never 2026-11-23, which no one says."""
        if self.locale == "vi":
            return self.day(value)
        return f"{value.day} {value:%B %Y}"

    def month(self, value: date) -> str:
        """Write a month of a year: 3/2019 (vi, after the word "tháng") or March 2019 (en)."""
        return f"{value.month}/{value.year}" if self.locale == "vi" else value.strftime("%B %Y")

    def moment(self, value: datetime | str, brief: bool = False) -> str:
        """Write a moment in the reader's time zone: 23/11/2026 09:00, or 23/11 09:00 brief."""
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.astimezone(self.tz).strftime(self._style[4 if brief else 3])

    def local(self, value: datetime, zone: ZoneInfo) -> str:
        """Write a moment on a given calendar, perhaps not the reader's: 23/11/2026 22:00
        (the renderer names the zone where it differs)."""
        return value.astimezone(zone).strftime(self._style[3])

    @staticmethod
    def join(items: Sequence[str], last: str | None) -> str:
        """Join items as people write lists: "A, B và C" with `last` = "và" (no word
        before the last with None: "A 3, B 2"). Items that hold commas themselves are set
        apart with semicolons, so each reads as one: "Đòi giá rẻ, phục vụ 24/7; Gây áp lực,
        đe dọa; Thiếu lịch sự"."""
        if len(items) < 2:
            return "".join(items)
        if any("," in item for item in items):
            return "; ".join(items)
        if last is None:
            return ", ".join(items)
        return f"{', '.join(items[:-1])} {last} {items[-1]}"


#: How much of a text that could not be saved is quoted back, so it can be sent again.
QUOTED = 200


def quoted(typed: str | None) -> dict[str, str]:
    """The `text` parameter that quotes back what was `typed` (on one line, its first
    `QUOTED` characters), or none when nothing was typed."""
    return {} if typed is None else {"text": one_line(typed, QUOTED)}


def one_line(text: str, limit: int = 120) -> str:
    """Text on one line, cut to `limit` characters with "…"."""
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"
