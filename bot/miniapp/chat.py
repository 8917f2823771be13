"""How the chat opens the Mini App: `/log` and the chat's menu button."""

from __future__ import annotations

import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.ext import ApplicationHandlerStop, CommandHandler, filters

from bot.context import App, Context
from bot.delivery import Delivery
from bot.render import Rendered
from bot.runtime import Work, run
from bot.services import Services
from flows.model import Staff
from flows.outcomes import Outcome

log = logging.getLogger("bot.miniapp")

COMMAND = "log"
#: Handled ahead of the application's own handlers (group 0), like /report.
HANDLER_GROUP = -1


def page_url(services: Services) -> str | None:
    """The page's public address, if the Mini App is on and has one."""
    miniapp = services.settings.miniapp
    return miniapp.url if miniapp.enabled and miniapp.url else None


async def open_log(update: Update, context: Context) -> None:
    """Answer /log with a button that opens the case log inside Telegram."""
    asked: list[Staff] = []

    async def act(work: Work) -> list[Outcome]:
        asked.append(work.actor)
        return []

    await run(update, context, act)  # refuses strangers as every command does
    if asked and update.effective_chat is not None:
        services = context.bot_data.services
        r = services.renderer(asked[0], update.effective_user)
        url = page_url(services)
        if url is None:
            text, markup = r.t("miniapp.not_set_up"), None
        else:
            who = "overseer" if asked[0].oversees else "staff"
            text = r.t(f"miniapp.open_text_{who}")
            button = InlineKeyboardButton(r.t("miniapp.open_button"), web_app=WebAppInfo(url))
            markup = InlineKeyboardMarkup([[button]])
        # Sent as every answer is: retried after a flood wait, and noted as the chat's
        # latest message, so a card above it is sent anew below rather than edited unseen.
        await Delivery.answering(update, context, services, r).send(Rendered(text, markup))
    raise ApplicationHandlerStop  # the catch-all "unknown command" must not answer as well


def add_log_handler(app: App) -> None:
    """Register /log for private chats."""
    private = filters.ChatType.PRIVATE & filters.UpdateType.MESSAGE
    app.add_handler(CommandHandler(COMMAND, open_log, filters=private), HANDLER_GROUP)


def menu_button(services: Services, locale: str) -> MenuButtonWebApp | None:
    """The menu button that opens the case log, labelled in `locale`; None without an
    address for the Mini App."""
    url = page_url(services)
    if url is None:
        return None
    return MenuButtonWebApp(services.scripts.get(locale, "miniapp.menu_button"), WebAppInfo(url))


async def publish_menu_button(app: App, services: Services) -> None:
    """Make the chat's menu button open the case log, when the Mini App has an address."""
    button = menu_button(services, services.settings.people.default_locale)
    if button is None:
        return
    await app.bot.set_chat_menu_button(menu_button=button)
    log.info("menu button opens the case log")
