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

from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, registered_thao
from tests.bot.test_review_conversation import add_customer
from tests.integration.test_exports_forget import forget_customer

pytestmark = pytest.mark.asyncio

#: How long a unit ready to commit waits for the other one (which never comes if it is
#: held back by the customer's row).
TOGETHER_S = 0.5
#: What the people of each language press and read.
WORDS = {
    "en": {
        "review under way": "already has a problem-customer review under way",
        "check-in": "Check-in call",
        "everything": "All of these",
        "done": "Done",
        "left": "Gone for good",
        "address": "✏️ Change how to address",
    },
    "vi": {
        "review under way": "đang có một đánh giá khách hàng khó chưa kết thúc",
        "check-in": "Hỏi thăm khách",
        "everything": "Tất cả những điều trên",
        "done": "Xong",
        "left": "Khách rời đi hẳn",
        "address": "✏️ Đổi cách xưng hô",
    },
}
LANGUAGES = pytest.mark.parametrize("language", list(WORDS))


async def people_reading(world: World, language: str) -> tuple[Person, Person]:
    """A staff member and a supervisor who read `language`."""
    if language == "en":
        return world.lan, world.minh
    return world.hoa, await registered_thao(world)


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


@LANGUAGES
async def test_two_reviews_of_one_customer_started_at_the_same_moment_make_one(
    world: World, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    customer_id = await add_customer(world, "Đỗ Quang Vinh")
    staff, supervisor = await people_reading(world, language)
    for person in (staff, supervisor):
        await person.send("/problem")
        await person.send("Quang Vinh")
    commit_together(monkeypatch)
    await at_once(lambda: staff.press("Đỗ Quang Vinh"), lambda: supervisor.press("Đỗ Quang Vinh"))
    reviews = [c for c in await open_cases_of(world, customer_id) if c[0] == "problem_review"]
    assert len(reviews) == 1
    assert any(WORDS[language]["review under way"] in t for t in toasts(world))


@LANGUAGES
async def test_a_check_in_started_as_its_customer_is_recorded_leaving_is_ended_with_them(
    world: World, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    words = WORDS[language]
    customer_id = await add_customer(world, "Phan Thu Hà")
    staff, supervisor = await people_reading(world, language)
    await staff.send("/customer phan thu")  # the card, with its Check-in button
    # The supervisor, at the last question of an exit interview with the same customer:
    await supervisor.send("/exit")
    await supervisor.send("Phan Thu")
    await supervisor.press("Phan Thu Hà")
    await supervisor.press(words["everything"])
    await supervisor.press(words["done"])
    await supervisor.send("Không còn hài lòng với bên mình")
    await supervisor.send("Đã đề nghị giảm 10%")
    commit_together(monkeypatch)
    await at_once(lambda: staff.press(words["check-in"]), lambda: supervisor.press(words["left"]))
    # Either the check-in was refused a customer who had left, or it was closed with them.
    assert await open_cases_of(world, customer_id) == []


@LANGUAGES
async def test_a_form_of_address_typed_as_its_customer_is_forgotten_is_never_written_back(
    world: World, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    customer_id = await add_customer(world, "Nguyễn Thị Hương")
    staff, _ = await people_reading(world, language)
    await staff.send("/customer Hương")
    await staff.press(WORDS[language]["address"])
    commit_together(monkeypatch)
    await at_once(
        lambda: staff.send("chị Hương"),
        lambda: forget_customer(world.services.sessions, customer_id, world.clock()),
    )
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.get(customer_id)
    assert customer is not None
    assert customer.forgotten
    assert (customer.title, customer.given_name) == (None, None)
