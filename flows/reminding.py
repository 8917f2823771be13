"""Reminders as use cases: whether a due reminder still matters, and what it makes happen.

The scheduler (`bot/scheduler.py`) claims due rows, asks this module what each one means,
sends the message and settles the row; the rules live here.
"""

from __future__ import annotations

from flows.model import Case, Reminder
from flows.procedures import procedure_of
from flows.procedures.complaint import Step
from flows.procedures.review import Rung
from flows.reminders import Kind, iso

#: Kinds whose relevance is tied to the case's agreed follow-up time.
FOLLOW_UP_KINDS = (Kind.follow_up_due, Kind.follow_up_overdue, Kind.overdue_notice)


def still_relevant(reminder: Reminder, case: Case | None) -> bool:
    """Tell whether a case reminder still matters; one whose case moved on is dropped."""
    if reminder.case_id is None:
        return True
    if case is None:
        return False
    target = reminder.payload.get("target")
    ended = procedure_of(case).flow.is_final(case.state)
    if reminder.kind in FOLLOW_UP_KINDS:
        return case.state == Step.awaiting_follow_up and iso(case.follow_up_due_at) == target
    if reminder.kind == Kind.fix_due:
        return not ended and iso(case.promised_fix_at) == target
    if reminder.kind == Kind.approval_pending:
        return case.version == reminder.payload.get("version")
    if reminder.kind == Kind.ladder_check:
        return case.state == reminder.payload.get("state") and not ended
    if reminder.kind == Kind.termination_notice:
        return case.state == Rung.termination_conversation
    return True
