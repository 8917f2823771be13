"""A tiny Bot API server on 127.0.0.1 for end-to-end runs of the real `main.py run` process.

It speaks enough of the Bot API for the bot (getMe, getUpdates with a short long-poll,
sendMessage, editMessageText, editMessageReplyMarkup, deleteMessage, answerCallbackQuery,
setMyCommands, setWebhook, deleteWebhook, getWebhookInfo), records every call, and keeps each
chat's messages as a Telegram client would show them. `TelegramUser` plays a person: it sends
messages and presses buttons, delivered through getUpdates (polling) or POSTed to the webhook
the bot registered, with the secret token it registered.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal
from urllib.parse import parse_qsl, urlsplit

JSONDict = dict[str, Any]

BOT_USER: JSONDict = {
    "id": 777000222,
    "is_bot": True,
    "first_name": "CS Assistant",
    "username": "cs_assistant_e2e_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
LONG_POLL_CAP = 0.5  # seconds a getUpdates call is held at most, whatever timeout it asks
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
TAG = re.compile(r"<[^>]+>")


@dataclass
class Call:
    """One Bot API call the bot made."""

    method: str
    params: JSONDict
    at: float


@dataclass
class Message:
    """One bot message in a chat, as the user sees it now."""

    message_id: int
    chat_id: int
    date: int
    html: str
    text: str
    markup: JSONDict | None = None
    deleted: bool = False
    edits: int = 0

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """Return (label, callback_data) of every inline button, row by row."""
        rows = (self.markup or {}).get("inline_keyboard", [])
        return [(b["text"], b.get("callback_data", "")) for row in rows for b in row]

    @property
    def labels(self) -> list[str]:
        """Return the labels of the inline buttons."""
        return [label for label, _ in self.buttons]

    def json(self) -> JSONDict:
        """Return the message as the Bot API serialises it."""
        data: JSONDict = {
            "message_id": self.message_id,
            "date": self.date,
            "chat": {"id": self.chat_id, "type": "private", "first_name": "User"},
            "from": BOT_USER,
            "text": self.text,
        }
        if self.markup and self.markup.get("inline_keyboard"):
            data["reply_markup"] = self.markup
        return data


class _ApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class FakeBotApi:
    """The server's state: calls, chats, queued updates and the registered webhook."""

    token: str
    calls: list[Call] = field(default_factory=list)
    chats: dict[int, list[Message]] = field(default_factory=dict)
    pending: list[JSONDict] = field(default_factory=list)
    webhook: JSONDict = field(default_factory=dict)
    delivery: Literal["polling", "webhook"] = "polling"
    lock: threading.Condition = field(default_factory=threading.Condition)
    closed: bool = False
    delivered: list[JSONDict] = field(default_factory=list)
    handed_out: set[int] = field(default_factory=set)  # update ids getUpdates has returned

    def __post_init__(self) -> None:
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self._incoming_ids = itertools.count(500_000)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ----------------------------------------------------------------- server

    def start(self) -> FakeBotApi:
        """Serve on a free port of 127.0.0.1 in a background thread."""
        api = self

        class Handler(_Handler):
            fake = api

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Wake held long-polls and stop serving."""
        with self.lock:
            self.closed = True
            self.lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        """Return the address to put in `[telegram] base_url`."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    # ------------------------------------------------------------- inspection

    def fetched(self, update_id: int) -> bool:
        """Tell whether the bot has fetched `update_id` (handled or not)."""
        with self.lock:
            return update_id in self.handed_out

    def acknowledged(self, update_id: int) -> bool:
        """Tell whether the bot has told us it is done with `update_id` (a later offset)."""
        with self.lock:
            return update_id in self.handed_out and all(
                u["update_id"] != update_id for u in self.pending
            )

    def methods(self) -> list[str]:
        """Return the names of the methods called so far, in order."""
        with self.lock:
            return [call.method for call in self.calls]

    def called(self, method: str) -> list[Call]:
        """Return the calls of one method."""
        with self.lock:
            return [call for call in self.calls if call.method == method]

    def messages(self, chat_id: int) -> list[Message]:
        """Return the bot's messages in a chat that are still shown."""
        with self.lock:
            return [m for m in self.chats.get(chat_id, []) if not m.deleted]

    def wait_for(self, what: str, check: Callable[[], Any], timeout: float = 10.0) -> Any:
        """Wait until `check()` is truthy and return it; fail naming `what` after `timeout`."""
        deadline = time.monotonic() + timeout
        with self.lock:
            while True:
                result = check()
                if result:
                    return result
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out waiting for {what}; calls: {self._recent()}")
                self.lock.wait(min(left, 0.2))

    def _recent(self) -> list[str]:
        return [call.method for call in self.calls[-12:]]

    # --------------------------------------------------------------- updates

    def deliver(self, payload: JSONDict) -> int:
        """Number an update and deliver it: queue it for getUpdates, or POST it to the webhook."""
        with self.lock:
            update = {"update_id": next(self._update_ids), **payload}
            self.delivered.append(update)
            if self.delivery == "polling":
                self.pending.append(update)
                self.lock.notify_all()
                return int(update["update_id"])
            url, secret = self.webhook["url"], self.webhook.get("secret_token")
        status = post_update(url, update, secret)
        assert status == 200, f"the webhook answered {status}"
        return int(update["update_id"])

    def incoming_message_id(self) -> int:
        """Allocate the id of a message a user writes."""
        return next(self._incoming_ids)

    # ----------------------------------------------------------------- methods

    def answer(self, method: str, params: JSONDict) -> JSONDict:
        """Run one Bot API method and return the response body."""
        name = method.lower()
        with self.lock:
            self.calls.append(Call(method, params, time.monotonic()))
            self.lock.notify_all()
        if name == "getupdates":
            return _ok(self._get_updates(params))
        with self.lock:
            try:
                handler = getattr(self, f"_m_{name}", None)
                if handler is None:
                    raise _ApiError(404, "Not Found: method not found")
                result = handler(params)
            except _ApiError as err:
                return {"ok": False, "error_code": err.code, "description": err.description}
            finally:
                self.lock.notify_all()
        return _ok(result)

    def _get_updates(self, params: JSONDict) -> list[JSONDict]:
        offset = int(params.get("offset") or 0)
        hold = min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        deadline = time.monotonic() + hold
        with self.lock:
            self.pending = [u for u in self.pending if u["update_id"] >= offset]
            while not self.pending and not self.closed and time.monotonic() < deadline:
                self.lock.wait(max(deadline - time.monotonic(), 0))
            batch = [dict(u) for u in self.pending[:100]]
            self.handed_out.update(int(u["update_id"]) for u in batch)
            return batch

    def _m_getme(self, params: JSONDict) -> JSONDict:
        return BOT_USER

    def _m_setmycommands(self, params: JSONDict) -> bool:
        return True

    def _m_setwebhook(self, params: JSONDict) -> bool:
        if not params.get("url"):
            raise _ApiError(400, "Bad Request: bad webhook: an HTTPS URL must be provided")
        self.webhook = params
        return True

    def _m_deletewebhook(self, params: JSONDict) -> bool:
        self.webhook = {}
        return True

    def _m_getwebhookinfo(self, params: JSONDict) -> JSONDict:
        return {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": len(self.pending),
        }

    def _m_sendmessage(self, params: JSONDict) -> JSONDict:
        chat_id = int(params["chat_id"])
        message = Message(
            message_id=next(self._message_ids),
            chat_id=chat_id,
            date=int(time.time()),
            html=params["text"],
            text=_plain(params["text"], params.get("parse_mode")),
            markup=_markup(params),
        )
        self.chats.setdefault(chat_id, []).append(message)
        return message.json()

    def _m_editmessagetext(self, params: JSONDict) -> JSONDict:
        message = self._find(params)
        message.html = params["text"]
        message.text = _plain(params["text"], params.get("parse_mode"))
        message.markup = _markup(params)
        message.edits += 1
        return message.json()

    def _m_editmessagereplymarkup(self, params: JSONDict) -> JSONDict:
        message = self._find(params)
        message.markup = _markup(params)
        message.edits += 1
        return message.json()

    def _m_deletemessage(self, params: JSONDict) -> bool:
        self._find(params).deleted = True
        return True

    def _m_answercallbackquery(self, params: JSONDict) -> bool:
        return True

    def _m_sendchataction(self, params: JSONDict) -> bool:
        return True

    def _find(self, params: JSONDict) -> Message:
        chat_id, message_id = int(params["chat_id"]), int(params["message_id"])
        for message in self.chats.get(chat_id, []):
            if message.message_id == message_id and not message.deleted:
                return message
        raise _ApiError(400, "Bad Request: message to edit not found")


