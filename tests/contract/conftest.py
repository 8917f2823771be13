"""Every storage the use cases may run on: the in-memory fake, SQLite and PostgreSQL.

Each contract test runs once per storage, so the fake (`tests/fakes/uow.py`) keeps the
semantics of `storage/`. SQLite databases are copied from one migrated per test session;
PostgreSQL is the session's database emptied for the test (`postgres_url`), migrated.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from flows.ports import UnitOfWork
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork
from tests.fakes.uow import ConcurrentChange, FakeDatabase, FakeStorageError


@dataclass
class Store:
    """A storage to run the contract on, and how it says no."""

    name: str
    unit: Callable[[], AbstractAsyncContextManager[UnitOfWork]]
    refused: type[Exception]  # a write the database refuses (constraints, the append-only log)
    lost_race: type[Exception]  # a case changed elsewhere since it was loaded

    @property
    def is_fake(self) -> bool:
        return self.name == "memory"


_MIGRATED: set[Path] = set()  # SQLite templates built in this test session


async def _migrate(url: str) -> None:
    engine = create_engine(url)
    await upgrade(engine)
    await engine.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where a SQLite file migrated once for the test session is kept, to be copied."""
    return tmp_path_factory.mktemp("contract") / "migrated.sqlite3"


@pytest.fixture(params=["memory", "sqlite", "postgresql"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, str | None]:
    """Which storage, and its database URL (none for the fake)."""
    if request.param == "postgresql":
        return request.param, request.getfixturevalue("postgres_url")
    if request.param == "sqlite":
        return request.param, f"sqlite+aiosqlite:///{tmp_path / 'contract.sqlite3'}"
    return request.param, None


@pytest.fixture
async def store(storage: tuple[str, str | None], sqlite_template: Path) -> AsyncIterator[Store]:
    """One storage, empty but for the schema."""
    name, url = storage
    if url is None:
        yield Store(name, FakeDatabase().unit, FakeStorageError, ConcurrentChange)
        return
    if name == "sqlite":
        if sqlite_template not in _MIGRATED:
            await _migrate(f"sqlite+aiosqlite:///{sqlite_template}")
            _MIGRATED.add(sqlite_template)
        shutil.copyfile(sqlite_template, make_url(url).database or "")
    else:
        await _migrate(url)
    engine = create_engine(url)
    sessions = session_factory(engine)
    yield Store(name, lambda: SqlUnitOfWork(sessions), DBAPIError, StaleDataError)
    await engine.dispose()
