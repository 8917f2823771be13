"""CSV exports: Vietnamese text survives a round trip, and memory stays flat while streaming."""

from __future__ import annotations

import asyncio
import csv
import tracemalloc
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import tables
from storage.exports import ENCODING, EXPORTS, export_all, sheet_path
from tests.integration.test_exports_report_figures import PERIOD, build

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST, LAST = PERIOD.first, PERIOD.last


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding=ENCODING, newline="") as handle:
        return list(csv.DictReader(handle))


async def export(engine: AsyncEngine, folder: Path) -> dict[str, int]:
    return await export_all(engine, FIRST, LAST, HCM, folder)


async def test_each_file_starts_with_the_utf8_byte_order_mark(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build(engine)
    await export(engine, tmp_path)
    for name in EXPORTS:
        raw = sheet_path(tmp_path, name, FIRST, LAST).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name


async def test_vietnamese_text_comes_back_intact_through_the_csv_module(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build(engine)
    async with engine.begin() as connection:
        await connection.execute(
            tables.customers.update()
            .where(tables.customers.c.id == 1)
            .values(name='Nguyễn Thị Hương, "chị Hai"\nquận 3')
        )
    await export(engine, tmp_path)

    customers = {row["id"]: row for row in read(sheet_path(tmp_path, "customers", FIRST, LAST))}
    assert customers["1"]["name"] == 'Nguyễn Thị Hương, "chị Hai"\nquận 3'
    cases = read(sheet_path(tmp_path, "cases", FIRST, LAST))
    assert cases[0]["summary"] == "Khách phàn nàn — giao hàng trễ"
    assert cases[0]["owner_name"] == "Minh"
    events = read(sheet_path(tmp_path, "events", FIRST, LAST))
    cancel = next(row for row in events if row["kind"] == "cancel")
    assert cancel["data"] == '{"reason": "Mở nhầm"}'


async def test_the_files_hold_the_periods_rows_with_local_times(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build(engine)
    written = await export(engine, tmp_path)

    cases = read(sheet_path(tmp_path, "cases", FIRST, LAST))
    # Open at some moment of 2-15 Nov: every case but G (opened 16 Nov) and H (closed 1 Nov).
    assert [int(c["id"]) for c in cases] == [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 14]
    assert written["cases"] == len(cases)
    assert cases[0]["opened_at (Asia/Ho_Chi_Minh)"] == "2026-11-03 09:00:00"
    assert cases[0]["compensation_value"] == "200000"
    assert cases[0]["closed_at (Asia/Ho_Chi_Minh)"] == "2026-11-05 09:00:00"
    events = read(sheet_path(tmp_path, "events", FIRST, LAST))
    assert all("2026-11-02" <= e["at (Asia/Ho_Chi_Minh)"] < "2026-11-16" for e in events)
    customers = read(sheet_path(tmp_path, "customers", FIRST, LAST))
    assert [c["id"] for c in customers] == ["1", "2", "3", "4"]  # 5 left in October


async def test_text_a_spreadsheet_would_run_as_a_formula_is_defused(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build(engine)
    async with engine.begin() as connection:
        await connection.execute(
            tables.customers.update()
            .where(tables.customers.c.id == 2)
            .values(name='=HYPERLINK("http://x")', phone="+84 903 123 456")
        )
    await export(engine, tmp_path)
    customers = {r["id"]: r for r in read(sheet_path(tmp_path, "customers", FIRST, LAST))}
    assert customers["2"]["name"] == '\'=HYPERLINK("http://x")'
    assert customers["2"]["phone"] == "+84 903 123 456"


async def test_exporting_50000_events_keeps_memory_flat(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build(engine)
    start = datetime(2026, 11, 3, 9, 0, tzinfo=HCM)
    note = "Khách cần hàng gấp cho tiệc sinh nhật của con trai, đã gọi lại ba lần. " * 2
    async with engine.begin() as connection:
        for chunk in range(10):
            await connection.execute(
                insert(tables.case_events),
                [
                    {
                        "case_id": 1,
                        "seq": 1000 + chunk * 5000 + i,
                        "at": start + timedelta(seconds=chunk * 5000 + i),
                        "actor_id": 1,
                        "step": "fix",
                        "kind": "note",
                        "data": {"text": note},
                    }
                    for i in range(5000)
                ],
            )

    tracemalloc.start()
    try:
        written = await export(engine, tmp_path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    size = await asyncio.to_thread(
        lambda: sheet_path(tmp_path, "events", FIRST, LAST).stat().st_size
    )
    assert written["events"] > 50_000
    assert size > 10_000_000  # the file is far bigger than what the export ever held
    assert peak < 6_000_000, f"peak traced memory {peak:,} bytes"
