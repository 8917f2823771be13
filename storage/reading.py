"""Long reads (reports, exports) on a consistent snapshot, without holding the write lock.

The bot's engine opens every SQLite transaction with `BEGIN IMMEDIATE`, which takes the
write lock: right for use cases, wrong for a report or an export that reads for seconds.
Here SQLite gets a sibling engine on the same file that opens a plain (deferred) read
transaction with `query_only` set — in WAL mode readers and the writer do not wait for
each other, and the reader sees one snapshot from its first read to the end. PostgreSQL
reads in a READ ONLY, REPEATABLE READ transaction on the bot's own engine.
"""

from __future__ import annotations

import weakref
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool

from storage.engine import SQLITE_BUSY_TIMEOUT_MS

#: The reading engine of each bot engine, made once: an engine keeps the statements it has
#: compiled, so a report's twenty aggregates are compiled once, not on every report.
_readers: weakref.WeakKeyDictionary[AsyncEngine, AsyncEngine] = weakref.WeakKeyDictionary()


def _sqlite_reader(engine: AsyncEngine) -> AsyncEngine:
    reader = _readers.get(engine)
    if reader is None:
        reader = _readers[engine] = _new_sqlite_reader(engine)
    return reader


def _new_sqlite_reader(engine: AsyncEngine) -> AsyncEngine:
    # No pool: each snapshot has a connection of its own, closed when it ends.
    reader = create_async_engine(engine.url, poolclass=NullPool, connect_args={"timeout": 30})

    @event.listens_for(reader.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # BEGIN is issued below
        cursor = dbapi_connection.cursor()
        for pragma in (f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}", "query_only=ON"):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(reader.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")  # deferred: a read snapshot, no write lock

    return reader


@asynccontextmanager
async def read_snapshot(engine: AsyncEngine) -> AsyncIterator[AsyncConnection]:
    """Yield a connection inside a read-only transaction that sees one snapshot."""
    if engine.dialect.name == "sqlite":
        async with _sqlite_reader(engine).connect() as connection, connection.begin():
            yield connection
        return
    async with engine.connect() as connection:
        connection = await connection.execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        async with connection.begin():
            yield connection
