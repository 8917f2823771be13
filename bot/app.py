"""Build the PTB Application: services, handlers, start-up and shutdown."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeChat,
    Update,
)
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import (
    AIORateLimiter,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import callbacks as cb
from bot import handlers
from bot.config import Settings
from bot.context import CONTEXT_TYPES, App, Context
from bot.heavy import HeavyWork
from bot.lean_bot import LeanBot, requests
from bot.miniapp.chat import COMMAND as LOG_COMMAND
from bot.miniapp.chat import add_log_handler, menu_button, page_url, publish_menu_button
from bot.processor import ChatOrderedProcessor
from bot.report_commands import add_report_handlers
from bot.request_copies import Redrawing
from bot.runtime import DATABASE_TROUBLE
from bot.scheduler import Scheduler
from bot.services import Services, utc_now
from bot.wording import load_scripts
from flows.model import Role
from flows.people import People
from flows.scripts import LOCALES
from storage.engine import create_engine, session_factory
from storage.migrate import make_current
from storage.uow import SqlUnitOfWork

log = logging.getLogger("bot.app")

#: A syntactically valid token for runs against the in-process stand-in.
OFFLINE_TOKEN = "100000:OFFLINE-STAND-IN-TOKEN-0000000000"

COMMANDS = (
    "start",
    "new",
    "problem",
    "exit",
    "cases",
    "followups",
    "case",
    "customer",
    "atrisk",
    "approvals",
    "staff",
    "report",
    "export",
    "language",
    "invite",
    "help",
)
#: The messages taken as evidence: each kind of file a case keeps (`FILE_KINDS`).
EVIDENCE = (
    filters.PHOTO
    | filters.Document.ALL
    | filters.VOICE
    | filters.AUDIO
    | filters.VIDEO
    | filters.VIDEO_NOTE
)

#: Commands whose description is not under `command.<name>` in the scripts.
COMMAND_WORDING = {LOG_COMMAND: "miniapp.command"}


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    clock: Callable[[], datetime] = utc_now,
) -> App:
    """Create the application; `request` swaps Telegram for a stand-in. It has no PTB
    Updater: updates come through `bot.transport` (our poller or webhook server)."""
    telegram = settings.telegram
    # Paces every call within Telegram's limits. It does not retry flood errors itself:
    # replies retry once in Delivery.send, reminders are put back in the queue.
    # 1 call per 1/30 s rather than 30 per second: the same limit, without an opening burst.
    pace = 1 / telegram.calls_per_second
    limiter = AIORateLimiter(overall_max_rate=1, overall_time_period=pace, max_retries=0)
    calls, polls = requests(request)
    bot = LeanBot(
        telegram.token.get_secret_value() or OFFLINE_TOKEN,
        base_url=telegram.base_url,
        base_file_url=telegram.base_file_url,
        request=calls,
        get_updates_request=polls,
        rate_limiter=limiter,  # type: ignore[arg-type]
    )
    builder = (
        ApplicationBuilder()
        .bot(bot)
        .context_types(CONTEXT_TYPES)
        # One chat's updates in order, different chats side by side (bot/processor.py).
        .concurrent_updates(ChatOrderedProcessor(concurrency(settings)))
        .updater(None)
        .post_init(_on_start)
        .post_stop(stop_background)
        .post_shutdown(release)
    )
    app = builder.build()
    scripts = load_scripts(settings)
    engine = create_engine(settings.database.url)
    app.bot_data.services = Services(
        settings=settings,
        scripts=scripts,
        engine=engine,
        sessions=session_factory(engine),
        clock=clock,
    )
    bot.note_sends(app.bot_data.services.screens.sent)  # what each chat shows last
    app.bot_data.heavy = HeavyWork(app.bot, app.bot_data.services)
    app.bot_data.redrawing = Redrawing(app.bot, app.bot_data.services)
    add_handlers(app)
    add_report_handlers(app)
    add_log_handler(app)
    return app


def concurrency(settings: Settings) -> int:
    """How many chats are served at once, on either engine. On SQLite the writers of this
    process queue for one lock in the event loop (`storage.inloop`), never in SQLite's busy
    timeout, and readers do not wait for them (WAL)."""
    return settings.telegram.concurrent_updates


def add_handlers(app: App) -> None:
    """Register every handler; order matters: commands, then messages, then buttons."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler("start", handlers.start, filters=private))
    for name, act in handlers.COMMANDS.items():
        app.add_handler(CommandHandler(name, handlers.command(act), filters=private))
    app.add_handler(MessageHandler(private & filters.COMMAND, handlers.unknown_command))
    app.add_handler(MessageHandler(private & filters.TEXT, handlers.text))
    app.add_handler(MessageHandler(private & EVIDENCE, handlers.evidence))
    app.add_handler(MessageHandler(private & filters.CONTACT, handlers.contact))
    app.add_handler(MessageHandler(private, handlers.unsupported))
    edits = filters.ChatType.PRIVATE & filters.UpdateType.EDITED_MESSAGE
    app.add_handler(MessageHandler(edits, handlers.edited))
    # In a group, a command meant for the bot is pointed to the private chat; in a channel, and
    # on any update without a sender (a channel's post, a membership change, a poll, a
    # boost), the bot says nothing: no handler takes it.
    groups = filters.ChatType.GROUPS & filters.UpdateType.MESSAGE
    app.add_handler(MessageHandler(groups, handlers.group_message))
    app.add_handler(CallbackQueryHandler(handlers.button))
    # Once the language is chosen, or someone starts (or registers by an invite), with what
    # the handlers above committed: that person's chat's menus are set in their language.
    app.add_handler(CallbackQueryHandler(_chat_menus, pattern=r"^l:"), CHAT_MENUS)
    app.add_handler(CommandHandler("start", _chat_menus, filters=private), CHAT_MENUS)
    app.add_error_handler(_on_error)


