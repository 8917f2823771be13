"""In-process stand-in for the Telegram Bot API, and a driver that plays a Telegram user.

``FakeBotApi`` plugs into PTB as its request backend, answers Bot API methods with
Telegram-shaped JSON and records what the bot showed in each chat. ``Person`` builds real
update JSON and feeds it to a PTB ``Application``, so handlers run exactly as in production.
"""

from __future__ import annotations

import asyncio
import copy
import itertools
import json
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, Literal, get_args

from telegram import Update
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.ext import Application
from telegram.request import BaseRequest, RequestData

JSONDict = dict[str, Any]
AnyApplication = Application[Any, Any, Any, Any, Any, Any]
MessageKind = Literal["text", "photo", "document"]
FaultKind = Literal["retry_after", "server", "forbidden", "bad_request", "timeout", "network"]

BOT_USER_ID = 777000111
BOT_FIRST_NAME = "CS Assistant"
DEFAULT_BOT_USERNAME = "cs_assistant_bot"
FIRST_INCOMING_MESSAGE_ID = 1_000_000
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_GET_UPDATES_PAUSE = 0.05

NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
CANT_PARSE = "Bad Request: can't parse entities"
_FAULT_RESPONSES: dict[str, tuple[int, str]] = {
    "retry_after": (429, "Too Many Requests: retry after {retry_after}"),
    "server": (502, "Bad Gateway"),
    "forbidden": (403, "Forbidden: bot was blocked by the user"),
    "bad_request": (400, "Bad Request: injected failure"),
}
_HTML_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "code": "code",
    "pre": "pre",
    "a": "text_link",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}


