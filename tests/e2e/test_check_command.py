"""The real `main.py check` process against a Bot API server of our own on 127.0.0.1."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from standin.server import BotApiServer

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "1234567890:E2E-check-token_0123456789abcdefghijk"


@pytest.fixture
def bot_api() -> Iterator[BotApiServer]:
    api = BotApiServer(TOKEN).start()
    yield api
    api.stop()


def check(
    tmp_path: Path, api: BotApiServer, token: str, telegram: str = ""
) -> subprocess.CompletedProcess[str]:
    """Run `main.py check` with the token in the environment and a config file in tmp_path
    (`telegram`: more lines of its [telegram] section)."""
    config = tmp_path / "config.toml"
    config.write_text(
        f'[telegram]\nbase_url = "{api.base_url}"\n{telegram}'
        f'[database]\nurl = "sqlite+aiosqlite:///{tmp_path / "bot.sqlite3"}"\n',
        encoding="utf-8",
    )
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": token}
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "main.py", "check", "--config", str(config)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_check_passes_with_one_line_per_check_when_everything_answers(
    tmp_path: Path, bot_api: BotApiServer
) -> None:
    result = check(tmp_path, bot_api, TOKEN)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line[:2] for line in lines] == ["✓ ", "✓ ", "✓ "]
    assert lines[0].startswith(f"✓ configuration: {tmp_path / 'config.toml'}; polling")
    assert lines[1].startswith("✓ database: ")
    me = f"getMe: @{bot_api.bot_user['username']} (id {bot_api.bot_user['id']})"
    assert lines[2] == f"✓ telegram: {me} via {bot_api.base_url}"
    assert bot_api.methods() == ["getMe"]
    assert TOKEN not in result.stdout + result.stderr
    assert not (tmp_path / "bot.sqlite3").exists()  # checking changes nothing


def test_check_fails_with_exit_code_1_when_telegram_refuses_the_token(
    tmp_path: Path, bot_api: BotApiServer
) -> None:
    revoked = "1234567890:REVOKED-token_0123456789abcdefghijkl"
    result = check(tmp_path, bot_api, revoked)
    assert result.returncode == 1
    assert "✗ telegram: " in result.stdout
    assert "refused the token" in result.stdout
    assert revoked not in result.stdout + result.stderr
    assert revoked.split(":")[1] not in result.stdout + result.stderr


def test_check_never_prints_the_token_even_in_a_webhook_address_that_holds_it(
    tmp_path: Path, bot_api: BotApiServer
) -> None:
    webhook = (
        f'mode = "webhook"\nwebhook_url = "https://bot.example.com/{TOKEN}"\n'
        'webhook_secret = "s3cret-s3cret-s3cret"\nwebhook_listen = "127.0.0.1"\n'
    )
    result = check(tmp_path, bot_api, TOKEN, webhook)
    assert result.stdout.startswith("✓ configuration: ")
    assert "webhook at https://bot.example.com/" in result.stdout
    assert TOKEN not in result.stdout + result.stderr
    assert TOKEN.split(":")[1] not in result.stdout + result.stderr
