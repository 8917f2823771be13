"""Which cases a list shows: status, kind, owner, customer, dates, and the page."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from flows.parsing import InvalidInput, read_day

STATUSES = {"o": "open", "c": "closed", "d": "overdue", "a": "approval"}
KINDS = {"c": "complaint", "r": "problem_review", "e": "exit_interview", "k": "check_in"}
PAGE = 8

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

    def page(self, offset: int) -> CaseFilter:
        """Return the same filter at another offset."""
        return replace(self, offset=max(offset, 0))


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
    Raises `InvalidInput` for a date that does not exist or lies outside the calendar, and
    for a first date after the last.
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
    if start and end and start > end:  # as /report refuses it: "between" read back to front
        raise InvalidInput("report.reversed")
    return FilterWords(status, kind, staff, " ".join(rest) or None, start, end)
