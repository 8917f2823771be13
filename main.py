"""Command line: run the bot, try it in the console, migrate, register staff, draw flows."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Callable, Coroutine
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import click

from bot.config import (
    DEFAULT_CONFIG,
    ConfigError,
    Settings,
    load_settings,
    named_config,
    shown_address,
)

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncEngine

    from flows.forgetting import Forgotten
    from flows.model import Staff
    from flows.parsing import InvalidInput
    from flows.ports import UnitOfWork
    from flows.scripts import Scripts
from bot.logs import configure_logging

os.environ.setdefault("PTB_TIMEDELTA", "1")  # PTB reports retry_after as a timedelta

CONSOLE_BANNER = """\
No Telegram token is configured, so the bot runs here in the terminal (console mode).
It is the same bot, talking to an in-process stand-in for Telegram.
To connect to Telegram: create a bot with @BotFather (/newbot), then start with
    TELEGRAM_BOT_TOKEN=123456:ABC... make run
or put the token in config.toml under [telegram] token = "...".
"""


#: What the command line says of a period it cannot use, by the reason `flows.periods` gives.
PERIOD_REFUSALS = {
    "report.reversed": "the first day comes after the last: give the earlier date first",
    "report.too_long": "the period is too long: at most {days} days at a time",
    "report.not_begun": "that period has not begun yet: name one that has, e.g. 'this month'",
}
PERIOD_USAGE = (
    "give week, month, quarter, a calendar period (this month, last quarter, 11/2026, "
    "q3 2026, 2026), or two dates YYYY-MM-DD YYYY-MM-DD"
)


def period_refusal(err: InvalidInput) -> str:
    """Why a period given on the command line cannot be used, and what would do."""
    return PERIOD_REFUSALS.get(err.key, PERIOD_USAGE).format(**err.params)


def _settings(config: Path | None) -> Settings:
    """The settings, checked with the wording they call for; or the problem and exit 2."""
    return _settings_and_words(config)[0]


def _settings_and_words(config: Path | None) -> tuple[Settings, Scripts]:
    """The settings and the wording they call for, each read and checked once; or the
    problem and exit 2."""
    from bot.wording import load_scripts

    try:
        settings = load_settings(config)
        return settings, load_scripts(settings)
    except ConfigError as err:
        click.echo(f"Configuration problem:\n{err}", err=True)
        sys.exit(2)


#: A Telegram user id, as the database keeps it (a positive 64-bit number).
TELEGRAM_ID = click.IntRange(1, 2**63 - 1)

T = TypeVar("T")

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
    with _one_process_per_sqlite_file(settings):
        _reach_database(settings)
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
    from bot.checks import redact, run_checks
    from bot.wording import load_scripts

    try:
        settings = load_settings(config)
        load_scripts(settings)
    except ConfigError as err:
        click.echo(f"✗ configuration: {err}")
        sys.exit(1)

    telegram = settings.telegram
    source = named_config(config) or DEFAULT_CONFIG
    where = str(source) if source.exists() else "built-in defaults (no config file)"
    mode = f"webhook at {telegram.webhook_url}" if telegram.mode == "webhook" else "polling"
    click.echo(redact(f"✓ configuration: {where}; {mode}", *_secrets(settings)))
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
    settings = _settings(config)
    if settings.telegram.has_token:  # a real bot's settings: never touch its database
        settings = _console_database(settings)
        click.echo(f"Console mode keeps to its own database: {settings.database.url}")
    _run_console(settings)


#: Console mode's own database, when the settings are a real bot's: its demo people and its
#: reminder ticks must never reach the real bot's rows.
CONSOLE_DATABASE = "console.sqlite3"


def _console_database(settings: Settings) -> Settings:
    """The same settings on a database of console mode's own, beside the real one (in
    `data/` for a server database)."""
    from storage.engine import sqlite_file

    real = sqlite_file(settings.database.url)
    folder = real.parent if real is not None else Path("data")
    own = f"sqlite+aiosqlite:///{folder / CONSOLE_DATABASE}"
    database = settings.database.model_copy(update={"url": own, "migrate_on_start": True})
    return settings.model_copy(update={"database": database})


def _run_console(settings: Settings) -> None:
    _reach_database(settings)
    try:
        asyncio.run(_console(settings))
    except KeyboardInterrupt:
        click.echo("Bye.")


async def _console(settings: Settings) -> None:
    from bot.app import (
        build_application,
        offline,
        start_heavy_work,
        start_scheduler,
        stop_background,
    )
    from bot.console import run_console
    from bot.demo import console_people
    from bot.miniapp.dev import console_links, page_address
    from bot.transport import webhook_server
    from bot.webhook import CannotListen
    from standin.inprocess import FakeBotApi, Person
    from storage.uow import SqlUnitOfWork

    configure_logging("WARNING", [settings.telegram.token.get_secret_value()])
    api = FakeBotApi()
    app = build_application(settings, request=api)
    async with offline(app) as services:
        await app.start()
        server = webhook_server(app, settings.telegram, updates=False)
        try:
            start_scheduler(app)
            start_heavy_work(app)
            # updates go on from the last run's: the bot ignores an id it has handled before;
            # messages too: the bot edits a card it kept by its id, never a new message's
            async with SqlUnitOfWork(services.sessions, bot_id=services.bot_id) as uow:
                last_update, last_message = await uow.last_update_id(), await uow.last_message_id()
                api.continue_after(last_update)
                api.continue_messages_after(last_message)
            staff = await console_people(services)
            if settings.miniapp.enabled:  # the page, with a development link per person
                try:
                    await server.start()
                except CannotListen as err:
                    raise click.ClickException(str(err)) from None
                address = page_address(server.listen, server.port)
                now = services.clock()
                click.echo(console_links(address, staff, settings, app.bot.token, now))
            people = [Person(app, api, p.telegram_id, p.name, p.locale or "vi") for p in staff]
            await run_console(app, api, people, resumed=last_update + last_message > 0)
        finally:
            await server.stop()
            await stop_background(app)
            await app.stop()


@cli.group()
def db() -> None:
    """Database tasks."""


@db.command("upgrade")
@config_option
def db_upgrade(config: Path | None) -> None:
    """Apply all migrations (run once before starting several instances)."""
    settings = _settings(config)

    async def go() -> None:
        engine = await _open_database(settings, migrate=True)
        await engine.dispose()

    asyncio.run(go())
    click.echo("Database is up to date.")


@cli.group()
def staff() -> None:
    """Manage who may use the bot."""


@staff.command("add")
@config_option
@click.option(
    "--telegram-id", type=TELEGRAM_ID, required=True, help="The person's Telegram user id."
)
@click.option("--name", required=True, help="Their name as colleagues know it.")
@click.option(
    "--role",
    type=click.Choice(["staff", "supervisor", "admin"]),
    default=None,
    help="staff, supervisor or admin (a new person: staff; someone registered: unchanged).",
)
@click.option(
    "--timezone",
    default=None,
    help="Their time zone, e.g. Asia/Ho_Chi_Minh (default: people.default_timezone).",
)
def staff_add(
    config: Path | None, telegram_id: int, name: str, role: str | None, timezone: str | None
) -> None:
    """Register a person, or change the name, and the role and time zone given, of one
    already registered (what is not given stays as it is)."""
    if timezone is not None:
        try:
            ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise click.BadParameter(
                f"unknown time zone {timezone!r}", param_hint="--timezone"
            ) from None
    settings = _settings(config)
    _check_name(name, settings.policy().name_limit)

    async def register(uow: UnitOfWork) -> tuple[Staff, tuple[str, bool] | None]:
        from bot.services import utc_now
        from flows.people import People

        before = await uow.staff.by_telegram_id(telegram_id)
        was = None if before is None else (before.role, before.active)
        person = await People(uow, settings.policy(), utc_now).register(
            telegram_id, name, role, timezone=timezone
        )
        return person, was

    person, was = _in_unit_of_work(settings, register, migrate=True, commit=True)
    who = f"{person.name} (Telegram id {person.telegram_id})"
    if was is None:
        click.echo(f"Registered {who} as {person.role}.")
        return
    old_role, was_active = was
    role_note = f"now {person.role}, was {old_role}" if old_role != person.role else person.role
    back = "; active again (they had been deactivated)" if not was_active else ""
    click.echo(f"Updated {who}: {role_note}{back}.")


def _check_name(name: str, limit: int) -> None:
    """Refuse a name that shows nothing or is too long, as the bot refuses it in chat."""
    from flows.parsing import InvalidInput, clean_text

    try:
        clean_text(name, limit)
    except InvalidInput as err:
        problem = "is empty" if err.key == "error.empty" else f"is over {limit} characters"
        raise click.BadParameter(f"the name {problem}", param_hint="--name") from None


#: How many of the open cases someone leaves behind `staff deactivate` names.
LEFT_LISTED = 20


@staff.command("deactivate")
@config_option
@click.option(
    "--telegram-id", type=TELEGRAM_ID, required=True, help="The person's Telegram user id."
)
def staff_deactivate(config: Path | None, telegram_id: int) -> None:
    """Stop someone from using the bot; their due reminders go to the supervisors, who are
    told of the open cases they leave behind."""
    from flows.errors import Refused

    settings = _settings(config)

    async def deactivate(uow: UnitOfWork) -> tuple[Staff, bool, list[int]]:
        from bot.services import utc_now
        from flows.people import People

        before = await uow.staff.by_telegram_id(telegram_id)
        was_active = before is not None and before.active
        people = People(uow, settings.policy(), utc_now)
        person = await people.deactivate(telegram_id)
        left = [int(c.id or 0) for c in await people.left_behind(person, LEFT_LISTED + 1)]
        return person, was_active, left

    try:
        person, was_active, left = _in_unit_of_work(
            settings, deactivate, migrate=True, commit=True
        )
    except Refused:
        nobody = f"nobody with Telegram id {telegram_id} is registered"
        raise click.ClickException(nobody) from None
    if not was_active:
        click.echo(
            f"{person.name} (Telegram id {telegram_id}) was already deactivated; nothing changed."
        )
        return
    click.echo(f"Deactivated {person.name} (Telegram id {telegram_id}).")
    if left:
        named = ", ".join(f"#{c}" for c in left[:LEFT_LISTED])
        more = " and more" if len(left) > LEFT_LISTED else ""
        click.echo(
            f"Their open cases ({named}{more}) have nobody active on them now; every"
            " supervisor is told, to carry them on."
        )


@staff.command("list")
@config_option
def staff_list(config: Path | None) -> None:
    """List everyone registered — those who work here first, then those who left — with the
    Telegram id `staff add` and `staff deactivate` take, role, time zone and open cases."""
    from bot.shell_lookup import staff_lines

    settings = _settings(config)
    zone = settings.people.default_timezone
    lines = _in_unit_of_work(settings, lambda uow: staff_lines(uow, zone), migrate=False)
    click.echo("\n".join(lines) if lines else "Nobody is registered yet: see `staff add`.")


@cli.group("flows")
def flows_group() -> None:
    """Inspect the procedures."""


def _flows() -> dict[str, Any]:
    from flows.lifecycle import CUSTOMER_LIFE
    from flows.procedures import PROCEDURES

    return {**{p.flow.name: p.flow for p in PROCEDURES.values()}, "customer": CUSTOMER_LIFE}


@flows_group.command("diagram")
@click.argument("name", type=click.Choice([*_flows(), "all"]))
def flows_diagram(name: str) -> None:
    """Print a procedure's state machine as a mermaid stateDiagram-v2 ("all": every one)."""
    flows = _flows()
    for flow_name in flows if name == "all" else [name]:
        if name == "all":
            click.echo(f"%% {flow_name}")
        click.echo(flows[flow_name].mermaid())