class _Handler(BaseHTTPRequestHandler):
    """Route `/bot<token>/<method>` to the fake; refuse a wrong token with 401."""

    fake: FakeBotApi
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        """Answer a call made with GET."""
        self._call(b"")

    def do_POST(self) -> None:
        """Answer a call made with POST (form, JSON or query string)."""
        length = int(self.headers.get("Content-Length") or 0)
        self._call(self.rfile.read(length))

    def _call(self, body: bytes) -> None:
        parts = urlsplit(self.path)
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", parts.path)
        if match is None:
            self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
            return
        if match[1] != self.fake.token:
            self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
            return
        params = _params(parts.query, body, self.headers.get("Content-Type", ""))
        response = self.fake.answer(match[2], params)
        self._reply(int(response.get("error_code", 200)), response)

    def _reply(self, status: int, payload: JSONDict) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the bot gave up on a long-poll while stopping
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


class TelegramUser:
    """One person writing to the bot in a private chat."""

    def __init__(self, api: FakeBotApi, user_id: int, first_name: str, language: str = "en"):
        self.api = api
        self.user_id = user_id
        self.first_name = first_name
        self.language = language
        self.query_ids = itertools.count(1)

    @property
    def user(self) -> JSONDict:
        """Return this person as a Telegram User object."""
        return {
            "id": self.user_id,
            "is_bot": False,
            "first_name": self.first_name,
            "language_code": self.language,
        }

    def send(self, text: str) -> int:
        """Write a message; a leading /command gets its bot_command entity."""
        message: JSONDict = {
            "message_id": self.api.incoming_message_id(),
            "date": int(time.time()),
            "chat": {"id": self.user_id, "type": "private", "first_name": self.first_name},
            "from": self.user,
            "text": text,
        }
        if text.startswith("/"):
            length = len(text.split(maxsplit=1)[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self.api.deliver({"message": message})

    def press(self, label: str) -> int:
        """Press the button whose label contains `label` on the latest message with buttons."""
        with_buttons = [m for m in self.api.messages(self.user_id) if m.buttons]
        assert with_buttons, "the bot has shown no buttons"
        message = with_buttons[-1]
        matches = [data for text, data in message.buttons if label in text]
        assert matches, f"no button {label!r} among {message.labels}"
        query = {
            "id": f"{self.user_id}-{next(self.query_ids)}",
            "from": self.user,
            "message": message.json(),
            "chat_instance": f"chat-{self.user_id}",
            "data": matches[0],
        }
        return self.api.deliver({"callback_query": query})

    def expect(self, fragment: str, timeout: float = 10.0) -> Message:
        """Wait until the bot's latest message in this chat contains `fragment`."""

        def latest() -> Message | None:
            shown = [m for m in self.api.chats.get(self.user_id, []) if not m.deleted]
            return shown[-1] if shown and fragment in shown[-1].text else None

        message: Message = self.api.wait_for(f"a message with {fragment!r}", latest, timeout)
        return message


def post_update(url: str, update: JSONDict, secret: str | None) -> int:
    """POST an update to a webhook as Telegram does; return the HTTP status."""
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers[SECRET_HEADER] = secret
    request = urllib.request.Request(url, json.dumps(update).encode(), headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as err:
        return err.code


def http_get(url: str) -> tuple[int, str]:
    """GET a URL; return the status and the body."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return int(response.status), response.read().decode()
    except urllib.error.HTTPError as err:
        return err.code, err.read().decode()


def _ok(result: object) -> JSONDict:
    return {"ok": True, "result": result}


def _params(query: str, body: bytes, content_type: str) -> JSONDict:
    """Read the parameters of a call: query string, then a JSON or form-encoded body."""
    params: JSONDict = dict(parse_qsl(query))
    if body and "json" in content_type:
        params.update(json.loads(body))
    elif body:
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    return params


def _markup(params: JSONDict) -> JSONDict | None:
    markup = params.get("reply_markup")
    return json.loads(markup) if isinstance(markup, str) else markup


def _plain(text: str, parse_mode: str | None) -> str:
    """Return the text a user sees: HTML tags dropped, entities decoded."""
    return html.unescape(TAG.sub("", text)) if str(parse_mode).upper() == "HTML" else text
