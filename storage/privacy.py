"""Forget a customer: remove their personal data, keep the anonymous figures, log who did it.

What goes: the customer's name (it becomes "forgotten #id"), how they are addressed (title
and given name), phone, search key and the reason typed when they were flagged at risk; each
of their cases' complaint summary and half-filled draft — cases still at intake included,
found through the draft that chose the customer; the free text and identity in their cases'
events (redacted in place — the one update the event log accepts, migration 0004) and in
their reminders' payloads; the notes of incidents documented about them. What stays: counts,
amounts, dates, choices, states — so reports still add up. Each affected case gets a
`forgotten` event naming who asked (a supervisor's or admin's staff id, or the shell).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.ext.asyncio import async_sessionmaker

from flows.complaint import Step
from flows.model import Case, CaseEvent, Customer, Staff
from flows.parsing import search_key
from flows.privacy import FORGOTTEN_EVENT, REDACTED_TEXT, forgotten_name, needs_redaction, redact
from storage import tables
from storage.uow import SqlUnitOfWork

log = logging.getLogger("storage.privacy")


class ForgetRefused(Exception):
    """The customer or the person asking is not acceptable; nothing was changed."""


@dataclass
class Forgotten:
    """What forgetting changed."""

    customer_id: int
    cases: list[int] = field(default_factory=list)
    events_redacted: int = 0
    incidents_redacted: int = 0
    already: bool = False


async def forget_customer(
    sessions: async_sessionmaker[Any],
    customer_id: int,
    now: datetime,
    by_telegram_id: int | None = None,
) -> Forgotten:
    """Remove a customer's personal data in one transaction; `by_telegram_id` None = shell."""
    async with SqlUnitOfWork(sessions) as uow:
        actor: Staff | None = None
        if by_telegram_id is not None:
            actor = await uow.staff.by_telegram_id(by_telegram_id)
            if actor is None or not actor.active or not actor.oversees:
                raise ForgetRefused(
                    f"Telegram id {by_telegram_id} is not an active supervisor or admin"
                )
        customer = await uow.customers.get(customer_id)
        if customer is None:
            raise ForgetRefused(f"there is no customer #{customer_id}")
        done = Forgotten(customer_id)
        changed = _forget_identity(customer)

        case_list = await _cases_of(uow, customer_id)
        redactions = await _redactions(uow, [c.id for c in case_list if c.id is not None])
        done.events_redacted = len(redactions)
        if redactions:
            events = tables.case_events
            await uow.session.execute(
                update(events)
                .where(events.c.id == bindparam("event_id"))
                .values(data=bindparam("redacted_data")),
                redactions,
            )
        done.incidents_redacted = await _forget_incidents(uow, customer_id)
        await _forget_reminders(uow, [c.id for c in case_list if c.id is not None])
        for case in case_list:
            touched = bool(case.summary) or bool(case.draft)
            touched = touched or any(r["case_id"] == case.id for r in redactions)
            case.summary, case.draft = None, {}
            if touched or changed:
                _log_forgotten(uow, case, actor, now, redactions)
                done.cases.append(int(case.id or 0))
        done.already = not (changed or redactions or done.cases or done.incidents_redacted)
        await uow.commit()
    log.info(
        "customer %s forgotten by %s: %d cases, %d events redacted",
        customer_id,
        f"staff {actor.id}" if actor else "shell",
        len(done.cases),
        done.events_redacted,
    )
    return done


async def _cases_of(uow: SqlUnitOfWork, customer_id: int) -> list[Case]:
    """The customer's cases, and those still at intake that chose them in the draft."""
    cases = tables.cases.c
    found = await uow.session.execute(
        select(Case)  # type: ignore[arg-type]
        .where(
            or_(
                cases.customer_id == customer_id,
                (cases.customer_id.is_(None)) & (cases.state == Step.intake),
            )
        )
        .order_by(cases.id)
    )
    return [
        c
        for c in found.scalars()
        if c.customer_id == customer_id or c.draft.get("customer") == customer_id
    ]


async def _forget_reminders(uow: SqlUnitOfWork, case_ids: list[int]) -> None:
    """Drop personal values from the payloads of the cases' reminders."""
    if not case_ids:
        return
    reminders = tables.reminders
    rows = await uow.session.execute(
        select(reminders.c.id, reminders.c.payload).where(reminders.c.case_id.in_(case_ids))
    )
    for reminder_id, payload in rows.tuples():
        if isinstance(payload, dict) and needs_redaction(payload):
            await uow.session.execute(
                update(reminders)
                .where(reminders.c.id == reminder_id)
                .values(payload=redact(payload))
            )


def _forget_identity(customer: Customer) -> bool:
    name = forgotten_name(int(customer.id or 0))
    personal = (customer.phone, customer.at_risk_reason, customer.given_name, customer.title)
    if customer.name == name and personal == (None, None, None, None):
        return False
    customer.name, customer.phone, customer.search_key = name, None, search_key(name)
    customer.at_risk_reason = None  # free text about them
    customer.given_name = customer.title = None  # how they are addressed
    return True


async def _redactions(uow: SqlUnitOfWork, case_ids: list[int]) -> list[dict[str, Any]]:
    """The events of these cases that hold personal data, with their redacted data."""
    if not case_ids:
        return []
    events = tables.case_events
    rows = await uow.session.execute(
        select(events.c.id, events.c.case_id, events.c.data)
        .where(events.c.case_id.in_(case_ids))
        .order_by(events.c.id)
    )
    return [
        {"event_id": event_id, "case_id": case_id, "redacted_data": redact(data)}
        for event_id, case_id, data in rows.tuples()
        if isinstance(data, dict) and needs_redaction(data)
    ]


async def _forget_incidents(uow: SqlUnitOfWork, customer_id: int) -> int:
    incidents = tables.metadata.tables.get("incidents")
    if incidents is None:
        return 0
    result = await uow.session.execute(
        update(incidents)
        .where(incidents.c.customer_id == customer_id, incidents.c.note != REDACTED_TEXT)
        .values(note=REDACTED_TEXT)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def _log_forgotten(
    uow: SqlUnitOfWork,
    case: Case,
    actor: Staff | None,
    now: datetime,
    redactions: list[dict[str, Any]],
) -> None:
    case.events_count += 1
    case.version += 1
    case.updated_at = now
    uow.events.add(
        CaseEvent(
            case_id=int(case.id or 0),
            seq=case.events_count,
            at=now,
            actor_id=actor.id if actor else None,
            step=case.state,
            kind=FORGOTTEN_EVENT,
            data={
                "by": "staff" if actor else "shell",
                "events_redacted": sum(1 for r in redactions if r["case_id"] == case.id),
            },
        )
    )
