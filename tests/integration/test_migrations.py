"""Migrations: `alembic upgrade head` builds exactly the models' schema, and undoes cleanly."""

from __future__ import annotations

import json
from functools import reduce
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from flows.model import ALL_FIVE_IN_ORDER, FIVE_STEP_EVENTS, marked
from storage.migrate import SchemaMismatch, alembic_config, make_current, upgrade
from storage.tables import metadata

#: Indexes whose columns PostgreSQL orders otherwise than by default (`postgresql_ops`).
ORDERED = {
    index.name: index
    for table in metadata.tables.values()
    for index in table.indexes
    if index.dialect_options["postgresql"]["ops"]
}


def _differences(connection: Connection) -> list[Any]:
    postgres = connection.dialect.name == "postgresql"
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "include_object": _compared_by_alembic(postgres)},
    )
    return [*compare_metadata(context, metadata), *_orderings_missing(connection, postgres)]


def _compared_by_alembic(postgres: bool) -> Any:
    """Alembic reflects a PostgreSQL index built `NULLS FIRST` as an expression and the model's
    `postgresql_ops` as a column, so it would call one index two; `_orderings_missing` checks
    those indexes on PostgreSQL instead."""
    return lambda _object, name, kind, *_: not (postgres and kind == "index" and name in ORDERED)


def _orderings_missing(connection: Connection, postgres: bool) -> list[Any]:
    """Each ordered index as PostgreSQL holds it, where it is not the model's."""
    if not postgres:
        return []
    missing = []
    for name, index in ORDERED.items():
        ops = index.dialect_options["postgresql"]["ops"]
        wanted = ", ".join(
            f"{c.name} {ops[c.name]}" if c.name in ops else c.name for c in index.columns
        )
        held = connection.execute(
            text("SELECT indexdef FROM pg_indexes WHERE indexname = :name"), {"name": name}
        ).scalar()
        if held is None or not str(held).endswith(f"({wanted})"):
            missing.append(("index_ordering", name, held))
    return missing


async def differences(engine: AsyncEngine) -> list[Any]:
    """What `alembic revision --autogenerate` would write for this database."""
    async with engine.connect() as conn:
        return await conn.run_sync(_differences)


async def table_names(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda c: inspect(c).get_table_names()))


async def revision(engine: AsyncEngine) -> str | None:
    async with engine.connect() as conn:
        return await conn.run_sync(lambda c: MigrationContext.configure(c).get_current_revision())


def head() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


async def test_the_migrated_database_matches_the_models_exactly(engine: AsyncEngine) -> None:
    assert await revision(engine) == head()
    assert await differences(engine) == []


async def test_downgrading_to_base_and_upgrading_again_rebuilds_the_same_schema(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "base"))
    assert await revision(engine) is None
    assert await table_names(engine) <= {"alembic_version"}

    await upgrade(engine)
    assert await revision(engine) == head()
    assert await table_names(engine) >= set(metadata.tables)
    assert await differences(engine) == []


async def test_a_schema_behind_is_migrated_or_refused_as_settings_say(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "base"))
    with pytest.raises(SchemaMismatch, match=r"run `python main\.py db upgrade`"):
        await make_current(engine, migrate=False)
    assert await revision(engine) is None  # refused: nothing changed
    await make_current(engine, migrate=True)
    assert await revision(engine) == head()
    await make_current(engine, migrate=False)  # up to date: nothing to say


