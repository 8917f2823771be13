"""The webhook endpoint: Telegram posts updates here; `/healthz` tells whether we can serve.

PTB's own webhook server serves one path only, so this small tornado server takes its place
(the Application is built with `updater(None)`): a POST on the webhook path with the right
`X-Telegram-Bot-Api-Secret-Token` header is handled through the application's update
processor and answered 200 only once it is handled — committed — so an update the process
dies on is posted again by Telegram (and skipped by its id if it had been committed).
Anything else with that path is refused (403 without the secret, 400 for a body that is not
an update, 503 while stopping, so Telegram delivers it again later). `GET /healthz` runs
`SELECT 1` on the database: 200 "ok", or 503. The same server serves other routes it is
given (the Mini App's, `bot.miniapp.server`); without a webhook path (polling and console
modes) it serves only those and `/healthz`.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
import socket
from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from tornado.httpserver import HTTPServer
from tornado.netutil import bind_sockets
from tornado.web import Application as WebApplication
from tornado.web import RequestHandler

from bot.config import HEALTH_PATH
from bot.context import App, InHand
from bot.processor import handle

log = logging.getLogger("bot.webhook")

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_TIMEOUT = 5.0  # seconds the database has to answer SELECT 1
MAX_BODY_BYTES = 1 << 20  # an update is a few kilobytes; refuse anything much larger
#: Seconds a connection may stay idle, or take to send its headers (Telegram keeps its
#: connections busy), and to send a body once its headers are in: a client that holds a
#: connection open sending nothing is let go, so idle sockets cannot pile up.
IDLE_SECONDS, BODY_SECONDS = 60.0, 10.0


class CannotListen(Exception):
    """The web server's address is taken or not this machine's; the message says which."""


class WebhookServer:
    """Receive Telegram's updates over HTTP and hand them to the Application."""

    def __init__(
        self,
        app: App,
        engine: AsyncEngine,
        *,
        path: str | None,
        secret: str,
        listen: str = "127.0.0.1",
        port: int = 8080,
        routes: Sequence[Any] = (),
        idle_seconds: float = IDLE_SECONDS,
        body_seconds: float = BODY_SECONDS,
        in_hand: InHand | None = None,
    ) -> None:
        self.app = app
        self.engine = engine
        self.timeouts = {"idle_connection_timeout": idle_seconds, "body_timeout": body_seconds}
        self.path = path  # None: no webhook here (polling or console mode, other routes only)
        self.listen = listen
        self.port = port
        self.routes = list(routes)  # more pages to serve, e.g. the Mini App's
        self.accepting = False
        self._secret = secret.encode()
        self._server: HTTPServer | None = None
        #: Updates being handled, and whatever else the routes took (the application's own
        #: `BotData.in_hand`, where the Mini App keeps its decisions).
        self.in_hand = InHand() if in_hand is None else in_hand

    async def start(self) -> None:
        """Listen on the configured address and port (port 0 picks a free one)."""
        routes = [(re.escape(HEALTH_PATH), _HealthHandler, {"hook": self}), *self.routes]
        if self.path is not None:
            routes.insert(0, (re.escape(self.path), _UpdateHandler, {"hook": self}))
        web = WebApplication(routes, log_function=_log_request)  # type: ignore[arg-type]
        try:
            sockets = bind_sockets(self.port, self.listen, family=socket.AF_UNSPEC)
        except OSError as err:
            raise CannotListen(
                f"the bot's web server cannot listen on {self.listen}:{self.port} "
                f"({err.strerror or err}); set telegram.webhook_listen and "
                "telegram.webhook_port to an address of this machine and a free port"
            ) from err
        self._server = HTTPServer(
            web, xheaders=True, max_body_size=MAX_BODY_BYTES, **self.timeouts
        )
        self._server.add_sockets(sockets)
        self.port = sockets[0].getsockname()[1]
        self.accepting = True
        log.info("web server listening on %s:%s%s", self.listen, self.port, self.path or "")

    async def stop(self) -> None:
        """Stop taking updates: refuse new ones, finish those in hand, close the connections."""
        self.accepting = False
        if self._server is None:
            return
        self._server.stop()
        await self.in_hand.finished()  # finish what was taken, so each gets its answer
        await self._server.close_all_connections()
        self._server = None
        log.info("web server stopped")

    def authorised(self, given: str | None) -> bool:
        """Tell whether a request carries the secret token given to Telegram."""
        return given is not None and hmac.compare_digest(given.encode(), self._secret)

    async def receive(self, body: bytes) -> int:
        """Handle the update in `body`; return the HTTP status to answer with."""
        if not self.accepting:
            return 503
        try:
            data = json.loads(body)
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise ValueError("not an update")
            update = Update.de_json(data, self.app.bot)
        except Exception as err:  # whatever the body is, it is not an update we can handle
            log.warning("webhook request refused: not an update (%s)", type(err).__name__)
            return 400
        await self.in_hand.run(handle(self.app, update))
        return 200

    async def healthy(self) -> bool:
        """Tell whether the database answers a trivial query in time."""
        try:
            async with asyncio.timeout(HEALTH_TIMEOUT), self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as err:
            log.warning("health check failed: %s", type(err).__name__)
            return False
        return True


class _UpdateHandler(RequestHandler):
    """The webhook path: POST only."""

    def initialize(self, hook: WebhookServer) -> None:  # type: ignore[override]
        """Keep the server this handler answers for."""
        self.hook = hook

    async def post(self) -> None:
        """Check the secret, then handle the update."""
        if not self.hook.authorised(self.request.headers.get(SECRET_HEADER)):
            log.warning("webhook request refused: wrong or missing secret token")
            self._answer(403, "forbidden")
            return
        status = await self.hook.receive(self.request.body)
        self._answer(status, {200: "", 400: "bad request", 503: "stopping"}[status])

    def _answer(self, status: int, body: str) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.finish(body)


class _HealthHandler(RequestHandler):
    """`GET /healthz`: 200 "ok" when updates can be served, else 503."""

    def initialize(self, hook: WebhookServer) -> None:  # type: ignore[override]
        """Keep the server this handler answers for."""
        self.hook = hook

    async def get(self) -> None:
        """Answer ok if the server takes updates and the database answers."""
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        if not self.hook.accepting:
            self.set_status(503)
            self.finish("stopping")
        elif await self.hook.healthy():
            self.finish("ok")
        else:
            self.set_status(503)
            self.finish("database unavailable")


def _log_request(handler: RequestHandler) -> None:
    """Log requests at DEBUG only: one line per update is written by the runtime already."""
    request = handler.request
    log.debug("%s %s %s", handler.get_status(), request.method, request.path)
