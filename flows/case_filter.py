"""Which cases a list shows: status, kind, owner, customer, dates, and the page."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from flows.parsing import InvalidInput, checked_day, read_day

STATUSES = {"o": "open", "c": "closed", "d": "overdue", "a": "approval"}
KINDS = {"c": "complaint", "r": "problem_review", "e": "exit_interview", "k": "check_in"}
PAGE = 8
MAX_ID = 2**31 - 1  # ids are 32-bit integers in the database

#: The words /cases understands, in both languages (lower case; Vietnamese ones may be two
#: words), and what each one filters.
_WORDS: dict[str, tuple[str, str]] = {
    **{name: ("status", code) for code, name in STATUSES.items()},
    "awaiting": ("status", "a"),
    **{name: ("kind", code) for code, name in KINDS.items()},
    "complaints": ("kind", "c"),
    "review": ("kind", "r"),
    "reviews": ("kind", "r"),
    "exit": ("kind", "e"),
    "exits": ("kind", "e"),
    "check-in": ("kind", "k"),
    "check-ins": ("kind", "k"),
    "mở": ("status", "o"),
    "đang mở": ("status", "o"),
    "đóng": ("status", "c"),
    "đã đóng": ("status", "c"),
    "quá hạn": ("status", "d"),
    "chờ duyệt": ("status", "a"),
    "khiếu nại": ("kind", "c"),
    "khách khó": ("kind", "r"),
    "rời bỏ": ("kind", "e"),
    "hỏi thăm": ("kind", "k"),
}
_ENCODED = re.compile(
    r"l:([ocda-]):([crek-]):([0-9]{0,10}):([0-9]{0,10}):([0-9]{8})?:([0-9]{8})?:([0-9]{1,6})"
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

    Vietnamese works too: `/cases quá hạn khiếu nại @Lan 01/11/2026 30/11/2026`.
    Raises `InvalidInput` for a date that does not exist or lies outside the calendar.
    """
    status, kind, staff, dates, rest = "o", "-", None, [], []
    at = 0
    while at < len(words):
        word = words[at]
        pair = unicodedata.normalize("NFC", " ".join(words[at : at + 2]).lower())
        single = unicodedata.normalize("NFC", word.lower())
        matched = pair if at + 1 < len(words) and pair in _WORDS else single
        day = read_day(word)
        if matched in _WORDS:
            field, code = _WORDS[matched]
            status, kind = (code, kind) if field == "status" else (status, code)
            at += len(matched.split()) - 1
        elif word.startswith("@") and len(word) > 1:
            staff = word[1:]
        elif day is not None:
            dates.append(day)
        else:
            rest.append(word)
        at += 1
    if dates and status == "o":
        status = "-"
    start, end = (dates[0], dates[-1]) if dates else (None, None)  # one date: that day
    return FilterWords(status, kind, staff, " ".join(rest) or None, start, end)
