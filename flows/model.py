"""Domain records: staff, customers, cases and their append-only events.

Plain dataclasses; `storage/` maps them onto tables, so the flows never see SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from flows.privacy import is_forgotten

#: A complaint's five recovery steps, as the events that record them, in the order they must
#: come (the report's step compliance).
FIVE_STEP_EVENTS: tuple[str, ...] = (
    "apologised",
    "fixed",
    "empathised",
    "compensated",
    "scheduled",
)
_STEP_BITS = {kind: 1 << i for i, kind in enumerate(FIVE_STEP_EVENTS)}
#: `Case.step_marks` when all five were recorded, each first after the one before it.
ALL_FIVE_IN_ORDER = (1 << len(FIVE_STEP_EVENTS)) - 1
#: The mark of a step first recorded out of its turn: before a step ahead of it, or after
#: one behind it.
OUT_OF_ORDER = 1 << len(FIVE_STEP_EVENTS)


def step_bit(kind: str) -> int:
    """The mark of one of the five steps in `Case.step_marks`, by the event recording it."""
    return _STEP_BITS[kind]


def marked(marks: int, kind: str) -> int:
    """A complaint's step marks once an event of `kind` is appended to its log.

    The first event of each step sets its bit; it also sets `OUT_OF_ORDER` unless every
    step before it, and none after it, was recorded already. Later events of a step (going
    back, a reopen) change nothing, as the report counts only each step's first.
    """
    bit = _STEP_BITS.get(kind, 0)
    if not bit or marks & bit:
        return marks
    if marks & ALL_FIVE_IN_ORDER != bit - 1:
        marks |= OUT_OF_ORDER
    return marks | bit


class Role(StrEnum):
    """What a registered person may do."""

    staff = "staff"
    supervisor = "supervisor"
    admin = "admin"


#: The roles that may see and decide on everyone's cases.
OVERSEEING = (Role.supervisor, Role.admin)


class CustomerKind(StrEnum):
    """Whether the customer is a person or a business."""

    individual = "individual"
    business = "business"


class Precision(StrEnum):
    """How much of a day was said: a customer "since 2019" is known to the year only."""

    year = "year"
    month = "month"
    day = "day"


def day_said(value: str) -> tuple[date, Precision]:
    """Read a day kept as it was said, in ISO 8601 with as much as was said ("2019",
    "2019-03", "2019-03-15"): the first day it can mean, and how much of it was said."""
    parts = value[:10].split("-")
    if len(parts) == 1:
        return date(int(parts[0]), 1, 1), Precision.year
    if len(parts) == 2:
        return date(int(parts[0]), int(parts[1]), 1), Precision.month
    return date.fromisoformat(value[:10]), Precision.day


def as_said(day: date, precision: str) -> str:
    """Write a day in ISO 8601 with only as much as was said: 2019, 2019-03, 2019-03-15."""
    if precision == Precision.year:
        return f"{day.year:04d}"
    if precision == Precision.month:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


class CaseKind(StrEnum):
    """Which procedure a case follows."""

    complaint = "complaint"
    problem_review = "problem_review"
    exit_interview = "exit_interview"
    check_in = "check_in"


class CustomerStatus(StrEnum):
    """Where a customer stands with the company."""

    active = "active"
    at_risk = "at_risk"
    defected = "defected"
    terminated = "terminated"


#: Which procedures may be opened for a customer in each status. A complaint is always
#: heard (even about the last invoice of a terminated customer); a review needs a current
#: customer, and so does a check-in; an exit interview is for one who is leaving or left of
#: their own accord.
OPENS_FOR: dict[str, tuple[str, ...]] = {
    CustomerStatus.active: ("complaint", "problem_review", "check_in", "exit_interview"),
    CustomerStatus.at_risk: ("complaint", "problem_review", "check_in", "exit_interview"),
    CustomerStatus.defected: ("complaint", "exit_interview"),
    CustomerStatus.terminated: ("complaint",),
}


class IncidentKind(StrEnum):
    """Documented conduct that may frame a termination (domain brief, section 3)."""

    trivial_complaints = "trivial_complaints"
    abuse_of_staff = "abuse_of_staff"
    late_payment = "late_payment"
    exploitative_demands = "exploitative_demands"
    threats = "threats"
    uncivil_conduct = "uncivil_conduct"
    unethical_proposal = "unethical_proposal"
    other = "other"


#: The kinds of file a case keeps as evidence, each named in a timeline's label and an
#: export's (`event.evidence_photo`), each sent again by its own Bot API method: a
#: customer's voice message or a video of a broken product is evidence as a photo is.
FILE_KINDS = ("photo", "document", "voice", "audio", "video", "video_note")


class Expecting(StrEnum):
    """What a person's next typed message (or file) is taken to be."""

    field = "field"  # the answer to the case's current question
    note = "note"
    escalate_reason = "escalate_reason"
    cancel_reason = "cancel_reason"  # opened by mistake: counted in no figure
    end_reason = "end_reason"  # ended early for another reason: counted as work done
    skip_reason = "skip_reason"
    evidence = "evidence"  # a file (`FILE_KINDS`)
    approval_comment = "approval_comment"
    at_risk_reason = "at_risk_reason"  # why a customer flagged by hand may leave
    customer_address = "customer_address"  # how to address a customer ("chị Mai")


@dataclass(eq=False)
class Staff:
    """A registered member of staff, supervisor or admin."""

    telegram_id: int
    name: str
    role: str = Role.staff
    locale: str | None = None
    timezone: str | None = None
    active: bool = True
    created_at: datetime | None = None
    expecting: str | None = None  # an Expecting
    expecting_case_id: int | None = None
    expecting_customer_id: int | None = None
    unreachable: bool = False
    id: int | None = None

    @property
    def oversees(self) -> bool:
        """Tell whether this person may see and decide on everyone's cases."""
        return self.role in OVERSEEING


