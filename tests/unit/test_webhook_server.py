"""The webhook server: the secret token, answering only once handled, /healthz, a clean stop."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler

from bot.app import build_application
from bot.config import Settings
from bot.processor import ChatOrderedProcessor
from bot.transport import ALLOWED_UPDATES, WebhookIntake, run
from bot.webhook import SECRET_HEADER, WebhookServer
from standin.inprocess import FakeBotApi
from storage.engine import create_engine

pytestmark = pytest.mark.asyncio

SECRET = "unit-test-secret_42"
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def update_json(update_id: int = 1, user: int = 4242, text: str = "/start") -> dict[str, Any]:
    """Return a private text message from an unregistered person."""
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 0,
            "chat": {"id": user, "type": "private", "first_name": "Eve"},
            "from": {"id": user, "is_bot": False, "first_name": "Eve", "language_code": "en"},
            "text": text,
            "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        },
    }


def free_port() -> int:
    """Return a port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'hook.sqlite3'}")
    yield engine
    await engine.dispose()


@dataclass
class Handlers:
    """What the application behind the webhook handled; each waits for `go` to be set."""

    handled: list[int] = field(default_factory=list)
    go: asyncio.Event = field(default_factory=asyncio.Event)
    started: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        self.started.set()
        await self.go.wait()
        self.handled.append(update.update_id)


@pytest.fixture
def handlers() -> Handlers:
    done = Handlers()
    done.go.set()
    return done


@pytest.fixture
async def server(engine: AsyncEngine, handlers: Handlers) -> AsyncIterator[WebhookServer]:
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(FakeBotApi())
        .updater(None)
        .concurrent_updates(ChatOrderedProcessor(4))
        .build()
    )
    app.add_handler(TypeHandler(Update, handlers))
    await app.initialize()
    hook = WebhookServer(app, engine, path="/telegram", secret=SECRET, port=0)
    await hook.start()
    yield hook
    await hook.stop()
    await app.shutdown()


def address(hook: WebhookServer, path: str = "/telegram") -> str:
    return f"http://127.0.0.1:{hook.port}{path}"


async def test_an_update_with_the_secret_token_is_answered_200_only_once_it_is_handled(
    server: WebhookServer, handlers: Handlers
) -> None:
    handlers.go.clear()  # the handler is still busy (say, waiting for the database)
    async with httpx.AsyncClient() as client:
        posting = asyncio.create_task(
            client.post(address(server), json=update_json(7), headers={SECRET_HEADER: SECRET})
        )
        await asyncio.sleep(0.2)
        assert not posting.done()  # Telegram has no answer yet: it would post it again
        handlers.go.set()
        answer = await asyncio.wait_for(posting, 5)
    assert answer.status_code == 200
    assert handlers.handled == [7]


async def test_stopping_the_server_finishes_the_update_in_hand_and_answers_it(
    server: WebhookServer, handlers: Handlers
) -> None:
    handlers.go.clear()
    async with httpx.AsyncClient() as client:
        posting = asyncio.create_task(
            client.post(address(server), json=update_json(8), headers={SECRET_HEADER: SECRET})
        )
        await asyncio.wait_for(handlers.started.wait(), 5)
        stopping = asyncio.create_task(server.stop())
        await asyncio.sleep(0.1)
        assert not stopping.done()  # it waits for the update it took
        handlers.go.set()
        await asyncio.wait_for(stopping, 5)
        answer = await asyncio.wait_for(posting, 5)
    assert (answer.status_code, handlers.handled) == (200, [8])


@pytest.mark.parametrize(
    "secret", [None, "", "wrong-secret", SECRET + "x", "ünïcode".encode("latin-1")]
)
async def test_a_request_without_the_right_secret_token_is_refused_with_403(
    server: WebhookServer, handlers: Handlers, secret: str | bytes | None
) -> None:
    headers = {} if secret is None else {SECRET_HEADER: secret}
    async with httpx.AsyncClient() as client:
        answer = await client.post(address(server), json=update_json(), headers=headers)
    assert answer.status_code == 403
    assert handlers.handled == []


