"""The bot object: PTB's `ExtBot`, with the two calls this bot makes most made lighter,
and every message it sends made known.

PTB parses Telegram's answer to every call into objects: a `Message` with its keyboard and
its text's entities, several hundred attribute writes. The answer to sending or editing a
card is read for one number at most (where the new message is), so `send_html` and
`edit_html` skip that parsing — about 0.2 ms of every update's 2.5 (benchmarks/README.md).
Their keyboards are this bot's own plain buttons (`bot.render.keyboards`), written out
directly: PTB's objects and their generic `to_dict` cost 0.1 ms for a card's dozen buttons.
The request, the rate limiter, the errors raised (`BadRequest`, `Forbidden`, `RetryAfter`)
are PTB's own: both go through `ExtBot`'s request path like any other call.

Whatever sends a message — an answer, a reminder, a report, files — the listener given to
`note_sends` hears of it (`bot/screens.py` keeps each chat's latest message), so a case's
card is only edited in place while nothing was sent below it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.ext import ExtBot
from telegram.request import BaseRequest, HTTPXRequest

from bot.render.keyboards import Keyboard, Markup

#: PTB's own default pool for a bot's calls (`ApplicationBuilder`): many chats at once.
CONNECTIONS = 256


class LeanBot(ExtBot[None]):
    """`ExtBot`, with HTML messages sent and edited without parsing Telegram's answer, and
    every message it sends told to a listener (`note_sends`)."""

    __slots__ = ("_on_sent",)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._on_sent: Callable[[int, int], None] | None = None

    def note_sends(self, listener: Callable[[int, int], None]) -> None:
        """Tell `listener` the chat and message id of every message this bot sends, whoever
        sends it (answers, reminders, reports, files): the chat's latest message is known."""
        self._on_sent = listener

    async def _do_post(
        self, endpoint: str, data: dict[str, Any], **timeouts: Any
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Every call passes here (PTB's own place for it: `ExtBot` paces calls here)."""
        answer = await super()._do_post(endpoint, data, **timeouts)
        if self._on_sent is not None and endpoint.startswith("send"):
            for message in answer if isinstance(answer, list) else [answer]:
                if isinstance(message, dict) and "message_id" in message and "chat" in message:
                    self._on_sent(int(message["chat"]["id"]), int(message["message_id"]))
        return answer

    async def send_html(self, chat_id: int, text: str, markup: Markup | None = None) -> int:
        """Send an HTML message with no link preview; return the new message's id."""
        sent = await self._post("sendMessage", _html(chat_id, text, markup))
        return int(sent["message_id"])

    async def edit_html(
        self, chat_id: int, message_id: int, text: str, markup: Markup | None
    ) -> None:
        """Replace a message's text and buttons (HTML, no link preview)."""
        await self._post(
            "editMessageText", {**_html(chat_id, text, markup), "message_id": message_id}
        )


def _html(chat_id: int, text: str, markup: Markup | None) -> dict[str, Any]:
    return {
        "chat_id": chat_id,
        "text": text,
        "parse_mode": ParseMode.HTML,
        "reply_markup": _keyboard(markup),  # dropped by PTB when None, like any unset one
        "link_preview_options": {"is_disabled": True},
    }


def _keyboard(markup: Markup | None) -> InlineKeyboardMarkup | dict[str, Any] | None:
    """The keyboard as Telegram reads it: ours written directly, PTB's left to PTB."""
    return markup.to_dict() if isinstance(markup, Keyboard) else markup


def requests(request: BaseRequest | None) -> tuple[BaseRequest, BaseRequest]:
    """The requests for the bot's calls and for getUpdates: the stand-in's, or PTB's
    defaults as `ApplicationBuilder` would make them."""
    if request is not None:
        return request, request
    return HTTPXRequest(connection_pool_size=CONNECTIONS), HTTPXRequest()