@cli.command("report")
@config_option
@click.argument("period", nargs=-1)
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=Path("report.png"),
    show_default=True,
    help="Where to write the chart (PNG).",
)
@click.option("--demo", is_flag=True, help="Report on made-up history in a temporary database.")
@click.option("--locale", type=click.Choice(["vi", "en"]), default=None, help="Language.")
def report_command(
    config: Path | None, period: tuple[str, ...], out: Path, demo: bool, locale: str | None
) -> None:
    """Print a period's key figures and write its weekly chart: [week|month|quarter|FROM TO],
    or a calendar period (this month, last quarter, 11/2026, q3 2026, 2026)."""
    from bot.render import Renderer
    from bot.report_shell import demo_report, write_report
    from bot.services import utc_now
    from flows.parsing import InvalidInput
    from flows.periods import parse_period

    settings, scripts = _settings_and_words(config)
    tz = ZoneInfo(settings.people.default_timezone)
    language = locale or settings.people.default_locale
    now = utc_now()
    try:
        chosen = parse_period(period or (("quarter",) if demo else ()), now.astimezone(tz).date())
    except InvalidInput as err:
        raise click.UsageError(period_refusal(err)) from None

    renderer = Renderer(scripts, settings.policy(), language, tz)

    async def go() -> str:
        if demo:
            return await demo_report(renderer, now, chosen, out)
        engine = await _open_database(settings, migrate=False)
        try:
            return await write_report(engine, renderer, chosen, out)
        finally:
            await engine.dispose()

    click.echo(_writing(out, go))
    click.echo(f"\nChart written to {out}")


