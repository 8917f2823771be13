"""Command line: run the bot, try it in the console, migrate, register staff, draw flows."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging

os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB reports retry_after as a timedelta

CONSOLE_BANNER = """\
No Telegram token is configured, so the bot runs here in the terminal (console mode).
It is the same bot, talking to an in-process stand-in for Telegram.
To connect to Telegram: create a bot with @BotFather (/newbot), then start with
    TELEGRAM_BOT_TOKEN=123456:ABC... make run
or put the token in config.toml under [telegram] token = "...".
"""


def _settings(config: Path | None) -> Settings:
    try:
        return load_settings(config)
    except ConfigError as err:
        click.echo(f"Configuration problem:\n{err}", err=True)
        sys.exit(2)


config_option = click.option(
    "--config",
    "config",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="TOML settings file (default: $CS_CONFIG or ./config.toml, else built-in defaults).",
)


@click.group()
def cli() -> None:
    """Customer-service assistant for Telegram."""


@cli.command()
@config_option
def run(config: Path | None) -> None:
    """Run the bot: on Telegram when a token is set, otherwise in the console."""
    settings = _settings(config)
    if not settings.telegram.has_token:
        click.echo(CONSOLE_BANNER)
        _run_console(settings)
        return
    from bot.transport import describe_failure, serve

    secrets = _secrets(settings)
    configure_logging(settings.logging.level, secrets)
    _ensure_data_dir(settings)
    try:
        serve(settings)  # polling or webhook, until SIGTERM or SIGINT
    except asyncio.CancelledError:
        click.echo("Stopped at once (second stop signal).", err=True)
        sys.exit(1)
    except Exception as err:
        click.echo(f"The bot could not run: {describe_failure(err, secrets)}", err=True)
        sys.exit(1)


@cli.command()
@config_option
def check(config: Path | None) -> None:
    """Check the settings, the database and Telegram (getMe); exit 1 if any check fails."""
    try:
        settings = load_settings(config)
    except ConfigError as err:
        click.echo(f"✗ configuration: {err}")
        sys.exit(1)
    from bot.checks import run_checks

    telegram = settings.telegram
    source = config or Path(os.environ.get("CS_CONFIG", "config.toml"))
    where = str(source) if source.exists() else "built-in defaults (no config file)"
    mode = f"webhook at {telegram.webhook_url}" if telegram.mode == "webhook" else "polling"
    click.echo(f"✓ configuration: {where}; {mode}")
    configure_logging("WARNING", _secrets(settings))
    checks = asyncio.run(run_checks(settings))
    for outcome in checks:
        click.echo(outcome.line())
    sys.exit(0 if all(outcome.ok for outcome in checks) else 1)


def _secrets(settings: Settings) -> list[str]:
    """Return what logs and messages must never show: the token and the webhook secret."""
    telegram = settings.telegram
    if not telegram.has_token:
        return []
    return [telegram.token.get_secret_value(), telegram.webhook_secret_token()]


@cli.command()
@config_option
def console(config: Path | None) -> None:
    """Walk the bot in the terminal, as a staff member or a supervisor, without Telegram."""
    _run_console(_settings(config))


def _run_console(settings: Settings) -> None:
    try:
        asyncio.run(_console(settings))
    except KeyboardInterrupt:
        click.echo("Bye.")


async def _console(settings: Settings) -> None:
    from bot.app import build_application, offline, start_scheduler, stop_scheduler
    from bot.console import run_console
    from bot.demo import console_people
    from bot.standin import FakeBotApi, Person

    configure_logging("WARNING", [settings.telegram.token.get_secret_value()])
    _ensure_data_dir(settings)
    api = FakeBotApi()
    app = build_application(settings, request=api)
    async with offline(app) as services:
        await app.start()
        try:
            start_scheduler(app)
            staff = await console_people(services)
            people = [Person(app, api, p.telegram_id, p.name, p.locale or "vi") for p in staff]
            await run_console(app, api, people)
        finally:
            await stop_scheduler(app)
            await app.stop()


@cli.group()
def db() -> None:
    """Database tasks."""


@db.command("upgrade")
@config_option
def db_upgrade(config: Path | None) -> None:
    """Apply all migrations (run once before starting several instances)."""
    settings = _settings(config)
    _ensure_data_dir(settings)

    async def go() -> None:
        from storage.engine import create_engine
        from storage.migrate import upgrade

        engine = create_engine(settings.database.url)
        await upgrade(engine)
        await engine.dispose()

    asyncio.run(go())
    click.echo("Database is up to date.")


@cli.group()
def staff() -> None:
    """Manage who may use the bot."""


@staff.command("add")
@config_option
@click.option("--telegram-id", type=int, required=True, help="The person's Telegram user id.")
@click.option("--name", required=True, help="Their name as colleagues know it.")
@click.option(
    "--role",
    type=click.Choice(["staff", "supervisor", "admin"]),
    default="staff",
    show_default=True,
)
@click.option(
    "--timezone",
    default=None,
    help="Their time zone, e.g. Asia/Ho_Chi_Minh (default: people.default_timezone).",
)
def staff_add(
    config: Path | None, telegram_id: int, name: str, role: str, timezone: str | None
) -> None:
    """Register a person (or change the name, role and time zone of one already registered)."""
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise click.BadParameter(
                f"unknown time zone {timezone!r}", param_hint="--timezone"
            ) from None
    settings = _settings(config)
    _ensure_data_dir(settings)

    async def go() -> Any:
        from bot.services import utc_now
        from flows.people import People
        from storage.engine import create_engine, session_factory
        from storage.migrate import upgrade
        from storage.uow import SqlUnitOfWork

        engine = create_engine(settings.database.url)
        await upgrade(engine)
        async with SqlUnitOfWork(session_factory(engine)) as uow:
            person = await People(uow, settings.policy(), utc_now).register(
                telegram_id, name, role, timezone=timezone
            )
            await uow.commit()
        await engine.dispose()
        return person

    person = asyncio.run(go())
    click.echo(f"Registered {person.name} (Telegram id {person.telegram_id}) as {person.role}.")


@cli.group("flows")
def flows_group() -> None:
    """Inspect the procedures."""


@flows_group.command("diagram")
@click.argument("name", type=click.Choice(["complaint", "termination"]))
def flows_diagram(name: str) -> None:
    """Print a flow's state machine as a mermaid stateDiagram-v2."""
    from flows.complaint import COMPLAINT
    from flows.review import REVIEW

    click.echo({"complaint": COMPLAINT, "termination": REVIEW}[name].mermaid())


def _ensure_data_dir(settings: Settings) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(settings.database.url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)


if __name__ == "__main__":
    cli()
