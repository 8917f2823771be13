"""Repositories over one session; they add and query, and never commit."""

from __future__ import annotations

import functools
from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Select,
    String,
    and_,
    bindparam,
    func,
    literal,
    not_,
    or_,
    select,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.util import identity_key

from flows.case_filter import KINDS, CaseFilter
from flows.forms import ASKED_BY, ASKED_ON
from flows.model import (
    Case,
    CaseEvent,
    CaseKind,
    Customer,
    Incident,
    Invite,
    ReminderStatus,
    Role,
    Staff,
)
from flows.parsing import WHOLE_NUMBER
from flows.privacy import FORGOTTEN_PREFIX
from flows.procedures import ASKING_STATES, DECISION_STATES, PROCEDURES
from flows.procedures.complaint import MISTAKEN, Step
from storage import tables

#: States in which a case of any kind is still open.
OPEN_ANY = tuple(
    sorted({s for p in PROCEDURES.values() for s in p.flow.all_states() if not p.flow.is_final(s)})
)


@functools.cache
def _acting(*, named: bool) -> Select[tuple[Staff, Case, Customer]]:
    """A person (bound `telegram_id`) with a case and its customer: the case bound as
    `case_id` when `named`, else the one whose question the person is answering.

    Built once (the classes are mapped by then): building a statement of three mapped
    entities cost more than running it, about 0.15 ms of every update.
    """
    staff, cases, customers = tables.staff, tables.cases, tables.customers
    case_id = bindparam("case_id") if named else staff.c.expecting_case_id
    return (
        select(Staff, Case, Customer)
        .select_from(Staff)
        .outerjoin(Case, cases.c.id == case_id)
        .outerjoin(Customer, customers.c.id == cases.c.customer_id)
        .where(staff.c.telegram_id == bindparam("telegram_id"))
    )


