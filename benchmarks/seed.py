"""Fast fills of a migrated SQLite database: pending reminders, and cases with their events.

The schema comes from the real migrations; rows go in through `sqlite3` in one transaction
(reminders generated inside SQLite, cases and events by `executemany` in batches), written
the way SQLAlchemy stores them on SQLite: times as naive UTC text with microseconds, JSON as
text. Only columns that exist since migration 0002 are named.
"""

from __future__ import annotations

import asyncio
import json
import random
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from functools import reduce
from pathlib import Path
from typing import Any

from benchmarks.common import sqlite_url
from flows.model import Role, marked
from flows.people import People
from flows.policy import Policy
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

Row = tuple[Any, ...]


def stored(moment: datetime) -> str:
    """Write a time as SQLAlchemy's DateTime does on SQLite (naive UTC)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


async def migrated(path: Path, staff: int = 20) -> list[int]:
    """Create the schema in `path` by the migrations and register `staff` people; their ids."""
    engine = create_engine(sqlite_url(path.parent, path.name))
    try:
        await upgrade(engine)
        async with SqlUnitOfWork(session_factory(engine)) as uow:
            people = People(uow, Policy(), lambda: datetime.now(UTC))
            registered = [
                await people.register(500_000 + i, f"Staff {i}", Role.staff, "en")
                for i in range(staff)
            ]
            await uow.commit()
    finally:
        await engine.dispose()
    return [person.id or 0 for person in registered]


def _insert_sql(table: str, columns: Sequence[str]) -> str:
    return f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"


# ------------------------------------------------------------------------ reminders

#: `:total` pending follow-up reminders without a case, generated inside SQLite. Every
#: `:every`-th row (the first `:due` of them) is due up to an hour before `:now`; the others
#: fall due a minute apart after it. Recipients cycle through staff ids 1..`:staff`.
PENDING_REMINDERS = """
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < :total)
INSERT INTO reminders (kind, due_at, recipient_id, payload, status, attempts, created_at)
SELECT 'follow_up_due', at || '.000000', 1 + i % :staff,
       '{"target": "' || replace(at, ' ', 'T') || '+00:00", "n": ' || i || '}',
       'pending', 0, :created
