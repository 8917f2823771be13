"""Rows the contract tests start from, added through the ports as the use cases add them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from flows.model import Case, CaseEvent, Customer, Role, Staff
from flows.parsing import search_key
from flows.ports import UnitOfWork

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Ho Chi Minh City


async def person(
    uow: UnitOfWork, telegram_id: int, name: str, role: str = Role.staff, active: bool = True
) -> Staff:
    return await uow.staff.add(
        Staff(telegram_id=telegram_id, name=name, role=role, active=active, created_at=NOW)
    )


async def customer(uow: UnitOfWork, name: str, **values: Any) -> Customer:
    return await uow.customers.add(
        Customer(name=name, search_key=search_key(name), created_at=NOW, **values)
    )


async def case(uow: UnitOfWork, owner: Staff, hours_ago: float = 0, **values: Any) -> Case:
    """A case opened `hours_ago` before NOW (and last changed then)."""
    at = NOW - timedelta(hours=hours_ago)
    values.setdefault("kind", "complaint")
    values.setdefault("state", "apologise")
    return await uow.cases.add(
        Case(owner_id=owner.id or 0, opened_at=at, updated_at=at, **values)
    )


def log(uow: UnitOfWork, case: Case, kind: str, **data: Any) -> CaseEvent:
    """Append an event as the use cases do (`Case.record`)."""
    event = case.record(NOW, case.owner_id, case.state, kind, data)
    uow.events.add(event)
    return event
