"""`main.py check`: one line per check, exit 0 or 1, and the token never shown."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.checks import check_database, run_checks
from bot.config import DatabaseSettings, Settings
from main import cli
from standin.inprocess import FakeBotApi
from storage.engine import create_engine
from storage.migrate import upgrade

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def settings(database: Path, **telegram: object) -> Settings:
    return Settings.model_validate(
        {
            "telegram": {"token": TOKEN, **telegram},
            "database": {"url": f"sqlite+aiosqlite:///{database}", "migrate_on_start": False},
        }
    )


async def migrated(path: Path) -> Path:
    engine = create_engine(f"sqlite+aiosqlite:///{path}")
    await upgrade(engine)
    await engine.dispose()
    return path


async def test_a_ready_setup_passes_every_check_without_showing_the_token(tmp_path: Path) -> None:
    database = await migrated(tmp_path / "bot.sqlite3")
    checks = await run_checks(settings(database), request=FakeBotApi())
    lines = [check.line() for check in checks]
    assert all(check.ok for check in checks), lines
    assert lines[0].startswith("✓ database: ")
    assert "schema up to date" in lines[0]
    assert lines[1].startswith("✓ telegram: getMe: @cs_assistant_bot")
    assert not any(TOKEN in line or TOKEN.split(":")[1] in line for line in lines)


async def test_webhook_mode_also_reports_what_telegram_has_registered(tmp_path: Path) -> None:
    database = await migrated(tmp_path / "bot.sqlite3")
    checks = await run_checks(
        settings(database, mode="webhook", webhook_url="https://bot.example.com/hook"),
        request=FakeBotApi(),
    )
    assert [c.name for c in checks] == ["database", "telegram", "webhook"]
    assert "`run` registers it at start" in checks[2].detail


async def test_a_missing_token_fails_the_telegram_check_and_says_where_to_get_one(
    tmp_path: Path,
) -> None:
    database = await migrated(tmp_path / "bot.sqlite3")
    plain = Settings.model_validate({"database": {"url": f"sqlite+aiosqlite:///{database}"}})
    checks = await run_checks(plain, request=FakeBotApi())
    assert not checks[1].ok
    assert "TELEGRAM_BOT_TOKEN" in checks[1].detail


async def test_telegram_trouble_fails_the_telegram_check_with_the_reason(tmp_path: Path) -> None:
    database = await migrated(tmp_path / "bot.sqlite3")
    api = FakeBotApi()
    api.fail_next("getMe", "server")
    checks = await run_checks(settings(database), request=api)
    assert not checks[1].ok
    assert "Bad Gateway" in checks[1].line()


async def test_a_database_that_needs_migrating_fails_unless_the_bot_migrates_at_start(
    tmp_path: Path,
) -> None:
    empty = tmp_path / "empty.sqlite3"
    empty.touch()
    url = f"sqlite+aiosqlite:///{empty}"
    manual = await check_database(DatabaseSettings(url=url, migrate_on_start=False))
    automatic = await check_database(DatabaseSettings(url=url, migrate_on_start=True))
    assert not manual.ok
    assert "python main.py db upgrade" in manual.detail
    assert automatic.ok


async def test_checking_a_missing_sqlite_file_does_not_create_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.sqlite3"
    outcome = await check_database(
        DatabaseSettings(url=f"sqlite+aiosqlite:///{path}", migrate_on_start=False)
    )
    assert not outcome.ok
    assert not path.exists()


async def test_a_sqlite_file_that_cannot_be_created_fails_the_database_check(
    tmp_path: Path,
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    url = f"sqlite+aiosqlite:///{blocker / 'data' / 'bot.sqlite3'}"
    outcome = await check_database(DatabaseSettings(url=url))
    assert not outcome.ok
    assert "cannot be created" in outcome.line()
    assert "is a file, not a folder" in outcome.line()


async def test_an_unreachable_database_fails_without_showing_its_password() -> None:
    url = "postgresql+asyncpg://bot:s3cret-pw@127.0.0.1:1/csbot"
    outcome = await check_database(DatabaseSettings(url=url))
    assert not outcome.ok
    assert "cannot connect" in outcome.detail
    assert "s3cret-pw" not in outcome.line()


@pytest.mark.parametrize("text", ['[telegram]\ntoken = "oops"\n', "[nonsense\n"])
def test_a_configuration_problem_is_one_failed_check_and_exit_code_1(
    tmp_path: Path, text: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--config", str(path)])
    assert result.exit_code == 1
    assert result.output.startswith("✗ configuration: ")
    assert "oops" not in result.output


def test_an_empty_cs_config_is_checked_as_no_file_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no config.toml here: the built-in defaults
    monkeypatch.setenv("CS_CONFIG", "")
    result = CliRunner().invoke(cli, ["check"])
    assert "✓ configuration: built-in defaults (no config file)" in result.output