@cli.command("export")
@config_option
@click.option(
    "--from",
    "first",
    type=click.DateTime(["%Y-%m-%d"]),
    required=True,
    help="First day, included (in people.default_timezone).",
)
@click.option(
    "--to", "last", type=click.DateTime(["%Y-%m-%d"]), required=True, help="Last day, included."
)
@click.option(
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    required=True,
    help="Folder for cases, events and customers CSV files (created if missing).",
)
@click.option(
    "--locale",
    type=click.Choice(["vi", "en"]),
    default=None,
    help="Language of file, column and code names (default: people.default_locale).",
)
def export_command(
    config: Path | None, first: Any, last: Any, out: Path, locale: str | None
) -> None:
    """Write a period's cases, events and customers as CSV (UTF-8 with BOM), streaming."""
    from bot.services import utc_now
    from flows.parsing import InvalidInput
    from flows.periods import days_between
    from storage.exports import Words, export_all, sheet_path

    settings, scripts = _settings_and_words(config)
    tz = ZoneInfo(settings.people.default_timezone)
    words = Words(
        scripts,
        locale or settings.people.default_locale,
        settings.complaints.currency,
    )
    try:
        period = days_between(first.date(), last.date(), utc_now().astimezone(tz).date())
    except InvalidInput as err:
        raise click.BadParameter(period_refusal(err)) from None

    async def go() -> dict[str, int]:
        engine = await _open_database(settings, migrate=False)
        bar: Any = None

        def start(totals: dict[str, int]) -> None:
            nonlocal bar
            bar = click.progressbar(length=sum(totals.values()) or 1, label="Exporting rows")
            bar.__enter__()

        try:
            return await export_all(
                engine,
                period.first,
                period.last,
                tz,
                out,
                words,
                progress=lambda n: bar.update(n),
                on_totals=start,
            )
        finally:
            if bar is not None:
                bar.__exit__(None, None, None)
            await engine.dispose()

    written = _writing(out, go)
    for name, rows in written.items():
        click.echo(f"{sheet_path(out, name, period.first, period.last, words)}: {rows:,} rows")


