"""Forgetting a customer: what counts as personal data, and its redacted form.

A customer may ask to be forgotten. Their name, phone and every free-text note about them
go; the anonymous figures stay (counts, amounts, dates, choices), so reports still add up.

The event log is append-only; the one change the database lets through is a *redaction*:
the new data is the old data with some keys removed and `{"redacted": true}` added
(migration 0004). `redact` produces exactly that form.
"""

from __future__ import annotations

import functools
import re
from typing import Any

REDACTED_FLAG = "redacted"
#: The event recorded on each case of a forgotten customer.
FORGOTTEN_EVENT = "forgotten"
#: Replaces free text that cannot be removed (a column that must hold something).
REDACTED_TEXT = "—"

#: Keys of event data (beyond the forms' fields, `typed_keys`) that always hold free text or
#: identity, whatever their value looks like.
PERSONAL_KEYS = frozenset(
    {
        "reason",  # a cancel's, an escalation's, a skipped rung's
        "text",
        "comment",
        "name",
        "file_id",
        "phone",
        "answer",
        "answers",
        "details",
        "explanation",
        "message",
        "caption",  # the words sent under a photo or a document
    }
)

_OPTION = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}([T ][0-9:.+\-Z]+)?$")


#: What a forgotten customer's name is left as, before their number (`forgotten_name`).
FORGOTTEN_PREFIX = "forgotten #"


def forgotten_name(customer_id: int) -> str:
    """The name a forgotten customer is left with (stored so; never shown as it is: the
    adapter names them in the reader's words)."""
    return f"{FORGOTTEN_PREFIX}{customer_id}"


def is_forgotten(customer_id: int | None, name: str) -> bool:
    """Tell whether a customer's stored name is the one forgetting left them with."""
    return customer_id is not None and name == forgotten_name(customer_id)


def forgotten_number(name: str) -> int | None:
    """The customer number in a forgotten customer's stored name, where all there is to go
    by is the name (an export's cell); None for any other name."""
    number = name.removeprefix(FORGOTTEN_PREFIX)
    if number == name or not (number.isascii() and number.isdigit()):
        return None  # "²" is a digit to str.isdigit, and no number to int()
    return int(number) if forgotten_name(int(number)) == name else None


def is_redacted(data: dict[str, Any]) -> bool:
    """Tell whether event data has already been redacted."""
    return data.get(REDACTED_FLAG) is True


@functools.cache
def typed_keys() -> frozenset[str]:
    """The keys of every field staff type text into, in every procedure's forms: free text,
    even where one answer happens to look like a choice code ("ok", a name in lower case)."""
    from flows.forms import WORDED
    from flows.incidents import INCIDENT_FORM
    from flows.policy import Policy
    from flows.procedures import PROCEDURES

    policy = Policy()
    fields = [
        *INCIDENT_FORM,
        *(f for p in PROCEDURES.values() for s in p.flow.all_states() for f in p.form(s, policy)),
    ]
    return frozenset(f.name for f in fields if f.kind in (*WORDED, "phone"))


def _is_figure(value: Any) -> bool:
    """Tell whether a value is anonymous: a number, a flag, a choice, a date, a list of
    choices, or an object holding only such values under keys that are not personal (an
    offer withdrawn: `{"type": "voucher", "value": 400000}`)."""
    if value is None or isinstance(value, bool | int | float):
        return True
    if isinstance(value, str):
        return bool(_OPTION.match(value) or _MOMENT.match(value))
    if isinstance(value, list):
        return all(isinstance(v, str) and _OPTION.match(v) for v in value)
    if isinstance(value, dict):
        return all(_keeps(k, v) for k, v in value.items())
    return False


def _keeps(key: Any, value: Any) -> bool:
    """Tell whether a key of event data stays when it is redacted."""
    return (
        isinstance(key, str)
        and key != REDACTED_FLAG
        and key not in PERSONAL_KEYS
        and key not in typed_keys()
        and _is_figure(value)
    )


def anonymous_part(data: dict[str, Any]) -> dict[str, Any]:
    """Return what of some data is not personal (`redact`'s rule, unflagged): a case's
    draft keeps the choices, amounts and the bookkeeping of a request or a wait."""
    return {key: value for key, value in data.items() if _keeps(key, value)}


def redact(data: dict[str, Any]) -> dict[str, Any]:
    """Return event data without personal values, flagged as redacted.

    Keys are only removed, never changed, so the database can check that nothing else
    moved (migration 0004 compares each key's whole value). Known free-text keys always go,
    and every field typed into; any other key stays only if its value is anonymous (a
    number, a choice code, a date, a list of codes, or an object of such values — kept
    whole, since the database lets no value change; one holding anything personal goes).
    """
    return {**anonymous_part(data), REDACTED_FLAG: True}


def needs_redaction(data: dict[str, Any]) -> bool:
    """Tell whether redacting would remove anything (an already-redacted event never does)."""
    if is_redacted(data):
        return False
    return len(redact(data)) - 1 < len(data)
