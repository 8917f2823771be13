"""The Mini App's log by last change puts a case never changed (no change time, from before
the bot kept one) as the oldest change: last of "changed most recently", first of "least
recently". SQLite sorts NULLs lowest by itself; PostgreSQL sorts them highest unless told,
so the statement says so (NULLS LAST / NULLS FIRST), and its index is built to match."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Engine
from sqlalchemy.schema import CreateIndex

from storage.tables import CASE_LOG_INDEXES
from tests.bot.conftest import MINH, World
from tests.bot.miniapp_site import serving
from tests.bot.test_miniapp_paging import seed

NEVER_CHANGED = [i for i in range(1, 61) if i % 17 == 0]  # `seed`'s cases with no change time


@contextmanager
def statements() -> Iterator[list[str]]:
    """The SQL run meanwhile, on any engine."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, sql: str, *args: Any) -> None:
        seen.append(sql)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("order", "nulls", "language"), [("desc", "NULLS LAST", "vi"), ("asc", "NULLS FIRST", "en")]
)
async def test_the_log_by_last_change_says_where_cases_never_changed_go(
    world: World, order: str, nulls: str, language: str
) -> None:
    await seed(world, 60)
    ids: list[int] = []
    body: dict[str, Any] = {"sort": "updated", "order": order}
    with statements() as seen:
        async with serving(world) as site:
            while True:
                page = (await site.post("cases", body, MINH, language=language)).json()
                ids += [row["id"] for row in page["rows"]]
                if not page["more"]:
                    break
                body = {**body, "after": page["next"]}
    assert sorted(ids) == list(range(1, 61))
    ends = ids[-len(NEVER_CHANGED) :] if order == "desc" else ids[: len(NEVER_CHANGED)]
    assert sorted(ends) == NEVER_CHANGED
    logged = [sql for sql in seen if "ORDER BY cases.updated_at" in sql]
    assert logged
    assert all(f"updated_at {order.upper()} {nulls}" in sql for sql in logged)


def test_postgresql_keeps_its_index_by_last_change_in_that_order() -> None:
    index = next(i for i in CASE_LOG_INDEXES if i.name == "ix_cases_updated_at")
    ddl = str(CreateIndex(index).compile(dialect=postgresql.dialect()))
    assert "updated_at NULLS FIRST" in ddl
