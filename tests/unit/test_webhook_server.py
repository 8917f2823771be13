"""The webhook server: the secret token, the update queue, /healthz, and a clean stop."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import SCHEDULER_KEY, build_application
from bot.config import Settings
from bot.services import SERVICES_KEY
from bot.standin import FakeBotApi
from bot.transport import ALLOWED_UPDATES, run_webhook
from bot.webhook import SECRET_HEADER, WebhookServer
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


@pytest.fixture
async def server(engine: AsyncEngine) -> AsyncIterator[WebhookServer]:
    app = build_application(Settings(), request=FakeBotApi(), updater=False)
    await app.bot_data[SERVICES_KEY].engine.dispose()
    hook = WebhookServer(app, engine, path="/telegram", secret=SECRET, port=0)
    await hook.start()
    yield hook
    await hook.stop()


def address(hook: WebhookServer, path: str = "/telegram") -> str:
    return f"http://127.0.0.1:{hook.port}{path}"


async def test_an_update_with_the_secret_token_is_queued_for_the_application(
    server: WebhookServer,
) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(
            address(server), json=update_json(7), headers={SECRET_HEADER: SECRET}
        )
    assert answer.status_code == 200
    queued = server.app.update_queue.get_nowait()
    assert queued.update_id == 7
    assert queued.effective_message.text == "/start"


@pytest.mark.parametrize(
    "secret", [None, "", "wrong-secret", SECRET + "x", "ünïcode".encode("latin-1")]
)
async def test_a_request_without_the_right_secret_token_is_refused_with_403(
    server: WebhookServer, secret: str | bytes | None
) -> None:
    headers = {} if secret is None else {SECRET_HEADER: secret}
    async with httpx.AsyncClient() as client:
        answer = await client.post(address(server), json=update_json(), headers=headers)
    assert answer.status_code == 403
    assert server.app.update_queue.empty()


@pytest.mark.parametrize(
    "body", [b"not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": 1, "message": "x"}']
)
async def test_a_body_that_is_not_an_update_is_refused_with_400(
    server: WebhookServer, body: bytes
) -> None:
    async with httpx.AsyncClient() as client:
        answer = await client.post(address(server), content=body, headers={SECRET_HEADER: SECRET})
    assert answer.status_code == 400
    assert server.app.update_queue.empty()


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
    app = build_application(Settings(), request=FakeBotApi(), updater=False)
    await app.bot_data[SERVICES_KEY].engine.dispose()
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
    server: WebhookServer,
) -> None:
    server.accepting = False
    assert await server.receive(json.dumps(update_json()).encode()) == 503
    assert server.app.update_queue.empty()


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
    app = build_application(settings, request=api, updater=False)
    stop = asyncio.Event()
    running = asyncio.create_task(run_webhook(app, settings.telegram, stop_signals=(), stop=stop))
    async with httpx.AsyncClient() as client:
        for _ in range(100):  # wait until the server listens
            if any(name == "setWebhook" for name, _ in api.calls):
                break
            await asyncio.sleep(0.02)
        assert SCHEDULER_KEY in app.bot_data  # the reminder tick runs
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
    assert SCHEDULER_KEY not in app.bot_data  # the reminder tick stopped
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
    app = build_application(settings, request=api, updater=False)
    running = asyncio.create_task(run_webhook(app, settings.telegram))
    for _ in range(100):
        if any(name == "setWebhook" for name, _ in api.calls):
            break
        await asyncio.sleep(0.02)
    os.kill(os.getpid(), sig)
    await asyncio.wait_for(running, 10)
    assert not app.running
    assert SCHEDULER_KEY not in app.bot_data
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # handlers given back
