"""SQLite called in the event loop's own thread, one writer at a time.

aiosqlite runs every call on a thread of its own: a statement that takes SQLite 20 µs costs
hand-offs to that thread and back, and under load each hand-off waits for the OS to
schedule the other thread (33 hand-offs and 4-7 ms per update, measured). SQLite's calls
are short, so here they are made at once, in the loop's thread: `InLoopDBAPI` stands in
for the DBAPI module of SQLAlchemy's `sqlite+aiosqlite` dialect (`create_async_engine(...,
module=InLoopDBAPI())`), and its connections call `sqlite3` directly. SQLAlchemy's greenlet
is left for the event loop only when there is something to wait for.

Two rules follow from calling SQLite in the loop's thread:

- Nothing may wait inside SQLite: its busy handler sleeps, and would stop the whole loop.
  Writers of this process take the database's `WriterLock` before `BEGIN` and give it back
  at commit or rollback, so they queue in the loop, first come first served, instead of
  polling SQLite's lock. SQLite's own busy timeout is 0; a lock held by another process
  (the command line) is waited for with `asyncio.sleep` between attempts, up to the busy
  timeout, as SQLite's busy handler would.
- Long reads (reports, exports) do not belong here: they run on their own connection, off
  the loop (`storage.reading`), which WAL lets read beside the writer.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
import weakref
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi
from sqlalchemy.engine.interfaces import AdaptedConnection
from sqlalchemy.util.concurrency import await_only

#: How long a retry waits at first, and at most, for a lock held by another process.
FIRST_PAUSE_S, LONGEST_PAUSE_S = 0.001, 0.05


class WriterLock:
    """A first-come-first-served lock for the writers of one database in one event loop.

    Taken without leaving the greenlet when free (the usual case); otherwise the writer
    waits in the event loop, at most the busy timeout.
    """

    def __init__(self) -> None:
        self._held = False
        self._waiting: deque[asyncio.Future[None]] = deque()

    def take(self, timeout_s: float) -> None:
        """Take the lock, waiting for the writers before this one."""
        if not self._held:
            self._held = True
            return
        turn = asyncio.get_running_loop().create_future()
        self._waiting.append(turn)
        try:
            await_only(asyncio.wait_for(asyncio.shield(turn), timeout_s))
        except TimeoutError:
            if turn.done() and not turn.cancelled():
                self.give_back()  # handed over just as the wait ran out: pass it on
            else:
                turn.cancel()
            raise sqlite3.OperationalError("database is locked (by this process)") from None

    def give_back(self) -> None:
        """Hand the lock to the next writer still waiting, or free it."""
        while self._waiting:
            turn = self._waiting.popleft()
            if not turn.done():
                turn.set_result(None)
                return
        self._held = False


_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, WriterLock]] = (
    weakref.WeakKeyDictionary()
)


def writer_lock(path: str) -> WriterLock:
    """The lock the writers of one database file take in the running event loop."""
    per_loop = _locks.setdefault(asyncio.get_running_loop(), {})
    return per_loop.setdefault(path, WriterLock())


def _busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


class InLoopConnection(AdaptedConnection):
    """The DBAPI connection SQLAlchemy drives: a `sqlite3.Connection` used in the loop."""

    def __init__(self, raw: sqlite3.Connection, lock: WriterLock, busy_s: float) -> None:
        self._connection = raw  # type: ignore[assignment]
        self.raw = raw
        self._lock = lock
        self._busy_s = busy_s
        self._holding = False

    @property
    def isolation_level(self) -> str | None:
        """None: transactions are begun explicitly (`BEGIN IMMEDIATE`, storage.engine)."""
        return self.raw.isolation_level

    def take_lock(self) -> None:
        """Wait for this process's other writers (at most the busy timeout)."""
        if not self._holding:
            self._lock.take(self._busy_s)
            self._holding = True

    def _release(self) -> None:
        if self._holding:
            self._holding = False
            self._lock.give_back()

    def patiently(self, call: Callable[[], Any]) -> Any:
        """Make a call; while another process holds SQLite's lock, retry until the busy
        timeout, pausing in the event loop between attempts."""
        deadline = time.monotonic() + self._busy_s
        pause = FIRST_PAUSE_S
        while True:
            try:
                return call()
            except sqlite3.OperationalError as error:
                if not _busy(error) or time.monotonic() + pause > deadline:
                    if not self.raw.in_transaction:
                        self._release()
                    raise
            await_only(asyncio.sleep(pause))
            pause = min(pause * 2, LONGEST_PAUSE_S)

    def cursor(self, server_side: bool = False) -> InLoopCursor:
        """A new cursor."""
        return InLoopCursor(self, server_side)

    def commit(self) -> None:
        """Commit, then let the next writer in."""
        try:
            self.patiently(self.raw.commit)
        finally:
            if not self.raw.in_transaction:
                self._release()

    def rollback(self) -> None:
        """Roll back, then let the next writer in."""
        try:
            self.raw.rollback()
        finally:
            self._release()

    def close(self) -> None:
        """Close the connection (what is open is rolled back)."""
        try:
            self.raw.close()
        finally:
            self._release()

    terminate = close

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        """Register a Python function for SQL (SQLAlchemy adds `regexp` and `floor`)."""
        self.raw.create_function(*args, **kwargs)