#: The handler group that sets a person's chat menus, once the update's own handler is done.
CHAT_MENUS = 1


async def _chat_menus(update: Update, context: Context) -> None:
    """Describe the command menu and label the menu button of a person's private chat in the
    language they chose, not their Telegram app's or the default one (the menus published
    at start follow those): after /start (registering by an invite too) and a language
    picked."""
    user = update.effective_user
    if user is None:
        return
    pressed = cb.decode(update.callback_query.data or "") if update.callback_query else None
    services = context.bot_data.services
    try:
        async with SqlUnitOfWork(services.sessions) as uow:
            person = await uow.staff.by_telegram_id(user.id)
    except DATABASE_TROUBLE:  # the update's own handler has said so already
        return
    if person is None or not person.active or person.locale is None:
        return  # a stranger
    if pressed is not None and (pressed.route != "language" or person.locale != pressed.arg):
        return  # the choice did not stick
    try:
        await publish_chat_menus(context.bot, services, user.id, person.locale)
    except TelegramError as err:  # the menus are a convenience
        log.warning("could not set a chat's menus: %s", type(err).__name__)


async def _on_start(app: App) -> None:
    await prepare(app)
    start_scheduler(app)
    start_heavy_work(app)


def start_heavy_work(app: App) -> None:
    """Look for queued reports and exports now and at every tick (leftovers of a restart)."""
    data = app.bot_data
    data.heavy_stop = stopping = asyncio.Event()
    interval = data.services.settings.reminders.tick_seconds
    data.heavy_task = asyncio.create_task(
        data.heavy.run(interval, stopping), name="heavy-work-loop"
    )


def start_scheduler(app: App) -> Scheduler | None:
    """Start the reminder tick in the background, if reminders are enabled."""
    data = app.bot_data
    if not data.services.settings.reminders.enabled:
        return None
    data.scheduler = scheduler = Scheduler(app.bot, data.services)
    data.scheduler_task = asyncio.create_task(scheduler.run(), name="reminders")
    return scheduler


async def stop_background(app: App) -> None:
    """Stop the reminder tick and the queued work, each after what it is doing now."""
    await stop_scheduler(app)
    data = app.bot_data
    stopping, task = data.heavy_stop, data.heavy_task
    data.heavy_stop = data.heavy_task = None
    if stopping is not None and task is not None:
        stopping.set()
        await task
    await data.heavy.wait()
    await data.redrawing.wait()


