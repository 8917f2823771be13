"""What the flows need from storage, as protocols; `storage/` implements them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from flows.model import Case, CaseEvent, Customer, Incident, Invite, Reminder, Staff


class StaffRepository(Protocol):
    """Registered people."""

    async def by_telegram_id(self, telegram_id: int) -> Staff | None: ...
    async def get(self, staff_id: int) -> Staff | None: ...
    async def add(self, staff: Staff) -> Staff: ...
    async def overseers(self) -> Sequence[Staff]: ...
    async def by_ids(self, ids: set[int]) -> dict[int, Staff]: ...


class CustomerRepository(Protocol):
    """Customers, searchable by folded name or phone."""

    async def get(self, customer_id: int) -> Customer | None: ...
    async def add(self, customer: Customer) -> Customer: ...
    async def search(self, key: str, limit: int) -> Sequence[Customer]: ...
    async def by_ids(self, ids: set[int]) -> dict[int, Customer]: ...


class CaseRepository(Protocol):
    """Cases; `add` assigns the case number."""

    async def get(self, case_id: int) -> Case | None: ...
    async def add(self, case: Case) -> Case: ...
    async def open_cases(self, owner_id: int | None, limit: int) -> Sequence[Case]: ...
    async def follow_ups(
        self, owner_id: int | None, until: datetime | None, limit: int
    ) -> Sequence[Case]: ...
    async def customer_figures(self, customer_id: int) -> dict[str, Any]: ...
    async def open_for_customer(self, customer_id: int) -> Sequence[Case]: ...


class EventRepository(Protocol):
    """The append-only timeline: events are added and read, never changed."""

    def add(self, event: CaseEvent) -> None: ...
    async def for_case(self, case_id: int) -> Sequence[CaseEvent]: ...


class InviteRepository(Protocol):
    """One-time registration codes."""

    async def get(self, code: str) -> Invite | None: ...
    def add(self, invite: Invite) -> None: ...


class ReminderRepository(Protocol):
    """Reminder rows, written in the same transaction as the change that needs them."""

    def add(self, reminder: Reminder) -> None: ...


class IncidentRepository(Protocol):
    """Documented incidents of customers."""

    def add(self, incident: Incident) -> None: ...
    async def for_customer(self, customer_id: int) -> Sequence[Incident]: ...


class UnitOfWork(Protocol):
    """One transaction: repositories never commit; the use case commits once."""

    staff: StaffRepository
    customers: CustomerRepository
    cases: CaseRepository
    events: EventRepository
    invites: InviteRepository
    reminders: ReminderRepository
    incidents: IncidentRepository

    async def commit(self) -> None: ...
    async def rollback(self) -> None: ...
