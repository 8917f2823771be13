"""PostgreSQL: the same walk with 16 chats at once, on one instance and on two sharing it.

The server is the one in TEST_POSTGRES_URL; without it, the local cluster is started the
way `.ci/run` does (`.ci/postgres.sh`) if PostgreSQL is installed (nothing is installed
here); otherwise every figure of this section is reported as skipped, with the reason.
Each run gets fresh databases of its own, dropped at the end: ours, its one-transaction
floor (it sees the same update ids), and one that two instances share.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import asyncpg
from sqlalchemy.engine import make_url

from benchmarks.common import FIRST_STAFF_ID
from benchmarks.probe import probe_answer, start_probe
from benchmarks.updates import run_floor, run_ours
from storage.engine import create_engine
from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
START_LIKE_CI = (
    "set -euo pipefail; source .ci/postgres.sh; have_postgres || exit 3; "
    'start_postgres >&2; echo "$TEST_POSTGRES_URL"'
)
INSTANCES = 2
STARTING_S = 5.0  # for both instances' imports and start-up, before they walk together
Details = dict[str, Any]


def server_url(configured: str | None) -> tuple[str | None, str]:
    """The PostgreSQL server to use and where it came from, or None and why not."""
    if configured:
        return configured, "TEST_POSTGRES_URL"
    try:
        done = subprocess.run(
            ["bash", "-c", START_LIKE_CI],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as err:
        return None, f"could not start PostgreSQL: {type(err).__name__}"
    if done.returncode == 3:
        return None, "PostgreSQL is not installed (.ci/run installs it); TEST_POSTGRES_URL unset"
    if done.returncode != 0 or not done.stdout.strip():
        return None, f"starting PostgreSQL as .ci/run does failed: {done.stderr.strip()[-300:]}"
    return done.stdout.strip().splitlines()[-1], "started as .ci/run does"


@asynccontextmanager
async def databases(server: str, count: int) -> AsyncIterator[list[str]]:
    """`count` fresh databases on the server, dropped afterwards; their URLs."""
    url = make_url(server).set(drivername="postgresql+asyncpg")
    admin = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database or "postgres",
    )
    names = [f"cs_bench_{uuid.uuid4().hex[:12]}" for _ in range(count)]
    try:
        for name in names:
            await admin.execute(f'CREATE DATABASE "{name}"')
        yield [url.set(database=name).render_as_string(hide_password=False) for name in names]
    finally:
        for name in names:
            await admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid()",
                name,
            )
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await admin.close()


async def postgres_section(
    configured: str | None, staff: int, cases: int
) -> tuple[dict[str, float], Details]:
    """Ours and its one-transaction floor on one instance, then two instances at once."""
    server, source = server_url(configured)
    if server is None:
        return {}, {"skipped": source}
    async with databases(server, 3) as (ours_url, floor_url, shared_url):
        ours, streams = await run_ours(ours_url, staff, cases, limited=False)
        floor = await run_floor(floor_url, streams, limited=False, one_write=True)
        two = await _two_instances(shared_url, staff, cases)
    figures = {
        "pg_updates_per_s": round(ours.per_second, 1),
        "pg_floor_one_write_updates_per_s": round(floor.per_second, 1),
        "pg_ratio_to_tx_floor": round(ours.per_second / floor.per_second, 3),
        "pg_p50_ms": ours.summary()["p50_ms"],
        "pg_p99_ms": ours.summary()["p99_ms"],
        "pg_two_instances_updates_per_s": two["updates_per_s"],
    }
    details = {
        "server": source,
        "ours": ours.summary(),
        "floor_one_write": floor.summary(),
        "two_instances": two,
    }
    return figures, details


async def _two_instances(url: str, staff: int, cases: int) -> Details:
    """Two processes, each with half the staff, walking at once on one database."""
    engine = create_engine(url)
    try:
        await upgrade(engine)  # once, before both start
    finally:
        await engine.dispose()
    at = time.time() + STARTING_S
    share = staff // INSTANCES
    started = [
        start_probe("walk", url, FIRST_STAFF_ID + n * share, share, cases, at)
        for n in range(INSTANCES)
    ]
    answers = [probe_answer(probe) for probe in started]
    updates = sum(answer["updates"] for answer in answers)
    seconds = max(answer["seconds"] for answer in answers)
    return {
        "instances": answers,
        "updates": updates,
        "seconds": round(seconds, 3),
        "updates_per_s": round(updates / seconds, 1) if seconds else 0.0,
    }