class SqlStaffRepository:
    """Registered people."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_telegram_id(self, telegram_id: int) -> Staff | None:
        """Find an active person by Telegram user id."""
        result = await self.session.execute(
            select(Staff).where(tables.staff.c.telegram_id == telegram_id)
        )
        return result.scalar_one_or_none()

    async def acting(
        self, telegram_id: int, case_id: int | None
    ) -> tuple[Staff | None, Case | None, Customer | None]:
        """Load a person with the case they act on, and its customer, in one statement.

        The case is the one named (a button's), else the one whose question they are
        answering; either may be missing or not theirs: the use case checks.
        """
        params = {"telegram_id": telegram_id, "case_id": case_id}
        row = (await self.session.execute(_acting(named=case_id is not None), params)).first()
        return (None, None, None) if row is None else row._tuple()

    async def get(self, staff_id: int) -> Staff | None:
        """Load a person by id."""
        return await self.session.get(Staff, staff_id)

    async def add(self, staff: Staff) -> Staff:
        """Add a person and assign the id."""
        self.session.add(staff)
        await self.session.flush()
        return staff

    async def overseers(self) -> Sequence[Staff]:
        """List active supervisors and admins."""
        result = await self.session.execute(
            select(Staff)
            .where(tables.staff.c.role.in_([Role.supervisor, Role.admin]))
            .where(tables.staff.c.active.is_(True))
            .order_by(tables.staff.c.id)
        )
        return result.scalars().all()

    async def by_ids(self, ids: set[int]) -> dict[int, Staff]:
        """Load several people at once."""
        if not ids:
            return {}
        result = await self.session.execute(select(Staff).where(tables.staff.c.id.in_(ids)))
        return {s.id: s for s in result.scalars() if s.id is not None}

    async def everyone(self) -> Sequence[Staff]:
        """List every registered person."""
        result = await self.session.execute(select(Staff).order_by(tables.staff.c.id))
        return result.scalars().all()


def customers_matching(c: Any, key: str) -> ColumnElement[bool]:
    """The customers (columns `c`) whose folded name or phone contains a search's `key`. A
    whole phone number (`WHOLE_NUMBER` digits or more) is looked up from its start in
    `phone_key`, not looked for in every customer's phone."""
    if key.isdigit() and len(key) >= WHOLE_NUMBER:
        return c.phone_key.between(key, key + ":")  # ":" comes right after "9"
    return or_(c.search_key.contains(key, autoescape=True), c.phone.contains(key, autoescape=True))


class SqlCustomerRepository:
    """Customers."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, customer_id: int) -> Customer | None:
        """Load a customer by id."""
        return await self.session.get(Customer, customer_id)

    async def hold(self, customer_id: int) -> Customer | None:
        """Load a customer afresh and hold their row until the unit ends (`FOR UPDATE`).

        A decision about a customer (their standing, their other cases) taken after this
        waits for any other unit deciding about them, then reads what it wrote. SQLite
        has no row locks and needs none: a unit there holds the database's write lock.
        Nothing pending is flushed first: the customer is always locked before the rows
        this unit changes, as in every other unit, so two never wait for each other; and
        the customer is read afresh, so hold them before changing them, not after.
        """
        with self.session.no_autoflush:
            found = await self.session.execute(
                select(Customer)
                .where(tables.customers.c.id == customer_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
        return found.scalars().first()

    async def add(self, customer: Customer) -> Customer:
        """Add a customer and assign the id."""
        self.session.add(customer)
        await self.session.flush()
        return customer

    async def search(self, key: str, limit: int) -> Sequence[Customer]:
        """Find customers whose folded name or phone contains `key` (`customers_matching`),
        in name order, those of one name in the order they were recorded; never one forgotten
        (nothing new may be recorded about them: they are not offered)."""
        c = tables.customers.c
        forgotten = literal(FORGOTTEN_PREFIX, String) + c.id.cast(String)
        result = await self.session.execute(
            select(Customer)
            .where(customers_matching(c, key), c.name != forgotten)
            .order_by(c.name, c.id)
            .limit(limit)
        )
        return result.scalars().all()

    async def with_phone(self, key: str, limit: int) -> Sequence[Customer]:
        """Find the customers whose phone has this `phone_key`, however it was written."""
        c = tables.customers.c
        result = await self.session.execute(
            select(Customer).where(c.phone_key == key).order_by(c.name, c.id).limit(limit)
        )
        return result.scalars().all()

    async def at_risk(self, limit: int, currency: str) -> Sequence[Customer]:
        """List customers flagged at risk, the most valuable first: those valued in
        `currency` (the one set; a customer recorded before currencies were kept is in it),
        then each other currency's apart (no number in one is weighed against a number in
        another), those of no known value last."""
        c = tables.customers.c
        kept_in = func.coalesce(c.currency, currency)
        result = await self.session.execute(
            select(Customer)
            .where(c.status == "at_risk")
            .order_by(
                c.yearly_value.is_(None), kept_in != currency, kept_in, c.yearly_value.desc(), c.id
            )
            .limit(limit)
        )
        return result.scalars().all()

    async def by_ids(self, ids: set[int]) -> dict[int, Customer]:
        """Load several customers at once."""
        if not ids:
            return {}
        result = await self.session.execute(select(Customer).where(tables.customers.c.id.in_(ids)))
        return {c.id: c for c in result.scalars() if c.id is not None}


class SqlCaseRepository:
    """Cases."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        # Objects loaded ahead of their use (a case's customer, the case an actor acts on):
        # the session holds unchanged objects weakly, so these keep them there for this
        # unit of work.
        self._held: list[Case | Customer] = []

    async def get(self, case_id: int) -> Case | None:
        """Load a case by its number, and its customer with it (one statement: drawing the
        case needs both, and the customer is then found in the session)."""
        known = self.session.identity_map.get(identity_key(Case, case_id))
        if known is not None:
            return cast("Case", known)
        cases, customers = tables.cases, tables.customers
        row = (
            await self.session.execute(
                select(Case, Customer)
                .outerjoin(Customer, customers.c.id == cases.c.customer_id)
                .where(cases.c.id == case_id)
            )
        ).first()
        if row is None:
            return None
        case, customer = row
        self.hold(customer)
        return cast("Case", case)

    def hold(self, *loaded: Case | Customer | None) -> None:
        """Keep objects loaded ahead of their use in the session until the unit ends."""
        self._held.extend(item for item in loaded if item is not None)

    async def add(self, case: Case) -> Case:
        """Add a case and assign its number."""
        self.session.add(case)
        await self.session.flush()
        return case

    async def follow_ups(
        self, owner_id: int | None, until: datetime | None, limit: int
    ) -> Sequence[Case]:
        """List cases waiting for follow-up, soonest first (cases due at once by number); with
        `until`, those due by then and not yet overdue (an overdue one is listed as such, not
        as one more due)."""
        query = select(Case).where(tables.cases.c.state == Step.awaiting_follow_up)
        if owner_id is not None:
            query = query.where(tables.cases.c.owner_id == owner_id)
        if until is not None:
            query = query.where(
                tables.cases.c.follow_up_due_at < until, tables.cases.c.overdue_since.is_(None)
            )
        result = await self.session.execute(
            query.order_by(tables.cases.c.follow_up_due_at, tables.cases.c.id).limit(limit)
        )
        return result.scalars().all()

    async def overdue(self, owner_id: int | None, limit: int) -> Sequence[Case]:
        """List cases whose follow-up is overdue, the longest first (at once: by number), the
        same order on either engine."""
        query = select(Case).where(tables.cases.c.overdue_since.is_not(None))
        if owner_id is not None:
            query = query.where(tables.cases.c.owner_id == owner_id)
        result = await self.session.execute(
            query.order_by(tables.cases.c.overdue_since, tables.cases.c.id).limit(limit)
        )
        return result.scalars().all()

    async def untouched(
        self, owner_id: int | None, before: datetime, limit: int, but: int | None = None
    ) -> Sequence[Case]:
        """List a person's open cases (everyone's when None, less those of `but`) untouched since
        `before` that nothing will bring back: no supervisor's decision awaited, no follow-up
        overdue (listed as such), no reminder pending on them; the longest untouched first.
        `before` is one comparison on the indexed `updated_at` (working days are counted by
        the caller)."""
        c, r = tables.cases.c, tables.reminders.c
        reminded = select(r.id).where(r.case_id == c.id, r.status == ReminderStatus.pending)
        whose = [] if owner_id is None else [c.owner_id == owner_id]
        whose += [] if but is None else [c.owner_id != but]
        result = await self.session.execute(
            select(Case)
            .where(
                *whose,
                c.state.in_(OPEN_ANY),
                c.updated_at < before,
                c.overdue_since.is_(None),
                not_(_waiting_decision()),
                ~reminded.exists(),
            )
            .order_by(c.updated_at, c.id)
            .limit(limit)
        )
        return result.scalars().all()

    async def count_open_by_state(self) -> dict[str, int]:
        """Count open cases in each state."""
        result = await self.session.execute(
            select(tables.cases.c.state, func.count())
            .where(tables.cases.c.state.in_([str(s) for s in OPEN_ANY]))
            .group_by(tables.cases.c.state)
        )
        return {state: count for state, count in result.tuples()}

    async def customer_figures(self, customer_id: int) -> dict[str, Any]:
        """Count a customer's complaints (as `complaints_since` does), when the first and the
        last of them were opened and their reopens; the compensation given on any case, by
        the currency it was given in; and list open cases."""
        await self.session.flush()  # this unit's own changes count (see `complaints_since`)
        c = tables.cases.c
        counted = (c.kind == CaseKind.complaint, *made())
        row = (
            await self.session.execute(
                select(
                    func.count().filter(*counted),
                    func.coalesce(func.sum(c.reopen_count).filter(*counted), 0),
                    func.min(c.opened_at).filter(*counted),
                    func.max(c.opened_at).filter(*counted),
                ).where(c.customer_id == customer_id)
            )
        ).one()
        given = await self.session.execute(  # given is given, in the currency of its case
            select(c.currency, func.sum(c.compensation_total))
            .where(c.customer_id == customer_id, c.compensation_total > 0)
            .group_by(c.currency)
        )
        open_ids = await self.session.execute(
            select(c.id)
            .where(c.customer_id == customer_id, c.state.in_([str(s) for s in OPEN_ANY]))
            .order_by(c.id)
        )
        return {
            "complaints": int(row[0]),
            "reopens": int(row[1]),
            "compensation": {currency: int(total) for currency, total in given.tuples()},
            "first_complaint": row[2],
            "last_complaint": row[3],
            "open_cases": list(open_ids.scalars()),
        }

    async def find(self, wanted: CaseFilter, limit: int, tz: tzinfo) -> Sequence[Case]:
        """Return one page of cases matching a filter, newest first; days are `tz`'s days."""
        col = tables.cases.c
        result = await self.session.execute(
            select(Case)
            .where(*filter_conditions(wanted, tz))
            .order_by(col.opened_at.desc(), col.id.desc())
            .offset(wanted.offset)
            .limit(limit)
        )
        return result.scalars().all()

    async def waiting_decision(self, decider_id: int, limit: int) -> Sequence[Case]:
        """List cases waiting for a decision `decider_id` may take (`_waiting_decision`, not
        their own case nor a request they asked for), the one asked first first (`ASKED_ON`:
        a note added meanwhile leaves a request where it was; one asked before it was kept
        comes by when its case last changed, after)."""
        col = tables.cases.c
        asked = col.draft[ASKED_ON].as_string()
        result = await self.session.execute(
            select(Case)
            .where(_waiting_decision(), not_(_barred(decider_id)))
            .order_by(asked.is_(None), asked, col.updated_at.nulls_last(), col.id)
            .limit(limit)
        )
        return result.scalars().all()

    async def waiting_on_others(self, person_id: int) -> int:
        """Count the cases waiting for a decision `person_id` may not take (their own case,
        or a request they asked for): another supervisor decides them."""
        result = await self.session.execute(
            select(func.count())
            .select_from(tables.cases)
            .where(_waiting_decision(), _barred(person_id))
        )
        return int(result.scalar_one())

    async def figures_by_owner(self) -> dict[int, dict[str, int]]:
        """Per owner: open cases, overdue follow-ups, complaints closed as satisfied."""
        c = tables.cases.c
        rows = await self.session.execute(
            select(
                c.owner_id,
                func.count().filter(c.state.in_(OPEN_ANY)),
                func.count().filter(c.overdue_since.is_not(None)),
                func.count().filter(c.kind == CaseKind.complaint, c.resolution == "resolved"),
            ).group_by(c.owner_id)
        )
        return {
            owner: {"open": int(o), "overdue": int(d), "turned_around": int(t)}
            for owner, o, d, t in rows.tuples()
        }

    async def complaints_since(self, customer_id: int, since: datetime) -> int:
        """Count a customer's complaints opened since `since`, this unit's own included; one
        still at its intake, or cancelled as a mistake (a duplicate), does not count."""
        await self.session.flush()  # a query on the table alone does not flush by itself
        c = tables.cases.c
        result = await self.session.execute(
            select(func.count()).where(
                c.customer_id == customer_id,
                c.kind == CaseKind.complaint,
                c.opened_at >= since,
                *made(),
            )
        )
        return int(result.scalar_one())

    async def open_for_customer(self, customer_id: int) -> Sequence[Case]:
        """List a customer's cases that have not ended."""
        result = await self.session.execute(
            select(Case).where(
                tables.cases.c.customer_id == customer_id,
                tables.cases.c.state.in_([str(s) for s in OPEN_ANY]),
            )
        )
        return result.scalars().all()

    async def remember_cards(
        self, positions: dict[int, tuple[int, int]], owners: dict[int, tuple[int, int]]
    ) -> None:
        """Note which message shows each case's current step, and (`owners`) which one does
        in its owner's chat (not a change to the cases). A card drawn last in its owner's
        chat, as most are, is noted both ways in one statement."""
        both = {case_id: at for case_id, at in owners.items() if positions.get(case_id) == at}
        for statement, noted in (
            (_CARD_BOTH_WAYS, both),
            (_CARD_POSITIONS, {k: at for k, at in positions.items() if k not in both}),
            (_OWNER_CARDS, {k: at for k, at in owners.items() if k not in both}),
        ):
            if noted:
                await self.session.execute(
                    statement,
                    [
                        {"case_id": case_id, "chat_id": chat_id, "message_id": message_id}
                        for case_id, (chat_id, message_id) in noted.items()
                    ],
                )