@cli.group("customer")
def customer_group() -> None:
    """Customer records."""


@customer_group.command("find")
@config_option
@click.argument("query", nargs=-1, required=True)
def customer_find(config: Path | None, query: tuple[str, ...]) -> None:
    """List the customers a name or phone finds, as /customer finds them, with the number
    `customer forget` takes (forgotten customers are never listed)."""
    from bot.shell_lookup import FOUND, customers_found
    from flows.parsing import InvalidInput

    settings = _settings(config)
    typed = " ".join(query)
    policy = settings.policy()
    try:
        lines, more = _in_unit_of_work(
            settings, lambda uow: customers_found(uow, typed, policy), migrate=False
        )
    except InvalidInput as err:
        raise click.BadParameter(
            f"over {policy.name_limit} characters" if err.key != "error.empty" else "empty",
            param_hint="QUERY",
        ) from None
    if not lines:
        click.echo(f"No customer matches {typed!r}.")
        return
    click.echo("\n".join(lines))
    if more:
        click.echo(f"(the first {FOUND}: type more of the name or phone)")


@customer_group.command("forget")
@config_option
@click.argument("customer_id", type=click.IntRange(1, 2**31 - 1))
@click.option(
    "--by",
    "by",
    type=TELEGRAM_ID,
    default=None,
    help="Telegram id of the supervisor or admin who asked for it (default: the shell).",
)
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def customer_forget(config: Path | None, customer_id: int, by: int | None, yes: bool) -> None:
    """Remove a customer's personal data, keeping anonymous figures; logged on their cases.
    Who the number names is shown before anything is asked or done (`customer find` gives
    the number)."""
    from bot.services import utc_now
    from bot.shell_lookup import customer_named
    from flows.forgetting import ForgetRefused, Forgetting

    settings = _settings(config)
    named = _in_unit_of_work(settings, lambda uow: customer_named(uow, customer_id), migrate=True)
    if named is None:
        raise click.ClickException(f"there is no customer #{customer_id}: see `customer find`")
    line, forgotten = named
    click.echo(line)
    if not (yes or forgotten):
        click.confirm(
            f"Forget customer #{customer_id}: name, phone and notes about them, for good?",
            abort=True,
        )

    def forget(uow: UnitOfWork) -> Coroutine[Any, Any, Forgotten]:
        return Forgetting(uow, settings.policy(), utc_now).forget(customer_id, by)

    try:
        done = _in_unit_of_work(settings, forget, migrate=True, commit=True)
    except ForgetRefused as err:
        raise click.ClickException(str(err)) from None
    if done.already:
        click.echo(f"Customer #{customer_id} was already forgotten; nothing changed.")
        return
    click.echo(
        f"Customer #{customer_id} forgotten: {len(done.cases)} cases marked, "
        f"{done.events_redacted} events and {done.incidents_redacted} incident notes redacted."
    )