class _ApiError(Exception):
    """Carry a Bot API error response out of a method implementation."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


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
class _Body:
    """Text or caption of a message, as sent and as displayed."""

    text: str | None
    parse_mode: str | None
    plain_text: str
    entities: list[JSONDict]


@dataclass(frozen=True)
class _Fault:
    """One injected failure of a Bot API call."""

    kind: FaultKind
    retry_after: float

    def respond(self) -> tuple[int, bytes]:
        """Raise or return the error response this fault stands for."""
        if self.kind == "timeout":
            raise TimedOut("Injected timeout")
        if self.kind == "network":
            raise NetworkError("Injected network failure")
        code, description = _FAULT_RESPONSES[self.kind]
        parameters = {"retry_after": self.retry_after} if self.kind == "retry_after" else None
        return _error(code, description.format(retry_after=self.retry_after), parameters)


class _TelegramHtml(HTMLParser):
    """Parse Telegram-flavoured HTML into plain text and message entities."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.units = 0
        self.open_tags: list[tuple[str, int, dict[str, str | None]]] = []
        self.entities: list[JSONDict] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Open an entity, rejecting tags Telegram does not support."""
        if tag not in _HTML_ENTITY_TYPES:
            raise _ApiError(400, f'{CANT_PARSE}: Unsupported start tag "{tag}"')
        self.open_tags.append((tag, self.units, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        """Close the innermost entity, rejecting mismatched end tags."""
        if not self.open_tags or self.open_tags[-1][0] != tag:
            raise _ApiError(400, f'{CANT_PARSE}: Unexpected end tag "{tag}"')
        _, start, attrs = self.open_tags.pop()
        entity = _entity(tag, start, self.units - start, attrs)
        if entity is not None:
            self.entities.append(entity)

    def handle_data(self, data: str) -> None:
        """Append visible text, counting offsets in UTF-16 code units like Telegram."""
        self.parts.append(data)
        self.units += _utf16_len(data)


def _utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _entity(tag: str, offset: int, length: int, attrs: dict[str, str | None]) -> JSONDict | None:
    """Build the message entity for one closed HTML tag, or None if it marks nothing."""
    if length == 0 or (tag == "a" and not attrs.get("href")):
        return None
    entity: JSONDict = {"type": _HTML_ENTITY_TYPES[tag], "offset": offset, "length": length}
    if tag == "a":
        entity["url"] = attrs["href"]
    elif tag == "tg-emoji":
        entity["custom_emoji_id"] = attrs.get("emoji-id") or ""
    elif tag == "blockquote" and "expandable" in attrs:
        entity["type"] = "expandable_blockquote"
    return entity


def _render_html(text: str) -> tuple[str, list[JSONDict]]:
    """Return the plain text and entities Telegram derives from HTML-formatted text."""
    parser = _TelegramHtml()
    parser.feed(text)
    parser.close()
    if parser.open_tags:
        tag = parser.open_tags[-1][0]
        raise _ApiError(
            400,
            f'{CANT_PARSE}: Can\'t find end tag corresponding to start tag "{tag}"',
        )
    entities = sorted(parser.entities, key=lambda entity: (entity["offset"], -entity["length"]))
    return "".join(parser.parts), entities


def _read_body(params: JSONDict, key: str, limit: int, too_long: str) -> _Body | None:
    """Read and validate the text or caption parameter, or return None if absent."""
    text = params.get(key)
    if text is None:
        return None
    parse_mode = params.get("parse_mode")
    if str(parse_mode).lower() == "html":
        plain_text, entities = _render_html(str(text))
    else:
        plain_text, entities = str(text), []
    if _utf16_len(plain_text) > limit:
        raise _ApiError(400, f"Bad Request: {too_long}")
    return _Body(str(text), parse_mode, plain_text, entities)


def _read_text(params: JSONDict) -> _Body:
    """Read the mandatory, non-empty text of sendMessage or editMessageText."""
    body = _read_body(params, "text", MAX_TEXT_LENGTH, "message is too long")
    if body is None or not body.plain_text.strip():
        raise _ApiError(400, "Bad Request: message text is empty")
    return body


def _read_caption(params: JSONDict) -> _Body | None:
    """Read the optional caption of a photo or document."""
    return _read_body(params, "caption", MAX_CAPTION_LENGTH, "message caption is too long")


def _read_markup(params: JSONDict) -> tuple[JSONDict | None, list[list[Button]]]:
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
    if callback_data is not None and not 1 <= len(callback_data.encode()) <= 64:
        raise _ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    web_app = data.get("web_app") or {}  # a Mini App button opens its page: a link, here
    url = data.get("url") or web_app.get("url")
    return Button(text=data.get("text", ""), callback_data=callback_data, url=url)


def _inline_markup(markup: JSONDict | None) -> JSONDict | None:
    """Return the markup if it is an inline keyboard, which Telegram attaches to the message."""
    return markup if markup is not None and "inline_keyboard" in markup else None


def _read_int(params: JSONDict, key: str, error: str) -> int:
    """Read an integer parameter such as chat_id, or fail with a Bad Request."""
    try:
        return int(params[key])
    except (KeyError, TypeError, ValueError):
        raise _ApiError(400, f"Bad Request: {error}") from None


def _read_params(request_data: RequestData | None) -> JSONDict:
    """Return the call's parameters, with uploaded files described by name and mime type."""
    if request_data is None:
        return {}
    params: JSONDict = dict(request_data.parameters)
    for part, (filename, _content, mime_type) in request_data.multipart_data.items():
        params[part] = {"filename": filename, "mime_type": mime_type}
    return params


def _photo_size(file_id: str, side: int) -> JSONDict:
    """Return one square PhotoSize."""
    return {"file_id": file_id, "file_unique_id": file_id, "width": side, "height": side}


