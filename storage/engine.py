"""Database engine and sessions: SQLite embedded by default, PostgreSQL for scale-out."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine

from storage.inloop import InLoopDBAPI
from storage.orm import start_mappers

SQLITE_BUSY_TIMEOUT_MS = 5000
POSTGRES_CONNECT_TIMEOUT_S = 10


def is_sqlite(url: str) -> bool:
    """Tell whether `url` names a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_file(url: str) -> Path | None:
    """The file a SQLite database lives in; None for a server or an in-memory database."""
    name = make_url(url).database
    return Path(name) if is_sqlite(url) and name and name != ":memory:" else None


#: JSON is stored with letters as letters: "Chị Hương", not "Ch\u1ecb H\u01b0\u01a1ng" —
#: half the bytes or less for Vietnamese, and an export writes it as stored, unparsed.
_json_text = functools.partial(json.dumps, ensure_ascii=False)


def create_engine(url: str, *, echo: bool = False, pool_size: int = 10) -> AsyncEngine:
    """Create the async engine; SQLite files are used in the loop's thread (`storage.inloop`),
    one writer at a time."""
    start_mappers()
    common: dict[str, Any] = {"echo": echo, "json_serializer": _json_text}
    if not is_sqlite(url):
        return create_async_engine(
            url,
            **common,
            pool_size=pool_size,
            pool_pre_ping=True,  # a connection that died while pooled is replaced, not used
            # A server that does not answer at all (packets dropped) is given up on in 10 s
            # rather than asyncpg's 60, so the person hears "try again" while still waiting.
            connect_args={"timeout": POSTGRES_CONNECT_TIMEOUT_S},
        )
    path = make_url(url).database
    if path and path != ":memory:":
        engine = create_async_engine(url, **common, module=InLoopDBAPI(SQLITE_BUSY_TIMEOUT_MS))
        _tune_sqlite(engine, ())
    else:
        engine = create_async_engine(url, **common, connect_args={"timeout": 30})
        _tune_sqlite(engine, (f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",))
    return engine


def _tune_sqlite(engine: AsyncEngine, pragmas: tuple[str, ...]) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        if dbapi_connection.isolation_level is not None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", *pragmas):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock up front, so two writers wait for each other (busy
        # timeout) instead of failing when a read transaction tries to upgrade.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def session_factory(engine: AsyncEngine) -> async_sessionmaker[Any]:
    """Return the one session maker the process uses."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)