def _in_unit_of_work(
    settings: Settings,
    work: Callable[[UnitOfWork], Coroutine[Any, Any, T]],
    *,
    migrate: bool,
    commit: bool = False,
) -> T:
    """Run `work` in one unit of work on the bot's database (migrated to this code's schema
    first with `migrate`; else only read where it already is), committed with `commit`."""
    from storage.engine import session_factory
    from storage.uow import SqlUnitOfWork

    async def go() -> T:
        engine = await _open_database(settings, migrate=migrate)
        try:
            async with SqlUnitOfWork(session_factory(engine)) as uow:
                done = await work(uow)
                if commit:
                    await uow.commit()
                return done
        finally:
            await engine.dispose()

    return asyncio.run(go())


def _one_process_per_sqlite_file(settings: Settings) -> AbstractContextManager[Any]:
    """Lock `<database>.lock` for this process, or refuse to start: a SQLite file serves
    one bot process (its writers queue in that process, and it alone knows where each card
    is). The lock goes with the process, however it ends."""
    import fcntl

    from storage.engine import sqlite_file

    database = sqlite_file(settings.database.url)
    if database is None:
        return contextlib.nullcontext()
    held = Path(f"{database}.lock").open("wb")  # noqa: SIM115 - the caller's `with` closes it
    try:
        fcntl.flock(held, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        held.close()
        click.echo(
            f"Another bot process is already running on {database}: a SQLite database "
            "serves one process. Stop it first, or use PostgreSQL to run several.",
            err=True,
        )
        sys.exit(1)
    return held


async def _open_database(settings: Settings, *, migrate: bool) -> AsyncEngine:
    """An engine on the bot's database at this code's schema: migrated to it (`migrate`), or
    else refused where there is no database yet or its schema is another (reading it from
    the shell must not create or migrate it). A database that cannot be reached, or whose
    schema is not this code's, is said plainly, with what to do."""

    from bot.checks import missing_sqlite_file, reason_hiding_password
    from bot.runtime import DATABASE_TROUBLE
    from storage.engine import create_engine, sqlite_file
    from storage.migrate import SchemaMismatch, make_current

    url = settings.database.url
    if migrate:
        _ensure_data_dir(settings)
    elif missing_sqlite_file(url):
        raise click.ClickException(
            f"there is no database yet ({sqlite_file(url)}): run `python main.py db upgrade`"
        )
    engine = create_engine(url)
    try:
        await make_current(engine, migrate=migrate, currency=settings.complaints.currency)
    except SchemaMismatch as err:
        await engine.dispose()
        raise click.ClickException(str(err)) from None
    except DATABASE_TROUBLE as err:
        await engine.dispose()
        shown = shown_address(url)
        raise click.ClickException(
            f"cannot reach the database {shown} ({reason_hiding_password(url, err)}); check "
            "that it is running and that database.url (or DATABASE_URL) names it"
        ) from None
    return engine


def _reach_database(settings: Settings) -> None:
    """Before starting the bot, make sure its database answers and has this code's schema
    (migrating it if `database.migrate_on_start`), or say plainly why not."""

    async def go() -> None:
        engine = await _open_database(settings, migrate=settings.database.migrate_on_start)
        await engine.dispose()

    asyncio.run(go())


def _writing(out: Path, work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run `work`, which writes to `out`; a place that cannot be written is said plainly."""
    try:
        return asyncio.run(work())
    except OSError as err:
        raise click.ClickException(f"cannot write {out}: {err.strerror or err}") from None


def _ensure_data_dir(settings: Settings) -> None:
    from storage.engine import sqlite_file

    database = sqlite_file(settings.database.url)
    if database is not None:
        folder = database.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise click.ClickException(
                f"cannot create the database's folder {folder}: {err.strerror or err}"
            ) from None


if __name__ == "__main__":
    cli()
