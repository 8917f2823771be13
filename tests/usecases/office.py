"""An office on the in-memory storage: people, a clock, and one unit of work per action.

`Office.act` runs a use case as `bot/runtime.py` runs one for an update: a unit of work, the
person loaded by Telegram id, the use case, one commit — none when it refuses or fails —
so what a test reads back is what a real update would have left. `Person` presses and
types as the bot's handlers route them (`bot/handlers.py`), always on the case's current
version unless told otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any, TypeVar

import pytest

from flows.decisions import Decisions
from flows.desk import Desk
from flows.errors import Refused
from flows.forgetting import Forgetting
from flows.lists import Lists
from flows.model import Case, CaseEvent, Customer, Reminder, Staff
from flows.outcomes import Notify, Outcome, Say, ShowCase
from flows.oversight import CUSTOMER_TEXTS, Oversight
from flows.parsing import InvalidInput, search_key
from flows.people import People
from flows.policy import Policy
from flows.reminding import Reminding
from tests.conftest import Clock
from tests.fakes.uow import FakeDatabase, FakeUnitOfWork

T = TypeVar("T")

LAN, HOA, BERND, MINH, KHOA, TUAN = 1001, 1002, 1003, 2001, 2002, 3001


@dataclass
class Work:
    """The use cases over one unit of work, for one person."""

    actor: Staff
    uow: FakeUnitOfWork
    policy: Policy
    clock: Clock

    @cached_property
    def desk(self) -> Desk:
        return Desk(self.uow, self.policy, self.clock)

    @property
    def decisions(self) -> Decisions:
        return self.desk.decisions

    @property
    def lists(self) -> Lists:
        return self.desk.lists

    @cached_property
    def oversight(self) -> Oversight:
        return Oversight(self.uow, self.policy, self.clock)

    @cached_property
    def people(self) -> People:
        return People(self.uow, self.policy, self.clock)

    @cached_property
    def reminding(self) -> Reminding:
        return Reminding(self.uow, self.policy, self.clock)

    @cached_property
    def forgetting(self) -> Forgetting:
        return Forgetting(self.uow, self.policy, self.clock)


class Office:
    """One in-memory database, a clock the test moves, and the company's policy."""

    def __init__(self, clock: Clock, policy: Policy | None = None) -> None:
        self.db = FakeDatabase()
        self.clock = clock
        self.policy = policy or Policy()

    async def unit(self, act: Callable[[FakeUnitOfWork], Awaitable[T]]) -> T:
        """Run `act` in a unit of work and commit, unless it raises."""
        async with self.db.unit() as uow:
            done = await act(uow)
            await uow.commit()
            return done

    async def act(self, telegram_id: int, use_case: Callable[[Work], Awaitable[T]]) -> T:
        """Run a use case for the person, as one update."""

        async def run(uow: FakeUnitOfWork) -> T:
            actor = await uow.staff.by_telegram_id(telegram_id)
            assert actor is not None, f"nobody registered as {telegram_id}"
            return await use_case(Work(actor, uow, self.policy, self.clock))

        return await self.unit(run)

    async def system(self, use_case: Callable[[Work], Awaitable[T]]) -> T:
        """Run a use case on nobody's behalf (the scheduler, the shell)."""
        nobody = Staff(telegram_id=0, name="system")
        return await self.unit(lambda uow: use_case(Work(nobody, uow, self.policy, self.clock)))

    # ------------------------------------------------------------------ setting up

    async def register(
        self, telegram_id: int, name: str, role: str = "staff", timezone: str | None = None
    ) -> Person:
        async def add(uow: FakeUnitOfWork) -> Staff:
            people = People(uow, self.policy, self.clock)
            return await people.register(telegram_id, name, role, "en", timezone)

        await self.unit(add)
        return Person(self, telegram_id)

    async def customer(self, name: str, **values: Any) -> int:
        """Add a customer as someone else did before; return their id."""

        async def add(uow: FakeUnitOfWork) -> Customer:
            added = Customer(name=name, search_key=search_key(name), **values)
            return await uow.customers.add(added)

        return (await self.unit(add)).id or 0

    # ------------------------------------------------------------------ reading back

    def case(self, case_id: int) -> Case:
        found = self.db.row(Case, case_id)
        assert found is not None, f"no case #{case_id}"
        return found

    def events(self, case_id: int) -> list[CaseEvent]:
        return sorted(
            (e for e in self.db.rows(CaseEvent) if e.case_id == case_id), key=lambda e: e.seq
        )

    def logged(self, case_id: int) -> list[str]:
        """The kinds of a case's events, in order."""
        return [e.kind for e in self.events(case_id)]

    def last_event(self, case_id: int, kind: str) -> CaseEvent:
        return next(e for e in reversed(self.events(case_id)) if e.kind == kind)

    def reminders(self, kind: str | None = None, case_id: int | None = None) -> list[Reminder]:
        return [
            r
            for r in self.db.rows(Reminder)
            if kind in (None, r.kind) and case_id in (None, r.case_id)
        ]

    def customer_row(self, customer_id: int) -> Customer:
        found = self.db.row(Customer, customer_id)
        assert found is not None
        return found

    def staff_row(self, telegram_id: int) -> Staff:
        return next(s for s in self.db.rows(Staff) if s.telegram_id == telegram_id)

    async def asks(self, case_id: int) -> str | None:
        """The name of the question the case asks now (None: nothing to answer)."""

        async def field(uow: FakeUnitOfWork) -> str | None:
            case = await uow.cases.get(case_id)
            assert case is not None
            asked = Desk(uow, self.policy, self.clock).field(case)
            return asked.name if asked else None

        return await self.unit(field)


