"""Map the domain dataclasses onto the tables (classical mapping)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, registry

from flows.model import Case, CaseEvent, Customer, Incident, Invite, Reminder, Staff
from flows.parsing import phone_key
from storage import tables
from storage.request_copies import note_ended_requests

mapper_registry = registry(metadata=tables.metadata)
_mapped = False


def start_mappers() -> None:
    """Map every domain class once per process."""
    global _mapped
    if _mapped:
        return
    mapper_registry.map_imperatively(Staff, tables.staff)
    mapper_registry.map_imperatively(Invite, tables.invites)
    mapper_registry.map_imperatively(Customer, tables.customers)
    mapper_registry.map_imperatively(
        Case,
        tables.cases,
        version_id_col=tables.cases.c.version,
        version_id_generator=False,  # the flows bump it; a lost race raises StaleDataError
    )
    mapper_registry.map_imperatively(CaseEvent, tables.case_events)
    mapper_registry.map_imperatively(Reminder, tables.reminders)
    mapper_registry.map_imperatively(Incident, tables.incidents)
    event.listen(Customer.phone, "set", _key_phone)
    # Whatever ends a request for a decision, its copies are marked in the same transaction.
    event.listen(Session, "before_flush", note_ended_requests)
    _mapped = True


def _key_phone(customer: Any, phone: str | None, _old: object, _initiator: object) -> None:
    """Keep a customer's `phone_key` (a column, not a field of the domain) with their phone."""
    customer.phone_key = phone_key(phone) if phone else None