#: Where each case's card is, where it is in its owner's chat, and both at once: one
#: statement each, built once, run with many rows.
_CARD_POSITIONS, _OWNER_CARDS, _CARD_BOTH_WAYS = (
    update(tables.cases)
    .where(tables.cases.c.id == bindparam("case_id"))
    .values({column: bindparam(value) for column, value in columns})
    .execution_options(synchronize_session=False)
    for columns in (
        (("card_chat_id", "chat_id"), ("card_message_id", "message_id")),
        (("owner_card_chat_id", "chat_id"), ("owner_card_message_id", "message_id")),
        (
            ("card_chat_id", "chat_id"),
            ("card_message_id", "message_id"),
            ("owner_card_chat_id", "chat_id"),
            ("owner_card_message_id", "message_id"),
        ),
    )
)


class SqlEventRepository:
    """The append-only timeline."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, event: CaseEvent) -> None:
        """Append an event; it is written with the rest of the transaction."""
        self.session.add(event)

    async def for_case(self, case_id: int) -> Sequence[CaseEvent]:
        """Return a case's events in order."""
        result = await self.session.execute(
            select(CaseEvent)
            .where(tables.case_events.c.case_id == case_id)
            .order_by(tables.case_events.c.seq)
        )
        return result.scalars().all()

    async def of_kinds(
        self, case_ids: Collection[int], kinds: Collection[str]
    ) -> Sequence[CaseEvent]:
        """Return the events of these kinds in these cases, each case's in order."""
        if not case_ids or not kinds:
            return []
        events = tables.case_events.c
        result = await self.session.execute(
            select(CaseEvent)
            .where(events.case_id.in_(list(case_ids)), events.kind.in_(list(kinds)))
            .order_by(events.case_id, events.seq)
        )
        return result.scalars().all()


