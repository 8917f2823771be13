"""Which reminders a case needs and when they may be delivered (`flows.reminding` decides
whether a due one still matters and what it says).

Reminders are rows (see storage/reminder_rows.py). This module decides their kind, recipient,
due time and payload; it is shared by every flow that needs to come back to a case later.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from flows.forms import asked_version
from flows.hours import WorkingHours
from flows.model import Case, Reminder, ReminderStatus, Staff


class Kind(StrEnum):
    """What a reminder is about."""

    follow_up_due = "follow_up_due"  # to the owner: time to call the customer back
    fix_due = "fix_due"  # to the owner: the promised fix should be done now
    follow_up_overdue = "follow_up_overdue"  # to the owner: the follow-up is overdue
    overdue_notice = "overdue_notice"  # to supervisors: someone's follow-up is overdue
    approval_pending = "approval_pending"  # to a supervisor: a request still waits
    approval_waiting = "approval_waiting"  # to whoever may decide by then: one nobody could
    digest = "digest"  # the day's digest: fans out into one per person
    digest_person = "digest_person"  # one person's digest
    delivery_problem = "delivery_problem"  # to supervisors: a reminder could not be sent
    ladder_check = "ladder_check"  # to the owner: come back to a review that waited
    termination_notice = "termination_notice"  # to the owner: time to hold the conversation
    owner_left = "owner_left"  # to supervisors: someone left, their open cases have no owner
    namesake_joined = "namesake_joined"  # to admins: someone joined under a member's name
    nobody_decides = "nobody_decides"  # to who waits on a request nobody may decide now
    report = "report"  # a supervisor's /report, worked out off the staff's lane
    export = "export"  # a supervisor's /export, likewise


#: Work, not messages: long reads run one at a time by their own runner, never in a tick.
HEAVY_KINDS = (Kind.report, Kind.export)


def iso(moment: datetime | None) -> str | None:
    """Serialise a moment the way payloads store it: in UTC, so equal moments compare equal."""
    return moment.astimezone(UTC).isoformat() if moment else None


def zone(person: Staff | None, default: str) -> ZoneInfo:
    """Return a person's time zone."""
    return ZoneInfo(person.timezone if person and person.timezone else default)


def for_owner(
    kind: Kind,
    case: Case,
    target: datetime,
    owner: Staff,
    hours: WorkingHours,
    tz: ZoneInfo,
    now: datetime,
    waiting_since: int | None = None,
) -> Reminder:
    """A reminder to the case's owner about `target`, delivered within their working hours;
    a wait's names the version it was set at (`begin_wait`), a promised fix's the event that
    made the promise (`promise_number`), so that a later one — even for the same time —
    replaces it."""
    payload: dict[str, Any] = {"target": iso(target)}
    if waiting_since is not None:
        payload["waiting_since"] = waiting_since
    return Reminder(
        kind=kind,
        due_at=hours.next_open(max(target, now), tz),
        first_due_at=max(target, now),
        recipient_id=owner.id,
        case_id=case.id,
        payload=payload,
        created_at=now,
    )


def approval_key(case: Case) -> str:
    """What each person's reminder of a request is deduplicated by (with their id): nobody
    is reminded twice of one request, however it reaches them."""
    return f"approval:{case.id}:{asked_version(case)}"


def approval_due(
    asked_at: datetime, delay: timedelta, hours: WorkingHours, tz: ZoneInfo
) -> datetime:
    """When a decider is reminded of a request still undecided: `delay` after it was asked,
    moved into working hours on their calendar (what staff promise the customer too)."""
    return hours.next_open(asked_at + delay, tz)


def approval_reminders(
    case: Case,
    deciders: Sequence[Staff],
    delay: timedelta,
    hours: WorkingHours,
    default_tz: str,
    now: datetime,
) -> list[Reminder]:
    """Remind each of `deciders` of an undecided request after `delay`; with none, whoever
    may decide when it is due (`Kind.approval_waiting`)."""
    payload = {"version": asked_version(case)}
    if not deciders:
        return [
            Reminder(
                kind=Kind.approval_waiting,
                due_at=now + delay,
                case_id=case.id,
                payload={**payload, "waited": iso(now)},
                created_at=now,
                dedupe_key=approval_key(case),
            )
        ]
    return [
        Reminder(
            kind=Kind.approval_pending,
            due_at=approval_due(now, delay, hours, zone(p, default_tz)),
            first_due_at=now + delay,
            recipient_id=p.id,
            case_id=case.id,
            payload=dict(payload),
            created_at=now,
            dedupe_key=f"{approval_key(case)}:{p.id}",
        )
        for p in deciders
    ]


def retry_delay(attempts: int, base_seconds: float) -> timedelta:
    """Back off exponentially: base, 2×base, 4×base… capped at one hour."""
    return timedelta(seconds=min(base_seconds * 2 ** max(attempts - 1, 0), 3600))


#: Why a reminder failed when its recipient had blocked the bot: the work never reached them,
#: and is sent again once they write, or goes with the case to whoever takes it over.
BLOCKED = "blocked"


def never_reached(reminder: Reminder) -> bool:
    """Tell whether a reminder failed only because its recipient had blocked the bot."""
    return reminder.status == ReminderStatus.failed and reminder.last_error == BLOCKED


#: How a copy handed to the supervisors when its recipient left is keyed: this, the id of
#: the reminder first handed over, its person (`flows.reminding`).
COPY = "handover:"


def handed_over(
    rows: Sequence[Reminder], giver_id: int, taker_id: int
) -> list[tuple[Reminder, str | None]]:
    """What becomes of each of a case's pending reminders (of `rows`, its reminders of the
    kinds that change hands, whatever their status) when it changes hands: the dedupe key it
    keeps once it goes to the taker ("" for none), or None to drop it. The giver's go to the
    taker, those that never reached the giver (they had blocked the bot) too: the work is
    the case's, not the giver's. Of the copies of one reminder handed to the supervisors, one
    goes to the taker (theirs, if they had one: sent already, none does) and the others are
    dropped."""
    changes: list[tuple[Reminder, str | None]] = []
    copies: dict[str, list[Reminder]] = {}
    for reminder in rows:
        key = reminder.dedupe_key or ""
        if key.startswith(COPY):
            copies.setdefault(key.split(":")[1], []).append(reminder)
        elif reminder.recipient_id == giver_id and (
            reminder.status == ReminderStatus.pending or never_reached(reminder)
        ):
            changes.append((reminder, key))
    for origin, same in copies.items():
        pending = [r for r in same if r.status == ReminderStatus.pending]
        theirs = next((r for r in same if r.recipient_id == taker_id), None)
        kept = theirs or (pending[0] if pending else None)
        changes += [(r, f"{COPY}{origin}:{taker_id}" if r is kept else None) for r in pending]
    return changes