@dataclass(eq=False)
class Invite:
    """A one-time registration code behind a deep link."""

    code: str
    role: str
    created_by: int
    created_at: datetime
    expires_at: datetime
    used_by: int | None = None
    used_at: datetime | None = None


@dataclass(eq=False)
class Customer:
    """Someone the company serves."""

    name: str
    search_key: str
    kind: str = CustomerKind.individual
    phone: str | None = None
    since: date | None = None  # the first day of the year or month, if only that was said
    since_precision: str | None = None  # Precision, with `since`; None (read as day) without
    yearly_value: int | None = None
    status: str = "active"
    created_at: datetime | None = None
    created_by: int | None = None
    at_risk_since: datetime | None = None
    at_risk_reason: str | None = None  # typed by whoever flagged; None when flagged automatically
    at_risk_by: int | None = None
    at_risk_case_id: int | None = None  # the check-in that heard it (reason: typed there)
    title: str | None = None  # anh | chi | quy_khach (flows.address); None when not known
    currency: str | None = None  # the yearly value's, as set when they were recorded
    given_name: str | None = None  # None: the last word of the name (flows.address)
    id: int | None = None

    @property
    def forgotten(self) -> bool:
        """Tell whether the customer asked to be forgotten (`flows.forgetting`): their record
        keeps figures only, and takes nothing new about them."""
        return is_forgotten(self.id, self.name)


@dataclass(eq=False)
class Incident:
    """A documented incident with a customer: the facts a termination is framed by."""

    customer_id: int
    kind: str
    happened_on: date
    note: str
    created_by: int | None = None
    created_at: datetime | None = None
    case_id: int | None = None
    id: int | None = None


@dataclass(eq=False)
class Case:
    """One case: its current step lives here, its history in events."""

    kind: str
    owner_id: int
    opened_at: datetime
    state: str = "intake"
    version: int = 1
    events_count: int = 0
    customer_id: int | None = None
    summary: str | None = None
    category: str | None = None
    severity: str | None = None
    draft: dict[str, Any] = field(default_factory=dict)
    promised_fix_at: datetime | None = None
    follow_up_due_at: datetime | None = None
    compensation_type: str | None = None
    compensation_value: int | None = None
    compensation_total: int = 0  # given on the case so far, across reopens
    #: What was given, offer by offer ([type, value]), across reopens: the report's by-type.
    compensation_given: list[list[Any]] = field(default_factory=list)
    #: The currency of every amount on the case: the one set when it was opened.
    currency: str | None = None
    #: Staff id -> the question (`fix:action`) last drawn for them on the case's card.
    asked: dict[str, str | None] = field(default_factory=dict)
    #: Staff id -> [a keyed digest of the text they last filed here, its ISO time (UTC)];
    #: and "refused:<staff id>" -> the text of theirs last refused here, to be kept as a note
    #: with one press (`flows.desk.KEPT`).
    filed: dict[str, list[str]] = field(default_factory=dict)
    reopen_count: int = 0
    #: Which of the five steps the log records, and whether out of order (`marked`): kept
    #: as events are appended, so the report counts compliance without reading the log.
    step_marks: int = 0
    overdue_since: datetime | None = None
    resolution: str | None = None
    closed_at: datetime | None = None
    updated_at: datetime | None = None
    card_chat_id: int | None = None
    card_message_id: int | None = None
    #: The case's card in its owner's chat, the latest drawn there: it stays theirs while
    #: someone else (a supervisor) carries the case on in their own chat.
    owner_card_chat_id: int | None = None
    owner_card_message_id: int | None = None
    id: int | None = None

    def record(
        self, at: datetime, actor_id: int | None, step: str, kind: str, data: dict[str, Any]
    ) -> CaseEvent:
        """Append the next event to the log: numbered after the last one, never an edit."""
        assert self.id is not None, "a case is stored before anything is logged on it"
        self.events_count += 1
        self.step_marks = marked(self.step_marks, kind)
        return CaseEvent(self.id, self.events_count, at, actor_id, step, kind, data)

    def touch(self, now: datetime) -> None:
        """Mark a change: a new version, so that buttons drawn before it are stale."""
        self.version += 1
        self.updated_at = now


@dataclass(eq=False)
class CaseEvent:
    """One entry in a case's timeline; never edited, never deleted."""

    case_id: int
    seq: int
    at: datetime
    actor_id: int | None
    step: str
    kind: str
    data: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


class ReminderStatus(StrEnum):
    """Where a reminder is in its life."""

    pending = "pending"
    sent = "sent"
    failed = "failed"
    dropped = "dropped"


@dataclass(eq=False)
class Reminder:
    """A message due at a time: a row, claimed by the scheduler's tick, sent once."""

    kind: str
    due_at: datetime
    recipient_id: int | None = None
    chat_id: int | None = None
    case_id: int | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    status: str = ReminderStatus.pending
    attempts: int = 0
    lease_until: datetime | None = None
    dedupe_key: str | None = None
    created_at: datetime | None = None
    sent_at: datetime | None = None
    last_error: str | None = None
    #: When it fell due, before it was held to working hours or retried (`due_at` moves):
    #: rows held to the same opening go out in this order.
    first_due_at: datetime | None = None
    id: int | None = None

    def __post_init__(self) -> None:
        if self.first_due_at is None:
            self.first_due_at = self.due_at