def _chat_json(chat_id: int) -> JSONDict:
    """Return the Chat object Telegram would attach to a message in this chat."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private"}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": "Group chat"}


def _ok(result: object) -> tuple[int, bytes]:
    """Encode a successful Bot API response."""
    return 200, json.dumps({"ok": True, "result": result}).encode()


def _error(code: int, description: str, parameters: JSONDict | None = None) -> tuple[int, bytes]:
    """Encode a failed Bot API response."""
    payload: JSONDict = {"ok": False, "error_code": code, "description": description}
    if parameters:
        payload["parameters"] = parameters
    return code, json.dumps(payload).encode()


def _now() -> int:
    """Return the current Unix time in whole seconds."""
    return int(time.time())


class FakeBotApi(BaseRequest):
    """Answer Bot API calls in process and record what the bot showed in each chat."""

    def __init__(self, username: str = DEFAULT_BOT_USERNAME, first_update_id: int = 1) -> None:
        self.bot_user: JSONDict = {
            "id": BOT_USER_ID,
            "is_bot": True,
            "first_name": BOT_FIRST_NAME,
            "username": username,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.calls: list[tuple[str, JSONDict]] = []
        self.answers: list[JSONDict] = []
        self.updates: dict[int, JSONDict] = {}
        self._chats: dict[int, dict[int, SentMessage]] = {}
        self._message_ids: dict[int, itertools.count[int]] = {}
        self._faults: dict[str, deque[_Fault]] = {}
        self._update_ids = itertools.count(first_update_id)
        self._incoming_message_ids = itertools.count(FIRST_INCOMING_MESSAGE_ID)
        self._file_ids = itertools.count(1)
        self._methods: dict[str, Callable[[JSONDict], object]] = {
            "getme": lambda _params: self.bot_user,
            "sendmessage": self._send_message,
            "sendphoto": lambda params: self._send_file(params, "photo"),
            "senddocument": lambda params: self._send_file(params, "document"),
            "editmessagetext": self._edit_message_text,
            "editmessagecaption": self._edit_message_caption,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "deletemessage": self._delete_message,
            "answercallbackquery": self._answer_callback_query,
            "getupdates": lambda _params: [],
            "getwebhookinfo": lambda _params: {
                "url": "",
                "has_custom_certificate": False,
                "pending_update_count": 0,
            },
            **{
                name: lambda _params: True
                for name in (
                    "sendchataction",
                    "setmycommands",
                    "setchatmenubutton",
                    "deletemycommands",
                    "deletewebhook",
                    "setwebhook",
                    "close",
                    "logout",
                )
            },
        }

    @property
    def read_timeout(self) -> float | None:
        """Return the default read timeout PTB adds to long-polling timeouts."""
        return 5.0

    async def initialize(self) -> None:
        """Do nothing: the stand-in holds no connections."""

    async def shutdown(self) -> None:
        """Do nothing: the stand-in holds no connections."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Answer one Bot API call, named by the last segment of url.

        The answer comes after a turn of the event loop, as an answer over the network
        would: other chats' updates, the reminder loop and queued work go on meanwhile.
        """
        name = url.rsplit("/", 1)[-1]
        params = _read_params(request_data)
        self.calls.append((name, params))
        await asyncio.sleep(0)
        faults = self._faults.get(name.lower())
        if faults:
            return faults.popleft().respond()
        if name.lower() == "getupdates":
            await asyncio.sleep(min(float(params.get("timeout") or 0), MAX_GET_UPDATES_PAUSE))
        implementation = self._methods.get(name.lower())
        if implementation is None:
            return _error(404, "Not Found: method not found")
        try:
            return _ok(implementation(params))
        except _ApiError as failure:
            return _error(failure.code, failure.description)

    def fail_next(
        self, method: str, kind: FaultKind, times: int = 1, retry_after: float = 1
    ) -> None:
        """Make the next `times` calls of a Bot API method fail in the given way."""
        # Telegram sends whole seconds in retry_after; a fraction keeps retrying tests fast.
        if kind not in get_args(FaultKind):
            raise ValueError(f"unknown fault kind {kind!r}; use one of {get_args(FaultKind)}")
        queue = self._faults.setdefault(method.lower(), deque())
        queue.extend(_Fault(kind, retry_after) for _ in range(times))

    def messages(self, chat_id: int, include_deleted: bool = False) -> list[SentMessage]:
        """Return the bot's messages in a chat, oldest first."""
        chat = self._chats.get(chat_id, {})
        return [message for message in chat.values() if include_deleted or not message.deleted]

    def last(self, chat_id: int) -> SentMessage:
        """Return the bot's most recent message in a chat."""
        messages = self.messages(chat_id)
        if not messages:
            raise LookupError(f"the bot has sent nothing to chat {chat_id}")
        return messages[-1]

    def last_with_buttons(self, chat_id: int) -> SentMessage | None:
        """Return the bot's most recent message in a chat that has inline buttons."""
        with_buttons = [message for message in self.messages(chat_id) if message.buttons]
        return with_buttons[-1] if with_buttons else None

    def find_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        """Return one of the bot's messages by id, deleted or not."""
        return self._chats.get(chat_id, {}).get(message_id)

    def forget(self, chat_id: int, keep: int = 1) -> None:
        """Drop all but the latest `keep` of the bot's messages in a chat, deleted or not.

        For long runs, whose memory would otherwise grow with every message. Message ids keep
        counting, so a forgotten id is never reused; the bot editing or deleting a forgotten
        message gets "message to edit not found", as for a message that never existed.
        """
        chat = self._chats.get(chat_id)
        if chat is None:
            return
        for message_id in list(chat)[: max(len(chat) - keep, 0)]:
            del chat[message_id]

    def chat_ids(self) -> list[int]:
        """Return the ids of all chats the bot has sent something to."""
        return list(self._chats)

    def next_update_id(self) -> int:
        """Allocate the next update_id for an incoming update."""
        return next(self._update_ids)

    def next_incoming_message_id(self) -> int:
        """Allocate the next message id for a message written by a user."""
        return next(self._incoming_message_ids)

    def new_file_id(self, prefix: str) -> str:
        """Allocate a unique file_id such as ``photo-3``."""
        return f"{prefix}-{next(self._file_ids)}"

    def message_json(self, message: SentMessage) -> JSONDict:
        """Return a bot message as Telegram serialises it, with its current keyboard."""
        data: JSONDict = {
            "message_id": message.message_id,
            "date": message.date,
            "chat": _chat_json(message.chat_id),
            "from": self.bot_user,
        }
        if message.edit_date is not None:
            data["edit_date"] = message.edit_date
        text_key, entities_key = (
            ("text", "entities") if message.kind == "text" else ("caption", "caption_entities")
        )
        if message.text is not None:
            data[text_key] = message.plain_text
        if message.entities:
            data[entities_key] = message.entities
        data.update(self._media_json(message))
        inline = _inline_markup(message.reply_markup)
        if inline is not None:
            data["reply_markup"] = inline
        return data

    def _media_json(self, message: SentMessage) -> JSONDict:
        """Return the photo or document fields of a message."""
        file_id = message.file_id or ""
        if message.kind == "photo":
            return {"photo": [_photo_size(f"{file_id}-thumb", 90), _photo_size(file_id, 800)]}
        if message.kind == "document":
            document: JSONDict = {"file_id": file_id, "file_unique_id": file_id}
            if message.filename:
                document["file_name"] = message.filename
            if message.mime_type:
                document["mime_type"] = message.mime_type
            return {"document": document}
        return {}

    def _store(self, params: JSONDict, kind: MessageKind, body: _Body | None) -> SentMessage:
        """Record a new bot message in the chat named by params."""
        chat_id = _read_int(params, "chat_id", "chat not found")
        markup, buttons = _read_markup(params)
        chat = self._chats.setdefault(chat_id, {})
        message = SentMessage(
            message_id=next(self._message_ids.setdefault(chat_id, itertools.count(1))),
            chat_id=chat_id,
            kind=kind,
            date=_now(),
            reply_markup=markup,
            buttons=buttons,
        )
        if body is not None:
            self._apply_body(message, body)
        chat[message.message_id] = message
        return message

    def _send_message(self, params: JSONDict) -> JSONDict:
        """Implement sendMessage."""
        return self.message_json(self._store(params, "text", _read_text(params)))

    def _send_file(self, params: JSONDict, kind: Literal["photo", "document"]) -> JSONDict:
        """Implement sendPhoto and sendDocument, by file_id or upload."""
        source = params.get(kind)
        if source is None:
            raise _ApiError(400, f"Bad Request: there is no {kind} in the request")
        message = self._store(params, kind, _read_caption(params))
        if isinstance(source, dict):
            message.file_id = self.new_file_id(f"{kind}-upload")
            message.filename = source["filename"]
            message.mime_type = source["mime_type"]
        else:
            message.file_id = str(source)
        return self.message_json(message)

    def _target(self, params: JSONDict, verb: str) -> SentMessage:
        """Return the existing message an edit or delete refers to."""
        not_found = f"message to {verb} not found"
        chat_id = _read_int(params, "chat_id", not_found)
        message = self.find_message(chat_id, _read_int(params, "message_id", not_found))
        if message is None or message.deleted:
            raise _ApiError(400, f"Bad Request: {not_found}")
        return message

    def _edit_message_text(self, params: JSONDict) -> JSONDict:
        """Implement editMessageText; an omitted reply_markup removes the keyboard."""
        message = self._target(params, "edit")
        if message.kind != "text":
            raise _ApiError(400, "Bad Request: there is no text in the message to edit")
        return self._edit(message, _read_text(params), params)

    def _edit_message_caption(self, params: JSONDict) -> JSONDict:
        """Implement editMessageCaption; an omitted caption removes it."""
        message = self._target(params, "edit")
        if message.kind == "text":
            raise _ApiError(400, "Bad Request: there is no caption in the message to edit")
        body = _read_caption(params) or _Body(None, None, "", [])
        return self._edit(message, body, params)

    def _edit_message_reply_markup(self, params: JSONDict) -> JSONDict:
        """Implement editMessageReplyMarkup."""
        return self._edit(self._target(params, "edit"), None, params)

    def _edit(self, message: SentMessage, body: _Body | None, params: JSONDict) -> JSONDict:
        """Apply an edit in place, refusing one that changes nothing visible."""
        markup, buttons = _read_markup(params)
        shown = (message.plain_text, message.entities, _inline_markup(message.reply_markup))
        new_text = (body.plain_text, body.entities) if body else shown[:2]
        if (*new_text, _inline_markup(markup)) == shown:
            raise _ApiError(400, NOT_MODIFIED)
        if body is not None:
            self._apply_body(message, body)
        message.reply_markup, message.buttons = markup, buttons
        message.edit_date, message.edited = _now(), True
        message.version += 1
        return self.message_json(message)

    @staticmethod
    def _apply_body(message: SentMessage, body: _Body) -> None:
        """Copy a text or caption into a message record."""
        message.text, message.parse_mode = body.text, body.parse_mode
        message.plain_text, message.entities = body.plain_text, body.entities

    def _delete_message(self, params: JSONDict) -> bool:
        """Implement deleteMessage."""
        message = self._target(params, "delete")
        message.deleted = True
        message.version += 1
        return True

    def _answer_callback_query(self, params: JSONDict) -> bool:
        """Implement answerCallbackQuery, keeping the answer for assertions."""
        self.answers.append(params)
        return True


