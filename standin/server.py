"""The Bot API stand-in over HTTP on 127.0.0.1, for a real `main.py run` or `check` process.

``BotApiServer`` serves `/bot<token>/<method>` from the core (a wrong token gets 401, as from
Telegram), holds getUpdates calls as a long poll does, and delivers updates as Telegram does:
held for getUpdates, or POSTed to the registered webhook with its secret token.
``TelegramUser`` plays a person writing to the bot in a private chat.
"""

from __future__ import annotations

import json
import re
import select
import socket
import threading
import urllib.error
import urllib.request
from collections.abc import Callable
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

from standin.core import DEFAULT_BOT_USERNAME, BotApi
from standin.errors import UNAUTHORIZED, ApiError, Fault, JSONDict, Reply
from standin.messages import SentMessage
from standin.users import ChatUser

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
SHUTDOWN_POLL = 0.05  # seconds between the serving thread's looks for a stop request
T = TypeVar("T")


class BotApiServer(BotApi):
    """The core served over HTTP, with Telegram's two ways of handing out updates."""

    #: Seconds a getUpdates call is held at most, whatever timeout it asks: short, so that a
    #: stopping bot is not kept waiting.
    long_poll_cap = 0.5

    def __init__(self, token: str, username: str = DEFAULT_BOT_USERNAME) -> None:
        super().__init__(username)
        self.token = token
        self.closed = False
        self._server: ThreadingHTTPServer | None = None

    def start(self) -> BotApiServer:
        """Serve on a free port of 127.0.0.1 in a background thread."""
        api = self

        class Handler(_Handler):
            server_api = api

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        serve = threading.Thread(target=self._server.serve_forever, args=(SHUTDOWN_POLL,))
        serve.daemon = True
        serve.start()
        return self

    def stop(self) -> None:
        """Wake held calls and stop serving."""
        with self.lock:
            self.closed = True
            self.lock.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    @property
    def base_url(self) -> str:
        """Return the address to put in `[telegram] base_url`."""
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    def deliver(self, update: JSONDict) -> int:
        """Send an update as Telegram does: to the webhook if one is registered, else held."""
        with self.lock:
            if not self.webhook:
                return self.hold(update)
            url, secret = self.webhook["url"], self.webhook.get("secret_token")
            update_id = self.keep(update)
        status = post_update(url, update, secret)
        if status != 200:
            raise RuntimeError(f"the webhook answered {status} to update {update_id}")
        return update_id

    def wait_for(self, what: str, check: Callable[[], T], timeout: float = 10.0) -> T:
        """Wait until `check()` is truthy and return it; fail naming `what` after `timeout`."""
        with self.lock:
            result = self.lock.wait_for(check, timeout)
            if not result:
                recent = [call.method for call in self.calls[-12:]]
                raise AssertionError(f"timed out waiting for {what}; calls: {recent}")
            return result


class _Handler(BaseHTTPRequestHandler):
    """Route `/bot<token>/<method>` to the core; refuse a wrong token with 401."""

    server_api: BotApiServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        """Answer a call made with GET."""
        self._call(b"")

    def do_POST(self) -> None:
        """Answer a call made with POST (form, multipart, JSON or query string)."""
        length = int(self.headers.get("Content-Length") or 0)
        self._call(self.rfile.read(length))

    def _call(self, body: bytes) -> None:
        api = self.server_api
        parts = urlsplit(self.path)
        match = re.fullmatch(r"/bot([^/]+)/(\w+)", parts.path)
        if match is None:
            self._reply(ApiError(404, "Not Found").reply())
            return
        if match[1] != api.token:
            self._reply(ApiError(401, UNAUTHORIZED).reply())
            return
        name = match[2]
        params = _read_params(parts.query, body, self.headers.get("Content-Type", ""))
        fault = api.receive(name, params)
        if fault is not None:
            self._play(fault)
            return
        if name.lower() == "getupdates":
            self._long_poll(params)
        self._reply(api.answer(name, params))

    def _long_poll(self, params: JSONDict) -> None:
        """Hold a getUpdates call until there is news, its time is up or the server stops."""
        api = self.server_api
        wait = api.start_poll(params)
        with api.lock:
            api.lock.wait_for(lambda: api.closed or api.has_news(), wait)

    def _play(self, fault: Fault) -> None:
        """Fail the call: hang up, stay silent until the client gives up, or answer an error."""
        if not fault.in_transport:
            self._reply(fault.reply())
            return
        while fault.kind == "timeout" and not self.server_api.closed:
            readable, _, _ = select.select([self.connection], [], [], 0.1)
            if readable and not self.connection.recv(1, socket.MSG_PEEK):
                break  # the client gave up waiting
        self.close_connection = True
        self.connection.shutdown(socket.SHUT_RDWR)

    def _reply(self, reply: Reply) -> None:
        status, data = reply
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the bot gave up on a long poll while stopping
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


class TelegramUser(ChatUser):
    """One person writing to a bot process through `BotApiServer`."""

    api: BotApiServer

    def send(self, text: str) -> int:
        """Write a message; a leading /command gets its bot_command entity."""
        return self.api.deliver(self.said(text))

    def press(self, label_or_data: str, message: SentMessage | None = None) -> int:
        """Press a button on a message (default: the latest one with buttons)."""
        return self.api.deliver(self.pressed(label_or_data, message))

    def press_data(self, data: str, message_id: int | None = None) -> int:
        """Send a callback query with arbitrary, possibly forged, data."""
        return self.api.deliver(self.pressed_data(data, message_id))

    def expect(self, fragment: str, timeout: float = 10.0) -> SentMessage:
        """Wait until the bot's latest message in this chat shows `fragment`."""

        def latest() -> SentMessage | None:
            shown = self.messages
            return shown[-1] if shown and fragment in shown[-1].plain_text else None

        message = self.api.wait_for(f"a message with {fragment!r}", latest, timeout)
        assert message is not None
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


def _read_params(query: str, body: bytes, content_type: str) -> JSONDict:
    """Read a call's parameters: query string, then a form, multipart form or JSON body."""
    params: JSONDict = dict(parse_qsl(query))
    if content_type.startswith("multipart/form-data"):
        params.update(_read_multipart(body, content_type))
    elif body and "json" in content_type:
        params.update(json.loads(body))
    elif body:
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    return params


def _read_multipart(body: bytes, content_type: str) -> JSONDict:
    """Read a multipart form: fields as text, uploaded files described by name and mime type."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    form = BytesParser(policy=HTTP).parsebytes(head + body)
    params: JSONDict = {}
    for part in form.iter_parts():
        name = str(part.get_param("name", header="content-disposition"))
        filename, content = part.get_filename(), part.get_payload(decode=True)
        if filename:
            params[name] = {"filename": filename, "mime_type": part.get_content_type()}
        elif isinstance(content, bytes):
            params[name] = content.decode()
    return params
