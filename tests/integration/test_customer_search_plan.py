"""A customer search reads customers in name order and stops at the matches it lists.

It lists the first few customers in name order whose folded name or phone contains what was
typed. Read in that order (`ix_customers_name_search`), a name many customers share stops at
the first few instead of every match being found and sorted, in the event loop's thread.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from flows.model import Customer
from flows.parsing import search_key
from storage.uow import SqlUnitOfWork

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
SHOWN = 8


@contextmanager
def statements_run(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    """Collect the statements run on `engine` (with their parameters) inside the block."""
    statements: list[tuple[str, Any]] = []

    def keep(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", keep)


async def plans_of_customer_reads(
    engine: AsyncEngine, statements: list[tuple[str, Any]]
) -> list[str]:
    """SQLite's plan of each statement that read the customers."""
    plans = []
    async with engine.connect() as connection:
        for statement, parameters in statements:
            if "FROM customers" in statement:
                rows = await connection.exec_driver_sql(
                    f"EXPLAIN QUERY PLAN {statement}", parameters
                )
                plans.append(" / ".join(str(row[-1]) for row in rows))
    return plans


async def test_a_shared_name_is_listed_in_name_order_from_the_index_without_sorting_matches(
    engine: AsyncEngine, sessions: async_sessionmaker[Any]
) -> None:
    names = [f"Nguyễn Thị {given} {n:03}" for n in range(120) for given in ("Hương", "Lan")]
    async with SqlUnitOfWork(sessions) as uow:
        for name in names:
            await uow.customers.add(Customer(name, search_key(name), phone=f"0903{len(name):06}"))
        await uow.commit()
    with statements_run(engine) as statements:
        async with SqlUnitOfWork(sessions) as uow:
            found = await uow.customers.search(search_key("hương"), SHOWN)
    assert [c.name for c in found] == sorted(n for n in names if "Hương" in n)[:SHOWN]
    (plan,) = await plans_of_customer_reads(engine, statements)
    assert "ix_customers_name_search" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


async def test_a_whole_phone_number_is_looked_up_not_read_from_every_customer(
    engine: AsyncEngine, sessions: async_sessionmaker[Any]
) -> None:
    async with SqlUnitOfWork(sessions) as uow:
        for n in range(200):
            name = f"Khách {n:03}"
            await uow.customers.add(Customer(name, search_key(name), phone=f"0903{n:06}"))
        await uow.commit()
    with statements_run(engine) as statements:
        async with SqlUnitOfWork(sessions) as uow:
            found = await uow.customers.search("903000042", SHOWN)
            shared = await uow.customers.with_phone("903000042", SHOWN)
    assert [c.name for c in found] == [c.name for c in shared] == ["Khách 042"]
    plans = await plans_of_customer_reads(engine, statements)
    assert len(plans) == 2
    for plan in plans:
        assert "ix_customers_phone_key" in plan, plan
