"""Which cases a list shows: status, kind, owner, customer, dates, and the page."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from flows.parsing import InvalidInput, checked_day

STATUSES = {"o": "open", "c": "closed", "d": "overdue", "a": "approval"}
KINDS = {"c": "complaint", "r": "problem_review", "e": "exit_interview"}
PAGE = 8
MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database

_WORDS = {
    **{name: ("status", code) for code, name in STATUSES.items()},
    "awaiting": ("status", "a"),
    **{name: ("kind", code) for code, name in KINDS.items()},
    "review": ("kind", "r"),
    "exit": ("kind", "e"),
}
_ENCODED = re.compile(
    r"l:([ocda-]):([cre-]):([0-9]{0,10}):([0-9]{0,10}):([0-9]{8})?:([0-9]{8})?:([0-9]{1,6})"
)


@dataclass(frozen=True)
class CaseFilter:
    """A page of a case list; empty fields do not filter."""

    status: str = "o"
    kind: str = "-"
    owner_id: int | None = None
    customer_id: int | None = None
    start: date | None = None
    end: date | None = None
    offset: int = 0

    def encode(self) -> str:
        """Pack the filter into callback data (well under 64 bytes)."""
        day = lambda d: d.strftime("%Y%m%d") if d else ""  # noqa: E731
        return (
            f"l:{self.status}:{self.kind}:{self.owner_id or ''}:{self.customer_id or ''}:"
            f"{day(self.start)}:{day(self.end)}:{self.offset}"
        )

    def page(self, offset: int) -> CaseFilter:
        """Return the same filter at another offset."""
        return replace(self, offset=max(offset, 0))


def decode(data: str) -> CaseFilter | None:
    """Unpack callback data, or None for anything malformed."""
    match = _ENCODED.fullmatch(data)
    if match is None:
        return None
    try:
        start, end = (_day(match[5]) if match[5] else None, _day(match[6]) if match[6] else None)
    except InvalidInput:
        return None
    ids = [int(g) for g in (match[3], match[4]) if g]
    if any(i > MAX_ID for i in ids):
        return None
    return CaseFilter(
        status=match[1],
        kind=match[2],
        owner_id=int(match[3]) if match[3] else None,
        customer_id=int(match[4]) if match[4] else None,
        start=start,
        end=end,
        offset=int(match[7]),
    )


def _day(packed: str) -> date:
    return checked_day(int(packed[:4]), int(packed[4:6]), int(packed[6:]))


@dataclass(frozen=True)
class FilterWords:
    """What /cases arguments asked for, before names are looked up."""

    status: str = "o"
    kind: str = "-"
    staff: str | None = None
    customer: str | None = None
    start: date | None = None
    end: date | None = None


def parse_words(words: list[str]) -> FilterWords:
    """Read `/cases closed complaint @Lan customer words 2026-11-01 2026-11-30`.

    Raises `InvalidInput` for a date that does not exist or lies outside the calendar.
    """
    status, kind, staff, dates, rest = "o", "-", None, [], []
    for word in words:
        lowered = word.lower()
        if lowered in _WORDS:
            field, code = _WORDS[lowered]
            status, kind = (code, kind) if field == "status" else (status, code)
        elif word.startswith("@") and len(word) > 1:
            staff = word[1:]
        elif re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", word):
            dates.append(checked_day(int(word[:4]), int(word[5:7]), int(word[8:])))
        else:
            rest.append(word)
    if dates and status == "o":
        status = "-"
    start, end = (dates[0], dates[-1]) if dates else (None, None)  # one date: that day
    return FilterWords(status, kind, staff, " ".join(rest) or None, start, end)
