"""Reports from the shell: the same figures and chart as /report, written to files.

`python main.py report` prints a period's figures and writes the chart; with `--demo` it
first fills a throw-away database with realistic made-up history (the README's example
image is made this way).
"""

from __future__ import annotations

import asyncio
import tempfile
from datetime import datetime
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.render import Renderer
from bot.render.reports import ReportView
from bot.report_commands import figures_for
from flows.periods import Period
from flows.scripts import plain
from storage.demo_data import seed
from storage.engine import create_engine
from storage.migrate import upgrade


async def write_report(engine: AsyncEngine, renderer: Renderer, period: Period, out: Path) -> str:
    """Compute a period's figures, write the chart (PNG) to `out` in the renderer's words
    (the company's own, if it has any), and return the text."""
    figures = await figures_for(engine, period, renderer.tz)
    view = ReportView(renderer)
    chart = await asyncio.to_thread(view.chart, figures)
    await asyncio.to_thread(_write, out, chart)
    return plain(view.text(figures))


def _write(out: Path, content: bytes) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(content)


async def demo_report(renderer: Renderer, now: datetime, period: Period, out: Path) -> str:
    """Fill a temporary SQLite database with made-up history, then write its report."""
    with tempfile.TemporaryDirectory(prefix="cs-demo-") as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'demo.sqlite3'}")
        try:
            await upgrade(engine)
            async with engine.begin() as connection:
                await seed(connection, now=now, weeks=period.days // 7 + 4)
            return await write_report(engine, renderer, period, out)
        finally:
            await engine.dispose()
