"""What a use case asks the adapter to show, to whom; plain data, no Telegram."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from flows.case_filter import CaseFilter
from flows.forms import Field
from flows.model import Case, CaseEvent, Customer, Incident, Staff


class Label(str):
    """A code that people see by its wording (`option.<code>`), never as the code itself."""

    __slots__ = ()


@dataclass(frozen=True)
class Phrase:
    """Words of their own inside another message's (`key`, filled with `params`), drawn in
    the reader's language: e.g. who a decision was told to, inside its confirmation."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Local:
    """A moment written on a given calendar (a case owner's), whoever reads it."""

    at: datetime
    zone: ZoneInfo


@dataclass
class CustomerRecord:
    """A customer as the log tells it: what they are worth and what happened."""

    tenure_years: float | None
    yearly_value: int | None
    lifetime_value: int | None
    complaints: int
    reopens: int
    compensation: Mapping[str | None, int]  # given on their cases, by currency (None: the one set)
    open_cases: Sequence[int]
    incidents: Sequence[Incident]
    #: When the first and the last of the complaints counted were opened; None without any.
    complaints_between: tuple[datetime, datetime] | None = None
    #: Who owns each open case: staff are shown their own as cases, a colleague's as a
    #: number only (so that two people do not work the customer unknowingly).
    open_owners: Mapping[int, int] = field(default_factory=dict)
    currency: str | None = None  # the yearly and lifetime values', as recorded
    #: The case the record is drawn on (not among `open_cases`): the others are "other".
    shown_on: int | None = None


@dataclass
class CaseView:
    """Everything needed to draw a case at its current step."""

    case: Case
    owner: Staff
    customer: Customer | None
    field: Field | None
    matches: Sequence[Customer] = ()
    record: CustomerRecord | None = None
    lifetime_value: int | None = None  # the customer's worth so far, where it is known
    now: datetime | None = None  # when it is drawn: a date it states may have come since


@dataclass
class Say:
    """A plain message to the person who acted: a script key and its values."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    offer: str | None = None  # a follow-up button the adapter draws, e.g. "no_comment"


#: A `Say` offer: the way back to the case the message asks about (`params["case"]`).
CARRY_ON = "carry_on"
#: A `Say` offer: keep the text it refused as a note on the case (`params["case"]`), by the
#: token it was kept under (`params["kept"]`: `Desk.keep_refused`).
KEEP_NOTE = "keep_note"
#: The same, with ▶ Carry on with this case beside it, where no card follows the refusal.
KEEP_NOTE_OR_CARRY_ON = "keep_note_or_carry_on"
#: A `Say` offer: leave a question about a customer (`params["customer"]`) unanswered.
LEAVE_QUESTION = "leave_question"


@dataclass
class ShowCase:
    """Draw the case's current step; replace the previous card if there is one."""

    view: CaseView
    done_step: str | None = None  # the step just completed, to close its old card
    done_record: dict[str, Any] = field(default_factory=dict)
    redone: bool = False  # the step just completed is done again, after stepping back to it
    taken_back: str | None = None  # the step stepped back to: its summary no longer stands


@dataclass
class CaseEnded:
    """The case has ended (cancelled, or closed by what was done on another case): its
    card, wherever it stands, is drawn as ended, with no buttons to answer; the card a
    `ShowCase` of the same update draws in the same chat is left to it."""

    view: CaseView


@dataclass
class ButtonSpent:
    """The button pressed leads nowhere any more (▶ Carry on with a case that has ended):
    it goes from the message it was pressed on; the message's other buttons stay."""


@dataclass
class Toast:
    """A short answer to a button press."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)
    alert: bool = False


@dataclass
class Notify:
    """A message for someone else: `kind` names how to draw it."""

    recipient: Staff
    kind: str  # approval_request | decision | escalation | approval_comment
    view: CaseView
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ShowTimeline:
    """A case's history for /case."""

    view: CaseView
    events: Sequence[CaseEvent]
    people: dict[int, Staff]


@dataclass
class SendFiles:
    """Photos and documents attached to a case, sent again."""

    case_id: int
    #: (kind, file id, name or the words sent with it, when it was sent)
    files: Sequence[tuple[str, str, str | None, datetime | None]]


@dataclass
class ShowCases:
    """A list of open cases to resume."""

    cases: Sequence[tuple[Case, Customer | None]]
    everyone: bool
    listing: str = "cases"  # cases | followups | approvals
    filter: CaseFilter | None = None  # the page shown, for the filter and page buttons
    more: bool = False
    #: Case id -> its owner's name, for the cases whose owner has left: nobody is on them.
    left: dict[int, str] = field(default_factory=dict)
    #: Requests not listed as the reader may not decide them: for another supervisor.
    elsewhere: int = 0
    turned: bool = False  # a page or a filter pressed on the list shown: drawn in its place


@dataclass
class CustomerCard:
    """A customer's card, or customers to pick from (search results, the at-risk list)."""

    customer: Customer | None
    record: CustomerRecord | None
    matches: Sequence[Customer] = ()
    rung: str | None = None
    listing: str = "matches"  # matches | at_risk
    flagged_by: Staff | None = None  # who flagged the customer at risk by hand
    more: bool = False  # more customers matched than `matches` lists
    flagged_in: Case | None = None  # the check-in that heard it, if flagged from one
    left_in: Case | None = None  # the exit interview that recorded them leaving us
    left_why: Sequence[str] = ()  # the reasons it heard (`EXIT_REASONS`)


@dataclass
class StaffOverview:
    """Each person's open cases, overdue follow-ups and customers turned around."""

    rows: Sequence[tuple[Staff, dict[str, int]]]
    #: Accounts the reader may remove: each joined after another of the same name.
    removable: Sequence[Staff] = ()
    redrawn: bool = False  # drawn again in place of the list pressed (one was removed)


@dataclass
class PickOwner:
    """The people a supervisor may hand a case over to: one page of them."""

    view: CaseView
    people: Sequence[Staff]
    page: int
    more: bool  # a page follows
    actor_id: int  # who picks (listed first, to take the case themselves)
    turned: bool = False  # a page turned on the list shown: drawn in its place


@dataclass
class Menu:
    """The start menu for a registered person."""

    person: Staff


Outcome = (
    Say
    | ShowCase
    | CaseEnded
    | ButtonSpent
    | Toast
    | Notify
    | ShowTimeline
    | ShowCases
    | Menu
    | CustomerCard
    | StaffOverview
    | SendFiles
    | PickOwner
)
