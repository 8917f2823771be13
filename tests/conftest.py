"""Shared fixtures: a migrated database per test, and a movable clock."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from storage.engine import create_engine, session_factory
from storage.migrate import upgrade

os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB reports retry_after as a timedelta


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


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'test.sqlite3'}"


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(database_url)
    await upgrade(engine)
    yield engine
    await engine.dispose()


@pytest.fixture
def sessions(engine: AsyncEngine) -> async_sessionmaker[Any]:
    return session_factory(engine)
