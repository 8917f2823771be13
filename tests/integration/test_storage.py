"""Storage on a database built by `alembic upgrade head`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine, event, func, inspect, select, text
from sqlalchemy.engine.interfaces import CacheStats
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from flows.model import Case, CaseEvent, Customer, Staff
from flows.parsing import search_key
from storage import tables
from storage.reading import read_snapshot
from storage.uow import SqlUnitOfWork

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def seed_case(sessions: async_sessionmaker[Any]) -> int:
    async with SqlUnitOfWork(sessions) as uow:
        lan = await uow.staff.add(Staff(telegram_id=1, name="Lan", created_at=NOW))
        case = await uow.cases.add(Case(kind="complaint", owner_id=lan.id or 0, opened_at=NOW))
        case.events_count = 1
        uow.events.add(
            CaseEvent(
                case_id=case.id or 0,
                seq=1,
                at=NOW,
                actor_id=lan.id,
                step="intake",
                kind="opened",
                data={"note": "Chị Hương 😠"},
            )
        )
        await uow.commit()
        return case.id or 0


async def test_the_migrated_schema_has_every_table(engine: AsyncEngine) -> None:
    async with engine.connect() as conn:
        names = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
    assert {
        "staff",
        "invites",
        "customers",
        "cases",
        "case_events",
        "processed_updates",
        "reminders",
        "alembic_version",
    } <= names


async def test_times_come_back_aware_and_in_utc(sessions: async_sessionmaker[Any]) -> None:
    case_id = await seed_case(sessions)
    async with SqlUnitOfWork(sessions) as uow:
        case = await uow.cases.get(case_id)
        assert case is not None
        case.follow_up_due_at = datetime(2026, 11, 25, 9, 0, tzinfo=timezone(timedelta(hours=7)))
        case.version += 1
        await uow.commit()
    async with SqlUnitOfWork(sessions) as uow:
        case = await uow.cases.get(case_id)
        assert case is not None
        assert case.follow_up_due_at == datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
        assert case.follow_up_due_at.tzinfo is not None


async def test_the_event_log_refuses_updates_and_deletes(
    sessions: async_sessionmaker[Any],
) -> None:
    await seed_case(sessions)
    for statement in ("UPDATE case_events SET kind = 'edited'", "DELETE FROM case_events"):
        async with SqlUnitOfWork(sessions) as uow:
            with pytest.raises(DBAPIError, match="append-only"):
                await uow.session.execute(text(statement))
    async with SqlUnitOfWork(sessions) as uow:
        events = await uow.events.for_case(1)
    assert [(e.kind, e.data) for e in events] == [("opened", {"note": "Chị Hương 😠"})]


async def test_a_stale_case_version_loses_the_race(sessions: async_sessionmaker[Any]) -> None:
    case_id = await seed_case(sessions)
    async with SqlUnitOfWork(sessions) as uow:
        loaded = await uow.cases.get(case_id)
        assert loaded is not None
        # Another process moves the case on after we loaded it.
        await uow.session.execute(
            text("UPDATE cases SET state = 'apologise', version = version + 1")
        )
        loaded.state, loaded.version = "cancelled", loaded.version + 1
        with pytest.raises(StaleDataError):
            await uow.commit()
    async with SqlUnitOfWork(sessions) as uow:
        case = await uow.cases.get(case_id)
        assert case is not None
        assert case.state == "intake"  # nothing of the losing transaction was written


async def test_customers_are_found_without_diacritics_or_by_phone(
    sessions: async_sessionmaker[Any],
) -> None:
    async with SqlUnitOfWork(sessions) as uow:
        for name, phone in (
            ("Nguyễn Thị Hương", "0903123456"),
            ("Trần Văn Đức", None),
            ("100% Café", None),
        ):
            await uow.customers.add(Customer(name=name, search_key=search_key(name), phone=phone))
        await uow.commit()
    async with SqlUnitOfWork(sessions) as uow:
        assert [c.name for c in await uow.customers.search("huong", 5)] == ["Nguyễn Thị Hương"]
        assert [c.name for c in await uow.customers.search("duc", 5)] == ["Trần Văn Đức"]
        assert [c.name for c in await uow.customers.search("3123", 5)] == ["Nguyễn Thị Hương"]
        assert [c.name for c in await uow.customers.search("%", 5)] == ["100% Café"]


async def test_a_processed_update_is_recognised_when_redelivered(
    sessions: async_sessionmaker[Any],
) -> None:
    async with SqlUnitOfWork(sessions, update_id=42) as uow:
        assert not await uow.already_processed()
        assert await uow.claim_update()
        await uow.commit()
    async with SqlUnitOfWork(sessions, update_id=42) as uow:
        assert await uow.already_processed()


async def test_the_statement_recording_an_update_is_compiled_once_not_per_update(
    engine: AsyncEngine, sessions: async_sessionmaker[Any]
) -> None:
    hits: list[Any] = []

    def note(_conn: Any, _cursor: Any, statement: str, *args: Any) -> None:
        if statement.startswith("INSERT INTO processed_updates"):
            hits.append(args[1].cache_hit)  # the execution context says how it was compiled

    event.listen(engine.sync_engine, "after_cursor_execute", note)
    try:
        for update_id in (51, 52, 52):
            async with SqlUnitOfWork(sessions, update_id=update_id) as uow:
                claimed = await uow.claim_update()
                await uow.commit()
    finally:
        event.remove(engine.sync_engine, "after_cursor_execute", note)
    assert not claimed  # the third was a redelivery, skipped by ON CONFLICT DO NOTHING
    assert hits[1:] == [CacheStats.CACHE_HIT, CacheStats.CACHE_HIT]


async def test_a_report_read_again_reuses_the_statements_compiled_for_the_first(
    engine: AsyncEngine,
) -> None:
    seen: list[Any] = []

    def note(_conn: Any, _cursor: Any, statement: str, *args: Any) -> None:
        if "count(*)" in statement:
            seen.append(args[1].cache_hit)

    count = select(func.count()).select_from(tables.cases)
    event.listen(Engine, "after_cursor_execute", note)  # the reading engine's too
    try:
        for _ in range(2):
            async with read_snapshot(engine) as connection:
                await connection.execute(count)
    finally:
        event.remove(Engine, "after_cursor_execute", note)
    assert seen[-1] == CacheStats.CACHE_HIT  # not compiled again for a new reading engine


async def test_event_data_is_stored_with_vietnamese_letters_not_escapes(
    engine: AsyncEngine, sessions: async_sessionmaker[Any]
) -> None:
    await seed_case(sessions)  # its event notes "Chị Hương 😠"
    async with engine.connect() as connection:
        stored = await connection.execute(text("SELECT CAST(data AS TEXT) FROM case_events"))
        [raw] = stored.scalars().all()
    assert "Chị Hương 😠" in raw
    assert "\\u" not in raw


async def test_uncommitted_work_is_rolled_back(sessions: async_sessionmaker[Any]) -> None:
    async with SqlUnitOfWork(sessions) as uow:
        await uow.staff.add(Staff(telegram_id=7, name="Gone", created_at=NOW))
    async with SqlUnitOfWork(sessions) as uow:
        assert await uow.staff.by_telegram_id(7) is None
