"""Two people deciding about one customer at the same moment are taken one after the other.

On PostgreSQL two instances (or two chats of one) run side by side, each in a transaction
that reads the committed state when it starts: a second review of a customer, or a new
case for one who is leaving, would each pass their checks and both commit. Every decision
about a customer holds their row first (`CustomerRepository.hold`), so the second waits and
then reads what the first wrote. Here both units are made to reach their commit together:
without the hold both would get through. On SQLite a unit holds the write lock throughout.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer
from tests.integration.test_exports_forget import forget_customer

pytestmark = pytest.mark.asyncio

#: How long a unit ready to commit waits for the other one (which never comes if it is
#: held back by the customer's row).
TOGETHER_S = 0.5


def commit_together(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the next two units that commit wait for each other first (or a moment)."""
    real = SqlUnitOfWork.commit
    arrived = 0
    both = asyncio.Event()

    async def commit(self: SqlUnitOfWork) -> None:
        nonlocal arrived
        arrived += 1
        if arrived == 2:
            both.set()
        if arrived <= 2:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(both.wait(), TOGETHER_S)
        await real(self)

    monkeypatch.setattr(SqlUnitOfWork, "commit", commit)


async def at_once(*presses: Callable[[], Awaitable[Any]]) -> None:
    await asyncio.gather(*(press() for press in presses))


async def open_cases_of(world: World, customer_id: int) -> list[tuple[str, str]]:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        return [(c.kind, c.state) for c in await uow.cases.open_for_customer(customer_id)]


def toasts(world: World) -> list[str]:
    return [str(a.get("text") or "") for a in world.api.answers]


async def test_two_reviews_of_one_customer_started_at_the_same_moment_make_one(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer_id = await add_customer(world, "Đỗ Quang Vinh")
    for person in (world.lan, world.bernd):
        await person.send("/problem")
        await person.send("Quang Vinh")
    commit_together(monkeypatch)
    await at_once(
        lambda: world.lan.press("Đỗ Quang Vinh"), lambda: world.bernd.press("Đỗ Quang Vinh")
    )
    reviews = [c for c in await open_cases_of(world, customer_id) if c[0] == "problem_review"]
    assert len(reviews) == 1
    assert any("already has a problem-customer review under way" in t for t in toasts(world))


async def test_a_check_in_started_as_its_customer_is_recorded_leaving_is_ended_with_them(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer_id = await add_customer(world, "Phan Thu Hà")
    await world.lan.send("/customer phan thu")  # the card, with its Check-in button
    minh = world.minh  # at the last question of an exit interview with the same customer
    await minh.send("/exit")
    await minh.send("Phan Thu")
    await minh.press("Phan Thu Hà")
    await minh.press("All of these")
    await minh.press("Done")
    await minh.send("No longer happy with us")
    await minh.send("Offered 10% off")
    commit_together(monkeypatch)
    await at_once(lambda: world.lan.press("Check-in call"), lambda: minh.press("Gone for good"))
    # Either the check-in was refused a customer who had left, or it was closed with them.
    assert await open_cases_of(world, customer_id) == []


async def test_a_form_of_address_typed_as_its_customer_is_forgotten_is_never_written_back(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer_id = await add_customer(world, "Nguyễn Thị Hương")
    await world.lan.send("/customer Hương")
    await world.lan.press("✏️ How to address")
    commit_together(monkeypatch)
    await at_once(
        lambda: world.lan.send("chị Hương"),
        lambda: forget_customer(world.services.sessions, customer_id, world.clock()),
    )
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.get(customer_id)
    assert customer is not None
    assert customer.forgotten
    assert (customer.title, customer.given_name) == (None, None)
