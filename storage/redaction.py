"""Where a customer's personal data is stored, and rewriting it in its redacted form.

The rules — what counts as personal, what its redacted form is, who may ask — are the use
case's (`flows.forgetting`, `flows.privacy`); this module only finds and rewrites rows. The
event log accepts exactly one kind of update, a redaction (migration 0004 checks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from flows.model import Case
from flows.procedures.complaint import Step
from storage import tables

Rows = list[tuple[int, int, dict[str, Any]]]  # (row id, case id, data)


class SqlRedactionRepository:
    """The rows that hold a customer's personal data."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def cases_of(self, customer_id: int) -> Sequence[Case]:
        """The customer's cases, and those still at intake that chose them in the draft."""
        cases = tables.cases.c
        found = await self.session.execute(
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

    async def event_data(self, case_ids: Sequence[int]) -> Rows:
        """Every event of these cases: (event id, case id, data)."""
        if not case_ids:
            return []
        events = tables.case_events
        rows = await self.session.execute(
            select(events.c.id, events.c.case_id, events.c.data)
            .where(events.c.case_id.in_(case_ids))
            .order_by(events.c.id)
        )
        return [(i, c, d) for i, c, d in rows.tuples() if isinstance(d, dict)]

    async def redact_events(self, redacted: dict[int, dict[str, Any]]) -> None:
        """Rewrite events' data in its redacted form (event id → new data)."""
        if not redacted:
            return
        events = tables.case_events
        await self.session.execute(
            update(events)
            .where(events.c.id == bindparam("event_id"))
            .values(data=bindparam("new")),
            [{"event_id": i, "new": data} for i, data in redacted.items()],
        )

    async def reminder_payloads(self, case_ids: Sequence[int]) -> Rows:
        """Every reminder of these cases: (reminder id, case id, payload)."""
        if not case_ids:
            return []
        reminders = tables.reminders
        rows = await self.session.execute(
            select(reminders.c.id, reminders.c.case_id, reminders.c.payload).where(
                reminders.c.case_id.in_(case_ids)
            )
        )
        return [(i, c, p) for i, c, p in rows.tuples() if isinstance(p, dict)]

    async def redact_payloads(self, redacted: dict[int, dict[str, Any]]) -> None:
        """Rewrite reminders' payloads in their redacted form (reminder id → new payload)."""
        reminders = tables.reminders
        for reminder_id, payload in redacted.items():
            await self.session.execute(
                update(reminders).where(reminders.c.id == reminder_id).values(payload=payload)
            )

    async def replace_incident_notes(self, customer_id: int, text: str) -> int:
        """Replace the notes of incidents about the customer; return how many changed."""
        incidents = tables.incidents
        result = await self.session.execute(
            update(incidents)
            .where(incidents.c.customer_id == customer_id, incidents.c.note != text)
            .values(note=text)
        )
        return int(getattr(result, "rowcount", 0) or 0)