class Person:
    """Play one Telegram user talking to the bot through a real PTB Application."""

    def __init__(
        self,
        application: AnyApplication,
        api: FakeBotApi,
        telegram_id: int,
        first_name: str,
        language_code: str = "vi",
        username: str | None = None,
    ) -> None:
        self.application = application
        self.api = api
        self.telegram_id = telegram_id
        self.first_name = first_name
        self.language_code = language_code
        self.username = username

    @property
    def chat_id(self) -> int:
        """Return the id of this user's private chat with the bot (equal to the user id)."""
        return self.telegram_id

    @property
    def user(self) -> JSONDict:
        """Return this user as a Telegram User object."""
        user: JSONDict = {
            "id": self.telegram_id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language_code,
        }
        if self.username:
            user["username"] = self.username
        return user

    @property
    def messages(self) -> list[SentMessage]:
        """Return the bot's messages in this user's chat."""
        return self.api.messages(self.chat_id)

    @property
    def last(self) -> SentMessage:
        """Return the bot's most recent message in this user's chat."""
        return self.api.last(self.chat_id)

    @property
    def last_text(self) -> str:
        """Return the visible text (HTML removed) of the bot's most recent message."""
        return self.last.plain_text

    @property
    def buttons(self) -> list[str]:
        """Return the labels of the most recent bot message with buttons."""
        message = self.api.last_with_buttons(self.chat_id)
        return message.button_labels if message else []

    async def send(self, text: str) -> int:
        """Send a text message; a leading /command gets a bot_command entity."""
        return await self._send_message(self._private_chat(), _text_fields(text))

    async def send_in_group(self, text: str, group_chat_id: int) -> int:
        """Send a text message in a group chat."""
        chat = {"id": group_chat_id, "type": "group", "title": "Group chat"}
        return await self._send_message(chat, _text_fields(text))

    async def send_photo(self, file_id: str | None = None, caption: str | None = None) -> int:
        """Send a photo; the largest size carries file_id."""
        file_id = file_id or self.api.new_file_id("photo")
        sizes = [_photo_size(f"{file_id}-thumb", 90), _photo_size(file_id, 1280)]
        fields: JSONDict = {"photo": sizes}
        if caption is not None:
            fields["caption"] = caption
        return await self._send_message(self._private_chat(), fields)

    async def send_document(
        self,
        file_id: str | None = None,
        file_name: str = "document.pdf",
        mime_type: str = "application/pdf",
    ) -> int:
        """Send a document."""
        file_id = file_id or self.api.new_file_id("document")
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": file_name,
            "mime_type": mime_type,
        }
        return await self._send_message(self._private_chat(), {"document": document})

    async def send_sticker(self, file_id: str = "sticker-1") -> int:
        """Send a sticker."""
        sticker = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": "👍",
        }
        return await self._send_message(self._private_chat(), {"sticker": sticker})

    async def send_location(self, latitude: float, longitude: float) -> int:
        """Send a location."""
        location = {"latitude": latitude, "longitude": longitude}
        return await self._send_message(self._private_chat(), {"location": location})

    async def send_contact(self, phone_number: str, first_name: str | None = None) -> int:
        """Share a contact; without a first name it is this user's own contact."""
        contact: JSONDict = {"phone_number": phone_number, "first_name": first_name}
        if first_name is None:
            contact.update(first_name=self.first_name, user_id=self.telegram_id)
        return await self._send_message(self._private_chat(), {"contact": contact})

    async def edit(self, message_id: int, new_text: str) -> int:
        """Edit one of this user's earlier text messages."""
        message = {
            "message_id": message_id,
            "date": _now(),
            "edit_date": _now(),
            "chat": self._private_chat(),
            "from": self.user,
            **_text_fields(new_text),
        }
        return await self._deliver({"edited_message": message})

    async def press(self, label_or_data: str, message: SentMessage | None = None) -> int:
        """Press a button on a message (default: the latest one with buttons)."""
        target = message or self.api.last_with_buttons(self.chat_id)
        if target is None:
            raise LookupError(f"no bot message with buttons in {self.first_name}'s chat")
        button = target.find_button(label_or_data)
        return await self._callback(str(button.callback_data), self.api.message_json(target))

    async def press_data(self, data: str, message_id: int | None = None) -> int:
        """Send a callback query with arbitrary, possibly forged, data."""
        return await self._callback(data, self._callback_message(message_id))

    async def redeliver(self, update_id: int) -> int:
        """Deliver an already sent update again, with the same update_id."""
        if update_id not in self.api.updates:
            raise LookupError(f"no update {update_id} was sent")
        await self._process(self.api.updates[update_id])
        return update_id

    def message_id_of(self, update_id: int) -> int:
        """Return the id of the user message carried by an update this user sent."""
        update = self.api.updates[update_id]
        return int((update.get("message") or update["edited_message"])["message_id"])

    def _private_chat(self) -> JSONDict:
        """Return this user's private chat with the bot."""
        chat: JSONDict = {"id": self.chat_id, "type": "private", "first_name": self.first_name}
        if self.username:
            chat["username"] = self.username
        return chat

    def _callback_message(self, message_id: int | None) -> JSONDict:
        """Return the message a callback query is attached to, inventing one if needed."""
        if message_id is None:
            found = self.api.last_with_buttons(self.chat_id) or (
                self.messages[-1] if self.messages else None
            )
        else:
            found = self.api.find_message(self.chat_id, message_id)
        if found is not None:
            return self.api.message_json(found)
        return {
            "message_id": message_id or 1,
            "date": _now(),
            "chat": _chat_json(self.chat_id),
            "from": self.api.bot_user,
            "text": "…",
        }

    async def _callback(self, data: str, message: JSONDict) -> int:
        """Send a callback_query update from this user."""
        update_id = self.api.next_update_id()
        query = {
            "id": f"cbq-{update_id}",
            "from": self.user,
            "message": message,
            "chat_instance": f"chat-instance-{self.chat_id}",
            "data": data,
        }
        return await self._deliver({"callback_query": query}, update_id)

    async def _send_message(self, chat: JSONDict, fields: JSONDict) -> int:
        """Send a new message from this user in a chat."""
        message = {
            "message_id": self.api.next_incoming_message_id(),
            "date": _now(),
            "chat": chat,
            "from": self.user,
            **fields,
        }
        return await self._deliver({"message": message})

    async def _deliver(self, payload: JSONDict, update_id: int | None = None) -> int:
        """Number, remember and process one update."""
        update_id = update_id or self.api.next_update_id()
        update = {"update_id": update_id, **payload}
        self.api.updates[update_id] = update
        await self._process(update)
        return update_id

    async def _process(self, update: JSONDict) -> None:
        """Feed update JSON to the Application like the updater would."""
        bot = self.application.bot
        await self.application.process_update(Update.de_json(copy.deepcopy(update), bot))


def _text_fields(text: str) -> JSONDict:
    """Return the text of a user message, with a bot_command entity for a leading command."""
    fields: JSONDict = {"text": text}
    if text.startswith("/"):
        command = text.split(maxsplit=1)[0]
        fields["entities"] = [{"type": "bot_command", "offset": 0, "length": _utf16_len(command)}]
    return fields