@pytest.mark.parametrize(
    "body", [b"not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": 1, "message": "x"}']
)
async def test_a_body_that_is_not_an_update_is_refused_with_400(
    server: WebhookServer, handlers: Handlers, body: bytes
) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(address(server), content=body, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 400
    assert handlers.handled == []


async def test_other_paths_and_methods_are_not_served(server: WebhookServer) -> None:
    async with httpx.AsyncClient() as client:
        elsewhere = await client.post(
            address(server, "/other"), json=update_json(), headers={SECRET_HEADER: SECRET}
        )
        fetched = await client.get(address(server), headers={SECRET_HEADER: SECRET})
    assert elsewhere.status_code == 404
    assert fetched.status_code == 405


async def test_healthz_answers_ok_when_the_database_answers(server: WebhookServer) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.get(address(server, "/healthz"))
    assert (answer.status_code, answer.text) == (200, "ok")


async def test_healthz_answers_503_when_the_database_cannot_be_reached() -> None:
    app = build_application(Settings(), request=FakeBotApi())
    await app.bot_data.services.engine.dispose()
    broken = create_engine("postgresql+asyncpg://bot:pw@127.0.0.1:1/nothing_listens_here")
    hook = WebhookServer(app, broken, path="/telegram", secret=SECRET, port=0)
    await hook.start()
    try:
        async with httpx.AsyncClient() as client:
            answer = await client.get(address(hook, "/healthz"))
    finally:
        await hook.stop()
        await broken.dispose()
    assert (answer.status_code, answer.text) == (503, "database unavailable")


async def test_a_stopping_server_answers_503_so_telegram_delivers_the_update_again(
    server: WebhookServer, handlers: Handlers
) -> None:
    server.accepting = False
    assert await server.receive(json.dumps(update_json()).encode()) == 503
    assert handlers.handled == []


async def test_the_webhook_is_registered_and_a_stop_finishes_updates_already_taken(
    tmp_path: Path,
) -> None:
    port = free_port()
    settings = Settings.model_validate(
        {
            "telegram": {
                "token": TOKEN,
                "mode": "webhook",
                "webhook_url": "https://bot.example.com/hook",
                "webhook_path": "/hook",
                "webhook_port": port,
                "webhook_secret": SECRET,
            },
            "database": {"url": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"},
            "reminders": {"tick_seconds": 0.05, "digest": False},
        }
    )
    api = FakeBotApi()
    app = build_application(settings, request=api)
    stop = asyncio.Event()
    intake = WebhookIntake(app, settings.telegram)
    running = asyncio.create_task(run(app, intake, stop_signals=(), stop=stop))
    async with httpx.AsyncClient() as client:
        for _ in range(100):  # wait until the server listens
            if any(name == "setWebhook" for name, _ in api.calls):
                break
            await asyncio.sleep(0.02)
        assert app.bot_data.scheduler is not None  # the reminder tick runs
        answers = [
            await client.post(
                f"http://127.0.0.1:{port}/hook",
                json=update_json(update_id, user=5000 + update_id),
                headers={SECRET_HEADER: SECRET},
            )
            for update_id in range(1, 6)
        ]
    stop.set()  # as SIGTERM does: right after the updates were taken
    await asyncio.wait_for(running, 10)
    assert [a.status_code for a in answers] == [200] * 5
    webhook = dict(api.calls)["setWebhook"]
    assert webhook["url"] == "https://bot.example.com/hook"
    assert webhook["secret_token"] == SECRET
    assert webhook["allowed_updates"] == ALLOWED_UPDATES
    refused = {int(params["chat_id"]) for name, params in api.calls if name == "sendMessage"}
    assert refused == {5001, 5002, 5003, 5004, 5005}  # each stranger got the refusal
    assert app.bot_data.scheduler is None  # the reminder tick stopped
    assert not app.running
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient() as client:
            await client.get(f"http://127.0.0.1:{port}/healthz")


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_sigterm_and_sigint_stop_the_webhook_server_cleanly(
    tmp_path: Path, sig: signal.Signals
) -> None:
    port = free_port()
    settings = Settings.model_validate(
        {
            "telegram": {
                "token": TOKEN,
                "mode": "webhook",
                "webhook_url": f"http://127.0.0.1:{port}/hook",
                "webhook_port": port,
            },
            "database": {"url": f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"},
        }
    )
    api = FakeBotApi()
    app = build_application(settings, request=api)
    running = asyncio.create_task(run(app, WebhookIntake(app, settings.telegram)))
    for _ in range(100):
        if any(name == "setWebhook" for name, _ in api.calls):
            break
        await asyncio.sleep(0.02)
    os.kill(os.getpid(), sig)
    await asyncio.wait_for(running, 10)
    assert not app.running
    assert app.bot_data.scheduler is None
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers given back


@pytest.mark.parametrize(
    "held",
    [
        b"POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n",  # then no body
        b"POST /telegram HTTP/1.1\r\nHost: x\r\n",  # headers never finished
        b"",  # a connection that says nothing
    ],
)
async def test_a_client_that_holds_a_connection_sending_nothing_is_let_go(
    engine: AsyncEngine, held: bytes
) -> None:
    app = ApplicationBuilder().token(TOKEN).request(FakeBotApi()).updater(None).build()
    await app.initialize()
    hook = WebhookServer(
        app, engine, path="/telegram", secret=SECRET, port=0, idle_seconds=0.5, body_seconds=0.5
    )
    await hook.start()
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", hook.port)
        writer.write(held)
        await writer.drain()
        closed = await asyncio.wait_for(reader.read(), 5)  # b"" once the server lets go
        assert b"200" not in closed
        writer.close()
    finally:
        await hook.stop()
        await app.shutdown()


async def test_a_port_already_taken_stops_the_start_with_the_address_and_the_keys_to_change(
    server: WebhookServer, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.transport import describe_failure
    from bot.webhook import CannotListen

    second = WebhookServer(server.app, server.engine, path="/telegram", secret=SECRET)
    second.port = server.port
    with pytest.raises(CannotListen) as err:
        await second.start()
    await second.stop()
    described = describe_failure(err.value)
    assert described.startswith(f"the bot's web server cannot listen on 127.0.0.1:{server.port}")
    assert "telegram.webhook_port" in described
    assert "Traceback" not in caplog.text  # the sentence says it all; no stack in the log