async def test_a_schema_newer_than_the_code_is_refused_even_when_migrating(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        await conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    for migrate in (True, False):
        with pytest.raises(SchemaMismatch, match=r"schema \(9999\) is newer than this code"):
            await make_current(engine, migrate=migrate)


async def test_existing_complaints_get_what_they_gave_offer_by_offer_from_their_timeline(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0009"))
        await conn.execute(
            text(
                "INSERT INTO staff (id, telegram_id, name, role, active, unreachable) "
                "VALUES (1, 1, 'Lan', 'staff', true, false)"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO cases (id, kind, state, version, events_count, owner_id, draft, "
                "compensation_total, reopen_count, opened_at) VALUES "
                "(1, 'complaint', 'closed', 9, 6, 1, '{}', 500000, 1, '2026-11-01 02:00:00'), "
                "(2, 'complaint', 'apologise', 2, 1, 1, '{}', 0, 0, '2026-11-01 02:00:00')"
            )
        )
        timeline = [  # a voucher given, reopened, a refund over the limit approved, then
            ("compensated", "compensate", '{"type": "voucher", "value": 200000}'),
            ("compensated", "compensate", '{"type": "refund", "value": 900000, '
             '"to": "awaiting_approval"}'),
            ("declined", "awaiting_approval", "{}"),  # declined: nothing given
            ("compensated", "compensate", '{"type": "refund", "value": 300000, '
             '"to": "awaiting_approval"}'),
            ("approved", "awaiting_approval", "{}"),
        ]  # fmt: skip
        for seq, (kind, step, data) in enumerate(timeline, 1):
            await conn.execute(
                text(
                    "INSERT INTO case_events (case_id, seq, at, actor_id, step, kind, data) "
                    "VALUES (1, :seq, '2026-11-01 03:00:00', 1, :step, :kind, :data)"
                ),
                {"seq": seq, "step": step, "kind": kind, "data": data},
            )
    await upgrade(engine)
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT id, compensation_given FROM cases"))).all()
    given = {
        case_id: value if isinstance(value, list) else json.loads(value) for case_id, value in rows
    }
    assert given == {1: [["voucher", 200000], ["refund", 300000]], 2: []}


async def test_existing_cases_get_step_marks_from_their_logs_as_the_app_keeps_them(
    engine: AsyncEngine,
) -> None:
    logs = {
        1: [*FIVE_STEP_EVENTS, "still_unhappy", "fixed", "compensated"],  # reopened, in order
        2: ["apologised", "empathised", "fixed", "compensated", "scheduled"],  # out of order
        3: ["apologised", "note"],  # one step so far
        4: ["note"],  # none
    }
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0013"))
        await conn.execute(
            text(
                "INSERT INTO staff (id, telegram_id, name, role, active, unreachable) "
                "VALUES (1, 1, 'Lan', 'staff', true, false)"
            )
        )
        for case_id, kinds in logs.items():
            await conn.execute(
                text(
                    "INSERT INTO cases (id, kind, state, version, events_count, owner_id, "
                    "draft, reopen_count, opened_at) VALUES (:id, 'complaint', 'fix', 1, "
                    ":n, 1, '{}', 0, '2026-11-01 02:00:00')"
                ),
                {"id": case_id, "n": len(kinds)},
            )
            for seq, kind in enumerate(kinds, 1):
                await conn.execute(
                    text(
                        "INSERT INTO case_events (case_id, seq, at, actor_id, step, kind, data) "
                        "VALUES (:case_id, :seq, '2026-11-01 03:00:00', 1, 'fix', :kind, '{}')"
                    ),
                    {"case_id": case_id, "seq": seq, "kind": kind},
                )
    await upgrade(engine)
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT id, step_marks FROM cases ORDER BY id"))).all()
    stored = {int(case_id): int(marks) for case_id, marks in rows}
    assert stored == {case_id: reduce(marked, kinds, 0) for case_id, kinds in logs.items()}
    assert stored[1] == ALL_FIVE_IN_ORDER


async def test_existing_reminders_fell_due_when_they_are_due(engine: AsyncEngine) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0015"))
        await conn.execute(
            text(
                "INSERT INTO reminders (id, kind, due_at, payload, status, attempts) "
                "VALUES (1, 'digest', '2026-11-30 01:00:00', '{}', 'pending', 0)"
            )
        )
    await upgrade(engine)
    async with engine.connect() as conn:
        row = (await conn.execute(text("SELECT due_at, first_due_at FROM reminders"))).one()
    assert row[0] == row[1]


async def test_complaints_stepped_back_from_an_agreed_follow_up_are_no_longer_overdue(
    engine: AsyncEngine,
) -> None:
    states = {1: "follow_up", 2: "awaiting_follow_up", 3: "compensate"}
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0016"))
        await conn.execute(
            text(
                "INSERT INTO staff (id, telegram_id, name, role, active, unreachable) "
                "VALUES (1, 1, 'Lan', 'staff', true, false)"
            )
        )
        for case_id, state in states.items():
            await conn.execute(
                text(
                    "INSERT INTO cases (id, kind, state, version, events_count, owner_id, "
                    "draft, reopen_count, opened_at, follow_up_due_at, overdue_since) "
                    "VALUES (:id, 'complaint', :state, 1, 0, 1, '{}', 0, "
                    "'2026-11-01 02:00:00', '2026-11-02 02:00:00', '2026-11-03 02:00:00')"
                ),
                {"id": case_id, "state": state},
            )
    await upgrade(engine)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT id, follow_up_due_at IS NOT NULL, overdue_since IS NOT NULL "
                    "FROM cases ORDER BY id"
                )
            )
        ).all()
    assert [tuple(row) for row in rows] == [(1, False, False), (2, True, True), (3, False, False)]


