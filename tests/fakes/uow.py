"""An in-memory unit of work implementing every protocol of `flows/ports.py`.

The use cases run on it as they run on `storage.uow.SqlUnitOfWork`, without a database, in
microseconds; `tests/contract/` runs the same repository checks on both, so the two cannot
drift. What it keeps of the SQL side, because the use cases (and their bugs) depend on it:

- **One database, many units.** A `FakeDatabase` holds the committed rows; a unit of work
  reads what others committed plus its own changes (read committed), and its changes reach
  the others only when it commits. A unit closed or rolled back leaves nothing behind.
- **An identity map.** Within a unit, a row loaded twice is the same object; changes to
  loaded objects are written when the unit flushes, only the columns that changed.
- **Flushing when the session does.** Adding a person, a customer or a case flushes (it needs
  its id), and so does every query the SQL repositories run through the ORM. The statements
  they run on tables — figures and counts, the redaction's reads and rewrites, claiming an
  invite, `add_once` — see only what was flushed, and rewrite rows without refreshing the
  objects already loaded (as `session.execute(update(table))` does).
- **Columns.** Times come back in UTC and naive ones are refused; enums come back as plain
  strings; JSON columns come back as JSON returns them (tuples as lists, keys as strings).
- **Constraints.** Unique keys (Telegram id, event numbers, reminder dedupe keys), foreign
  keys, the append-only event log (only a redaction may rewrite an event, as migration 0004
  checks), and the case's version as an optimistic lock across units.
- **One difference, on purpose.** A JSON column changed in place on a loaded object
  (`case.draft["x"] = 1`) is silently not saved by SQLAlchemy; here it raises `LostChange`.

Not kept (nothing in `flows/` uses them; the adapters reach them on `SqlUnitOfWork` only):
processed update ids, the card a case is shown on, claiming and settling reminders.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import fields, replace
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from enum import Enum
from types import TracebackType
from typing import Any, TypeVar

from flows.case_filter import KINDS, CaseFilter
from flows.forms import ASKED_BY
from flows.model import (
    Case,
    CaseEvent,
    CaseKind,
    Customer,
    Incident,
    Invite,
    Reminder,
    ReminderStatus,
    Role,
    Staff,
)
from flows.parsing import WHOLE_NUMBER, phone_key
from flows.procedures import PROCEDURES, waits_for_decision
from flows.procedures.complaint import counted
from flows.reminders import handed_over

E = TypeVar("E", Staff, Customer, Case, CaseEvent, Invite, Reminder, Incident)
Ident = tuple[type, Any]

ENTITIES: tuple[type, ...] = (Staff, Invite, Customer, Case, CaseEvent, Reminder, Incident)
COLUMNS: dict[type, tuple[str, ...]] = {k: tuple(f.name for f in fields(k)) for k in ENTITIES}
JSON_COLUMNS: dict[type, tuple[str, ...]] = {
    Case: ("draft",),
    CaseEvent: ("data",),
    Reminder: ("payload",),
}
UNIQUE: dict[type, tuple[tuple[str, ...], ...]] = {
    Staff: (("telegram_id",),),
    CaseEvent: (("case_id", "seq"),),
    Reminder: (("dedupe_key",),),
}
REFERENCES: dict[type, dict[str, type]] = {
    Invite: {"created_by": Staff, "used_by": Staff},
    Customer: {"created_by": Staff, "at_risk_by": Staff},
    Case: {"owner_id": Staff, "customer_id": Customer},
    CaseEvent: {"case_id": Case, "actor_id": Staff},
    Reminder: {"recipient_id": Staff, "case_id": Case},
    Incident: {"customer_id": Customer, "created_by": Staff, "case_id": Case},
}

#: States in which a case of any kind is still open; states waiting for a decision.
OPEN_STATES = frozenset(
    s for p in PROCEDURES.values() for s in p.flow.all_states() if not p.flow.is_final(s)
)
OVERSEEING = (Role.supervisor, Role.admin)
APPEND_ONLY = "case_events is append-only: add a correcting event instead"
REDACTED = "redacted"


class FakeStorageError(Exception):
    """What the database would refuse."""


class IntegrityViolation(FakeStorageError):
    """A unique or foreign key refuses the write (`IntegrityError` on SQL)."""


class AppendOnlyViolation(FakeStorageError):
    """An event rewritten other than by a redaction (the database trigger refuses it)."""


class ConcurrentChange(FakeStorageError):
    """The case was changed by another unit since this one loaded it (`StaleDataError`)."""


class LostChange(FakeStorageError):
    """A JSON column changed in place: SQLAlchemy would not notice, and not save it."""


# ------------------------------------------------------------------------ columns


def _key(row: Any) -> Any:
    return row.code if isinstance(row, Invite) else row.id


def _column(kind: type, name: str, value: Any) -> Any:
    """The value as the database gives it back."""
    if name in JSON_COLUMNS.get(kind, ()):
        return json.loads(json.dumps(value))
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: times must carry a time zone")
        return value.astimezone(UTC)
    if isinstance(value, Enum):
        return value.value
    return value


def _columns(kind: type) -> tuple[str, ...]:
    return COLUMNS[kind]


def _row(entity: E) -> E:
    """What the database stores of an object."""
    kind = type(entity)
    return kind(**{n: _column(kind, n, getattr(entity, n)) for n in _columns(kind)})


def _fresh(row: E) -> E:
    """An object loaded from a row, with JSON values of its own."""
    kind, json_columns = type(row), JSON_COLUMNS.get(type(row), ())
    values = {n: getattr(row, n) for n in _columns(kind)}
    return kind(**{n: copy.deepcopy(v) if n in json_columns else v for n, v in values.items()})


def _given_by_currency(cases: Iterable[Case]) -> dict[str | None, int]:
    given: dict[str | None, int] = {}
    for case in cases:
        if case.compensation_total > 0:
            given[case.currency] = given.get(case.currency, 0) + case.compensation_total
    return given


def _nulls_last(value: Any) -> tuple[bool, Any]:
    return (value is None, value)


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)


def _is_redaction(old: Any, new: Any) -> bool:
    """Tell whether `new` is `old` with keys removed and flagged redacted (migration 0004)."""
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return False
    if new.get(REDACTED) is not True or old.get(REDACTED) is True:
        return False
    return all(
        k in old and json.dumps(old[k]) == json.dumps(v) for k, v in new.items() if k != REDACTED
    )


# ------------------------------------------------------------------------ storage


class FakeDatabase:
    """The committed rows, shared by every unit of work opened on it."""

    def __init__(self) -> None:
        self.tables: dict[type, dict[Any, Any]] = {kind: {} for kind in ENTITIES}
        self._last_id: dict[type, int] = dict.fromkeys(ENTITIES, 0)

    def unit(self) -> FakeUnitOfWork:
        """Open a unit of work on this database."""
        return FakeUnitOfWork(self)

    def new_id(self, kind: type, wanted: int | None = None) -> int:
        """Draw the next id of a table (never reused, like a sequence)."""
        if wanted is None:
            wanted = self._last_id[kind] + 1
        self._last_id[kind] = max(self._last_id[kind], wanted)
        return wanted

    def rows(self, kind: type[E]) -> list[E]:
        """Committed rows of one table in key order, as copies to look at."""
        return [_fresh(row) for _, row in sorted(self.tables[kind].items())]

    def row(self, kind: type[E], key: Any) -> E | None:
        """One committed row, as a copy to look at."""
        row = self.tables[kind].get(key)
        return None if row is None else _fresh(row)


class FakeUnitOfWork:
    """Repositories sharing one transaction on a `FakeDatabase`; rolled back unless committed."""

    def __init__(self, database: FakeDatabase | None = None) -> None:
        self.database = database if database is not None else FakeDatabase()
        self.staff = FakeStaffRepository(self)
        self.customers = FakeCustomerRepository(self)
        self.cases = FakeCaseRepository(self)
        self.events = FakeEventRepository(self)
        self.invites = FakeInviteRepository(self)
        self.reminders = FakeReminderRepository(self)
        self.incidents = FakeIncidentRepository(self)
        self.redaction = FakeRedactionRepository(self)
        self._forget()

    async def __aenter__(self) -> FakeUnitOfWork:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._forget()  # closing rolls back; loaded objects stay readable to their holders

    async def commit(self) -> None:
        """Write everything done in this unit for the other units to see."""
        self.flush()
        committed = self.database.tables
        for key, base in self._base_version.items():
            if committed[Case][key].version != base:
                raise ConcurrentChange(f"case #{key} was changed by another unit")
        for kind, rows in self._changed.items():
            _check_unique(kind, {**committed[kind], **rows})
        for kind, rows in self._changed.items():
            committed[kind].update(rows)
        self._begin()

    async def rollback(self) -> None:
        """Drop everything done in this unit."""
        self._forget()

    # ------------------------------------------------------------- the session

    def _forget(self) -> None:
        """A new transaction with an empty identity map."""
        self._objects: dict[Ident, Any] = {}
        self._flushed: dict[Ident, Any] = {}  # each object's row as this unit last saw it
        self._given: dict[Ident, dict[str, Any]] = {}  # its JSON values as last flushed
        self._begin()

    def _begin(self) -> None:
        """A new transaction; objects loaded so far stay in the identity map."""
        self._changed: dict[type, dict[Any, Any]] = {kind: {} for kind in ENTITIES}
        self._pending: list[Any] = []
        self._base_version: dict[Any, int] = {}  # committed versions of the cases written

    def rows(self, kind: type[E]) -> dict[Any, E]:
        """The rows of a table as this unit sees them, without flushing (a table statement)."""
        return {**self.database.tables[kind], **self._changed[kind]}

    def flush(self) -> None:
        """Write pending objects and changes to loaded ones into this unit's transaction."""
        pending, self._pending = self._pending, []
        written = [self._insert(entity) for entity in pending]
        written += [i for i, entity in list(self._objects.items()) if self._update(i, entity)]
        for kind in {kind for kind, _ in written}:
            _check_unique(kind, self.rows(kind))
        for kind, key in written:
            self._check_references(self.rows(kind)[key])

    def add_later(self, entity: Any) -> None:
        """Add an object, written at the next flush (`session.add`)."""
        self._pending.append(entity)

    def add_now(self, entity: E) -> E:
        """Add an object and flush, so that it has its id."""
        self._pending.append(entity)
        self.flush()
        return entity

    def get(self, kind: type[E], key: Any) -> E | None:
        """Load by key: from the identity map, or flush and read (`session.get`)."""
        loaded = self._objects.get((kind, key))
        if loaded is not None:
            return loaded  # type: ignore[no-any-return]
        self.flush()
        row = self.rows(kind).get(key)
        return None if row is None else self._adopt(row)

    def select(
        self,
        kind: type[E],
        where: Callable[[E], bool],
        order: Callable[[E], Any] | None = None,
        *,
        descending: bool = False,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[E]:
        """Flush, then load the rows that match, in order (an ORM query)."""
        self.flush()
        found = [row for _, row in sorted(self.rows(kind).items()) if where(row)]
        if order is not None:
            found.sort(key=order, reverse=descending)
        end = None if limit is None else offset + limit
        return [self._adopt(row) for row in found[offset:end]]

    def insert_row(self, entity: Any) -> bool:
        """Insert a row unless a unique key is taken, without flushing (`ON CONFLICT DO
        NOTHING`); the object itself is not loaded."""
        kind = type(entity)
        row = replace(_row(entity), id=self.database.new_id(kind))
        try:
            _check_unique(kind, {**self.rows(kind), row.id: row})
        except IntegrityViolation:
            return False
        self._check_references(row)
        self._changed[kind][row.id] = row
        return True

    def update_row(self, kind: type, key: Any, **values: Any) -> None:
        """Rewrite columns of one row, leaving loaded objects as they are (a table UPDATE)."""
        row = replace(self.rows(kind)[key], **{n: _column(kind, n, v) for n, v in values.items()})
        self._check_references(row)
        self._changed[kind][key] = row

    def _adopt(self, row: E) -> E:
        ident = (type(row), _key(row))
        loaded = self._objects.get(ident)
        if loaded is not None:
            return loaded  # type: ignore[no-any-return]
        entity = _fresh(row)
        self._watch(ident, entity, row)
        return entity

    def _watch(self, ident: Ident, entity: Any, row: Any) -> None:
        self._objects[ident] = entity
        self._flushed[ident] = row
        self._given[ident] = {n: getattr(entity, n) for n in JSON_COLUMNS.get(ident[0], ())}

    def _insert(self, entity: Any) -> Ident:
        kind = type(entity)
        if kind is not Invite:
            entity.id = self.database.new_id(kind, entity.id)
        ident = (kind, _key(entity))
        if ident[1] in self.rows(kind):
            raise IntegrityViolation(f"{kind.__name__} {ident[1]!r} exists already")
        row = _row(entity)
        self._changed[kind][ident[1]] = row
        self._watch(ident, entity, row)
        return ident

    def _update(self, ident: Ident, entity: Any) -> bool:
        kind, key = ident
        seen: Any = self._flushed[ident]
        given = self._given[ident]
        changes: dict[str, Any] = {}
        for name in _columns(kind):
            value, old = getattr(entity, name), getattr(seen, name)
            if name in given and value is given[name]:
                if value != old and _column(kind, name, value) != old:
                    raise LostChange(f"{kind.__name__}.{name} of {key} was changed in place")
                continue
            if value is old:
                continue
            stored = _column(kind, name, value)
            if stored != old:
                changes[name] = stored
        if not changes:
            return False
        if kind is CaseEvent:
            raise AppendOnlyViolation(APPEND_ONLY)
        current: Any = self.rows(kind)[key]
        if kind is Case:
            if current.version != seen.version:
                raise ConcurrentChange(f"case #{key} was changed by another unit")
            if key not in self._changed[Case]:
                self._base_version[key] = current.version
        self._changed[kind][key] = replace(current, **changes)
        self._flushed[ident] = replace(seen, **changes)
        self._given[ident] = {n: getattr(entity, n) for n in given}
        return True

    def _check_references(self, row: Any) -> None:
        for column, target in REFERENCES.get(type(row), {}).items():
            value = getattr(row, column)
            if value is not None and value not in self.rows(target):
                raise IntegrityViolation(f"{type(row).__name__}.{column}: no {value!r}")


def _check_unique(kind: type, rows: dict[Any, Any]) -> None:
    for columns in UNIQUE.get(kind, ()):
        values = [tuple(getattr(r, c) for c in columns) for r in rows.values()]
        values = [v for v in values if None not in v]
        if len(values) != len(set(values)):
            raise IntegrityViolation(f"{kind.__name__}{columns} must be unique")


# ------------------------------------------------------------------ repositories


class _Repository:
    def __init__(self, unit: FakeUnitOfWork) -> None:
        self.unit = unit


class FakeStaffRepository(_Repository):
    """Registered people."""

    async def by_telegram_id(self, telegram_id: int) -> Staff | None:
        found = self.unit.select(Staff, lambda s: s.telegram_id == telegram_id)
        return found[0] if found else None

    async def get(self, staff_id: int) -> Staff | None:
        return self.unit.get(Staff, staff_id)

    async def add(self, staff: Staff) -> Staff:
        return self.unit.add_now(staff)

    async def overseers(self) -> Sequence[Staff]:
        return self.unit.select(Staff, lambda s: s.role in OVERSEEING and s.active)

    async def by_ids(self, ids: set[int]) -> dict[int, Staff]:
        if not ids:
            return {}
        return {s.id or 0: s for s in self.unit.select(Staff, lambda s: s.id in ids)}

    async def everyone(self) -> Sequence[Staff]:
        return self.unit.select(Staff, lambda s: True)


class FakeCustomerRepository(_Repository):
    """Customers, searchable by folded name or phone (callers fold the key)."""

    async def get(self, customer_id: int) -> Customer | None:
        return self.unit.get(Customer, customer_id)

    async def hold(self, customer_id: int) -> Customer | None:
        return self.unit.get(Customer, customer_id)  # one unit at a time here

    async def add(self, customer: Customer) -> Customer:
        return self.unit.add_now(customer)

    async def search(self, key: str, limit: int) -> Sequence[Customer]:
        def matches(c: Customer) -> bool:
            if key.isdigit() and len(key) >= WHOLE_NUMBER:
                return c.phone is not None and phone_key(c.phone).startswith(key)
            found = key in c.search_key or (c.phone is not None and key in c.phone)
            return found and not c.forgotten

        return self.unit.select(Customer, matches, lambda c: (c.name, c.id or 0), limit=limit)

    async def with_phone(self, key: str, limit: int) -> Sequence[Customer]:
        def matches(c: Customer) -> bool:
            return c.phone is not None and phone_key(c.phone) == key

        return self.unit.select(Customer, matches, lambda c: (c.name, c.id or 0), limit=limit)

    async def by_ids(self, ids: set[int]) -> dict[int, Customer]:
        if not ids:
            return {}
        return {c.id or 0: c for c in self.unit.select(Customer, lambda c: c.id in ids)}

    async def at_risk(self, limit: int, currency: str) -> Sequence[Customer]:
        def most_valuable_first(c: Customer) -> tuple[bool, bool, str, int, int]:
            kept_in = c.currency or currency
            value = c.yearly_value
            return (value is None, kept_in != currency, kept_in, -(value or 0), c.id or 0)

        at_risk = self.unit.select(Customer, lambda c: c.status == "at_risk")
        return sorted(at_risk, key=most_valuable_first)[:limit]


class FakeCaseRepository(_Repository):
    """Cases; `add` assigns the case number."""

    async def get(self, case_id: int) -> Case | None:
        return self.unit.get(Case, case_id)

    async def add(self, case: Case) -> Case:
        return self.unit.add_now(case)

    async def follow_ups(
        self, owner_id: int | None, until: datetime | None, limit: int
    ) -> Sequence[Case]:
        def due(c: Case) -> bool:
            if c.state != "awaiting_follow_up" or owner_id not in (None, c.owner_id):
                return False
            if until is None:
                return True
            due = c.follow_up_due_at
            return due is not None and due < until and c.overdue_since is None

        return self.unit.select(Case, due, _by("follow_up_due_at"), limit=limit)

    async def customer_figures(self, customer_id: int) -> dict[str, Any]:
        self.unit.flush()  # this unit's own changes count, as the SQL flushes first
        theirs = [c for c in self._table() if c.customer_id == customer_id]
        made = [c for c in theirs if c.kind == CaseKind.complaint and counted(c)]
        opened = [c.opened_at for c in made]
        return {
            "complaints": len(opened),
            "reopens": sum(c.reopen_count for c in made),
            "compensation": _given_by_currency(theirs),
            "first_complaint": min(opened, default=None),
            "last_complaint": max(opened, default=None),
            "open_cases": sorted(c.id for c in theirs if c.state in OPEN_STATES),
        }

    async def open_for_customer(self, customer_id: int) -> Sequence[Case]:
        return self.unit.select(
            Case, lambda c: c.customer_id == customer_id and c.state in OPEN_STATES
        )

    async def complaints_since(self, customer_id: int, since: datetime) -> int:
        self.unit.flush()  # this unit's own changes count, as the SQL flushes first
        return sum(
            c.customer_id == customer_id
            and c.kind == CaseKind.complaint
            and c.opened_at >= since
            and counted(c)
            for c in self._table()
        )

    async def waiting_decision(self, decider_id: int, limit: int) -> Sequence[Case]:
        def decidable(c: Case) -> bool:
            return waits_for_decision(c) and not _barred(c, decider_id)

        return self.unit.select(Case, decidable, _by("updated_at"), limit=limit)

    async def waiting_on_others(self, person_id: int) -> int:
        return sum(waits_for_decision(c) and _barred(c, person_id) for c in self._table())

    async def overdue(self, owner_id: int | None, limit: int) -> Sequence[Case]:
        def overdue(c: Case) -> bool:
            return c.overdue_since is not None and owner_id in (None, c.owner_id)

        return self.unit.select(Case, overdue, _by("overdue_since"), limit=limit)

    async def untouched(
        self, owner_id: int | None, before: datetime, limit: int, but: int | None = None
    ) -> Sequence[Case]:
        reminded = {
            r.case_id
            for r in self.unit.select(Reminder, lambda r: r.status == ReminderStatus.pending)
        }

        def untouched(c: Case) -> bool:
            return (
                owner_id in (None, c.owner_id)
                and c.owner_id != but
                and c.state in OPEN_STATES
                and c.updated_at < before
                and c.overdue_since is None
                and not waits_for_decision(c)
                and c.id not in reminded
            )

        return self.unit.select(Case, untouched, _by("updated_at"), limit=limit)

    async def count_open_by_state(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for case in self._table():
            if case.state in OPEN_STATES:
                counts[case.state] = counts.get(case.state, 0) + 1
        return counts

    async def find(self, wanted: CaseFilter, limit: int, tz: tzinfo) -> Sequence[Case]:
        start = None if wanted.start is None else _midnight(wanted.start, tz)
        end = None if wanted.end is None else _midnight(wanted.end + timedelta(days=1), tz)

        def matches(c: Case) -> bool:
            return (
                _has_status(c, wanted.status)
                and (wanted.kind not in KINDS or c.kind == KINDS[wanted.kind])
                and wanted.owner_id in (None, c.owner_id)
                and (wanted.customer_id is None or c.customer_id == wanted.customer_id)
                and (start is None or c.opened_at >= start)
                and (end is None or c.opened_at < end)
            )

        return self.unit.select(
            Case,
            matches,
            lambda c: (c.opened_at, c.id),
            descending=True,
            offset=wanted.offset,
            limit=limit,
        )

    async def figures_by_owner(self) -> dict[int, dict[str, int]]:
        figures: dict[int, dict[str, int]] = {}
        for c in self._table():
            mine = figures.setdefault(c.owner_id, {"open": 0, "overdue": 0, "turned_around": 0})
            mine["open"] += c.state in OPEN_STATES
            mine["overdue"] += c.overdue_since is not None
            mine["turned_around"] += c.kind == CaseKind.complaint and c.resolution == "resolved"
        return figures

    def _table(self) -> Iterable[Case]:
        """The cases as flushed (the SQL runs its counts on the table, without autoflush)."""
        return self.unit.rows(Case).values()


def _barred(case: Case, person_id: int) -> bool:
    """The case is the person's, or they asked for the decision it waits on."""
    return person_id in (case.owner_id, case.draft.get(ASKED_BY))


def _by(column: str) -> Callable[[Any], Any]:
    return lambda row: (_nulls_last(getattr(row, column)), row.id)


def _has_status(case: Case, status: str) -> bool:
    if status == "o":
        return case.state in OPEN_STATES
    if status == "c":
        return case.state not in OPEN_STATES
    if status == "d":
        return case.overdue_since is not None
    if status == "a":
        return waits_for_decision(case)
    return True


class FakeEventRepository(_Repository):
    """The append-only timeline."""

    def add(self, event: CaseEvent) -> None:
        self.unit.add_later(event)

    async def for_case(self, case_id: int) -> Sequence[CaseEvent]:
        return self.unit.select(CaseEvent, lambda e: e.case_id == case_id, lambda e: e.seq)

    async def of_kinds(
        self, case_ids: Collection[int], kinds: Collection[str]
    ) -> Sequence[CaseEvent]:
        return self.unit.select(
            CaseEvent,
            lambda e: e.case_id in case_ids and e.kind in kinds,
            lambda e: (e.case_id, e.seq),
        )


class FakeInviteRepository(_Repository):
    """One-time registration codes."""

    async def get(self, code: str) -> Invite | None:
        return self.unit.get(Invite, code)

    async def use(self, code: str, staff_id: int, now: datetime) -> bool:
        invite = self.unit.rows(Invite).get(code)
        if invite is None or invite.used_at is not None:
            return False
        self.unit.update_row(Invite, code, used_by=staff_id, used_at=now)
        return True

    def add(self, invite: Invite) -> None:
        self.unit.add_later(invite)


class FakeReminderRepository(_Repository):
    """Reminder rows."""

    def add(self, reminder: Reminder) -> None:
        self.unit.add_later(reminder)

    async def add_once(self, reminder: Reminder) -> bool:
        row = replace(reminder, attempts=0, lease_until=None, sent_at=None, last_error=None)
        return self.unit.insert_row(row)

    async def hand_over(
        self, case_id: int, kinds: Sequence[str], giver_id: int, taker_id: int
    ) -> None:
        rows = self.unit.select(
            Reminder, lambda r: r.case_id == case_id and r.kind in kinds, lambda r: r.id
        )
        for reminder, key in handed_over(rows, giver_id, taker_id):
            if key is None:
                reminder.status = ReminderStatus.dropped
            else:
                reminder.recipient_id, reminder.dedupe_key = taker_id, key or None


class FakeIncidentRepository(_Repository):
    """Documented incidents."""

    def add(self, incident: Incident) -> None:
        self.unit.add_later(incident)

    async def for_customer(self, customer_id: int) -> Sequence[Incident]:
        return self.unit.select(
            Incident, lambda i: i.customer_id == customer_id, lambda i: (i.happened_on, i.id)
        )


Rows = list[tuple[int, int, dict[str, Any]]]


class FakeRedactionRepository(_Repository):
    """The rows that hold a customer's personal data."""

    async def cases_of(self, customer_id: int) -> Sequence[Case]:
        def maybe(c: Case) -> bool:
            return c.customer_id == customer_id or (c.customer_id is None and c.state == "intake")

        return [
            c
            for c in self.unit.select(Case, maybe)
            if c.customer_id == customer_id or c.draft.get("customer") == customer_id
        ]

    async def event_data(self, case_ids: Sequence[int]) -> Rows:
        return _data_of(self.unit.rows(CaseEvent).values(), case_ids, "data")

    async def redact_events(self, redacted: dict[int, dict[str, Any]]) -> None:
        for event_id, data in redacted.items():
            if not _is_redaction(self.unit.rows(CaseEvent)[event_id].data, data):
                raise AppendOnlyViolation(APPEND_ONLY)
            self.unit.update_row(CaseEvent, event_id, data=data)

    async def reminder_payloads(self, case_ids: Sequence[int]) -> Rows:
        return _data_of(self.unit.rows(Reminder).values(), case_ids, "payload")

    async def redact_payloads(self, redacted: dict[int, dict[str, Any]]) -> None:
        for reminder_id, payload in redacted.items():
            self.unit.update_row(Reminder, reminder_id, payload=payload)

    async def replace_incident_notes(self, customer_id: int, text: str) -> int:
        theirs = [
            i.id
            for i in self.unit.rows(Incident).values()
            if i.customer_id == customer_id and i.note != text
        ]
        for incident_id in theirs:
            self.unit.update_row(Incident, incident_id, note=text)
        return len(theirs)


def _data_of(rows: Iterable[Any], case_ids: Sequence[int], column: str) -> Rows:
    wanted = set(case_ids)
    return [
        (row.id, row.case_id, copy.deepcopy(getattr(row, column)))
        for row in sorted(rows, key=lambda r: r.id)
        if row.case_id in wanted and isinstance(getattr(row, column), dict)
    ]
