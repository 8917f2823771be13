"""Which cases a list shows: status, kind, owner, customer, dates, and the page."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from datetime import date, timedelta

from flows.parsing import InvalidInput, read_day_named, search_key
from flows.periods import SINCE, TO_WORDS, TODAY_WORDS

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


#: The filters of two words, Vietnamese ones with or without their marks ("qua han"): no
#: customer is called that. One word alone keeps its marks: "Đông" and "Mơ" are names.
_PHRASES = {search_key(words): filtered for words, filtered in _WORDS.items() if " " in words}


def _filter_at(words: list[str], at: int) -> tuple[tuple[str, str] | None, int]:
    """The filter the words from `at` name (two words first, then one), and how many words
    it took; None if they name none."""
    pair = search_key(" ".join(words[at : at + 2]))
    if at + 1 < len(words) and pair in _PHRASES:
        return _PHRASES[pair], 2
    return _WORDS.get(unicodedata.normalize("NFC", words[at].lower())), 1


#: Days named in two words, read folded; and words a day may be named by alone that, on
#: their own in a list's filter, are rather a customer's name ("Qua", "Nay").
_DAYS_NAMED = {"hom nay": 0, "hom qua": 1}
_NOT_DAYS = {"qua", "nay", "hom kia"}


def _joining(words: list[str], at: int, today: date, after_a_day: bool) -> str | None:
    """What the word at `at` is in a span of days: "since" before a day ("từ 1/11", "kể
    từ"), "to" between two ("1/11 đến 30/11"), "today" with the word after it ("đến nay");
    None if it is no such word (a customer's name, say)."""
    word, after = search_key(words[at]), search_key(" ".join(words[at + 1 : at + 2]))
    if word in SINCE and (after in SINCE or _day_next(words, at + 1, today)):
        return "since"
    if not after_a_day or word not in TO_WORDS:
        return None
    if after in TODAY_WORDS and after != "gio":
        return "today"
    return "to" if _day_next(words, at + 1, today) else None


def _day_next(words: list[str], at: int, today: date) -> bool:
    """Tell whether the words from `at` begin with a day: a date, or a day named."""
    if search_key(" ".join(words[at : at + 2])) in _DAYS_NAMED:
        return True
    try:
        return at < len(words) and read_day_named(words[at], today) is not None
    except InvalidInput:
        return False


def parse_words(words: list[str], today: date) -> FilterWords:
    """Read `/cases closed complaint @Lan customer words 2026-11-01 2026-11-30`.

    Vietnamese works too: `/cases quá hạn khiếu nại @Lan 01/11/2026 30/11/2026`. A date
    without its year is the nearest (`1/11 30/11`), as a report reads it; `hôm nay`,
    `today`, `hôm qua`, `yesterday` name their day (`today`: the reader's). Two dates are
    joined as a report joins them (`1/11 - 30/11`, `từ 1/11 đến 30/11`, `1/11 to 30/11`), and
    one said as a start runs to today (`từ 1/11`, `since 1/11`, `1/11 đến nay`): the words
    that say so are never read as a customer's name.
    Raises `InvalidInput` for a date that does not exist or lies outside the calendar, and
    for a first date after the last.
    """
    status, kind, staff, dates, rest = "o", "-", None, [], []
    at, since = 0, False
    while at < len(words):
        word = words[at]
        filtered, read = _filter_at(words, at)
        named = search_key(" ".join(words[at : at + 2]))
        if named in _DAYS_NAMED:  # "hôm nay", two words
            dates.append(today - timedelta(days=_DAYS_NAMED[named]))
            at += 2
            continue
        joining = _joining(words, at, today, bool(dates))
        if joining is not None:  # "từ", "đến", "-": a span's words, never a name
            since = since or search_key(word) in SINCE
            dates += [today] if joining == "today" else []
            at += 2 if joining == "today" else 1
            continue
        day = read_day_named(word, today) if search_key(word) not in _NOT_DAYS else None
        if filtered is not None:
            field, code = filtered
            status, kind = (code, kind) if field == "status" else (status, code)
            at += read - 1
        elif word.startswith("@") and len(word) > 1:
            staff = word[1:]
        elif day is not None:
            dates.append(day)
        else:
            rest.append(word)
        at += 1
    if dates and status == "o":
        status = "-"
    if since and len(dates) == 1:  # "từ 1/11": from that day to today
        dates.append(max(today, dates[0]))
    start, end = (dates[0], dates[-1]) if dates else (None, None)  # one date: that day
    if start and end and start > end:  # as /report refuses it: "between" read back to front
        raise InvalidInput("report.reversed")
    return FilterWords(status, kind, staff, " ".join(rest) or None, start, end)