class _Ready:
    """An awaitable that is ready at once.

    SQLAlchemy's async Core calls (`AsyncConnection.execute`, `stream`) insist that a
    statement awaits at least once, a check against blocking drivers (AwaitRequired).
    Each statement awaits this: a switch to the loop's greenlet and back, no turn of the
    loop.
    """

    def __await__(self) -> Generator[None, None, None]:
        yield from ()


_READY = _Ready()


class InLoopCursor:
    """The DBAPI cursor SQLAlchemy drives, over a `sqlite3.Cursor`.

    As with SQLAlchemy's own aiosqlite cursor, a result is read whole when the statement
    runs (a server-side cursor, for `stream`, reads as it is fetched).
    """

    def __init__(self, connection: InLoopConnection, server_side: bool) -> None:
        self._connection = connection
        self._cursor = connection.raw.cursor()
        self.server_side = server_side
        self.arraysize = 1
        self._rows: deque[Any] = deque()

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

    def execute(self, operation: str, parameters: Sequence[Any] | None = None) -> None:
        """Run one statement; `BEGIN` first waits for this process's other writers."""
        await_only(_READY)  # see `_Ready`
        if operation[:5].upper() == "BEGIN":
            self._connection.take_lock()
        self._connection.patiently(lambda: self._cursor.execute(operation, parameters or ()))
        if not self.server_side and self._cursor.description:
            self._rows = deque(self._cursor.fetchall())

    def executemany(self, operation: str, parameters: Sequence[Any]) -> None:
        """Run one statement for each set of parameters."""
        await_only(_READY)
        self._connection.patiently(lambda: self._cursor.executemany(operation, parameters))

    def fetchone(self) -> Any:
        """The next row, or None."""
        if self.server_side:
            return self._cursor.fetchone()
        return self._rows.popleft() if self._rows else None

    def fetchmany(self, size: int | None = None) -> list[Any]:
        """Up to `size` more rows."""
        size = size or self.arraysize
        if self.server_side:
            return self._cursor.fetchmany(size)
        rows = self._rows
        return [rows.popleft() for _ in range(min(size, len(rows)))]

    def fetchall(self) -> list[Any]:
        """Every remaining row."""
        if self.server_side:
            return self._cursor.fetchall()
        rows = list(self._rows)
        self._rows.clear()
        return rows

    def __iter__(self) -> Iterator[Any]:
        while (row := self.fetchone()) is not None:
            yield row

    def close(self) -> None:
        """Close the cursor."""
        self._rows.clear()
        self._cursor.close()

    async def _async_soft_close(self) -> None:
        """Nothing to wait for: the rows are read already (SQLAlchemy's async results)."""

    def setinputsizes(self, *sizes: Any) -> None:
        """Nothing to do for SQLite."""


class InLoopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """The `sqlite+aiosqlite` dialect's DBAPI module, connecting in the loop's thread."""

    def __init__(self, busy_ms: int) -> None:
        super().__init__(aiosqlite, sqlite3)
        self.busy_s = busy_ms / 1000

    def connect(self, *args: Any, **kwargs: Any) -> InLoopConnection:  # type: ignore[override]
        """Open `args[0]` for use in the running loop; SQLite never waits (busy_timeout 0)."""
        path = str(args[0])
        raw = sqlite3.connect(
            path, isolation_level=None, check_same_thread=False, uri=kwargs.get("uri", False)
        )
        raw.execute("PRAGMA busy_timeout=0")  # never wait inside SQLite: see the module
        return InLoopConnection(raw, writer_lock(path), self.busy_s)
