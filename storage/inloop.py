"""SQLite called in the event loop's own thread, one writer at a time.

aiosqlite runs every call on a thread of its own: a statement that takes SQLite 20 µs costs
a hand-off to that thread and back, and under load each hand-off waits for the OS to
schedule the other thread (33 hand-offs and 4-7 ms per update, measured). SQLite's calls
are short, so `InLoopConnection` makes them at once, in the caller's thread, behind
aiosqlite's interface (which SQLAlchemy's `sqlite+aiosqlite` dialect drives).

Making calls in the loop's thread has two consequences, both handled here:

- A connection must never wait for SQLite's lock inside SQLite (the busy handler sleeps
  and would stop the whole loop). Writers of this process take the database's
  `asyncio.Lock` before `BEGIN` and give it back at commit or rollback, so they queue in
  the loop, first come first served, instead of polling the lock. SQLite's own busy
  timeout is 0; a lock held by another process (the CLI) is waited for with
  `asyncio.sleep` between attempts, up to the busy timeout.
- Long reads (reports, exports) do not belong here: they run on their own connection
  elsewhere (`storage.reading`), which WAL lets read beside the writer.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import weakref
from collections.abc import Callable, Iterable, Sequence
from typing import Any

#: How long a retry waits at first, and at most, for a lock held by another process.
FIRST_PAUSE_S, LONGEST_PAUSE_S = 0.001, 0.05

_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, asyncio.Lock]] = (
    weakref.WeakKeyDictionary()
)


def writer_lock(path: str) -> asyncio.Lock:
    """The lock the writers of one database file take in this event loop."""
    per_loop = _locks.setdefault(asyncio.get_running_loop(), {})
    return per_loop.setdefault(path, asyncio.Lock())


def _busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class InLoopCursor:
    """aiosqlite's cursor interface over a `sqlite3.Cursor`, answered at once."""

    def __init__(self, connection: InLoopConnection, cursor: sqlite3.Cursor) -> None:
        self._connection = connection
        self._cursor = cursor

    @property
    def description(self) -> Any:
        """The columns of the last result, as `sqlite3` describes them."""
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        """Rows the last statement changed."""
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        """The row id of the last row inserted."""
        return self._cursor.lastrowid

    async def execute(self, sql: str, parameters: Any = ()) -> InLoopCursor:
        """Run one statement; `BEGIN` first waits for this process's other writers."""
        if sql.lstrip()[:5].upper() == "BEGIN":
            await self._connection.take_lock()
        await self._connection.patiently(lambda: self._cursor.execute(sql, parameters))
        return self

    async def executemany(self, sql: str, parameters: Iterable[Any]) -> InLoopCursor:
        """Run one statement for each set of parameters."""
        rows = list(parameters)
        await self._connection.patiently(lambda: self._cursor.executemany(sql, rows))
        return self

    async def fetchone(self) -> Any:
        """The next row, or None."""
        return self._cursor.fetchone()

    async def fetchmany(self, size: int | None = None) -> list[Any]:
        """Up to `size` more rows."""
        return self._cursor.fetchmany(size) if size else self._cursor.fetchmany()

    async def fetchall(self) -> list[Any]:
        """Every remaining row."""
        return self._cursor.fetchall()

    async def close(self) -> None:
        """Close the cursor."""
        self._cursor.close()


class InLoopConnection:
    """aiosqlite's connection interface over a `sqlite3.Connection` used in the loop."""

    def __init__(self, connection: sqlite3.Connection, lock: asyncio.Lock, busy_s: float) -> None:
        self._conn = connection
        self._lock = lock
        self._busy_s = busy_s
        self._holding = False

    @property
    def isolation_level(self) -> str | None:
        """Always None: transactions are begun explicitly (`BEGIN IMMEDIATE`)."""
        return self._conn.isolation_level

    @property
    def in_transaction(self) -> bool:
        """Tell whether a transaction is open."""
        return self._conn.in_transaction

    async def take_lock(self) -> None:
        """Wait for this process's other writers, at most the busy timeout."""
        if self._holding:
            return
        if not self._lock.locked():  # the usual case: no wait, no turn of the loop
            await self._lock.acquire()
            self._holding = True
            return
        try:
            await asyncio.wait_for(self._lock.acquire(), self._busy_s)
        except TimeoutError:
            raise sqlite3.OperationalError("database is locked (by this process)") from None
        self._holding = True

    def _release(self) -> None:
        if self._holding:
            self._holding = False
            self._lock.release()

    async def patiently(self, call: Callable[[], Any]) -> Any:
        """Make a call; while another process holds the lock, retry until the busy timeout."""
        deadline = time.monotonic() + self._busy_s
        pause = FIRST_PAUSE_S
        while True:
            try:
                return call()
            except sqlite3.OperationalError as error:
                if not _busy(error) or time.monotonic() + pause > deadline:
                    if not self._conn.in_transaction:
                        self._release()
                    raise
            await asyncio.sleep(pause)
            pause = min(pause * 2, LONGEST_PAUSE_S)

    async def cursor(self) -> InLoopCursor:
        """A new cursor."""
        return InLoopCursor(self, self._conn.cursor())

    async def execute(self, sql: str, parameters: Sequence[Any] = ()) -> InLoopCursor:
        """Run one statement on a new cursor."""
        cursor = await self.cursor()
        return await cursor.execute(sql, parameters)

    async def commit(self) -> None:
        """Commit, then let the next writer in."""
        try:
            await self.patiently(self._conn.commit)
        finally:
            if not self._conn.in_transaction:
                self._release()

    async def rollback(self) -> None:
        """Roll back, then let the next writer in."""
        try:
            self._conn.rollback()
        finally:
            self._release()

    async def close(self) -> None:
        """Close the connection (rolling back what is open)."""
        self.stop()

    def stop(self) -> None:
        """Close at once (SQLAlchemy's terminate)."""
        try:
            self._conn.close()
        finally:
            self._release()

    async def create_function(self, *args: Any, **kwargs: Any) -> None:
        """Register a Python function for SQL (SQLAlchemy adds `regexp` and `floor`)."""
        self._conn.create_function(*args, **kwargs)


def connector(path: str, busy_ms: int) -> Callable[[], Any]:
    """An `async_creator` for SQLAlchemy: in-loop connections to `path`."""

    async def connect() -> InLoopConnection:
        raw = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        raw.execute("PRAGMA busy_timeout=0")  # never wait inside SQLite: see the module
        return InLoopConnection(raw, writer_lock(path), busy_ms / 1000)

    return connect