async def test_customers_already_on_record_keep_their_start_shown_to_the_day(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0018"))
        await conn.execute(
            text(
                "INSERT INTO customers (id, name, search_key, kind, status, since) VALUES "
                "(1, 'Mai', 'mai', 'individual', 'active', '2019-01-01'), "
                "(2, 'Hùng', 'hung', 'individual', 'active', NULL)"
            )
        )
    await upgrade(engine)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(text("SELECT id, since_precision FROM customers ORDER BY id"))
        ).all()
    assert [tuple(r) for r in rows] == [(1, "day"), (2, None)]


async def test_customers_already_on_record_are_found_by_their_phone_however_it_was_written(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0019"))
        await conn.execute(
            text(
                "INSERT INTO customers (id, name, search_key, kind, status, phone) VALUES "
                "(1, 'Mai', 'mai', 'individual', 'active', '+84903123456'), "
                "(2, 'Hùng', 'hung', 'individual', 'active', '02838234567'), "
                "(3, 'Lan', 'lan', 'individual', 'active', NULL)"
            )
        )
    await upgrade(engine)
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT id, phone_key FROM customers ORDER BY id"))).all()
    assert [tuple(r) for r in rows] == [(1, "903123456"), (2, "2838234567"), (3, None)]


async def test_reviews_that_let_a_customer_go_keep_the_goodwill_their_goodbye_gave(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0026"))
        await conn.execute(
            text(
                "INSERT INTO staff (id, telegram_id, name, role, active, unreachable) "
                "VALUES (1, 1, 'Lan', 'staff', true, false)"
            )
        )
        await conn.execute(
            text(
                "INSERT INTO cases (id, kind, state, version, events_count, owner_id, draft, "
                "reopen_count, opened_at, resolution) VALUES "
                "(1, 'problem_review', 'terminated', 9, 2, 1, '{}', 0, '2026-11-01 02:00:00',"
                " 'terminated'), "
                "(2, 'problem_review', 'termination_conversation', 5, 1, 1, '{}', 0,"
                " '2026-11-01 02:00:00', NULL)"
            )
        )
        goodwill = '{"goodwill": "cancel_final_invoice", "goodwill_value": 300000}'
        for case_id in (1, 2):  # the second has not ended: nothing given yet
            await conn.execute(
                text(
                    "INSERT INTO case_events (case_id, seq, at, actor_id, step, kind, data) "
                    "VALUES (:case, 1, '2026-11-01 03:00:00', 1, 'termination_conversation',"
                    " 'move_goodwill', :data)"
                ),
                {"case": case_id, "data": goodwill},
            )
    await upgrade(engine)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT id, compensation_type, compensation_total, compensation_given "
                    "FROM cases ORDER BY id"
                )
            )
        ).all()
    kept = [(i, t, n, g if isinstance(g, list) else json.loads(g)) for i, t, n, g in rows]
    assert kept == [
        (1, "cancel_final_invoice", 300_000, [["cancel_final_invoice", 300_000]]),
        (2, None, 0, []),
    ]


async def test_phones_on_record_written_for_callers_abroad_are_kept_as_dialled_and_found(
    engine: AsyncEngine,
) -> None:
    async with engine.begin() as conn:
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0029"))
        await conn.execute(
            text(
                "INSERT INTO customers (id, name, search_key, kind, status, phone, phone_key) "
                "VALUES (1, 'Mai', 'mai', 'individual', 'active', '+840903123456', '0903123456'),"
                " (2, 'Hùng', 'hung', 'individual', 'active', '0084903123456', '084903123456'),"
                " (3, 'Lan', 'lan', 'individual', 'active', '0903123457', '903123457'),"
                " (4, 'Ann', 'ann', 'individual', 'active', '+442071234567', '442071234567'),"
                " (5, 'Bảo', 'bao', 'individual', 'active', NULL, NULL)"
            )
        )
    await upgrade(engine)
    async with engine.connect() as conn:
        rows = await conn.execute(text("SELECT id, phone, phone_key FROM customers ORDER BY id"))
        assert [tuple(r) for r in rows] == [
            (1, "+84903123456", "903123456"),
            (2, "+84903123456", "903123456"),
            (3, "0903123457", "903123457"),
            (4, "+442071234567", "442071234567"),
            (5, None, None),
        ]
