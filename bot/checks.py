"""`python main.py check`: can this configuration run? One line per check, token never shown."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from telegram import Bot
from telegram.error import InvalidToken, TelegramError
from telegram.request import BaseRequest

from bot.config import DatabaseSettings, Settings, TelegramSettings, shown_address
from bot.logs import REDACTED
from storage.engine import create_engine, sqlite_file
from storage.migrate import current_revision, head_revision, known_revisions

CHECK_TIMEOUT = 15.0  # seconds each check may take


@dataclass(frozen=True)
class Check:
    """The outcome of one check, with the reason in words."""

    name: str
    ok: bool
    detail: str

    def line(self) -> str:
        """Return the line printed for this check."""
        return f"{'✓' if self.ok else '✗'} {self.name}: {self.detail}"


async def run_checks(settings: Settings, *, request: BaseRequest | None = None) -> list[Check]:
    """Check the database, then Telegram (getMe, and the webhook in webhook mode)."""
    token = settings.telegram.token.get_secret_value()
    checks = [await check_database(settings.database)]
    checks.extend(await check_telegram(settings.telegram, request=request))
    return [Check(c.name, c.ok, redact(c.detail, token)) for c in checks]


async def check_database(database: DatabaseSettings) -> Check:
    """Connect, run SELECT 1, and compare the schema with the newest migration."""
    shown = shown_address(database.url)
    path = sqlite_file(database.url)
    if path is not None and not path.exists():
        blocked = _unwritable_folder(path.parent)
        if blocked is not None:
            return Check("database", False, f"{shown}: cannot be created ({blocked})")
        if database.migrate_on_start:
            return Check("database", True, f"{shown}: no file yet; `run` creates it")
        return Check("database", False, f"{shown}: no such file; run `python main.py db upgrade`")
    head = head_revision()
    engine = create_engine(database.url)
    try:
        async with asyncio.timeout(CHECK_TIMEOUT), engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
            current = await connection.run_sync(current_revision)
    except Exception as err:
        reason = reason_hiding_password(database.url, err)
        return Check("database", False, f"{shown}: cannot connect ({reason})")
    finally:
        await engine.dispose()
    if current == head:
        return Check("database", True, f"{shown}: connected, schema up to date ({head})")
    if current != "empty" and current not in known_revisions():
        return Check(
            "database", False, f"{shown}: schema at {current}, newer than this code knows"
        )
    if database.migrate_on_start:
        return Check(
            "database", True, f"{shown}: connected; `run` migrates it from {current} to {head}"
        )
    return Check(
        "database",
        False,
        f"{shown}: schema at {current}, code needs {head}; run `python main.py db upgrade` "
        "(database.migrate_on_start is false)",
    )


async def check_telegram(
    telegram: TelegramSettings, *, request: BaseRequest | None = None
) -> list[Check]:
    """Call getMe with the token; in webhook mode also read what Telegram has registered."""
    if not telegram.has_token:
        return [
            Check(
                "telegram",
                False,
                "no token: set TELEGRAM_BOT_TOKEN (from @BotFather); without one "
                "`run` starts the console instead",
            )
        ]
    bot = Bot(
        telegram.token.get_secret_value(),
        base_url=telegram.base_url,
        base_file_url=telegram.base_file_url,
        request=request,
        get_updates_request=request,
    )
    where = telegram.base_url
    try:
        async with asyncio.timeout(CHECK_TIMEOUT):
            await bot.initialize()  # calls getMe
            me = bot.bot
            checks = [Check("telegram", True, f"getMe: @{me.username} (id {me.id}) via {where}")]
            if telegram.mode == "webhook":
                checks.append(await _check_webhook(bot, telegram))
            return checks
    except InvalidToken:
        return [
            Check(
                "telegram",
                False,
                f"{where} refused the token: it is wrong or was revoked; "
                "get the current one from @BotFather (/token)",
            )
        ]
    except (TelegramError, TimeoutError, OSError) as err:
        return [Check("telegram", False, f"getMe via {where} failed ({_reason(err)})")]
    finally:
        await bot.shutdown()


async def _check_webhook(bot: Bot, telegram: TelegramSettings) -> Check:
    info = await bot.get_webhook_info()
    serves = f"served on {telegram.webhook_listen}:{telegram.webhook_port}"
    serves += telegram.webhook_local_path
    if info.url != telegram.webhook_url:
        return Check(
            "webhook", True, f"{telegram.webhook_url} ({serves}); `run` registers it at start"
        )
    if info.last_error_message:
        return Check(
            "webhook",
            False,
            f"{info.url} is registered, but Telegram's last delivery failed: "
            f"{info.last_error_message} ({info.pending_update_count} updates waiting)",
        )
    return Check(
        "webhook",
        True,
        f"{info.url} is registered ({serves}; {info.pending_update_count} updates waiting)",
    )


def missing_sqlite_file(url: str) -> bool:
    """Tell whether `url` names a SQLite file that does not exist (checking must not make it)."""
    path = sqlite_file(url)
    return path is not None and not path.exists()


def _unwritable_folder(folder: Path) -> str | None:
    """Why a new file cannot be made in `folder` (or in the folders that would be made for
    it), or None if it can."""
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None:
        return None
    if not existing.is_dir():
        return f"{existing} is a file, not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"{existing} is not writable"
    return None


def reason_hiding_password(address: str, err: BaseException) -> str:
    """Say in one line why the database at `address` failed, never showing its password."""
    return redact(_reason(err), make_url(address).password or "")


def _reason(err: BaseException) -> str:
    first = str(err).strip().splitlines()[0] if str(err).strip() else ""
    return f"{type(err).__name__}: {first}" if first else type(err).__name__


def redact(text: str, *secrets: str) -> str:
    """Replace every secret in `text`."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text