async def stop_scheduler(app: App) -> None:
    """Stop the reminder tick and wait for the tick in progress to finish."""
    data = app.bot_data
    scheduler, task = data.scheduler, data.scheduler_task
    data.scheduler = data.scheduler_task = None
    if scheduler is not None and task is not None:
        scheduler.stop()
        await task


async def prepare(app: App) -> None:
    """Migrate the database and register the configured admins (run_* call this itself)."""
    services = app.bot_data.services
    settings = services.settings
    await make_current(
        services.engine, settings.database.migrate_on_start, settings.complaints.currency
    )
    await bootstrap_admins(services)
    try:
        await publish_commands(app, services)
        await publish_menu_button(app, services)
    except Exception as err:  # commands are a convenience; never block start-up
        log.warning("could not set commands: %s", type(err).__name__)


def commands_in(services: Services, locale: str) -> list[BotCommand]:
    """The command menu, described in `locale`."""
    names = (*COMMANDS, LOG_COMMAND) if page_url(services) else COMMANDS
    return [
        BotCommand(c, services.scripts.get(locale, COMMAND_WORDING.get(c, f"command.{c}")))
        for c in names
    ]


async def publish_commands(app: App, services: Services) -> None:
    """Show the command menu in Telegram, described in each language."""
    default = services.settings.people.default_locale
    for language in (None, *LOCALES):
        await app.bot.set_my_commands(
            commands_in(services, language or default), language_code=language
        )


async def publish_chat_menus(bot: Bot, services: Services, chat_id: int, locale: str) -> None:
    """The command menu and the menu button of one private chat, in `locale`."""
    await bot.set_my_commands(commands_in(services, locale), scope=BotCommandScopeChat(chat_id))
    button = menu_button(services, locale)
    if button is not None:
        await bot.set_chat_menu_button(chat_id=chat_id, menu_button=button)


async def bootstrap_admins(services: Services) -> None:
    """Register the admins named in the configuration.

    Two instances starting together may both try; the one that loses the race finds the
    admins registered when it looks again.
    """
    admins = services.settings.people.admins
    if not admins:
        return
    for attempt in range(2):
        try:
            await _register_admins(services, admins)
            return
        except IntegrityError:
            if attempt:
                raise
            log.info("another instance registered the admins at the same moment; looking again")


async def _register_admins(services: Services, admins: Sequence[int]) -> None:
    async with SqlUnitOfWork(services.sessions) as uow:
        people = People(uow, services.policy, services.clock)
        for telegram_id in admins:
            known = await uow.staff.by_telegram_id(telegram_id)
            if known is None or known.role != Role.admin:
                default = services.settings.people.default_locale
                name = (
                    known.name
                    if known
                    else services.scripts.get(default, "people.admin_name", id=telegram_id)
                )
                await people.register(telegram_id, name, Role.admin)
        await uow.commit()


async def release(app: App) -> None:
    """Write down where the last cards went, then close the database connections."""
    services = app.bot_data.services
    try:
        async with SqlUnitOfWork(services.sessions, cards=services.cards) as uow:
            await uow.write_cards()
            await uow.commit()
    except Exception as err:  # only the in-place editing of those cards is lost
        log.warning("could not note where the last cards went: %s", type(err).__name__)
    await services.engine.dispose()


@asynccontextmanager
async def offline(app: App) -> AsyncIterator[Services]:
    """Run an application outside run_polling (console, tests): prepare, then release."""
    async with app:
        await prepare(app)
        try:
            yield app.bot_data.services
        finally:
            await stop_background(app)
            await release(app)


async def _on_error(update: object, context: Context) -> None:
    """Log an unexpected failure and tell the person to try again: in their private chat
    (a button pressed in a group is answered there too), never in a group or a channel,
    and to nobody for an update without a sender."""
    log.error("unhandled error: %s", type(context.error).__name__, exc_info=context.error)
    if not isinstance(update, Update) or update.effective_user is None:
        return
    chat, user = update.effective_chat, update.effective_user
    private = chat is not None and chat.type == ChatType.PRIVATE
    if private or update.callback_query is not None:
        renderer = context.bot_data.services.renderer(None, user)
        try:
            await context.bot.send_message(user.id, renderer.t("error.try_again"))
        except Exception as err:
            log.warning("could not report the error to the user: %s", type(err).__name__)
