"""A bot message as Telegram keeps it: read from a method's parameters (text or caption, HTML,
inline buttons), validated as Telegram validates them, and serialised as Telegram sends it.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Literal

from standin.entities import render_html, utf16_len
from standin.errors import BUTTON_DATA_INVALID, EMPTY_TEXT, ApiError, JSONDict

MessageKind = Literal["text", "photo", "document", "voice", "audio", "video", "video_note"]
#: The kinds of file a bot sends by its own method (sendPhoto, sendVoice…).
FileKind = Literal["photo", "document", "voice", "audio", "video", "video_note"]
FILE_KINDS: tuple[FileKind, ...] = ("photo", "document", "voice", "audio", "video", "video_note")

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_ANSWER_LENGTH = 200  # the notification a button's answer shows (answerCallbackQuery)
MAX_CALLBACK_DATA_BYTES = 64


@dataclass
class Button:
    """One inline keyboard button as the bot showed it."""

    text: str
    callback_data: str | None = None
    url: str | None = None


@dataclass
class SentMessage:
    """One message the bot showed in a chat, updated in place by later edits."""

    # `text` is the text or caption as sent (HTML included); `plain_text` and `entities` are
    # what Telegram derives from it for display.

    message_id: int
    chat_id: int
    kind: MessageKind
    date: int
    text: str | None = None
    parse_mode: str | None = None
    plain_text: str = ""
    entities: list[JSONDict] = field(default_factory=list)
    reply_markup: JSONDict | None = None
    buttons: list[list[Button]] = field(default_factory=list)
    file_id: str | None = None
    filename: str | None = None
    mime_type: str | None = None
    edit_date: int | None = None
    edited: bool = False
    deleted: bool = False
    version: int = 0

    @property
    def button_labels(self) -> list[str]:
        """Return the labels of all buttons, row by row."""
        return [button.text for row in self.buttons for button in row]

    def offers(self, label_or_data: str) -> bool:
        """Tell whether any button matches a label (exactly or partially) or callback data."""
        wanted = label_or_data.casefold()
        return any(
            wanted in button.text.casefold() or button.callback_data == label_or_data
            for row in self.buttons
            for button in row
        )

    def find_button(self, label_or_data: str) -> Button:
        """Return the button matching a label exactly, then partially, then by callback data."""
        buttons = [button for row in self.buttons for button in row]
        wanted = label_or_data.casefold()
        partial = [button for button in buttons if wanted in button.text.casefold()]
        exact = [button for button in buttons if button.text == label_or_data]
        by_data = [button for button in buttons if button.callback_data == label_or_data]
        if not exact and len(partial) > 1:
            raise LookupError(f"{label_or_data!r} matches several buttons: {self.button_labels}")
        matches = exact or partial or by_data
        if not matches:
            raise LookupError(f"no button {label_or_data!r}; available: {self.button_labels}")
        if matches[0].callback_data is None:
            raise LookupError(f"button {matches[0].text!r} is a link to {matches[0].url}")
        return matches[0]


@dataclass
class Body:
    """Text or caption of a message, as sent and as displayed."""

    text: str | None
    parse_mode: str | None
    plain_text: str
    entities: list[JSONDict]


def _read_body(params: JSONDict, key: str, limit: int, too_long: str) -> Body | None:
    """Read and validate the text or caption parameter, or return None if absent."""
    text = params.get(key)
    if text is None:
        return None
    parse_mode = params.get("parse_mode")
    if str(parse_mode).lower() == "html":
        plain_text, entities = render_html(str(text))
    else:
        plain_text, entities = str(text), []
    if utf16_len(plain_text) > limit:
        raise ApiError(400, f"Bad Request: {too_long}")
    return Body(str(text), parse_mode, plain_text, entities)


def read_text(params: JSONDict) -> Body:
    """Read the mandatory, non-empty text of sendMessage or editMessageText."""
    body = _read_body(params, "text", MAX_TEXT_LENGTH, "message is too long")
    if body is None or not body.plain_text.strip():
        raise ApiError(400, EMPTY_TEXT)
    return body


def read_caption(params: JSONDict) -> Body | None:
    """Read the optional caption of a file (a photo, a document, a voice message…)."""
    return _read_body(params, "caption", MAX_CAPTION_LENGTH, "message caption is too long")


def apply_body(message: SentMessage, body: Body) -> None:
    """Copy a text or caption into a message record."""
    message.text, message.parse_mode = body.text, body.parse_mode
    message.plain_text, message.entities = body.plain_text, body.entities


def read_markup(params: JSONDict) -> tuple[JSONDict | None, list[list[Button]]]:
    """Read reply_markup and the inline buttons in it, validating callback data."""
    markup = params.get("reply_markup")
    if isinstance(markup, str):
        markup = json.loads(markup)
    if not isinstance(markup, dict):
        return None, []
    rows = markup.get("inline_keyboard", [])
    return markup, [[_read_button(button) for button in row] for row in rows]


def _read_button(data: JSONDict) -> Button:
    """Build a Button from its JSON, rejecting callback data Telegram would reject."""
    callback_data = data.get("callback_data")
    size = len(callback_data.encode()) if callback_data is not None else 1
    if not 1 <= size <= MAX_CALLBACK_DATA_BYTES:
        raise ApiError(400, BUTTON_DATA_INVALID)
    web_app = data.get("web_app") or {}  # a Mini App button opens its page: a link, here
    url = data.get("url") or web_app.get("url")
    return Button(text=data.get("text", ""), callback_data=callback_data, url=url)


def inline_markup(markup: JSONDict | None) -> JSONDict | None:
    """Return the markup if it is an inline keyboard, which Telegram attaches to the message."""
    return markup if markup is not None and "inline_keyboard" in markup else None


def read_int(params: JSONDict, key: str, error: str) -> int:
    """Read an integer parameter such as chat_id, or fail with a Bad Request."""
    try:
        return int(params[key])
    except (KeyError, TypeError, ValueError):
        raise ApiError(400, f"Bad Request: {error}") from None


def media_json(message: SentMessage) -> JSONDict:
    """Return the file fields of a message (a photo, a document, a voice message…)."""
    file_id = message.file_id or ""
    if message.kind == "photo":
        return {"photo": [photo_size(f"{file_id}-thumb", 90), photo_size(file_id, 800)]}
    if message.kind == "text":
        return {}
    media: JSONDict = {"file_id": file_id, "file_unique_id": file_id, **_MEDIA[message.kind]}
    if message.filename and message.kind in ("document", "audio", "video"):
        media["file_name"] = message.filename
    if message.mime_type:
        media["mime_type"] = message.mime_type
    return {message.kind: media}


#: What Telegram says of each kind of file beside its ids (a minute of sound, a video…).
_MEDIA: dict[str, JSONDict] = {
    "document": {},
    "voice": {"duration": 3},
    "audio": {"duration": 60},
    "video": {"duration": 10, "width": 640, "height": 360},
    "video_note": {"duration": 5, "length": 240},
}


def photo_size(file_id: str, side: int) -> JSONDict:
    """Return one square PhotoSize."""
    return {"file_id": file_id, "file_unique_id": file_id, "width": side, "height": side}


def chat_json(chat_id: int) -> JSONDict:
    """Return the Chat object Telegram would attach to a message in this chat."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private"}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": "Group chat"}


def now() -> int:
    """Return the current Unix time in whole seconds."""
    return int(time.time())
