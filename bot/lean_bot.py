"""The bot object: PTB's `ExtBot`, plus the two calls this bot makes most, lighter.

PTB parses Telegram's answer to every call into objects: a `Message` with its keyboard and
its text's entities, several hundred attribute writes. The answer to sending or editing a
card is read for one number at most (where the new message is), so `send_html` and
`edit_html` skip that parsing — about 0.2 ms of every update's 2.5 (benchmarks/README.md).
The request, the rate limiter, the errors raised (`BadRequest`, `Forbidden`, `RetryAfter`)
are PTB's own: both go through `ExtBot`'s request path like any other call.
"""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.ext import ExtBot
from telegram.request import BaseRequest, HTTPXRequest

#: PTB's own default pool for a bot's calls (`ApplicationBuilder`): many chats at once.
CONNECTIONS = 256


class LeanBot(ExtBot[None]):
    """`ExtBot`, with HTML messages sent and edited without parsing Telegram's answer."""

    async def send_html(
        self, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
    ) -> int:
        """Send an HTML message with no link preview; return the new message's id."""
        sent = await self._post("sendMessage", _html(chat_id, text, markup))
        return int(sent["message_id"])

    async def edit_html(
        self, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        """Replace a message's text and buttons (HTML, no link preview)."""
        await self._post(
            "editMessageText", {**_html(chat_id, text, markup), "message_id": message_id}
        )


def _html(chat_id: int, text: str, markup: InlineKeyboardMarkup | None) -> dict[str, Any]:
    return {
        "chat_id": chat_id,
        "text": text,
        "parse_mode": ParseMode.HTML,
        "reply_markup": markup,  # dropped by PTB when None, like every unset parameter
        "link_preview_options": {"is_disabled": True},
    }


def requests(request: BaseRequest | None) -> tuple[BaseRequest, BaseRequest]:
    """The requests for the bot's calls and for getUpdates: the stand-in's, or PTB's
    defaults as `ApplicationBuilder` would make them."""
    if request is not None:
        return request, request
    return HTTPXRequest(connection_pool_size=CONNECTIONS), HTTPXRequest()
