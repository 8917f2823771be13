"""CSV exports: the reader's language, every column written by its class, Vietnamese text
that survives a round trip, formulas defused, and memory flat while streaming."""

from __future__ import annotations

import asyncio
import csv
import tracemalloc
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from flows.privacy import forgotten_name
from flows.scripts import Scripts
from storage import tables
from storage.exports import ENCODING, EXPORTS, Words, export_all, sheet_path
from tests.integration.test_exports_report_figures import PERIOD, build

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST, LAST = PERIOD.first, PERIOD.last
SCRIPTS = Scripts.load()
ENGLISH = Words(SCRIPTS, "en", "VND")
VIETNAMESE = Words(SCRIPTS, "vi", "VND")


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding=ENCODING, newline="") as handle:
        return list(csv.DictReader(handle))


async def export(engine: AsyncEngine, folder: Path, words: Words = ENGLISH) -> dict[str, int]:
    return await export_all(engine, FIRST, LAST, HCM, folder, words)


def sheet(folder: Path, name: str, words: Words = ENGLISH) -> list[dict[str, str]]:
    return read(sheet_path(folder, name, FIRST, LAST, words))


async def build_with_customer(engine: AsyncEngine, customer_id: int, **values: object) -> None:
    """The hand-computed fixture, with one customer changed."""
    await build(engine)
    async with engine.begin() as connection:
        await connection.execute(
            tables.customers.update().where(tables.customers.c.id == customer_id).values(**values)
        )


async def test_each_file_starts_with_the_utf8_byte_order_mark(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build(engine)
    await export(engine, tmp_path)
    for name in EXPORTS:
        raw = sheet_path(tmp_path, name, FIRST, LAST, ENGLISH).read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), name


