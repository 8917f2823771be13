"""The real `main.py run` process talking to a Bot API server of our own, over real HTTP.

A complaint is walked once with updates served by getUpdates (polling) and once with updates
POSTed to the bot's webhook; then SIGTERM must stop the bot promptly and cleanly. All traffic
stays on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from standin.server import BotApiServer, TelegramUser, post_update

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "1234567890:E2E-fake-token_0123456789abcdefghijk"
SECRET = "e2e-webhook-secret_0123456789"
STAFF_ID = 1001
STOP_WITHIN = 10.0  # seconds SIGTERM may take to stop the bot
#: The updates the bot asks Telegram for (an edited message: to say the change is not read).
ALLOWED = ["message", "edited_message", "callback_query"]

# Lan opens a complaint for a new customer, walks the five steps (a voucher within her limit,
# so no approval), agrees a follow-up and closes the case as satisfied. Each step names a
# text that the bot's latest message must show before the next step is taken.
WALK = [
    ("send", "/new", "Who is the customer?"),
    ("press", "New customer", "full name"),
    ("send", "Mai Pham", "phone number"),
    ("send", "0912345678", "individual or a business"),
    ("press", "Individual", "When did they become a customer"),
    ("send", "2020", "spend with us"),
    ("send", "5tr", "What is the complaint"),
    ("send", "Wrong shoe size delivered", "What kind of complaint"),
    ("press", "Wrong or defective product", "How serious"),
    ("press", "High", "Step 1 of 5"),
    ("press", "Calm", "Anything to note"),
    ("press", "Skip", "Step 2 of 5"),
    ("send", "Exchanged for the right size today", "still in progress"),
    ("press", "Fixed now", "Step 3 of 5"),
    ("send", "She needs the shoes for a wedding on Saturday", "Step 4 of 5"),
    ("press", "Voucher", "What is it worth"),
    ("send", "200k", "Step 5 of 5"),
    ("press", "In 3 days", "How did the call go"),
    ("press", "Satisfied", "Closed on"),
]
EVENTS = [
    "opened",
    "open",
    "apologised",
    "fixed",
    "empathised",
    "compensated",
    "scheduled",
    "satisfied",
]


@dataclass
class RunningBot:
    """A `main.py run` process and where it keeps its database and log."""

    process: subprocess.Popen[bytes]
    database: Path
    log: Path

    def stop(self, sig: signal.Signals = signal.SIGTERM) -> tuple[int, float]:
        """Send a stop signal; return the exit code and how long stopping took."""
        started = time.monotonic()
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=STOP_WITHIN + 5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        return code, time.monotonic() - started

    def output(self) -> str:
        """Return what the process wrote (stdout and stderr)."""
        return self.log.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def bot_api() -> Iterator[BotApiServer]:
    api = BotApiServer(TOKEN).start()
    yield api
    api.stop()


def free_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_bot(tmp_path: Path, api: BotApiServer, telegram: str = "") -> RunningBot:
    """Write a config file and start the real bot process on it."""
    database = tmp_path / "bot.sqlite3"
    config = tmp_path / "config.toml"
    config.write_text(
        f'[telegram]\ntoken = "{TOKEN}"\nbase_url = "{api.base_url}"\n{telegram}\n'
        f'[database]\nurl = "sqlite+aiosqlite:///{database}"\n'
        f"[people]\nadmins = [{STAFF_ID}]\n"
        "[reminders]\nenabled = true\ntick_seconds = 1\ndigest = false\n"
        '[logging]\nlevel = "INFO"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "CS_CONFIG": str(config)}
    for name in ("TELEGRAM_BOT_TOKEN", "DATABASE_URL", "TELEGRAM_WEBHOOK_SECRET"):
        env.pop(name, None)
    log = tmp_path / "bot.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "main.py", "run"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    return RunningBot(process, database, log)


def walk_a_complaint(user: TelegramUser) -> int:
    """Take every step of WALK; return how many buttons were pressed."""
    presses = 0
    for action, arg, shows in WALK:
        if action == "send":
            user.send(arg)
        else:
            user.press(arg)
            presses += 1
        user.expect(shows)
    return presses


def http_get(url: str) -> tuple[int, str]:
    """GET a URL; return the status and the body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def assert_the_walk_was_shown(api: BotApiServer, presses: int) -> None:
    """Check what Lan saw: the step cards with their buttons, and every press answered."""
    shown = api.messages(STAFF_ID)
    every = api.messages(STAFF_ID, include_deleted=True)
    texts = "\n".join(m.plain_text for m in shown)
    step_one = next(m for m in every if "Step 1 of 5" in m.plain_text)
    assert step_one.plain_text.startswith("✅")  # the finished step was edited into a summary
    assert "Mai Pham · 0912345678" in texts
    assert "Closed on" in shown[-1].plain_text
    assert not shown[-1].buttons  # a closed case offers nothing more to press
    cards = [m for m in every if m.edited]
    assert cards, "no card was edited in place"
    assert _first_labels(api, "Calm", 3) == ["😌 Calm", "😟 Upset", "😠 Angry"]
    assert len(api.called("answerCallbackQuery")) == presses  # every press was answered
    assert api.called("setMyCommands")


def _first_labels(api: BotApiServer, containing: str, count: int) -> list[str]:
    """Return the first `count` labels of the first keyboard that had a button `containing`."""
    for call in api.calls:
        markup = call.params.get("reply_markup")
        if call.method in ("sendMessage", "editMessageText") and markup:
            rows = json.loads(markup)["inline_keyboard"]
            labels = [button["text"] for row in rows for button in row]
            if any(containing in label for label in labels):
                return labels[:count]
    raise AssertionError(f"no keyboard with {containing!r}")


