"""The real report and export, as `/report` and `/export` run them, over a large log.

`report` is `bot.report_commands.figures_for` (every aggregate of
`storage/report_queries.py` on a read snapshot, then `flows.reports.compute`); `export` is
`storage.exports.export_all`, the three CSV files of a period in the reader's words.
`TARGETS` is the one place that names them, so the harness and the probes measure the same
thing.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.report_commands import figures_for
from flows.periods import Period
from flows.policy import Policy
from flows.scripts import Scripts
from storage.exports import Words, export_all

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

ReportFunction = Callable[[AsyncEngine, date, date], Awaitable[dict[str, Any]]]
ExportFunction = Callable[[AsyncEngine, date, date, Path], Awaitable[int]]


async def report(engine: AsyncEngine, first: date, last: date) -> dict[str, Any]:
    """The figures `/report FIRST LAST` sends, for the days first..last in Ho Chi Minh City."""
    figures = await figures_for(engine, Period(first, last), TZ)
    return {
        "opened": figures.opened,
        "closed": figures.closed,
        "resolved": figures.resolved,
        "median_minutes": figures.median_minutes,
    }


async def export(engine: AsyncEngine, first: date, last: date, folder: Path) -> int:
    """The three CSV files `/export FIRST LAST` sends, in English; return the rows written."""
    words = Words(Scripts.load(None), "en", Policy().currency)
    written = await export_all(engine, first, last, TZ, folder, words)
    return sum(written.values())


@dataclass(frozen=True)
class Targets:
    """The report and export under measurement."""

    report: ReportFunction
    export: ExportFunction


TARGETS = Targets(report=report, export=export)