async def test_vietnamese_text_comes_back_intact_through_the_csv_module(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build_with_customer(engine, 1, name='Nguyễn Thị Hương, "chị Hai"\nquận 3')
    await export(engine, tmp_path)

    customers = {row["Customer id"]: row for row in sheet(tmp_path, "customers")}
    assert customers["1"]["Name"] == 'Nguyễn Thị Hương, "chị Hai"\nquận 3'
    cases = sheet(tmp_path, "cases")
    assert cases[0]["Complaint"] == "Khách phàn nàn — giao hàng trễ"
    assert cases[0]["Handled by"] == "Minh"
    events = sheet(tmp_path, "events")
    cancel = next(
        row for row in events if row["What happened"] == "Case cancelled as opened by mistake"
    )
    assert cancel["Data (JSON)"] == '{"reason": "Mở nhầm"}'


async def test_the_files_hold_the_periods_rows_with_local_times(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build(engine)
    written = await export(engine, tmp_path)

    cases = sheet(tmp_path, "cases")
    # Open at some moment of 2-15 Nov: every case but G (opened 16 Nov) and H (closed 1 Nov).
    assert [int(c["Case no."]) for c in cases] == [1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 14]
    assert written["cases"] == len(cases)
    assert cases[0]["Opened at (Vietnam time, UTC+7)"] == "2026-11-03 09:00:00"
    assert (cases[0]["Compensation value"], cases[0]["Currency"]) == ("200000", "VND")
    assert cases[0]["Closed at (Vietnam time, UTC+7)"] == "2026-11-05 09:00:00"
    events = sheet(tmp_path, "events")
    assert all("2026-11-02" <= e["At (Vietnam time, UTC+7)"] < "2026-11-16" for e in events)
    customers = sheet(tmp_path, "customers")
    assert [c["Customer id"] for c in customers] == ["1", "2", "3", "4"]  # 5 left in October


async def test_text_a_spreadsheet_would_run_as_a_formula_is_defused(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build_with_customer(
        engine,
        2,
        name='=HYPERLINK("http://x")',
        given_name='\u00a0＝HYPERLINK("http://x")',  # after a no-break space, full-width
        phone="+84 903 123 456",
    )
    await export(engine, tmp_path, VIETNAMESE)
    customers = {r["Mã khách hàng"]: r for r in sheet(tmp_path, "customers", VIETNAMESE)}
    assert customers["2"]["Tên"] == '\'=HYPERLINK("http://x")'
    assert customers["2"]["Tên gọi"] == '\'\u00a0＝HYPERLINK("http://x")'
    assert customers["2"]["Điện thoại"] == "+84 903 123 456"


async def test_the_at_risk_reason_is_defused_and_its_time_is_local_with_the_zone_named(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build_with_customer(
        engine,
        3,
        status="at_risk",
        at_risk_since=datetime(2026, 11, 4, 2, 30, tzinfo=UTC),
        at_risk_reason='=HYPERLINK("http://evil","Bấm")',
    )
    await export(engine, tmp_path)
    customer = {r["Customer id"]: r for r in sheet(tmp_path, "customers")}["3"]
    assert customer["Why at risk"] == '\'=HYPERLINK("http://evil","Bấm")'
    assert customer["At risk since (Vietnam time, UTC+7)"] == "2026-11-04 09:30:00"
    assert customer["Status"] == "⚠ at risk"


async def test_a_customers_start_keeps_its_day_and_says_how_much_of_it_was_given(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build_with_customer(engine, 1, since=date(2019, 1, 1), since_precision="year")
    async with engine.begin() as connection:
        await connection.execute(
            tables.customers.update()
            .where(tables.customers.c.id == 2)
            .values(since=date(2021, 3, 15), since_precision="day")
        )
    await export(engine, tmp_path)
    english = {r["Customer id"]: r for r in sheet(tmp_path, "customers")}
    assert (english["1"]["Customer since"], english["1"]["Customer since (given as)"]) == (
        "2019-01-01",
        "year",
    )
    assert english["2"]["Customer since (given as)"] == "day"
    await export(engine, tmp_path, VIETNAMESE)
    vietnamese = {r["Mã khách hàng"]: r for r in sheet(tmp_path, "customers", VIETNAMESE)}
    assert vietnamese["1"]["Khách hàng từ (ghi theo)"] == "năm"


async def test_a_vietnamese_reader_gets_vietnamese_files_columns_and_codes(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build(engine)
    await export(engine, tmp_path, VIETNAMESE)
    path = sheet_path(tmp_path, "cases", FIRST, LAST, VIETNAMESE)
    assert path.name == "ho-so_2026-11-02_2026-11-15.csv"
    cases = sheet(tmp_path, "cases", VIETNAMESE)
    assert list(cases[0])[:4] == ["Số hồ sơ", "Loại hồ sơ", "Đang ở bước", "Kết quả"]
    assert cases[0]["Loại hồ sơ"] == "Khiếu nại"
    assert (cases[0]["Trị giá đền bù"], cases[0]["Tiền tệ"]) == ("200000", "VND")
    assert cases[0]["Tạo lúc (giờ Việt Nam, UTC+7)"] == "2026-11-03 09:00:00"
    codes = {"complaint", "closed", "active", "individual", "voucher", "resolved", "cancel"}
    for name in EXPORTS:
        for row in sheet(tmp_path, name, VIETNAMESE):
            cells = {value for column, value in row.items() if "JSON" not in column}
            assert not cells & codes, (name, row)


@pytest.mark.parametrize(
    ("words", "named", "check_in"),
    [
        (VIETNAMESE, "khách hàng #1 (đã xóa thông tin)", "Số hồ sơ hỏi thăm đã đánh dấu"),
        (ENGLISH, "forgotten customer #1", "Flagged in check-in (case number)"),
    ],
)
async def test_a_forgotten_customer_is_named_in_the_exports_language(
    engine: AsyncEngine, tmp_path: Path, words: Words, named: str, check_in: str
) -> None:
    await build_with_customer(engine, 1, name=forgotten_name(1))
    await export(engine, tmp_path, words)
    customers = sheet(tmp_path, "customers", words)
    names = [list(row.values())[1] for row in customers]
    assert names[0] == named
    assert "forgotten #1" not in names
    assert check_in in customers[0]  # the check-in that flagged them at risk: a column named


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
        lambda: sheet_path(tmp_path, "events", FIRST, LAST, ENGLISH).stat().st_size
    )
    assert written["events"] > 50_000
    assert size > 10_000_000  # the file is far bigger than what the export ever held
    assert peak < 6_000_000, f"peak traced memory {peak:,} bytes"


#: Decisions as `Decisions.decide` logs them (the verdict, at the step that asked), and how
#: the timeline names each one.
DECIDED = [
    ("awaiting_approval", "approved", "event.decision.approved_compensation"),
    ("awaiting_decision", "later", "event.decision.later_termination"),
    ("termination_conversation", "declined", "event.decision.declined_goodwill"),
]


async def test_a_decision_in_the_events_export_is_named_by_what_it_decided_in_each_language(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    await build(engine)
    at = datetime(2026, 11, 5, 9, 0, tzinfo=HCM)
    async with engine.begin() as connection:
        await connection.execute(
            insert(tables.case_events),
            [
                {
                    "case_id": 1,
                    "seq": 900 + n,
                    "at": at,
                    "actor_id": 1,
                    "step": step,
                    "kind": kind,
                    "data": {},
                }
                for n, (step, kind, _) in enumerate(DECIDED)
            ],
        )
    for words in (ENGLISH, VIETNAMESE):
        folder = tmp_path / words.locale
        await export(engine, folder, words)
        seq, what = words("export.events.seq"), words("export.events.kind")
        rows = [row for row in sheet(folder, "events", words) if int(row[seq]) >= 900]
        assert [row[what] for row in rows] == [words(label) for *_, label in DECIDED]
    assert words("event.decision.approved_compensation") == "Đã duyệt đền bù"


async def test_each_rows_amounts_are_named_in_the_currency_they_were_recorded_in(
    engine: AsyncEngine, tmp_path: Path
) -> None:
    """A case opened, and a customer recorded, before the currency set changed keep theirs;
    a row recorded before currencies were kept reads the one set (the export's `Words`)."""
    await build(engine)
    async with engine.begin() as connection:
        await connection.execute(
            tables.cases.update().where(tables.cases.c.id == 1).values(currency="USD")
        )
        await connection.execute(
            tables.customers.update().where(tables.customers.c.id == 2).values(currency="EUR")
        )
    await export(engine, tmp_path)
    cases = {row["Case no."]: row["Currency"] for row in sheet(tmp_path, "cases")}
    customers = {row["Customer id"]: row["Currency"] for row in sheet(tmp_path, "customers")}
    assert (cases["1"], cases["2"]) == ("USD", "VND")
    assert (customers["1"], customers["2"]) == ("VND", "EUR")
    assert not any("(VND)" in column for column in sheet(tmp_path, "cases")[0])


@pytest.mark.parametrize(
    ("words", "said"), [(ENGLISH, "Case ended early"), (VIETNAMESE, "Kết thúc sớm hồ sơ")]
)
async def test_a_case_ended_early_is_named_so_in_the_export_as_on_its_timeline(
    engine: AsyncEngine, tmp_path: Path, words: Words, said: str
) -> None:
    """Not as a cancel made by mistake: the two count apart in every figure."""
    await build(engine)
    why = {"reason": "Khách rút khiếu nại", "ended_early": True}
    async with engine.begin() as connection:
        cancelled = (
            await connection.execute(
                select(tables.case_events).where(tables.case_events.c.kind == "cancel").limit(1)
            )
        ).one()
        await connection.execute(
            tables.case_events.insert().values(
                case_id=cancelled.case_id,
                seq=cancelled.seq + 1000,
                at=cancelled.at,
                step=cancelled.step,
                kind="cancel",
                data=why,
            )
        )
    await export(engine, tmp_path, words)
    kinds = [row[words("export.events.kind")] for row in sheet(tmp_path, "events", words)]
    assert said in kinds