FROM (
    SELECT i, CASE WHEN i % :every = 0 AND i / :every < :due
                   THEN datetime(:now, '-' || (1 + i % 3600) || ' seconds')
                   ELSE datetime(:now, '+' || (1 + i) || ' minutes') END AS at
    FROM n
)
"""


def _bulk_connection(path: Path) -> sqlite3.Connection:
    """A connection for loading: a large page cache, no waiting for the disk."""
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA cache_size=-262144")  # 256 MiB
    connection.execute("PRAGMA synchronous=OFF")
    return connection


def insert_pending_reminders(path: Path, total: int, due: int, now: datetime, staff: int) -> int:
    """Insert `total` pending reminders, `due` of them due at `now`; return how many."""
    connection = _bulk_connection(path)
    try:
        with connection:
            connection.execute(
                PENDING_REMINDERS,
                {
                    "total": total,
                    "due": due,
                    "every": max(total // max(due, 1), 1),
                    "now": now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                    "created": stored(now - timedelta(days=3)),
                    "staff": staff,
                },
            )
        return connection.total_changes
    finally:
        connection.close()


async def seed_reminders(path: Path, total: int, due: int, now: datetime) -> int:
    """A migrated database holding `total` pending reminders, `due` of them due at `now`."""
    staff = await migrated(path)
    return await asyncio.to_thread(insert_pending_reminders, path, total, due, now, len(staff))


# ------------------------------------------------------------------ cases and events

CASE_COLUMNS = (
    "id",
    "kind",
    "state",
    "version",
    "events_count",
    "owner_id",
    "customer_id",
    "summary",
    "category",
    "severity",
    "draft",
    "compensation_type",
    "compensation_value",
    "reopen_count",
    "compensation_given",
    "step_marks",
    "resolution",
    "opened_at",
    "closed_at",
    "updated_at",
)
EVENT_COLUMNS = ("case_id", "seq", "at", "actor_id", "step", "kind", "data")
CUSTOMER_COLUMNS = ("id", "name", "search_key", "kind", "status")
#: Where each of a batch's three row lists goes.
TABLES = (
    ("customers", CUSTOMER_COLUMNS),
    ("cases", CASE_COLUMNS),
    ("case_events", EVENT_COLUMNS),
)

Step = tuple[str, str, str]  # event kind, step it was recorded in, data as JSON


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False)


#: The walk of a closed case.
CLOSED_WALK: tuple[Step, ...] = (
    ("opened", "intake", "{}"),
    ("open", "intake", _json({"summary": "Giao hàng trễ 3 ngày", "category": "delay"})),
    ("apologised", "apologise", _json({"reaction": "upset", "note": "Chị ấy đã bình tĩnh"})),
    ("fixed", "fix", _json({"action": "Giao lại bằng xe riêng", "status": "fixed_now"})),
    ("empathised", "empathise", _json({"what_mattered": "Cần bánh cho sinh nhật con"})),
    ("compensated", "compensate", _json({"type": "voucher", "value": 200_000})),
    ("scheduled", "follow_up", _json({"due": "2026-03-02T02:00:00+00:00"})),
    ("satisfied", "awaiting_follow_up", _json({"outcome": "satisfied", "to": "closed"})),
)
#: The walk of a complaint reopened once (still unhappy at the follow-up), then closed: a
#: voucher the first time, a refund the second.
REOPENED_WALK: tuple[Step, ...] = (
    *CLOSED_WALK[:7],
    ("still_unhappy", "awaiting_follow_up", _json({"outcome": "still_unhappy", "to": "fix"})),
    ("fixed", "fix", _json({"action": "Đổi sản phẩm mới", "status": "fixed_now"})),
    ("empathised", "empathise", _json({"what_mattered": "Muốn được tôn trọng"})),
    ("compensated", "compensate", _json({"type": "refund", "value": 300_000})),
    *CLOSED_WALK[6:],
)
CANCEL: Step = ("cancel", "fix", _json({"reason": "Opened by mistake", "to": "cancelled"}))
#: What a closed case gave (`cases.compensation_given`), never reopened and reopened once.
GIVEN = (_json([["voucher", 200_000]]), _json([["voucher", 200_000], ["refund", 300_000]]))
NOTE = _json({"text": "Khách gọi lại lần 2 🙏"})

#: The state a case is in when its walk stopped after 2, 3, ... events.
OPEN_STATES = ("apologise", "fix", "empathise", "compensate", "follow_up", "awaiting_follow_up")
CATEGORIES = ("price_quality", "staff_attitude", "delay", "defective", "billing", "other")


def complaint_batches(
    cases: int, events: int, year: int, staff: Sequence[int], batch: int = 5_000
) -> Iterator[tuple[list[Row], list[Row], list[Row]]]:
    """Customers, cases and events in batches: `cases` cases over `year`, `events` in all.

    80% of cases are walked to the end and closed (one in eight of them after a reopen: a
    voucher, still unhappy, a refund), 5% cancelled, the rest stop at an open step; notes
    fill each case up to `events / cases` events.
    """
    rng = random.Random(year)
    per_case = max(events // max(cases, 1), 1)
    for first in range(1, cases + 1, batch):
        rows: tuple[list[Row], list[Row], list[Row]] = ([], [], [])
        for case_id in range(first, min(first + batch, cases + 1)):
            _one_case(rng, case_id, per_case, year, staff[case_id % len(staff)], rows)
        yield rows


def _one_case(
    rng: random.Random,
    case_id: int,
    per_case: int,
    year: int,
    owner: int,
    rows: tuple[list[Row], list[Row], list[Row]],
) -> None:
    customers, cases, events = rows
    opened = datetime(year, 1, 1, tzinfo=UTC) + timedelta(seconds=rng.randrange(335 * 86400))
    walk, state, resolution = _fate(rng)
    reopened = int(walk[-1][0] == "satisfied" and len(walk) == len(REOPENED_WALK))
    notes = [("note", walk[-1][1], NOTE)] * (per_case - len(walk))
    steps = [*walk[:-1], *notes, walk[-1]]
    times = _times(rng, opened, len(steps))
    ended = times[-1] if resolution else None
    customers.append((case_id, f"Khách {case_id}", f"khach {case_id}", "individual", "active"))
    category = CATEGORIES[case_id % len(CATEGORIES)]
    cases.append(
        (
            *(case_id, "complaint", state, len(steps) + 1, len(steps), owner, case_id),
            *("Giao hàng trễ 3 ngày", category, "high", "{}", "voucher", 200_000, reopened),
            GIVEN[reopened] if resolution == "resolved" else "[]",
            reduce(marked, (kind for kind, _, _ in steps), 0),
            *(resolution, times[0], ended, times[-1]),
        )
    )
    events.extend(
        (case_id, seq, at, owner, step, kind, data)
        for seq, ((kind, step, data), at) in enumerate(zip(steps, times, strict=True), 1)
    )


def _fate(rng: random.Random) -> tuple[list[Step], str, str | None]:
    roll = rng.random()
    if roll < 0.70:
        return list(CLOSED_WALK), "closed", "resolved"
    if roll < 0.80:
        return list(REOPENED_WALK), "closed", "resolved"
    if roll < 0.85:
        return [*CLOSED_WALK[:3], CANCEL], "cancelled", "cancelled"
    stop = rng.randrange(2, len(CLOSED_WALK))
    return list(CLOSED_WALK[:stop]), OPEN_STATES[stop - 2], None


def _times(rng: random.Random, opened: datetime, count: int) -> list[str]:
    """`count` stored times from `opened` on, a minute to a day apart."""
    moments, at = [], opened.timestamp()
    for _ in range(count):
        moments.append(datetime.fromtimestamp(at, UTC).replace(tzinfo=None).isoformat(" "))
        at += 60 * rng.randrange(1, 60 * 24)
    return [f"{moment}.000000" for moment in moments]


def insert_complaints(path: Path, cases: int, events: int, year: int, staff: Sequence[int]) -> int:
    """Insert the complaint batches in one transaction; return how many events."""
    written = 0
    connection = _bulk_connection(path)
    try:
        with connection:
            for batch in complaint_batches(cases, events, year, staff):
                for (table, columns), rows in zip(TABLES, batch, strict=True):
                    connection.executemany(_insert_sql(table, columns), rows)
                written += len(batch[2])
    finally:
        connection.close()
    return written


async def seed_cases(path: Path, cases: int, events: int, year: int) -> int:
    """A migrated database with `cases` complaint cases over `year`; return the event count."""
    staff = await migrated(path)
    return await asyncio.to_thread(insert_complaints, path, cases, events, year, staff)


def insert_long_case(path: Path, case_id: int, events: int, year: int, owner: int) -> None:
    """Add case `case_id` (and its customer) walked to the end with `events` events in all."""
    rows: tuple[list[Row], list[Row], list[Row]] = ([], [], [])
    _one_case(random.Random(case_id), case_id, events, year, owner, rows)
    connection = _bulk_connection(path)
    try:
        with connection:
            for (table, columns), batch in zip(TABLES, rows, strict=True):
                connection.executemany(_insert_sql(table, columns), batch)
    finally:
        connection.close()
