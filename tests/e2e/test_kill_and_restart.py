"""SIGKILL in the middle of a conversation, restart on the same SQLite file, carry on.

The real `main.py run` process talks over HTTP to the Bot API stand-in of
standin/server.py (long polling, 127.0.0.1). It is killed with SIGKILL — no chance
to finish anything — right after it fetched an update, again in the middle of a burst of
updates, and once while an update it fetched could not be committed yet. The stand-in
behaves as Telegram does: it forgets an update only when the bot asks for a later offset,
and hands every other update out again after the restart. Nothing else is re-sent by the
test, so every update must be handled through the bot's own acknowledgement: the case
resumes at its step, the event log has no gap and no repeated effect, and every delivered
update is processed exactly once.
"""

from __future__ import annotations

import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from standin.server import BotApiServer, TelegramUser
from tests.e2e.test_telegram_transport import EVENTS, WALK

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "1234567890:E2E-kill-token_0123456789abcdefghijk"
STAFF_ID = 1001
START_WITHIN = 30.0


@dataclass
class Bot:
    """One `main.py run` process on the shared database."""

    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


class Life:
    """Start, kill and restart the bot on one configuration and one database file."""

    def __init__(self, tmp_path: Path, api: BotApiServer) -> None:
        self.api = api
        self.tmp = tmp_path
        self.database = tmp_path / "bot.sqlite3"
        self.config = tmp_path / "config.toml"
        self.config.write_text(
            f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "{api.base_url}"\n'
            f'[database]\nurl = "sqlite+aiosqlite:///{self.database}"\n'
            f"[people]\nadmins = [{STAFF_ID}]\n"
            "[reminders]\nenabled = true\ntick_seconds = 1\ndigest = false\n"
            '[logging]\nlevel = "INFO"\n',
            encoding="utf-8",
        )
        self.runs = itertools.count(1)
        self.bots: list[Bot] = []

    def env(self) -> dict[str, str]:
        """The environment a bot process starts in: this life's settings file alone."""
        env = {**os.environ, "CS_CONFIG": str(self.config)}
        for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "TELEGRAM_WEBHOOK_SECRET"):
            env.pop(name, None)
        return env

    def start(self) -> Bot:
        polls = len(self.api.called("getUpdates"))
        env = self.env()
        log = self.tmp / f"bot-{next(self.runs)}.log"
        with log.open("wb") as sink:
            process = subprocess.Popen(
                [sys.executable, "main.py", "run"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
            )
        bot = Bot(process, log)
        self.bots.append(bot)
        self.api.wait_for(
            "the bot to poll", lambda: len(self.api.called("getUpdates")) > polls, START_WITHIN
        )
        return bot

    def kill(self, bot: Bot) -> None:
        bot.process.send_signal(signal.SIGKILL)
        assert bot.process.wait(timeout=10) == -signal.SIGKILL

    def stop_all(self) -> None:
        for bot in self.bots:
            if bot.process.poll() is None:
                bot.process.send_signal(signal.SIGTERM)
                try:
                    bot.process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    bot.process.kill()
                    bot.process.wait()

    # ----------------------------------------------------------------- database

    def query(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        with sqlite3.connect(self.database) as db:
            return db.execute(sql, args).fetchall()

    def events(self) -> list[tuple[int, str]]:
        return [
            (int(seq), str(kind))
            for seq, kind in self.query("SELECT seq, kind FROM case_events ORDER BY id")
        ]

    def case(self) -> tuple[str, int]:
        ((state, version),) = self.query("SELECT state, version FROM cases WHERE id = 1")
        return str(state), int(version)

    def processed(self) -> set[int]:
        return {int(u) for (u,) in self.query("SELECT update_id FROM processed_updates")}

    def wait_processed(self, update_ids: list[int], timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while not set(update_ids) <= self.processed():
            if time.monotonic() > deadline:
                missing = set(update_ids) - self.processed()
                raise AssertionError(f"updates {sorted(missing)} were never processed")
            time.sleep(0.05)

    def assert_log_is_whole(self) -> None:
        """Seq 1..n with no gap or duplicate, and each step recorded at most once."""
        events = self.events()
        assert [seq for seq, _ in events] == list(range(1, len(events) + 1)), events
        kinds = [kind for _, kind in events]
        assert kinds == EVENTS[: len(kinds)], kinds


@pytest.fixture
def bot_api() -> Iterator[BotApiServer]:
    api = BotApiServer(TOKEN).start()
    yield api
    api.stop()


def resume(user: TelegramUser, expect: str) -> None:
    """Pick the case up again from /cases, as a person does after a restart."""
    user.send("/cases")
    user.expect("• #1 · Mai Pham")
    user.press("#1")
    user.expect(expect)


def test_a_bot_killed_mid_conversation_resumes_every_case_at_its_step_with_a_whole_log(
    tmp_path: Path, bot_api: BotApiServer
) -> None:
    life = Life(tmp_path, bot_api)
    lan = TelegramUser(bot_api, STAFF_ID, "Lan")
    try:
        first = life.start()
        for action, arg, shows in WALK[:12]:  # up to step 2, the fix
            (lan.send if action == "send" else lan.press)(arg)
            lan.expect(shows)
        life.assert_log_is_whole()

        # Kill 1: right after the bot fetched an update, whatever it had done with it.
        typed = lan.send("Exchanged for the right size today")
        bot_api.wait_for("the update to be fetched", lambda: bot_api.fetched(typed))
        life.kill(first)
        print(f"kill 1: update {typed} processed before the kill: {typed in life.processed()}")
        life.assert_log_is_whole()
        assert life.case()[0] == "fix"

        second = life.start()  # the update comes again unless it was acknowledged
        life.wait_processed([typed])
        resume(lan, "Step 2 of 5")
        assert "Exchanged for the right size today" in lan.expect("Step 2 of 5").plain_text
        lan.press("Fixed now")
        lan.expect("Step 3 of 5")
        life.assert_log_is_whole()

        # Kill 2: in the middle of a burst of three updates, each with an effect.
        state, version = life.case()
        assert state == "empathise"
        burst = [
            lan.send("She needs the shoes for a wedding on Saturday"),
            lan.press_data(f"k:1:{version + 1}:c:voucher"),
            lan.send("200k"),
        ]
        bot_api.wait_for("the burst to be fetched", lambda: bot_api.fetched(burst[-1]))
        bot_api.wait_for("a first effect", lambda: burst[0] in life.processed(), timeout=15)
        life.kill(second)
        print(f"kill 2: burst {burst}, processed before the kill: {life.processed() & set(burst)}")
        life.assert_log_is_whole()

        third = life.start()
        life.wait_processed(burst)
        assert life.case()[0] == "follow_up"
        resume(lan, "Step 5 of 5")
        lan.press("In 3 days")
        lan.expect("How did the call go")
        lan.press("Satisfied")
        lan.expect("Closed on")
        third.process.send_signal(signal.SIGTERM)
        assert third.process.wait(timeout=15) == 0, third.output()
    finally:
        life.stop_all()
        for bot in life.bots:
            print(bot.output())  # shown when the test fails

    assert life.events() == list(enumerate(EVENTS, start=1))
    assert life.query("SELECT state, compensation_value FROM cases") == [("closed", 200_000)]
    assert life.processed() == set(bot_api.updates)  # every update handled, each exactly once
    assert life.query("SELECT count(*) FROM reminders WHERE status = 'claimed'") == [(0,)]
    for bot in life.bots:
        assert TOKEN not in bot.output()


def test_an_update_fetched_but_not_yet_committed_when_the_bot_is_killed_is_handled_after_restart(
    tmp_path: Path, bot_api: BotApiServer
) -> None:
    life = Life(tmp_path, bot_api)
    lan = TelegramUser(bot_api, STAFF_ID, "Lan")
    try:
        first = life.start()
        # Another writer holds the database, so the bot can fetch the update but not commit.
        holder = sqlite3.connect(life.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            opened = lan.send("/new")
            bot_api.wait_for("the update to be fetched", lambda: bot_api.fetched(opened))
            time.sleep(0.3)
            life.kill(first)
        finally:
            holder.rollback()
            holder.close()
        assert opened not in life.processed()
        assert not bot_api.acknowledged(opened)  # so Telegram still holds it for the bot
        life.start()
        life.wait_processed([opened])
        bot_api.wait_for("the update to be acknowledged", lambda: bot_api.acknowledged(opened))
        assert life.query("SELECT count(*) FROM cases") == [(1,)]
        lan.expect("Who is the customer?")
    finally:
        life.stop_all()
        for bot in life.bots:
            print(bot.output())


def test_a_second_bot_process_on_the_same_sqlite_file_refuses_to_start(
    tmp_path: Path, bot_api: BotApiServer
) -> None:
    life = Life(tmp_path, bot_api)
    try:
        first = life.start()
        second = subprocess.run(
            [sys.executable, "main.py", "run"],
            cwd=ROOT,
            env=life.env(),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 1
        assert "Another bot process is already running on" in second.stderr
        assert first.process.poll() is None  # the first one goes on
        life.kill(first)
        life.start()  # the lock went with the killed process
    finally:
        life.stop_all()
