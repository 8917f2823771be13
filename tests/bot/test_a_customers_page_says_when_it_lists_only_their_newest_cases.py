"""A customer with more cases than their page lists (a business that complains every week)
has the newest listed, and a line under them saying that only those are and how to see them
all — never a list cut short in silence, which a supervisor would take for the whole. A
customer whose cases all fit has no such line. In both languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from flows.case_log import CUSTOMER_CASES
from flows.model import Case, Customer
from flows.parsing import search_key
from storage import tables
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import MINH, World
from tests.bot.miniapp_site import serving
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio


async def customer_with_cases(world: World, count: int) -> int:
    """A business customer with `count` complaints of Lan's, one a day; return its number."""
    first = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)
    async with SqlUnitOfWork(world.services.sessions) as uow:
        lan = await uow.staff.by_telegram_id(world.lan.chat_id)
        assert lan is not None
        name = "Công ty Vận tải Hòa Bình"
        customer = await uow.customers.add(
            Customer(name=name, search_key=search_key(name), kind="business")
        )
        for n in range(count):
            await uow.cases.add(
                Case(
                    kind="complaint",
                    owner_id=lan.id,
                    opened_at=first + timedelta(days=n),
                    customer_id=customer.id,
                    summary="Giao hàng trễ",
                    state="closed",
                    closed_at=first + timedelta(days=n, hours=3),
                )
            )
        await uow.commit()
        assert customer.id is not None
        return customer.id


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_a_customers_page_says_when_it_lists_only_their_newest_cases(
    world: World, language: str
) -> None:
    async with world.services.engine.begin() as connection:
        await connection.execute(
            update(tables.staff).where(tables.staff.c.telegram_id == MINH).values(locale=language)
        )
    world.minh.language_code = language
    many = await customer_with_cases(world, CUSTOMER_CASES + 1)
    fitting = await customer_with_cases(world, CUSTOMER_CASES)
    async with serving(world) as site:
        shown = (await site.get(f"customers/{many}", MINH)).json()
        whole = (await site.get(f"customers/{fitting}", MINH)).json()
    assert len(shown["cases"]) == CUSTOMER_CASES
    newest = max(c["id"] for c in shown["cases"])
    assert shown["cases"][0]["id"] == newest
    said = words(world.minh, "miniapp.customer_cases_more", count=str(CUSTOMER_CASES))
    assert shown["cases_more_said"] == said
    assert len(whole["cases"]) == CUSTOMER_CASES
    assert whole["cases_more_said"] is None
