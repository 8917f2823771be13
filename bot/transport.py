"""How updates reach the bot: long polling or a webhook, and a clean stop in both.

Polling uses PTB's `run_polling`. Webhook mode runs `bot.webhook.WebhookServer` next to an
Application built without an Updater, and registers the webhook with Telegram at every start.

On SIGTERM or SIGINT both modes stop the same way: stop taking updates (the poller stops, or
the web server closes), finish the updates already taken (`Application.stop`), stop the
reminder tick (`post_stop` → `bot.app.stop_scheduler`), close the database (`post_shutdown` →
`bot.app.release`). Every update and every reminder commits in one transaction, so a stop
never leaves anything half-written; an update Telegram does not see acknowledged is sent again
and recognised by its id.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Sequence
from typing import Any

from telegram.error import InvalidToken
from telegram.ext import Application

from bot.app import build_application
from bot.config import Settings, TelegramSettings
from bot.logs import REDACTED
from bot.services import SERVICES_KEY, Services
from bot.webhook import WebhookServer

log = logging.getLogger("bot.transport")

#: The update types the handlers use; Telegram sends no others.
ALLOWED_UPDATES = ["message", "callback_query"]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]


def serve(settings: Settings) -> None:
    """Take updates from Telegram in the configured mode until SIGTERM or SIGINT."""
    if settings.telegram.mode == "webhook":
        asyncio.run(run_webhook(build_application(settings, updater=False), settings.telegram))
        return
    app = build_application(settings)
    log.info("polling Telegram for updates")
    app.run_polling(allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)


def webhook_server(app: AnyApplication, telegram: TelegramSettings) -> WebhookServer:
    """Create the webhook server for an application, as configured."""
    services: Services = app.bot_data[SERVICES_KEY]
    return WebhookServer(
        app,
        services.engine,
        path=telegram.webhook_local_path,
        secret=telegram.webhook_secret_token(),
        listen=telegram.webhook_listen,
        port=telegram.webhook_port,
    )


async def run_webhook(
    app: AnyApplication,
    telegram: TelegramSettings,
    *,
    stop_signals: Sequence[signal.Signals] = STOP_SIGNALS,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve the webhook until a stop signal (or `stop` is set), then shut down cleanly."""
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
        await _serve_webhook(app, telegram, stop)
    finally:
        for sig in stop_signals:
            loop.remove_signal_handler(sig)


async def _serve_webhook(
    app: AnyApplication, telegram: TelegramSettings, stop: asyncio.Event
) -> None:
    server = webhook_server(app, telegram)
    try:
        await app.initialize()  # calls getMe
        if app.post_init:  # migrate, register admins, set commands, start the reminder tick
            await app.post_init(app)
        await app.start()
        try:
            await server.start()
            await app.bot.set_webhook(
                url=telegram.webhook_url,
                secret_token=telegram.webhook_secret_token(),
                allowed_updates=ALLOWED_UPDATES,
                max_connections=telegram.webhook_max_connections,
                drop_pending_updates=False,
            )
            log.info("webhook registered; Telegram posts updates to the configured webhook_url")
            await stop.wait()
        finally:
            await server.stop()  # no new updates from here on
            await app.stop()  # finish every update already queued or running
    finally:
        # post_stop stops the reminder tick; it does nothing if the tick never started, so it
        # also runs when the start failed half-way (post_init starts the tick).
        if app.post_stop:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown:  # close the database
            await app.post_shutdown(app)
        log.info("webhook transport stopped")


def describe_failure(err: BaseException, secrets: Sequence[str] = ()) -> str:
    """Say in one line why the bot could not run, never showing a secret."""
    if isinstance(err, InvalidToken):
        log.error("Telegram refused the token")
        return (
            "Telegram refused the token: it is wrong or was revoked. Get the current one from "
            "@BotFather (/token) and set TELEGRAM_BOT_TOKEN."
        )
    log.error("the bot could not run", exc_info=err)  # the log filter redacts secrets
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return f"{type(err).__name__}: {text}" if text else type(err).__name__
