"""The [telegram] settings for polling, webhooks and a self-hosted Bot API server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.config import ConfigError, TelegramSettings, load_settings

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_webhook_mode_without_a_public_address_is_refused_with_an_explanation(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(write(tmp_path, '[telegram]\nmode = "webhook"\n'), {})
    assert "telegram.webhook_url" in str(err.value)
    assert "https://" in str(err.value)


def test_a_malformed_webhook_secret_is_refused_without_being_echoed(tmp_path: Path) -> None:
    path = write(tmp_path, '[telegram]\nwebhook_secret = "has spaces and $ signs"\n')
    with pytest.raises(ConfigError) as err:
        load_settings(path, {})
    assert "telegram.webhook_secret" in str(err.value)
    assert "has spaces" not in str(err.value)


def test_the_webhook_secret_comes_from_the_environment(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, ""), {"TELEGRAM_WEBHOOK_SECRET": "from-env_1"})
    assert settings.telegram.webhook_secret_token() == "from-env_1"


def test_without_a_configured_secret_one_is_derived_from_the_token_that_telegram_accepts() -> None:
    first = TelegramSettings.model_validate({"token": TOKEN})
    again = TelegramSettings.model_validate({"token": TOKEN})
    other = TelegramSettings.model_validate({"token": TOKEN[:-1] + "X"})
    secret = first.webhook_secret_token()
    assert secret == again.webhook_secret_token()  # every instance agrees
    assert secret != other.webhook_secret_token()
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret)
    assert TOKEN.split(":")[1] not in secret


def test_the_webhook_path_defaults_to_the_path_of_the_public_address() -> None:
    derived = TelegramSettings.model_validate({"webhook_url": "https://bot.example.com/tg/hook"})
    explicit = TelegramSettings.model_validate(
        {"webhook_url": "https://bot.example.com/tg/hook", "webhook_path": "/hook"}
    )
    assert derived.webhook_local_path == "/tg/hook"
    assert explicit.webhook_local_path == "/hook"


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("webhook_url", "bot.example.com/hook"),
        ("base_url", ""),
        ("webhook_path", "hook"),
        ("webhook_path", "/healthz"),
        ("concurrent_updates", 0),
        ("webhook_port", 70000),
    ],
)
def test_unusable_transport_settings_are_named(tmp_path: Path, key: str, value: object) -> None:
    literal = f'"{value}"' if isinstance(value, str) else str(value)
    with pytest.raises(ConfigError, match=f"telegram.{key}"):
        load_settings(write(tmp_path, f"[telegram]\n{key} = {literal}\n"), {})


def test_a_self_hosted_bot_api_server_serves_files_next_to_its_bot_address() -> None:
    local = TelegramSettings.model_validate({"base_url": "http://127.0.0.1:8081/bot"})
    assert local.base_file_url == "http://127.0.0.1:8081/file/bot"
    assert TelegramSettings().base_file_url == "https://api.telegram.org/file/bot"


def test_the_application_talks_to_the_configured_bot_api_server() -> None:
    from bot.app import build_application
    from bot.config import Settings
    from bot.processor import ChatOrderedProcessor

    settings = Settings.model_validate(
        {
            "telegram": {
                "token": TOKEN,
                "base_url": "http://127.0.0.1:8081/bot",
                "concurrent_updates": 5,
            },
            "database": {"url": "postgresql+asyncpg://bot@127.0.0.1/bot"},
        }
    )
    app = build_application(settings)
    assert app.bot.base_url == f"http://127.0.0.1:8081/bot{TOKEN}"
    assert app.bot.base_file_url == f"http://127.0.0.1:8081/file/bot{TOKEN}"
    assert isinstance(app.update_processor, ChatOrderedProcessor)
    assert app.update_processor.max_concurrent_updates == 5  # on SQLite it would be 1
    assert app.updater is None


def test_sqlite_and_postgresql_both_serve_the_configured_number_of_chats_at_once() -> None:
    from bot.app import concurrency
    from bot.config import Settings

    settings = Settings.model_validate({"telegram": {"concurrent_updates": 8}})
    assert concurrency(settings) == 8  # SQLite: writers queue in the loop (storage/inloop.py)
    on_postgres = settings.model_copy(
        update={
            "database": settings.database.model_copy(update={"url": "postgresql+asyncpg://x/y"})
        }
    )
    assert concurrency(on_postgres) == 8
