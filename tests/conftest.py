"""Shared fixtures: a migrated database per test, on SQLite and PostgreSQL, and a clock.

Every test that asks for a database runs twice: on a SQLite file and on a fresh
PostgreSQL database. The PostgreSQL variant needs a server: set TEST_POSTGRES_URL to a
`postgresql+asyncpg://` URL whose role may create databases (`.ci/run` does this);
without it the variant is skipped, except under CI, where it fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from storage.engine import create_engine, session_factory
from storage.migrate import upgrade

os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB reports retry_after as a timedelta

POSTGRES_URL_VARIABLE = "TEST_POSTGRES_URL"
NO_POSTGRES = "PostgreSQL not available: set TEST_POSTGRES_URL (CI sets it; see .ci/run)"


class Clock:
    """A clock the tests move by hand; nothing sleeps."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    # Monday 23 November 2026, 09:00 in Ho Chi Minh City.
    return Clock(datetime(2026, 11, 23, 2, 0, tzinfo=UTC))


def postgres_server_url() -> URL:
    """The configured PostgreSQL server, or skip (fail under CI) when there is none."""
    configured = os.environ.get(POSTGRES_URL_VARIABLE, "").strip()
    if not configured:
        if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
            pytest.fail(f"{NO_POSTGRES}; CI must test on PostgreSQL too")
        pytest.skip(NO_POSTGRES)
    url = make_url(configured)
    if url.get_backend_name() != "postgresql":
        pytest.fail(f"{POSTGRES_URL_VARIABLE} must name a PostgreSQL database, not {url}")
    return url.set(drivername="postgresql+asyncpg")


async def admin_connection(server: URL) -> asyncpg.Connection:
    """Connect straight to the configured database, to create and drop test databases."""
    return await asyncpg.connect(
        host=server.host,
        port=server.port,
        user=server.username,
        password=server.password,
        database=server.database or "postgres",
    )


async def drop_database(admin: asyncpg.Connection, name: str) -> None:
    """Drop a test database, ending whatever connections the test left open.

    Not `DROP DATABASE ... WITH (FORCE)`: without pg_signal_backend it refuses when an
    autovacuum worker happens to be in the database, while a plain DROP stops that
    worker itself (and waits a few seconds for the ended connections to go).
    """
    await admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()",
        name,
    )
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture
async def postgres_url() -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    server = postgres_server_url()
    name = f"cs_test_{uuid.uuid4().hex}"
    admin = await admin_connection(server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            await drop_database(admin, name)
    finally:
        await admin.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database, once on each engine."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return session_factory(engine)