class SqlInviteRepository:
    """One-time registration codes."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, code: str) -> Invite | None:
        """Load an invite by code."""
        return await self.session.get(Invite, code)

    def add(self, invite: Invite) -> None:
        """Store a new invite."""
        self.session.add(invite)

    async def use(self, code: str, staff_id: int, now: datetime) -> bool:
        """Mark an invite used unless someone else just did; tell whether this call won."""
        result = await self.session.execute(
            update(tables.invites)
            .where(tables.invites.c.code == code, tables.invites.c.used_at.is_(None))
            .values(used_by=staff_id, used_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(cast("CursorResult[Any]", result).rowcount)


class SqlIncidentRepository:
    """Documented incidents."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, incident: Incident) -> None:
        """Record an incident with the rest of the transaction."""
        self.session.add(incident)

    async def for_customer(self, customer_id: int) -> Sequence[Incident]:
        """Return a customer's incidents, oldest first."""
        result = await self.session.execute(
            select(Incident)
            .where(tables.incidents.c.customer_id == customer_id)
            .order_by(tables.incidents.c.happened_on, tables.incidents.c.id)
        )
        return result.scalars().all()


def filter_conditions(wanted: CaseFilter, tz: tzinfo) -> list[ColumnElement[bool]]:
    """The conditions a case filter puts on `cases` (its days are whole days in `tz`)."""
    col = tables.cases.c
    conditions: dict[str, ColumnElement[bool]] = {
        "o": col.state.in_(OPEN_ANY),
        "c": col.state.not_in(OPEN_ANY),
        "d": col.overdue_since.is_not(None),
        "a": _waiting_decision(),
    }
    found: list[ColumnElement[bool]] = (
        [conditions[wanted.status]] if wanted.status in conditions else []
    )
    if wanted.kind in KINDS:
        found.append(col.kind == KINDS[wanted.kind])
    if wanted.owner_id is not None:
        found.append(col.owner_id == wanted.owner_id)
    if wanted.customer_id is not None:
        found.append(col.customer_id == wanted.customer_id)
    if wanted.start is not None:
        found.append(col.opened_at >= _midnight(wanted.start, tz))
    if wanted.end is not None:
        found.append(col.opened_at < _midnight(wanted.end + timedelta(days=1), tz))
    return found


