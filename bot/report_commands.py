"""/report and /export for supervisors: the key figures, a chart, and CSV files.

The runtime checks who is asking and reads the period (`run`, one short unit of work);
the figures are then read on a snapshot that never holds the write lock
(`storage.reading`), so a long read does not stall the people working cases.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import InputFile, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CommandHandler,
    filters,
)

from bot.context import App, Context
from bot.delivery import Delivery
from bot.lean_bot import LeanBot
from bot.render import Rendered, Renderer
from bot.render.reports import ReportView
from bot.runtime import DATABASE_TROUBLE, Work, run
from bot.services import Services
from flows.errors import Refused
from flows.formats import Count
from flows.model import Reminder, Staff
from flows.outcomes import Outcome, Say
from flows.parsing import InvalidInput
from flows.periods import Period, parse_period
from flows.reminders import Kind
from flows.reports import Figures, compute
from storage.exports import EXPORTS, Words, export_all, sheet_path
from storage.reading import read_snapshot
from storage.report_queries import gather

log = logging.getLogger("bot.report_commands")

#: Telegram refuses documents a bot uploads above 50 MB.
DOCUMENT_LIMIT_MB = 50


# ------------------------------------------------------------------------ computing


async def figures_for(engine: AsyncEngine, period: Period, tz: ZoneInfo) -> Figures:
    """Read the period's aggregates on a snapshot and compute its figures."""
    start, end = period.bounds(tz)
    async with read_snapshot(engine) as connection:
        rows = await gather(connection, start, end, period.week_bounds(tz))
    return compute(period, rows)


# ------------------------------------------------------------------------ handlers


async def _queue(update: Update, context: Context, command: str) -> None:
    """Check the person may see figures, read the period and queue the work, in one commit.

    The work itself runs off the staff's lane (`bot.heavy`): a long export never holds up
    anyone's updates, and a request committed before a crash is worked out after it.
    """
    args = list(context.args or [])

    async def act(work: Work) -> list[Outcome]:
        if not work.actor.oversees:
            raise Refused("report.supervisors_only")
        now = work.services.clock()
        today = now.astimezone(work.services.tz_for(work.actor)).date()
        try:
            period = parse_period(args, today)
        except InvalidInput as err:
            key = f"{command}.usage" if err.key == "report.usage" else err.key
            raise InvalidInput(key, **err.params) from None
        work.uow.reminders.add(
            Reminder(
                kind=command,
                due_at=now,
                recipient_id=work.actor.id,
                created_at=now,
                payload={"first": period.first.isoformat(), "last": period.last.isoformat()},
            )
        )
        return [Say(f"{command}.working", {"first": period.first, "last": period.last})]

    await run(update, context, act)
    context.bot_data.heavy.kick()


async def send_report(bot: LeanBot, services: Services, person: Staff, period: Period) -> None:
    """Work out a period's figures and send them with the weekly chart."""
    renderer = services.renderer(person)
    delivery = Delivery(bot, services, renderer, person.telegram_id)
    view = ReportView(renderer)
    try:
        figures = await figures_for(services.engine, period, services.tz_for(person))
    except DATABASE_TROUBLE as err:
        log.warning("report failed: %s", type(err).__name__)
        await delivery.send(Rendered(renderer.t("report.failed")))
        return
    await delivery.send(Rendered(view.text(figures)))
    chart = await asyncio.to_thread(view.chart, figures)
    caption = renderer.t(
        "report.chart_caption",
        first=renderer.day(period.first),
        last=renderer.day(period.last),
    )
    try:
        await bot.send_photo(
            person.telegram_id,
            photo=InputFile(chart, filename=f"report_{period.first}_{period.last}.png"),
            caption=caption,
            parse_mode=ParseMode.HTML,
        )
    except TelegramError as err:
        log.warning("could not send the chart: %s", type(err).__name__)


async def send_export(bot: LeanBot, services: Services, person: Staff, period: Period) -> None:
    """Write the period's three CSV files and send them as documents."""
    renderer = services.renderer(person)
    delivery = Delivery(bot, services, renderer, person.telegram_id)
    tz = services.tz_for(person)
    folder = Path(await asyncio.to_thread(tempfile.mkdtemp, prefix="cs-export-"))
    try:
        words = Words(services.scripts, renderer.locale, services.policy.currency)
        written = await export_all(services.engine, period.first, period.last, tz, folder, words)
        sent = 0
        for name in EXPORTS:
            path = sheet_path(folder, name, period.first, period.last, words)
            sent += await _send_sheet(bot, delivery, renderer, path, name, written[name], period)
        await delivery.send(Rendered(_sent(renderer, sent, tz)))
    except DATABASE_TROUBLE as err:
        log.warning("export failed: %s", type(err).__name__)
        await delivery.send(Rendered(renderer.t("export.failed")))
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)


def _sent(renderer: Renderer, sent: int, tz: ZoneInfo) -> str:
    """Say how many of the export's files went (those too large were each said already),
    and in which time zone their times are."""
    key = "export.done" if sent == len(EXPORTS) else "export.done_some" if sent else "export.none"
    return renderer.t(key, files=Count(sent), total=Count(len(EXPORTS)), zone=tz)


async def _send_sheet(
    bot: LeanBot,
    delivery: Delivery,
    renderer: Renderer,
    path: Path,
    name: str,
    rows: int,
    period: Period,
) -> int:
    """Send one CSV file as a document; return 1 if it went, 0 if not."""
    size = (await asyncio.to_thread(path.stat)).st_size
    days = {"first": renderer.day(period.first), "last": renderer.day(period.last)}
    if size > DOCUMENT_LIMIT_MB * 1024 * 1024:
        text = renderer.t(
            "export.too_big",
            name=path.name,
            size=round(size / 1024 / 1024),
            limit=DOCUMENT_LIMIT_MB,
            first=period.first.isoformat(),
            last=period.last.isoformat(),
        )
        await delivery.send(Rendered(text))
        return 0
    caption = renderer.t(
        "export.caption",
        name=renderer.t(f"export.sheet.{name}"),
        rows=renderer.number(rows),
        **days,
    )
    try:
        await bot.send_document(
            delivery.chat_id,
            document=path,
            filename=path.name,
            caption=caption,
            parse_mode=ParseMode.HTML,
        )
    except TelegramError as err:
        log.warning("could not send %s: %s", name, type(err).__name__)
        return 0
    return 1


async def _report_command(update: Update, context: Context) -> None:
    await _queue(update, context, Kind.report)
    raise ApplicationHandlerStop  # the catch-all "unknown command" must not answer as well


async def _export_command(update: Update, context: Context) -> None:
    await _queue(update, context, Kind.export)
    raise ApplicationHandlerStop


#: Handled before the application's own handlers (group 0), whatever order they were added in.
HANDLER_GROUP = -1


def add_report_handlers(app: App) -> None:
    """Register /report and /export for private chats.

    They run in their own group ahead of the application's handlers and stop there, so
    this may be called before or after `bot.app.add_handlers`.
    """
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("report", _report_command, filters=private), HANDLER_GROUP)
    app.add_handler(CommandHandler("export", _export_command, filters=private), HANDLER_GROUP)
