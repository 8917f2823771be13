"""How updates reach the bot: long polling or a webhook, and a clean stop in both.

Both modes acknowledge an update to Telegram only after it has been handled and committed:
polling with `bot.poller.Poller` (the next offset moves past a batch once the batch is
handled), webhook mode with `bot.webhook.WebhookServer` (it answers 200 once the update is
handled). The Application is built without PTB's Updater, which acknowledges on fetching.

On SIGTERM or SIGINT both modes stop the same way: stop taking updates (the poller finishes
and acknowledges its batch, or the web server refuses new requests and finishes those in
hand), finish anything else running (`Application.stop`), stop the reminder tick
(`post_stop` → `bot.app.stop_background`), close the database (`post_shutdown` →
`bot.app.release`). Every update and every reminder commits in one transaction, so a stop
never leaves anything half-written; an update Telegram does not see acknowledged is sent
again and recognised by its id.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
from collections.abc import Sequence
from typing import Protocol

from telegram.error import InvalidToken

from bot.app import build_application
from bot.config import Settings, TelegramSettings
from bot.context import App
from bot.logs import REDACTED
from bot.miniapp.server import routes as miniapp_routes
from bot.poller import Poller
from bot.services import Services
from bot.webhook import CannotListen, WebhookServer

log = logging.getLogger("bot.transport")

#: The update types the handlers use; Telegram sends no others (an edited message only to
#: say that the change is not read).
ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Intake(Protocol):
    """Where updates come from: started after the Application, stopped before it."""

    async def start(self) -> None: ...
    async def stop(self) -> None: ...
    async def wait(self) -> None: ...  # returns or raises only if the intake ends by itself


def serve(settings: Settings) -> None:
    """Take updates from Telegram in the configured mode until SIGTERM or SIGINT."""
    app = build_application(settings)
    telegram = settings.telegram
    if telegram.mode == "webhook":
        asyncio.run(run(app, WebhookIntake(app, telegram)))
        return
    log.info("polling Telegram for updates")
    intake: Intake = Poller(app, ALLOWED_UPDATES)
    if settings.miniapp.enabled:  # the Mini App needs the web server even without a webhook
        intake = WithWebServer(intake, webhook_server(app, telegram, updates=False))
    asyncio.run(run(app, intake))


def webhook_server(app: App, telegram: TelegramSettings, *, updates: bool = True) -> WebhookServer:
    """Create the bot's web server, as configured: the webhook (unless `updates` is false),
    /healthz, and the Mini App when it is enabled."""
    services: Services = app.bot_data.services
    return WebhookServer(
        app,
        services.engine,
        path=telegram.webhook_local_path if updates else None,
        secret=telegram.webhook_secret_token(),
        listen=telegram.webhook_listen,
        port=telegram.webhook_port,
        routes=miniapp_routes(app) if services.settings.miniapp.enabled else (),
        in_hand=app.bot_data.in_hand,  # the Mini App's decisions, finished before a stop
    )


class WithWebServer:
    """Another intake (the poller) with the web server beside it, for the Mini App."""

    def __init__(self, intake: Intake, server: WebhookServer) -> None:
        self.intake = intake
        self.server = server

    async def start(self) -> None:
        """Listen first, so the page answers as soon as updates flow."""
        await self.server.start()
        await self.intake.start()

    async def stop(self) -> None:
        """Stop taking updates, then close the web server."""
        try:
            await self.intake.stop()
        finally:
            await self.server.stop()

    async def wait(self) -> None:
        """End when the intake ends by itself."""
        await self.intake.wait()


class WebhookIntake:
    """The webhook server, registered with Telegram once it listens."""

    def __init__(self, app: App, telegram: TelegramSettings) -> None:
        self.app = app
        self.telegram = telegram
        self.server = webhook_server(app, telegram)

    async def start(self) -> None:
        """Listen, then tell Telegram where to post (keeping what is pending)."""
        await self.server.start()
        await self.app.bot.set_webhook(
            url=self.telegram.webhook_url,
            secret_token=self.telegram.webhook_secret_token(),
            allowed_updates=ALLOWED_UPDATES,
            max_connections=self.telegram.webhook_max_connections,
            drop_pending_updates=False,
        )
        log.info("webhook registered; Telegram posts updates to the configured webhook_url")

    async def stop(self) -> None:
        """Refuse new updates and finish those being handled."""
        await self.server.stop()

    async def wait(self) -> None:
        """A web server does not end by itself."""
        await asyncio.Event().wait()


async def run(
    app: App,
    intake: Intake,
    *,
    stop_signals: Sequence[signal.Signals] = STOP_SIGNALS,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve updates from `intake` until a stop signal (or `stop` is set), then shut down."""
    stop = asyncio.Event() if stop is None else stop
    loop = asyncio.get_running_loop()
    main = asyncio.current_task()

    def on_signal(sig: signal.Signals) -> None:
        if stop.is_set() and main is not None:
            log.warning("%s again: stopping at once", sig.name)
            main.cancel()
            return
        log.info("%s received: stopping", sig.name)
        stop.set()

    for sig in stop_signals:
        loop.add_signal_handler(sig, on_signal, sig)
    try:
        await _serve(app, intake, stop)
    finally:
        for sig in stop_signals:
            loop.remove_signal_handler(sig)


async def _serve(app: App, intake: Intake, stop: asyncio.Event) -> None:
    try:
        await app.initialize()  # calls getMe
        if app.post_init:  # migrate, register admins, set commands, start the reminder tick
            await app.post_init(app)
        await app.start()
        gc.collect()
        gc.freeze()  # what start-up built stays: full collections no longer walk it (p99)
        try:
            await intake.start()
            await _until_stopped(intake, stop)
        finally:
            await intake.stop()  # no new updates from here on; those in hand are finished
            await app.stop()
    finally:
        # post_stop stops the reminder tick; it does nothing if the tick never started, so it
        # also runs when the start failed half-way (post_init starts the tick).
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:  # close the database
            await app.post_shutdown(app)
        log.info("transport stopped")


async def _until_stopped(intake: Intake, stop: asyncio.Event) -> None:
    """Wait for the stop, or for the intake to end by itself (raising what ended it)."""
    stopped = asyncio.ensure_future(stop.wait())
    ended = asyncio.ensure_future(intake.wait())
    try:
        await asyncio.wait({stopped, ended}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in (stopped, ended):
            waiter.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await waiter
    if ended.done() and not ended.cancelled() and ended.exception() is not None:
        raise ended.exception()  # type: ignore[misc]


def describe_failure(err: BaseException, secrets: Sequence[str] = ()) -> str:
    """Say in one line why the bot could not run, never showing a secret."""
    if isinstance(err, InvalidToken):
        log.error("Telegram refused the token")
        return (
            "Telegram refused the token: it is wrong or was revoked. Get the current one from "
            "@BotFather (/token) and set TELEGRAM_BOT_TOKEN."
        )
    if isinstance(err, CannotListen):  # a setting to change: the sentence says which
        log.error("%s", err)
        return str(err)
    log.error("the bot could not run", exc_info=err)  # the log filter redacts secrets
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