def _waiting_decision() -> ColumnElement[bool]:
    """`flows.procedures.waits_for_decision` in SQL: read from `ix_cases_state_opened` (the
    few states that may wait), the request standing checked on each case found there."""
    col = tables.cases.c
    return and_(
        col.state.in_([*DECISION_STATES, *ASKING_STATES]),
        or_(col.state.in_(DECISION_STATES), col.draft[ASKED_BY].as_string().is_not(None)),
    )


def made() -> tuple[ColumnElement[bool], ...]:
    """`flows.procedures.complaint.counted` in SQL: a complaint recorded and not cancelled
    as a mistake (the customer's record, the at-risk rule and the report count these)."""
    return tables.cases.c.severity.is_not(None), not_mistaken()


def not_mistaken() -> ColumnElement[bool]:
    """A case of any kind not cancelled as a mistake (a duplicate, the wrong customer): work
    done, which the report's cases opened and closed count."""
    col = tables.cases.c
    return or_(col.resolution.is_(None), col.resolution != MISTAKEN)


def _barred(person_id: int) -> ColumnElement[bool]:
    """`flows.casework.CaseWork.may_decide`'s exclusions in SQL: the case is the person's,
    or they asked for the decision it waits on."""
    col = tables.cases.c
    asked = col.draft[ASKED_BY].as_integer()
    return or_(col.owner_id == person_id, and_(asked.is_not(None), asked == person_id))


def _midnight(day: date, tz: tzinfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz)
