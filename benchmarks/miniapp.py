"""The Mini App on the reports' large log: the case list's first page and a 200-event timeline.

Measured end to end, as the page asks: an HTTP request to the bot's own web server on
127.0.0.1 with signed initData in its Authorization header, the signature and the person
checked, the read snapshot, the query, the chat's renderings, the JSON. The database is the
one `reports_section` seeded (100,000 complaints, 1,000,000 events; quick: a tenth), plus a
supervisor and one case of 200 events.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import httpx

from benchmarks.common import register_staff, settings_for, sqlite_url
from benchmarks.seed import insert_long_case
from bot.app import build_application, offline
from bot.config import MINIAPP_PATH
from bot.miniapp.init_data import init_data_for
from bot.miniapp.server import routes
from bot.standin import FakeBotApi
from bot.webhook import WebhookServer

TIMELINE_EVENTS = 200
REPEATS = 25
#: The first page as the page opens it, and other pages for the details.
PAGES: dict[str, dict[str, Any]] = {
    "first_page": {},
    "open": {"status": "o"},
    "awaiting": {"status": "a"},
    "changed_longest_ago": {"sort": "updated", "order": "asc"},
    "search_name": {"search": "khach 4242"},
    "search_phone_digits": {"search": "4242"},
}


async def measure_miniapp(database: Path, cases: int, year: int) -> tuple[dict[str, float], Any]:
    """Median ms of the first page and of a 200-event timeline; every page variant in details."""
    timeline_case = cases + 1
    insert_long_case(database, timeline_case, TIMELINE_EVENTS, year, owner=1)
    settings = settings_for(sqlite_url(database.parent, database.name))
    app = build_application(settings, request=FakeBotApi())
    async with offline(app) as services:
        (supervisor,) = await register_staff(app, 1, "supervisor")
        server = WebhookServer(
            app, services.engine, path=None, secret="", port=0, routes=routes(app)
        )
        await server.start()
        signed = init_data_for(supervisor, "Bench", "en", app.bot.token, services.clock())
        base = f"http://127.0.0.1:{server.port}{MINIAPP_PATH}/api/"
        try:
            async with httpx.AsyncClient(
                base_url=base, headers={"Authorization": f"tma {signed}"}, timeout=60
            ) as client:
                pages = {
                    name: await _timed(client, "POST", "cases", body)
                    for name, body in PAGES.items()
                }
                timeline = await _timed(client, "GET", f"cases/{timeline_case}", None)
        finally:
            await server.stop()
    figures = {
        "miniapp_list_ms": pages["first_page"]["median_ms"],
        "miniapp_timeline_ms": timeline["median_ms"],
    }
    return figures, {"pages": pages, "timeline": timeline, "timeline_events": TIMELINE_EVENTS}


async def _timed(client: httpx.AsyncClient, method: str, path: str, body: Any) -> dict[str, Any]:
    """Median and slowest of REPEATS requests after one warm-up; each must answer 200."""
    durations, size = [], 0
    for attempt in range(REPEATS + 1):
        started = time.perf_counter()
        response = await client.request(method, path, json=body)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:200]}")
        size = len(response.content)
        if attempt:  # the first one warms the caches
            durations.append(elapsed)
    return {
        "median_ms": round(statistics.median(durations), 1),
        "max_ms": round(max(durations), 1),
        "bytes": size,
    }
