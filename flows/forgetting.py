"""Forget a customer: remove their personal data, keep the anonymous figures, log who did it.

What goes: the customer's name (stored as "forgotten #id", shown in the reader's words), how
they are addressed (title and given name), phone, search key and the reason typed when they
were flagged at risk; each of their cases' complaint summary and what its half-filled draft
holds typed or personal (the choices, and a request or a wait under way, stay) — cases still
at intake included, found through the draft that chose the customer; the free text and
identity in their cases' events (redacted in place — the one update the event log accepts,
migration 0004) and in their reminders' payloads; the notes of incidents documented about
them. What stays: counts, amounts, dates, choices, states — so reports still add up. Each
affected case gets a `forgotten` event naming who asked (a supervisor's or admin's staff id,
or the shell).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flows.casework import CaseWork
from flows.model import Customer, Staff
from flows.parsing import search_key
from flows.privacy import (
    FORGOTTEN_EVENT,
    REDACTED_TEXT,
    anonymous_part,
    forgotten_name,
    needs_redaction,
    redact,
)

log = logging.getLogger("flows.forgetting")


@dataclass
class Forgotten:
    """What forgetting changed."""

    customer_id: int
    cases: list[int] = field(default_factory=list)
    events_redacted: int = 0
    incidents_redacted: int = 0
    already: bool = False


class ForgetRefused(Exception):
    """The customer or the person asking is not acceptable; nothing was changed."""


class Forgetting(CaseWork):
    """Forgetting customers who ask for it, over one unit of work."""

    async def forget(self, customer_id: int, by_telegram_id: int | None = None) -> Forgotten:
        """Remove a customer's personal data; asked by a supervisor (Telegram id) or None,
        the shell."""
        by: Staff | None = None
        if by_telegram_id is not None:
            by = await self.uow.staff.by_telegram_id(by_telegram_id)
            if by is None or not (by.active and by.oversees):
                raise ForgetRefused(
                    f"Telegram id {by_telegram_id} is not an active supervisor or admin"
                )
        # Held, as every decision about the customer holds it: a case attached to them, or
        # a form of address written, while they are forgotten waits, and then sees it.
        customer = await self.uow.customers.hold(customer_id)
        if customer is None:
            raise ForgetRefused(f"there is no customer #{customer_id}")
        done = Forgotten(customer_id)
        changed = _forget_identity(customer)
        store = self.uow.redaction
        cases = list(await store.cases_of(customer_id))
        case_ids = [c.id for c in cases if c.id is not None]
        stored = await store.event_data(case_ids)
        personal = [(i, c, d) for i, c, d in stored if needs_redaction(d)]
        events = {i: redact(d) for i, _, d in personal}
        per_case = {c: sum(1 for _, of, _ in personal if of == c) for c in case_ids}
        await store.redact_events(events)
        payloads = await store.reminder_payloads(case_ids)
        await store.redact_payloads({i: redact(p) for i, _, p in payloads if needs_redaction(p)})
        done.events_redacted = len(events)
        done.incidents_redacted = await store.replace_incident_notes(customer_id, REDACTED_TEXT)
        for case in cases:
            draft = anonymous_part(case.draft)  # a request asked, a wait set: still so
            touched = bool(case.summary) or draft != case.draft or bool(per_case.get(case.id or 0))
            case.summary, case.draft, case.filed = None, draft, {}
            if touched or changed:
                self.touch(case)
                redacted = per_case.get(case.id or 0, 0)
                data = {"by": "staff" if by else "shell", "events_redacted": redacted}
                self.log(case, by, FORGOTTEN_EVENT, data)
                done.cases.append(int(case.id or 0))
        done.already = not (changed or events or done.cases or done.incidents_redacted)
        log.info(
            "customer %s forgotten by %s: %d cases, %d events redacted",
            customer_id,
            f"staff {by.id}" if by else "shell",
            len(done.cases),
            done.events_redacted,
        )
        return done


def _forget_identity(customer: Customer) -> bool:
    name = forgotten_name(int(customer.id or 0))
    personal = (customer.phone, customer.at_risk_reason, customer.given_name, customer.title)
    if customer.name == name and personal == (None, None, None, None):
        return False
    customer.name, customer.phone, customer.search_key = name, None, search_key(name)
    customer.at_risk_reason = None  # free text about them
    customer.given_name = customer.title = None  # how they are addressed
    return True