def assert_the_case_was_stored(database: Path) -> None:
    """Check the database: the case closed, its events in order, every update recorded."""
    assert not database.with_name(database.name + "-wal").exists()  # closed, WAL folded in
    with sqlite3.connect(database) as db:
        cases = db.execute("SELECT id, state, compensation_value FROM cases").fetchall()
        kinds = [k for (k,) in db.execute("SELECT kind FROM case_events ORDER BY case_id, seq")]
        processed = db.execute("SELECT count(*) FROM processed_updates").fetchone()[0]
        held = (
            "SELECT count(*) FROM reminders WHERE status = 'pending' AND lease_until IS NOT NULL"
        )
        claimed = db.execute(held).fetchone()[0]
        integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    assert cases == [(1, "closed", 200_000)]
    assert kinds == EVENTS
    assert processed == len(WALK)  # every update handled once, recorded with its effects
    assert claimed == 0  # the reminder tick stopped between ticks, holding nothing
    assert integrity == "ok"


def test_a_complaint_walked_over_long_polling_is_stored_and_sigterm_stops_the_bot_cleanly(
    tmp_path: Path, bot_api: BotApiServer
) -> None:
    bot = start_bot(tmp_path, bot_api)
    try:
        bot_api.wait_for("the bot to poll", lambda: bot_api.called("getUpdates"), timeout=20)
        presses = walk_a_complaint(TelegramUser(bot_api, STAFF_ID, "Lan"))
    finally:
        code, seconds = bot.stop()
        print(bot.output())  # shown when the test fails
    assert code == 0, bot.output()
    assert seconds < STOP_WITHIN
    assert_the_walk_was_shown(bot_api, presses)
    assert_the_case_was_stored(bot.database)
    methods = bot_api.methods()
    assert methods.index("deleteWebhook") < methods.index("getUpdates")  # no webhook left
    polls = bot_api.called("getUpdates")
    assert json.loads(polls[0].params["allowed_updates"]) == ALLOWED
    assert "setWebhook" not in methods
    assert TOKEN not in bot.output()
    assert "Application.stop() complete" in bot.output()
    assert "Traceback" not in bot.output()


def test_a_complaint_walked_over_the_webhook_is_stored_and_requests_without_the_secret_are_refused(
    tmp_path: Path, bot_api: BotApiServer
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/telegram"
    bot = start_bot(
        tmp_path,
        bot_api,
        f'mode = "webhook"\nwebhook_url = "{url}"\nwebhook_port = {port}\n'
        f'webhook_secret = "{SECRET}"\n',
    )
    forged = {
        "update_id": 424242,
        "message": {
            "message_id": 1,
            "date": int(time.time()),
            "chat": {"id": STAFF_ID, "type": "private", "first_name": "Lan"},
            "from": {"id": STAFF_ID, "is_bot": False, "first_name": "Lan"},
            "text": "/new",
            "entities": [{"type": "bot_command", "offset": 0, "length": 4}],
        },
    }
    try:
        hook = bot_api.wait_for("setWebhook", lambda: bot_api.webhook, timeout=20)
        assert hook["url"] == url
        assert hook["secret_token"] == SECRET
        assert json.loads(hook["allowed_updates"]) == ALLOWED
        assert http_get(f"http://127.0.0.1:{port}/healthz") == (200, "ok")
        assert post_update(url, forged, None) == 403
        assert post_update(url, forged, "not-the-secret") == 403
        presses = walk_a_complaint(TelegramUser(bot_api, STAFF_ID, "Lan"))
    finally:
        code, seconds = bot.stop()
        print(bot.output())  # shown when the test fails
    assert code == 0, bot.output()
    assert seconds < STOP_WITHIN
    assert_the_walk_was_shown(bot_api, presses)
    assert_the_case_was_stored(bot.database)
    with sqlite3.connect(bot.database) as db:
        refused = db.execute("SELECT count(*) FROM processed_updates WHERE update_id = 424242")
        assert refused.fetchone()[0] == 0  # the forged update never reached the bot
    assert "getUpdates" not in bot_api.methods()
    assert "deleteWebhook" not in bot_api.methods()  # stopping keeps the webhook for others
    assert TOKEN not in bot.output()
    assert SECRET not in bot.output()
    with (
        pytest.raises(ConnectionRefusedError),
        socket.create_connection(("127.0.0.1", port), timeout=1),
    ):
        pass  # the webhook server is gone


def test_sigint_stops_a_polling_bot_as_cleanly_as_sigterm(
    tmp_path: Path, bot_api: BotApiServer
) -> None:
    bot = start_bot(tmp_path, bot_api)
    try:
        bot_api.wait_for("the bot to poll", lambda: bot_api.called("getUpdates"), timeout=20)
    finally:
        code, seconds = bot.stop(signal.SIGINT)
        print(bot.output())  # shown when the test fails
    assert code == 0, bot.output()
    assert seconds < STOP_WITHIN
    assert "Application.stop() complete" in bot.output()
    assert "Traceback" not in bot.output()


def test_a_token_telegram_refuses_stops_the_start_with_an_explanation_that_hides_it(
    tmp_path: Path,
) -> None:
    api = BotApiServer("1234567890:the-real-token_0123456789abcdefghijk").start()
    try:
        bot = start_bot(tmp_path, api)  # starts with TOKEN, which this server does not know
        code = bot.process.wait(timeout=30)
    finally:
        api.stop()
    assert code == 1
    assert "Telegram refused the token" in bot.output()
    assert "@BotFather" in bot.output()
    assert TOKEN not in bot.output()
    assert TOKEN.split(":")[1] not in bot.output()
