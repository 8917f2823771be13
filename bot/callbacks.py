"""Callback data: every button names what it acts on, and the case version it was drawn for."""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_BYTES = 64  # Telegram's limit for callback_data
MAX_ID = 2**31 - 1  # ids and versions are 32-bit integers in the database

# Verbs on a case
CHOOSE = "c"  # answer the current question (arg: option, customer id, "new")
SKIP = "s"  # leave an optional question unanswered
ACT = "a"  # a side action (arg: back, pause, note, evidence, escalate_reason, cancel_reason)
OPEN = "o"  # resume a case at its step
TIMELINE = "t"  # show the case's history
DECIDE = "d"  # a supervisor's decision (arg: y or n)
FOLLOW_UP = "f"  # an outcome from a follow-up reminder (satisfied, still_unhappy, later_1h…)
FIX = "x"  # an answer to a promised-fix reminder (done, in_2h, tomorrow)
EVIDENCE = "e"  # send a case's photos and documents again

# Buttons that are not about one case
MENU_NEW = "m:new"
MENU_CASES = "m:cases"
MENU_PROBLEM = "m:problem"
MENU_LANGUAGE = "m:lang"
NO_COMMENT = "m:nocomment"
LANGUAGE_PREFIX = "l:"
LANGUAGE_BUTTONS = frozenset(f"{LANGUAGE_PREFIX}{code}" for code in ("vi", "en"))

CUSTOMER_PREFIX = "u:"  # u:<customer id>:<card|complaint|review|checkin|exit|atrisk|rename>
CUSTOMER_ACTIONS = ("card", "complaint", "review", "checkin", "exit", "atrisk", "rename")
LIST_PREFIX = "l:"  # l:<listing>:<offset>


def customer_button(customer_id: int, action: str) -> str:
    """Encode a button about a customer."""
    return f"{CUSTOMER_PREFIX}{customer_id}:{action}"


def parse_customer_button(data: str) -> tuple[int, str] | None:
    """Decode a customer button, or None for anything malformed."""
    match = re.fullmatch(r"u:([0-9]{1,10}):([a-z]{2,10})", data)
    if match is None or match[2] not in CUSTOMER_ACTIONS or int(match[1]) > MAX_ID:
        return None
    return int(match[1]), match[2]


_CASE = re.compile(r"k:([0-9]{1,10}):([0-9]{1,10}):([csaotdfxe])(?::([A-Za-z0-9_]{1,32}))?")


@dataclass(frozen=True)
class CaseButton:
    """A decoded case button."""

    case_id: int
    version: int
    verb: str
    arg: str = ""


def case_button(case_id: int, version: int, verb: str, arg: str = "") -> str:
    """Encode a case button."""
    data = f"k:{case_id}:{version}:{verb}" + (f":{arg}" if arg else "")
    if len(data.encode()) > MAX_BYTES or not _CASE.fullmatch(data):
        raise ValueError(f"callback data does not fit: {data!r}")
    return data


def parse_case_button(data: str) -> CaseButton | None:
    """Decode a case button, or None for anything malformed or forged."""
    match = _CASE.fullmatch(data)
    if match is None or int(match[1]) > MAX_ID or int(match[2]) > MAX_ID:
        return None
    return CaseButton(int(match[1]), int(match[2]), match[3], match[4] or "")
