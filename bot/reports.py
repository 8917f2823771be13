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
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Bot, InputFile, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import (
    ApplicationHandlerStop,
    CommandHandler,
    filters,
)

from bot.context import App, Context
from bot.delivery import Delivery
from bot.render import Rendered, Renderer, Safe
from bot.runtime import Work, run
from bot.services import Services
from flows.errors import Refused
from flows.model import Reminder, Staff
from flows.outcomes import Outcome, Say
from flows.parsing import InvalidInput
from flows.reminders import Kind
from flows.reports import Figures, Period, Share, compute, duration_parts, parse_period
from storage.exports import EXPORTS, Words, export_all, sheet_path
from storage.reading import read_snapshot
from storage.report_queries import gather

if TYPE_CHECKING:
    from bot.charts import ChartText

log = logging.getLogger("bot.reports")

#: Telegram refuses documents a bot uploads above 50 MB.
DOCUMENT_LIMIT_MB = 50
COMMANDS = ("report", "export")


# ------------------------------------------------------------------------ rendering


class ReportView:
    """Draw figures in one reader's language: numbers, shares, durations, labels."""

    def __init__(self, renderer: Renderer) -> None:
        self.r = renderer

    def number(self, value: int) -> str:
        """Group thousands the reader's way: 1.234.567 (vi) or 1,234,567 (en)."""
        return self.r.fmt.number(value)

    def percent(self, ratio: float) -> str:
        """Write a ratio as a percentage with one decimal: 12,5% (vi) or 12.5% (en)."""
        return self.r.fmt.percent(ratio)

    def share(self, share: Share) -> str:
        """Write `part of whole (percent)`, or a dash when there is no whole."""
        if share.ratio is None:
            return self.r.t("report.no_share")
        return self.r.t(
            "report.share",
            part=self.number(share.part),
            whole=self.number(share.whole),
            percent=self.percent(share.ratio),
        )

    def duration(self, minutes: int) -> str:
        """Write a duration the way people say it: 3 d 4 h, 2 h 5 min, 40 min."""
        days, hours, mins = duration_parts(minutes)
        if days:
            return self.r.t("report.duration.days", days=days, hours=hours)
        if hours:
            return self.r.t("report.duration.hours", hours=hours, minutes=mins)
        return self.r.t("report.duration.minutes", minutes=mins)

    def label(self, key: str, fallback: str) -> str:
        """Look up a label, or show the code itself if there is no wording for it."""
        return self.r.t(key) if self.r.scripts.has(self.r.locale, key) else fallback

    def text(self, figures: Figures) -> str:
        """The whole report as HTML text."""
        t, period = self.r.t, figures.period
        lines = [
            t(
                "report.title",
                first=self.r.day(period.first),
                last=self.r.day(period.last),
                days=period.days,
            ),
            "",
            t("report.cases_heading"),
            t(
                "report.opened_closed",
                opened=self.number(figures.opened),
                closed=self.number(figures.closed),
            ),
        ]
        if figures.median_minutes is not None and figures.p90_minutes is not None:
            lines.append(
                t(
                    "report.resolution",
                    count=self.number(figures.resolved),
                    median=self.duration(figures.median_minutes),
                    p90=self.duration(figures.p90_minutes),
                )
            )
        else:
            lines.append(t("report.no_resolution"))
        lines += [
            "",
            t("report.ended_heading", count=self.number(figures.satisfied.whole)),
            t("report.satisfied", share=Safe(self.share(figures.satisfied))),
            t("report.reopened", share=Safe(self.share(figures.reopened))),
            t("report.compliance", share=Safe(self.share(figures.compliant))),
            t(
                "report.overdue",
                period=self.number(figures.overdue_in_period),
                now=self.number(figures.overdue_now),
            ),
            "",
            *self._compensation(figures),
            "",
            *self._reviews(figures),
            "",
            *self._defections(figures),
            "",
            *self._check_ins(figures),
        ]
        return "\n".join(lines)

    def _compensation(self, figures: Figures) -> list[str]:
        t = self.r.t
        lines = [t("report.compensation_heading", total=self.r.money(figures.compensation_total))]
        lines += [
            t(
                "report.compensation_line",
                type=Safe(self.label(f"option.{c.type}", c.type)),
                count=self.number(c.count),
                total=self.r.money(c.total),
            )
            for c in figures.compensation
        ] or [t("report.no_compensation")]
        return lines

    def _reviews(self, figures: Figures) -> list[str]:
        t = self.r.t
        lines = [t("report.reviews_heading")]
        if not figures.rungs:
            return [*lines, t("report.no_reviews")]
        lines.append(
            t(
                "report.reviews",
                retained=self.number(figures.reviews.get("retained", 0)),
                terminated=self.number(figures.reviews.get("terminated", 0)),
            )
        )
        lines += [
            t(
                "report.rung_line",
                rung=Safe(self.label(f"step.{rung.rung}.title", rung.rung)),
                outcome=Safe(self.label(f"report.outcome.{rung.outcome}", rung.outcome)),
                count=self.number(rung.count),
            )
            for rung in figures.rungs
        ]
        return lines

    def _check_ins(self, figures: Figures) -> list[str]:
        t, counts = self.r.t, figures.check_ins
        if not sum(counts.values()):
            return [t("report.check_ins_heading"), t("report.no_check_ins")]
        return [
            t("report.check_ins_heading"),
            t(
                "report.check_ins",
                count=self.number(sum(counts.values())),
                **{standing: self.number(n) for standing, n in counts.items()},
            ),
        ]

    def _defections(self, figures: Figures) -> list[str]:
        t = self.r.t
        lines = [
            t("report.defections_heading"),
            t(
                "report.exits",
                defected=self.number(figures.exits.get("defected", 0)),
                won_back=self.number(figures.exits.get("won_back", 0)),
            ),
        ]
        if figures.reasons:
            reasons = ", ".join(
                f"{self.label(f'option.{reason}', reason)} {self.number(count)}"
                for reason, count in figures.reasons
            )
            lines.append(t("report.reasons", reasons=Safe(reasons)))
        else:
            lines.append(t("report.no_reasons"))
        lines.append(
            t(
                "report.value_lost",
                count=self.number(figures.lost_customers),
                value=self.r.money(figures.value_lost),
            )
        )
        rate = figures.defection_rate
        lines.append(
            t(
                "report.defection_rate",
                rate=self.percent(rate.ratio) if rate.ratio is not None else t("report.no_share"),
                lost=self.number(rate.part),
                active=self.number(rate.whole),
            )
        )
        return lines

    def chart_words(self, period: Period) -> ChartText:
        """The chart's title, legend and axis labels."""
        from bot.charts import ChartText

        t = self.r.t
        return ChartText(
            title=t("report.chart_title"),
            subtitle=f"{self.r.day(period.first)} – {self.r.day(period.last)}",
            opened=t("report.chart_opened"),
            closed=t("report.chart_closed"),
            y_label=t("report.chart_cases"),
            x_label=t("report.chart_week"),
            partial_note=t("report.chart_partial"),
        )

    def week_labels(self, starts: Sequence[date]) -> list[str]:
        """Short day labels for the weeks: 24/11 (vi) or 11-24 (en)."""
        fmt = "%d/%m" if self.r.locale == "vi" else "%m-%d"
        return [start.strftime(fmt) for start in starts]

    def chart(self, figures: Figures) -> bytes:
        """Draw the weekly chart as PNG bytes (matplotlib is loaded on first use)."""
        from bot.charts import weekly_chart

        return weekly_chart(
            self.week_labels([w.start for w in figures.weeks]),
            [w.opened for w in figures.weeks],
            [w.closed for w in figures.weeks],
            self.chart_words(figures.period),
            [w.partial for w in figures.weeks],
        )


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


async def send_report(bot: Bot, services: Services, person: Staff, period: Period) -> None:
    """Work out a period's figures and send them with the weekly chart."""
    renderer = services.renderer(person)
    delivery = Delivery(bot, services, renderer, person.telegram_id)
    view = ReportView(renderer)
    try:
        figures = await figures_for(services.engine, period, services.tz_for(person))
    except (OperationalError, DBAPIError, OSError) as err:
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


async def send_export(bot: Bot, services: Services, person: Staff, period: Period) -> None:
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
        await delivery.send(Rendered(renderer.t("export.done", files=sent, timezone=tz.key)))
    except (OperationalError, DBAPIError, OSError) as err:
        log.warning("export failed: %s", type(err).__name__)
        await delivery.send(Rendered(renderer.t("export.failed")))
    finally:
        await asyncio.to_thread(shutil.rmtree, folder, True)


async def _send_sheet(
    bot: Bot,
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
        rows=ReportView(renderer).number(rows),
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
