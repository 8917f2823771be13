"""Two `main.py run` processes on one PostgreSQL database, behind one webhook address.

Updates for the same cases alternate between the instances, some are delivered to both;
both run the reminder tick. The timelines must come out whole, with no event twice, and
every reminder must arrive exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from standin.server import BotApiServer, TelegramUser, post_update
from tests.e2e.test_telegram_transport import EVENTS, ROOT, SECRET, TOKEN, WALK, free_port

LAN, HOA, MINH = 1001, 1002, 2001
REMINDERS = 60


def write_config(folder: Path, api: BotApiServer, url: str, port: int, database: str) -> Path:
    config = folder / f"config-{port}.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "{api.base_url}"\nmode = "webhook"\n'
        f'webhook_url = "{url}"\nwebhook_port = {port}\nwebhook_secret = "{SECRET}"\n'
        f'[database]\nurl = "{database}"\nmigrate_on_start = false\n'
        f"[people]\nadmins = [{LAN}, {HOA}, {MINH}]\n"
        "[reminders]\nenabled = true\ntick_seconds = 0.5\nbatch_size = 7\ndigest = false\n"
        'opens = "00:00"\ncloses = "23:59"\n'
        'days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n',
        encoding="utf-8",
    )
    return config


def run_main(config: Path, *args: str, log: Path | None = None) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CS_CONFIG": str(config)}
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "TELEGRAM_WEBHOOK_SECRET"):
        env.pop(name, None)
    sink = log.open("wb") if log else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "main.py", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=sink,
        stderr=subprocess.STDOUT,
    )


def reminders_shown(api: BotApiServer) -> list[str]:
    """The reminder notices Minh received (each names its row: R000, R001, …)."""
    return [tag for m in api.messages(MINH) for tag in re.findall(r"R\d{3}", m.plain_text)]


async def add_due_reminders(database: str, count: int) -> None:
    url = make_url(database)
    connection = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )
    try:
        staff_id = await connection.fetchval("SELECT id FROM staff WHERE telegram_id = $1", MINH)
        now = datetime.now(UTC)
        await connection.executemany(
            "INSERT INTO reminders (kind, due_at, recipient_id, payload, status, attempts,"
            " created_at) VALUES ('delivery_problem', $1, $2, $3, 'pending', 0, $1)",
            [
                (
                    now,
                    staff_id,
                    json.dumps({"who": f"R{n:03d}", "about": "fix_due", "reason": "test"}),
                )
                for n in range(count)
            ],
        )
    finally:
        await connection.close()


async def stored(database: str) -> tuple[dict[int, list[tuple[int, str]]], int]:
    url = make_url(database)
    connection = await asyncpg.connect(
        host=url.host,
        port=url.port,
        user=url.username,
        password=url.password,
        database=url.database,
    )
    try:
        rows = await connection.fetch("SELECT case_id, seq, kind FROM case_events ORDER BY 1, 2")
        processed = await connection.fetchval("SELECT count(*) FROM processed_updates")
    finally:
        await connection.close()
    timelines: dict[int, list[tuple[int, str]]] = {}
    for row in rows:
        timelines.setdefault(row["case_id"], []).append((row["seq"], row["kind"]))
    return timelines, int(processed)


async def test_two_instances_share_cases_updates_and_reminders_without_doubling_anything(
    tmp_path: Path, postgres_url: str
) -> None:
    api = BotApiServer(TOKEN).start()
    ports = [free_port(), free_port()]
    urls = [f"http://127.0.0.1:{port}/telegram" for port in ports]
    configs = [
        write_config(tmp_path, api, url, port, postgres_url)
        for url, port in zip(urls, ports, strict=True)
    ]
    migrate = run_main(configs[0], "db", "upgrade")
    assert migrate.wait(timeout=60) == 0
    bots = [
        run_main(config, "run", log=tmp_path / f"bot-{n}.log") for n, config in enumerate(configs)
    ]
    try:
        api.wait_for("both webhooks", lambda: len(api.called("setWebhook")) == 2, timeout=30)
        await add_due_reminders(postgres_url, REMINDERS)
        users = [TelegramUser(api, LAN, "Lan"), TelegramUser(api, HOA, "Hoà")]
        sent: list[int] = []
        for step, (action, arg, shows) in enumerate(WALK):
            for turn, user in enumerate(users):
                # Alternate the instances, per step and per person.
                api.webhook = {"url": urls[(step + turn) % 2], "secret_token": SECRET}
                typed = f"{arg} {turn}" if arg == "Mai Pham" else arg  # two customers, not one
                sent.append(user.send(typed) if action == "send" else user.press(arg))
                user.expect(shows, timeout=20)
        # Telegram may deliver an update twice; here every one goes again to both instances.
        for update_id in sent:
            for url in urls:
                assert post_update(url, api.updates[update_id], SECRET) == 200
        api.wait_for(
            "every reminder",
            lambda: len(reminders_shown(api)) >= REMINDERS,
            timeout=60,
        )
        await asyncio.sleep(2)  # give a doubled delivery, if any, the time to show up
    finally:
        for bot in bots:
            bot.terminate()
        codes = [bot.wait(timeout=20) for bot in bots]
        api.stop()
        for n in range(2):
            print((tmp_path / f"bot-{n}.log").read_text(errors="replace"))
    assert codes == [0, 0]
    reminders = reminders_shown(api)
    assert len(reminders) == len(set(reminders)) == REMINDERS  # each once, none twice
    timelines, processed = await stored(postgres_url)
    assert len(timelines) == 2
    for events in timelines.values():
        assert [seq for seq, _ in events] == list(range(1, len(events) + 1))  # no gap, no twin
        assert [kind for _, kind in events] == EVENTS
    assert processed == len(sent)