@dataclass
class Person:
    """Someone registered, pressing and typing as the bot's handlers route it."""

    office: Office
    telegram_id: int

    async def do(self, use_case: Callable[[Work], Awaitable[T]]) -> T:
        return await self.office.act(self.telegram_id, use_case)

    @property
    def row(self) -> Staff:
        return self.office.staff_row(self.telegram_id)

    @property
    def id(self) -> int:
        return self.row.id or 0

    def _pressing(self, case_id: int | None, version: int | None) -> tuple[int, int]:
        """The case a button is for (the one worked on) and the version it was drawn at."""
        case_id = case_id or self.row.expecting_case_id
        assert case_id is not None, "no case in hand: name it"
        return case_id, version or self.office.case(case_id).version

    async def new(self, kind: str = "complaint", customer_id: int | None = None) -> int:
        """Open a case (from the menu, or from a customer's card); return its number."""
        await self.do(lambda w: w.desk.open(w.actor, kind, customer_id))
        opened = self.row.expecting_case_id
        assert opened is not None
        return opened

    async def type(self, text: str) -> list[Outcome]:
        async def typed(w: Work) -> list[Outcome]:
            if w.actor.expecting in CUSTOMER_TEXTS:
                return await w.oversight.text(w.actor, text)
            return await w.desk.text(w.actor, text)

        return await self.do(typed)

    async def press(
        self, value: str, case_id: int | None = None, version: int | None = None
    ) -> list[Outcome]:
        case_id, version = self._pressing(case_id, version)
        return await self.do(lambda w: w.desk.choose(w.actor, case_id, version, value))

    async def skip(self, case_id: int | None = None) -> list[Outcome]:
        case_id, version = self._pressing(case_id, None)
        return await self.do(lambda w: w.desk.skip(w.actor, case_id, version))

    async def side(
        self, verb: str, case_id: int | None = None, version: int | None = None
    ) -> list[Outcome]:
        case_id, version = self._pressing(case_id, version)
        return await self.do(lambda w: w.desk.action(w.actor, case_id, version, verb))

    async def decide(
        self, case_id: int, verdict: str, version: int | None = None
    ) -> list[Outcome]:
        version = version or self.office.case(case_id).version
        return await self.do(lambda w: w.decisions.decide(w.actor, case_id, version, verdict))

    async def send_file(self, file_id: str, kind: str = "photo", name: str | None = None) -> None:
        await self.do(lambda w: w.desk.evidence(w.actor, file_id, kind, name))


# ---------------------------------------------------------------------- outcomes


def said(outcomes: list[Outcome]) -> list[str]:
    """The keys of the plain messages among the outcomes."""
    return [o.key for o in outcomes if isinstance(o, Say)]


def notified(outcomes: list[Outcome]) -> list[tuple[str, str]]:
    """Who is told what: (name, kind) of each notice."""
    return [(o.recipient.name, o.kind) for o in outcomes if isinstance(o, Notify)]


async def refusal(action: Awaitable[object]) -> str:
    """Await an action that must be refused politely; return the refusal's key."""
    with pytest.raises((Refused, InvalidInput)) as caught:
        await action
    refused = caught.value
    assert isinstance(refused, Refused | InvalidInput)
    return refused.key


def shown(outcomes: list[Outcome]) -> ShowCase:
    """The one card the outcomes draw."""
    (card,) = [o for o in outcomes if isinstance(o, ShowCase)]
    return card
