"""/report and /export through the real Application: who may ask, what they get back."""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select
from telegram.request import RequestData

from bot.render.png_chart import PNG_SIGNATURE
from bot.report_commands import add_report_handlers
from storage import tables
from tests.bot.conftest import MINH, World, make_world, registered_thao, settings_for, thao
from tests.conftest import Clock


class Uploads:
    """What the bot uploaded with sendPhoto and sendDocument, by file name."""

    def __init__(self, world: World) -> None:
        self.files: dict[str, bytes] = {}
        original = world.api.do_request

        async def recording(url: str, method: str, request_data: RequestData | None = None,
                            *args: Any, **kwargs: Any) -> tuple[int, bytes]:  # fmt: skip
            if request_data is not None:
                for filename, content, _mime in request_data.multipart_data.values():
                    self.files[str(filename)] = bytes(content)
            return await original(url, method, request_data, *args, **kwargs)

        world.api.do_request = recording  # type: ignore[method-assign]


@pytest.fixture
async def world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    async for w in make_world(settings_for(database_url), clock):
        add_report_handlers(w.app)
        await registered_thao(w)
        await seed(w)
        yield w


async def seed(world: World) -> None:
    """One customer and one complaint closed satisfied two days ago, after a day."""
    now = world.clock()
    async with world.services.engine.begin() as connection:
        minh = (
            await connection.execute(
                select(tables.staff.c.id).where(tables.staff.c.telegram_id == MINH)
            )
        ).scalar_one()
        await connection.execute(
            insert(tables.customers).values(
                id=1,
                name="Nguyễn Thị Hương",
                search_key="nguyen thi huong",
                kind="individual",
                phone="0903123456",
                yearly_value=3_000_000,
                status="active",
                created_at=now - timedelta(days=400),
            )
        )
        opened, closed = now - timedelta(days=3), now - timedelta(days=2)
        await connection.execute(
            insert(tables.cases).values(
                id=1,
                kind="complaint",
                state="closed",
                version=3,
                events_count=3,
                owner_id=minh,
                customer_id=1,
                summary="Giao hàng trễ",
                severity="high",
                draft={},
                reopen_count=0,
                compensation_type="refund",
                compensation_value=1_000_000,
                compensation_total=1_000_000,
                opened_at=opened,
                closed_at=closed,
                resolution="resolved",
            )
        )
        await connection.execute(
            insert(tables.case_events),
            [
                event(1, opened, "opened", {}),
                event(2, opened + timedelta(hours=1), "open", {"summary": "Giao hàng trễ"}),
                event(3, closed, "satisfied", {"outcome": "satisfied"}),
            ],
        )


def event(seq: int, at: datetime, kind: str, data: dict[str, Any]) -> dict[str, Any]:
    return {"case_id": 1, "seq": seq, "at": at, "actor_id": None, "step": "x", "kind": kind,
            "data": data}  # fmt: skip


async def test_a_supervisor_gets_the_key_figures_and_the_weekly_chart(world: World) -> None:
    uploads = Uploads(world)
    await world.minh.send("/report week")
    await world.work_done()

    text, chart = world.minh.messages[-2:]
    assert text.kind == "text"
    assert "Report 2026-11-17 – 2026-11-23 (7 days)" in text.plain_text
    assert "Opened: 1 · closed: 1" in text.plain_text
    assert "median 1 d 0 h" in text.plain_text
    assert "Refund: 1 · 1,000,000 VND" in text.plain_text
    assert chart.kind == "photo"
    assert chart.plain_text == "Cases opened and closed per week, 2026-11-17 – 2026-11-23"
    png = uploads.files[str(chart.filename)]
    assert png.startswith(PNG_SIGNATURE)


async def test_the_report_is_answered_once_not_also_as_an_unknown_command(world: World) -> None:
    await world.minh.send("/report")
    await world.work_done()
    assert [m.kind for m in world.minh.messages] == ["text", "text", "photo"]
    assert world.minh.messages[0].plain_text == "📊 Working out the figures…"


async def test_a_vietnamese_supervisor_reads_their_own_number_and_date_format(
    world: World,
) -> None:
    person = thao(world)
    await person.send("/report 2026-11-01 2026-11-23")
    await world.work_done()
    text = person.messages[-2].plain_text
    assert "Báo cáo 01/11/2026 – 23/11/2026 (23 ngày)" in text
    assert "Hoàn tiền: 1 · 1.000.000 VND" in text
    assert person.messages[-1].kind == "photo"


@pytest.mark.parametrize("command", ["/report", "/export"])
async def test_staff_are_told_politely_that_figures_are_for_supervisors(
    world: World, command: str
) -> None:
    await world.lan.send(f"{command} week")
    assert [m.kind for m in world.lan.messages] == ["text"]
    assert world.lan.last_text.startswith(
        "Reports and exports are for supervisors and administrators"
    )


async def test_strangers_get_the_usual_refusal(world: World) -> None:
    await world.stranger.send("/report")
    assert world.stranger.last_text.startswith("Sorry, this assistant is only for registered")


@pytest.mark.parametrize(
    ("person", "words", "title"),
    [
        ("minh", "/report this month", "Report 2026-11-01 – 2026-11-23 (23 days)"),
        ("minh", "/report last quarter", "Report 2026-07-01 – 2026-09-30 (92 days)"),
        ("thao", "/report tháng trước", "Báo cáo 01/10/2026 – 31/10/2026 (31 ngày)"),
        ("thao", "/report quý 3/2026", "Báo cáo 01/07/2026 – 30/09/2026 (92 ngày)"),
    ],
)
async def test_a_supervisor_names_a_calendar_period_in_their_own_words(
    world: World, person: str, words: str, title: str
) -> None:
    reader = world.minh if person == "minh" else thao(world)
    await reader.send(words)
    await world.work_done()
    assert title in reader.messages[-2].plain_text
    assert reader.messages[-1].kind == "photo"


@pytest.mark.parametrize(
    ("words", "answer"),
    [
        ("/report fortnight", "Usage: /report month for the last 30 days"),
        ("/export 2026-13-01 2026-12-01", "Usage: /export month for the last 30 days"),
        ("/report 12/2026", "That period has not begun yet."),
        ("/report 2026-11-20 2026-11-01", "The first day comes after the last one."),
    ],
)
async def test_bad_periods_get_a_clear_usage_answer(world: World, words: str, answer: str) -> None:
    await world.minh.send(words)
    assert world.minh.last_text.startswith(answer)
    assert [m.kind for m in world.minh.messages] == ["text"]


async def test_an_export_sends_three_csv_files_that_open_with_vietnamese_intact(
    world: World,
) -> None:
    uploads = Uploads(world)
    await world.minh.send("/export week")
    await world.work_done()

    documents = [m for m in world.minh.messages if m.kind == "document"]
    assert [d.filename for d in documents] == [
        "cases_2026-11-17_2026-11-23.csv",
        "events_2026-11-17_2026-11-23.csv",
        "customers_2026-11-17_2026-11-23.csv",
    ]
    assert documents[0].plain_text == "Cases · 2026-11-17 – 2026-11-23 · rows: 1"
    assert world.minh.last_text.startswith("All 3 files sent")
    content = uploads.files["customers_2026-11-17_2026-11-23.csv"]
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0]["Name"] == "Nguyễn Thị Hương"
    events = uploads.files["events_2026-11-17_2026-11-23.csv"].decode("utf-8-sig")
    assert '{""summary"": ""Giao hàng trễ""}' in events
