"""What a step asks staff to record, as data: fields, their kinds and conditions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flows.model import Case

Draft = dict[str, Any]

CUSTOMER_KINDS = ("individual", "business")
#: Who asked for the decision a case waits for; kept in the draft until it is decided.
ASKED_BY = "_asked_by"
#: The case's version when that decision was asked: the request's buttons (and its
#: reminders) carry it, so a note or a photo added meanwhile leaves them working.
ASKED_AT = "_asked_at"
#: When that decision was asked (ISO, UTC): what a list of requests says it waits since,
#: and orders them by — a note or a photo added meanwhile changes neither.
ASKED_ON = "_asked_on"
#: The staff compensation limit when that decision was asked: the one it was asked above,
#: which the request and its reminders say, whatever the limit is set to since.
ASKED_LIMIT = "_asked_limit"
#: What a request keeps on the draft while it stands: gone once it is decided or withdrawn.
ASKED = (ASKED_BY, ASKED_AT, ASKED_ON, ASKED_LIMIT)
#: The case's version when its follow-up was set: the follow-up reminder's buttons carry it.
WAITING_SINCE = "_waiting_since"
#: The question a new customer's start answers: kept as said (`flows.parsing.parse_since`).
SINCE = "new_since"
#: The draft key that says a side form is open beside the step's own, and which.
SIDE_FORM = "_side"


def side_form(draft: Draft) -> Draft:
    """The side form open in a draft, with its answers (named after it: an incident's
    `incident_kind`…); empty when none is open."""
    name = draft.get(SIDE_FORM)
    if not name:
        return {}
    return {k: v for k, v in draft.items() if k == SIDE_FORM or k.startswith(f"{name}_")}


def without_side_form(draft: Draft) -> Draft:
    """A draft with its side form and the answers to it left out."""
    written = side_form(draft)
    return {k: v for k, v in draft.items() if k not in written}


def asked_version(case: Case) -> int:
    """The version a decision's buttons carry: the case's when it was asked."""
    return int(case.draft.get(ASKED_AT, case.version))


def asked_on(case: Case) -> datetime | None:
    """When the decision the case waits for was asked (a request from before this was kept:
    when the case last changed)."""
    asked = case.draft.get(ASKED_ON)
    return datetime.fromisoformat(asked) if isinstance(asked, str) else case.updated_at


def waiting_version(case: Case) -> int:
    """The version a wait's reminder carries (a follow-up, a review's check-back): the
    case's when the wait was set."""
    return int(case.draft.get(WAITING_SINCE, case.version))


def begin_wait(case: Case) -> int:
    """Set a wait from the case's step just completed (its draft starts afresh with it, but
    for an incident being written beside it: `side_form`); return the version its reminder
    carries, so that a later wait replaces this one."""
    case.draft = {WAITING_SINCE: case.version, **side_form(case.draft)}
    return case.version


@dataclass(frozen=True)
class Field:
    """One thing to record. `kind` says how it is entered and checked."""

    name: str
    kind: str  # choice | multi | text | name | money | when | past_date | phone | customer
    options: tuple[str, ...] = ()
    optional: bool = False
    applies: Callable[[Draft], bool] = lambda draft: True
    #: Options of a multiple choice that stand alone ("everything"): ticking one unticks
    #: the others, and ticking another unticks it.
    alone: tuple[str, ...] = ()
    #: A money field that is what an offer is worth: zero offers nothing, so it is asked
    #: again. Its `options` are the choice that offers nothing instead (*No compensation*,
    #: where the catalogue has it), offered beside it and pressed in place of that choice.
    offer: bool = False
    #: A text answered with what the customer said or did (the complaint, how they took a
    #: move): a message of theirs forwarded to the bot is taken as typed. Every other text
    #: asks for the staff member's own account (`asks_own_account`).
    customers_words: bool = False


#: Kinds of field answered in words: free text, and a name (kept on one line).
WORDED = ("text", "name")


def asks_own_account(field: Field | None) -> bool:
    """Tell whether a question asks for the staff member's own account (what they did,
    why, what they offered): a forwarded message is someone else's words, never its answer.
    A name, a phone number, an amount or a date is a fact, read from a forward as typed."""
    return field is not None and field.kind == "text" and not field.customers_words


def new_customer(draft: Draft) -> bool:
    """Tell whether a draft holds a customer typed in, not yet on record (a complaint adds
    them with the rest of its intake)."""
    return draft.get("customer") == "new"


#: Who the customer is: found by name or phone, or added on the spot.
CUSTOMER_FIELDS: tuple[Field, ...] = (
    Field("customer", "customer"),
    Field("new_name", "name", applies=new_customer),
    Field("new_phone", "phone", optional=True, applies=new_customer),
    Field("new_kind", "choice", CUSTOMER_KINDS, applies=new_customer),
    Field(SINCE, "past_date", optional=True, applies=new_customer),
    Field("new_yearly_value", "money", optional=True, applies=new_customer),
)


def next_field(fields: Sequence[Field], draft: Draft) -> Field | None:
    """Return the first field still to fill, or None when the form is complete."""
    for f in fields:
        if f.applies(draft) and f.name not in draft:
            return f
    return None
