"""Callback data, encoded and decoded in one place: every button names what it does.

A button about a case names the case, what it does and the case version it was drawn for
(a press on a button of an older version changes nothing); other buttons name a customer,
a page of a case list, a menu entry or a language. `decode` turns any data into a
`Pressed` whose `route` the handlers look up in one table; anything malformed or forged
decodes to None. Everything fits Telegram's 64 bytes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from flows.case_filter import CaseFilter
from flows.parsing import InvalidInput, checked_day
from flows.scripts import LOCALES

MAX_BYTES = 64  # Telegram's limit for callback_data
MAX_ID = 2**31 - 1  # ids and versions are 32-bit integers in the database

#: What a button on a case does: its letter in the data, and the route it takes.
CASE_VERBS = {
    "c": "choose",  # answer the current question (arg: option, customer id, "new")
    "s": "skip",  # leave an optional question unanswered
    "a": "act",  # a side action (arg: note, evidence, back, pause, …)
    "o": "open",  # resume a case at its step
    "t": "timeline",  # show the case's history
    "d": "decide",  # a supervisor's decision (arg: y, n or l)
    "f": "follow_up",  # an outcome from a follow-up reminder (satisfied, later_1h…)
    "x": "fix",  # an answer to a promised-fix reminder (done, in_2h, tomorrow); its version
    # is the number of the event that made the promise (`promise_number`)
    "e": "evidence",  # send a case's photos and documents again
    "r": "flag",  # flag at risk the customer a check-in heard wavering
    "h": "hand_over",  # a supervisor hands the case over (arg: p<page> to pick, s<staff id>)
    "n": "keep_note",  # keep a refused text as a note; its version is the text's token
}
(
    CHOOSE,
    SKIP,
    ACT,
    OPEN,
    TIMELINE,
    DECIDE,
    FOLLOW_UP,
    FIX,
    EVIDENCE,
    FLAG,
    HAND_OVER,
    KEEP_NOTE,
) = CASE_VERBS
#: The arg of an open that is "▶ Carry on with this case" (under a prompt, a timeline): it
#: leads back into a case still open, and says so of one that has ended.
CARRY_ON = "on"
#: The routes of the buttons only a case's card carries: its question's answers, its side
#: actions (a notice drawing the card carries them too).
CARD_ROUTES = (CASE_VERBS[CHOOSE], CASE_VERBS[SKIP], CASE_VERBS[ACT])

#: What a button about a customer does (its route is "customer.<action>").
CUSTOMER_ACTIONS = ("card", "complaint", "review", "checkin", "exit", "atrisk", "rename")
#: Buttons about nothing in particular: the menu's, "no comment", and a language each.
MENU = {
    "m:new": "menu.new",
    "m:problem": "menu.problem",
    "m:cases": "menu.cases",
    "m:lang": "menu.language",
    "m:nocomment": "no_comment",
    **{f"l:{code}": "language" for code in LOCALES},
}
MENU_NEW, MENU_PROBLEM, MENU_CASES, MENU_LANGUAGE, NO_COMMENT = list(MENU)[:5]

_CASE = re.compile(r"k:([0-9]{1,10}):([0-9]{1,10}):([csaotdfxerhn])(?::([A-Za-z0-9_]{1,32}))?")
_CUSTOMER = re.compile(r"u:([0-9]{1,10}):([a-z]{2,10})")
_STAFF = re.compile(r"s:([0-9]{1,10}):rm")
_PAGE = re.compile(
    r"p:([ocda-]):([crek-]):([0-9]{0,10}):([0-9]{0,10}):([0-9]{8})?:([0-9]{8})?:([0-9]{1,6})"
)


@dataclass(frozen=True)
class Pressed:
    """A decoded button: where it routes, and what it is about."""

    route: str
    case_id: int = 0
    version: int = 0
    arg: str = ""
    customer_id: int = 0
    page: CaseFilter | None = None
    staff_id: int = 0


def case_button(case_id: int, version: int, verb: str, arg: str = "") -> str:
    """Encode a button on a case."""
    data = f"k:{case_id}:{version}:{verb}" + (f":{arg}" if arg else "")
    if len(data.encode()) > MAX_BYTES or not _CASE.fullmatch(data):
        raise ValueError(f"callback data does not fit: {data!r}")
    return data


def customer_button(customer_id: int, action: str) -> str:
    """Encode a button about a customer."""
    return f"u:{customer_id}:{action}"


def staff_button(staff_id: int) -> str:
    """Encode the button that removes a person's extra account (/staff)."""
    return f"s:{staff_id}:rm"


def page_button(page: CaseFilter) -> str:
    """Encode a page of a case list: its filter and offset."""

    def day(d: date | None) -> str:
        return d.strftime("%Y%m%d") if d else ""

    return (
        f"p:{page.status}:{page.kind}:{page.owner_id or ''}:{page.customer_id or ''}:"
        f"{day(page.start)}:{day(page.end)}:{page.offset}"
    )


def language_button(code: str) -> str:
    """Encode a button that picks a language."""
    return f"l:{code}"


def decode(data: str) -> Pressed | None:
    """Decode any button's data, or None for anything malformed or forged."""
    if data in MENU:
        return Pressed(MENU[data], arg=data.partition(":")[2])
    if match := _CASE.fullmatch(data):
        ids = int(match[1]), int(match[2])
        if max(ids) > MAX_ID:
            return None
        return Pressed(CASE_VERBS[match[3]], *ids, arg=match[4] or "")
    if match := _CUSTOMER.fullmatch(data):
        if match[2] not in CUSTOMER_ACTIONS or int(match[1]) > MAX_ID:
            return None
        return Pressed(f"customer.{match[2]}", customer_id=int(match[1]))
    if match := _STAFF.fullmatch(data):
        return Pressed("staff.remove", staff_id=int(match[1])) if int(match[1]) <= MAX_ID else None
    if match := _PAGE.fullmatch(data):
        page = _page(match)
        return Pressed("page", page=page) if page is not None else None
    return None


def _page(match: re.Match[str]) -> CaseFilter | None:
    ids = [int(g) for g in (match[3], match[4]) if g]
    if any(i > MAX_ID for i in ids):
        return None
    try:
        start, end = (_day(match[5]) if match[5] else None, _day(match[6]) if match[6] else None)
    except InvalidInput:
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
