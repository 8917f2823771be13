"""Shared fixtures: a migrated database per test, on SQLite and PostgreSQL, and a clock.

Every test that asks for a database runs twice: on a SQLite file of its own and on
PostgreSQL, in a database emptied for it. The PostgreSQL variant needs a server: set
TEST_POSTGRES_URL to a `postgresql+asyncpg://` URL whose role may create databases
(`.ci/run` does this); without it the variant is skipped, except under CI, where it fails.
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
import pytest_asyncio
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


async def connect(url: URL) -> asyncpg.Connection:
    """A plain asyncpg connection, for making and emptying the test database."""
    return await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database or "postgres",
    )


async def drop_database(admin: asyncpg.Connection, name: str) -> None:
    """Drop a test database, ending whatever connections were left open in it.

    Not `DROP DATABASE ... WITH (FORCE)`: without pg_signal_backend it refuses when an
    autovacuum worker happens to be in the database, while a plain DROP stops that
    worker itself (and waits a few seconds for the ended connections to go).
    """
    await admin.execute(END_OUR_OTHER_CONNECTIONS, name)
    await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')


END_OUR_OTHER_CONNECTIONS = """
SELECT pg_terminate_backend(pid) FROM pg_stat_activity
WHERE datname = $1 AND usename = current_user AND pid <> pg_backend_pid()
"""

# Every schema goes (tables, sequences, the append-only trigger's function, alembic's
# version table), and an empty `public` takes their place.
EMPTY_THE_DATABASE = """
DO $$
DECLARE schema_name name;
BEGIN
    FOR schema_name IN
        SELECT nspname FROM pg_namespace
        WHERE nspname !~ '^pg_' AND nspname <> 'information_schema'
    LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', schema_name);
    END LOOP;
    CREATE SCHEMA public;
END
$$
"""


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def postgres_database() -> AsyncIterator[URL]:
    """A database of this test session's own on the configured server, dropped at the end.

    Making a database takes a few hundred milliseconds; emptying one, a few dozen. So the
    session makes one, and each test gets it emptied (`postgres_url`). Concurrent test
    sessions each have their own.
    """
    server = postgres_server_url()
    name = f"cs_test_{uuid.uuid4().hex}"
    admin = await connect(server)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield server.set(database=name)
        finally:
            await drop_database(admin, name)
    finally:
        await admin.close()


@pytest.fixture
async def postgres_url(postgres_database: URL) -> str:
    """The session's PostgreSQL database, empty: nothing left by the test before."""
    connection = await connect(postgres_database)
    try:
        await connection.execute(END_OUR_OTHER_CONNECTIONS, postgres_database.database)
        await connection.execute(EMPTY_THE_DATABASE)
    finally:
        await connection.close()
    return postgres_database.render_as_string(hide_password=False)


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
