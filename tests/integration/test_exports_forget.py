"""Forgetting a customer: personal data goes, figures stay, the log says who; edits are refused."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker

from flows.forgetting import ForgetRefused, Forgetting, Forgotten
from flows.policy import Policy
from storage import tables
from storage.reading import read_snapshot
from storage.report_queries import gather
from storage.uow import SqlUnitOfWork
from tests.integration.test_exports_report_figures import HCM, PERIOD, build

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def forget_customer(
    sessions: async_sessionmaker[Any],
    customer_id: int,
    now: datetime,
    by_telegram_id: int | None = None,
) -> Forgotten:
    """Forget a customer in one unit of work, as `main.py customer forget` does."""
    async with SqlUnitOfWork(sessions) as uow:
        done = await Forgetting(uow, Policy(), lambda: now).forget(customer_id, by_telegram_id)
        await uow.commit()
    return done


async def customer_events(engine: AsyncEngine, customer_id: int) -> list[Any]:
    events, cases = tables.case_events, tables.cases
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(events.c.case_id, events.c.kind, events.c.actor_id, events.c.data)
            .join(cases, cases.c.id == events.c.case_id)
            .where(cases.c.customer_id == customer_id)
            .order_by(events.c.id)
        )
        return list(rows)


async def add_personal_events(engine: AsyncEngine) -> None:
    """Give customer 1's first case the kinds of free text staff type."""
    async with engine.begin() as connection:
        await connection.execute(
            insert(tables.case_events),
            [
                {
                    "case_id": 1,
                    "seq": 50 + i,
                    "at": NOW,
                    "actor_id": 1,
                    "step": "fix",
                    "kind": kind,
                    "data": data,
                }
                for i, (kind, data) in enumerate(
                    [
                        ("note", {"text": "Chị Hương gọi lúc 9h, số nhà 12 Lê Lợi"}),
                        ("evidence", {"file_id": "AgAD-1", "kind": "photo", "name": "hd.jpg"}),
                        ("compensated", {"type": "voucher", "value": 200_000, "to": "x"}),
                    ]
                )
            ],
        )
        await connection.execute(
            insert(tables.incidents).values(
                customer_id=1, kind="threats", happened_on=NOW.date(), note="Dọa đăng lên mạng"
            )
        )
        await connection.execute(
            update(tables.customers)
            .where(tables.customers.c.id == 1)
            .values(
                status="at_risk",
                at_risk_since=NOW,
                at_risk_reason="Chị Hương hay đổi ý",
                title="chi",
                given_name="Hương",
            )
        )


async def test_forgetting_removes_personal_data_and_keeps_the_figures(
    engine: AsyncEngine, sessions: async_sessionmaker[Any]
) -> None:
    await build(engine)
    await add_personal_events(engine)
    start, end = PERIOD.bounds(HCM)
    async with read_snapshot(engine) as connection:
        before = await gather(connection, start, end, PERIOD.week_bounds(HCM))

    done = await forget_customer(sessions, 1, NOW, by_telegram_id=2001)

    assert done.cases == [1, 2, 7, 8, 9]
    assert done.events_redacted == 2  # the note and the evidence; the voucher is all figures
    assert done.incidents_redacted == 1
    async with engine.connect() as connection:
        customer = (
            await connection.execute(select(tables.customers).where(tables.customers.c.id == 1))
        ).one()
        summaries = (
            await connection.execute(
                select(tables.cases.c.summary).where(tables.cases.c.customer_id == 1)
            )
        ).scalars()
        note = (await connection.execute(select(tables.incidents.c.note))).scalar_one()
    assert (customer.name, customer.phone, customer.search_key) == (
        "forgotten #1",
        None,
        "forgotten #1",
    )
    assert customer.at_risk_reason is None
    assert (customer.title, customer.given_name) == (None, None)  # how she was addressed
    assert (customer.status, customer.at_risk_since) == ("at_risk", NOW)
    assert customer.yearly_value == 5_000_000
    assert set(summaries) == {None}
    assert note == "—"

    events = await customer_events(engine, 1)
    data = [row.data for row in events]
    assert not any("Hương" in json.dumps(d, ensure_ascii=False) for d in data)
    assert {"type": "voucher", "value": 200_000, "to": "x"} in data
    assert {"kind": "photo", "redacted": True} in data
    forgotten = [row for row in events if row.kind == "forgotten"]
    assert len(forgotten) == 5
    assert {row.actor_id for row in forgotten} == {1}
    assert forgotten[0].data == {"by": "staff", "events_redacted": 2}

    async with read_snapshot(engine) as connection:
        after = await gather(connection, start, end, PERIOD.week_bounds(HCM))
    assert after == before


async def test_forgetting_from_the_shell_is_logged_as_the_shell_and_happens_once(
    engine: AsyncEngine, sessions: async_sessionmaker[Any]
) -> None:
    await build(engine)
    first = await forget_customer(sessions, 3, NOW)
    again = await forget_customer(sessions, 3, NOW)

    assert first.cases
    assert not first.already
    assert again.already
    assert again.cases == []
    forgotten = [row for row in await customer_events(engine, 3) if row.kind == "forgotten"]
    assert len(forgotten) == len(first.cases)
    assert all(row.actor_id is None and row.data["by"] == "shell" for row in forgotten)


async def test_only_an_active_supervisor_or_admin_may_ask(
    engine: AsyncEngine, sessions: async_sessionmaker[Any]
) -> None:
    await build(engine)
    async with engine.begin() as connection:
        await connection.execute(
            insert(tables.staff).values(id=2, telegram_id=1001, name="Lan", role="staff")
        )
    with pytest.raises(ForgetRefused, match="not an active supervisor"):
        await forget_customer(sessions, 1, NOW, by_telegram_id=1001)
    with pytest.raises(ForgetRefused, match="no customer #99"):
        await forget_customer(sessions, 99, NOW)


@pytest.mark.parametrize(
    ("change", "data"),
    [
        ("a plain edit of the data", {"reason": "Mở nhầm (sửa)"}),
        ("a flag that is not true", {"redacted": False}),
        ("a changed value under the flag", {"reason": "khác", "redacted": True}),
        ("an added key under the flag", {"reason": "Mở nhầm", "x": 1, "redacted": True}),
    ],
)
async def test_the_log_still_refuses_every_edit_that_is_not_a_redaction(
    engine: AsyncEngine, change: str, data: dict[str, Any]
) -> None:
    await build(engine)
    events = tables.case_events
    async with engine.connect() as connection:
        with pytest.raises(DBAPIError, match="append-only"):
            await connection.execute(
                events.update().where(events.c.kind == "cancel").values(data=data)
            )


async def test_a_redaction_may_not_touch_other_columns_nor_happen_twice(
    engine: AsyncEngine,
) -> None:
    await build(engine)
    events = tables.case_events
    cancel = events.c.kind == "cancel"
    async with engine.connect() as connection:
        with pytest.raises(DBAPIError, match="append-only"):
            await connection.execute(
                events.update().where(cancel).values(kind="note", data={"redacted": True})
            )
        await connection.rollback()
    async with engine.begin() as connection:
        await connection.execute(events.update().where(cancel).values(data={"redacted": True}))
    async with engine.connect() as connection:
        with pytest.raises(DBAPIError, match="append-only"):
            await connection.execute(events.update().where(cancel).values(data={"redacted": True}))
        await connection.rollback()
        with pytest.raises(DBAPIError, match="append-only"):
            await connection.execute(text("DELETE FROM case_events WHERE kind = 'cancel'"))
