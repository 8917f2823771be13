"""The HTTP adapter: Telegram's addresses and token, long polls, webhook delivery with its
secret, calls recorded as they came over the wire, and `TelegramUser`.

What the two adapters share (messages, HTML, buttons, edits, faults, held updates) is tested
on both in test_bot_api.py.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import pytest_asyncio
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import InvalidToken

from standin.server import SECRET_HEADER, BotApiServer, TelegramUser

pytestmark = pytest.mark.asyncio

TOKEN = "123456:SERVER-TEST-TOKEN"
LAN_ID = 5001
SECRET = "the-webhook-secret_1"
KEYBOARD = InlineKeyboardMarkup(
    [
        [
            InlineKeyboardButton("😌 Calm", callback_data="mood:calm"),
            InlineKeyboardButton("Upset", callback_data="mood:upset"),
        ]
    ]
)


class Webhook:
    """A webhook endpoint on 127.0.0.1 that keeps what is POSTed to it and checks the secret."""

    def __init__(self, secret: str) -> None:
        self.received: list[tuple[str | None, dict[str, Any]]] = []
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                given = self.headers.get(SECRET_HEADER)
                hook.received.append((given, json.loads(body)))
                self.send_response(200 if given == secret else 403)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Keep the test output quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def server() -> Iterator[BotApiServer]:
    api = BotApiServer(TOKEN).start()
    yield api
    api.stop()


@pytest_asyncio.fixture
async def bot(server: BotApiServer) -> AsyncIterator[Bot]:
    """A PTB Bot calling the server over HTTP, as the bot process does."""
    async with Bot(TOKEN, base_url=server.base_url) as bot:
        yield bot


@pytest.fixture
def lan(server: BotApiServer) -> TelegramUser:
    return TelegramUser(server, LAN_ID, "Lan")


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook(SECRET)
    yield hook
    hook.close()


async def test_a_token_the_server_does_not_know_is_refused_as_telegram_refuses_it(
    server: BotApiServer,
) -> None:
    with pytest.raises(InvalidToken):
        await Bot("999:NOT-THIS-BOT", base_url=server.base_url).get_me()
    assert server.calls == []


async def test_calls_are_recorded_as_they_came_over_the_wire(
    server: BotApiServer, bot: Bot
) -> None:
    await bot.send_message(LAN_ID, "Pick one", reply_markup=KEYBOARD)

    assert server.methods() == ["getMe", "sendMessage"]
    [call] = server.called("sendMessage")
    assert call.params["chat_id"] == str(LAN_ID)  # form fields arrive as text
    assert json.loads(call.params["reply_markup"]) == KEYBOARD.to_dict()


async def test_a_long_poll_is_answered_as_soon_as_an_update_arrives(
    server: BotApiServer, bot: Bot, lan: TelegramUser
) -> None:
    server.long_poll_cap = 30
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.to_thread(server.wait_for, "the poll", lambda: server.called("getUpdates"))
    started = asyncio.get_running_loop().time()

    update_id = lan.send("/start")

    [update] = await asyncio.wait_for(poll, 5)
    assert asyncio.get_running_loop().time() - started < 5
    assert update.update_id == update_id
    assert update.message is not None
    assert update.message.text == "/start"
    assert update.message.entities[0].type == "bot_command"


async def test_stopping_the_server_ends_a_held_long_poll(server: BotApiServer, bot: Bot) -> None:
    server.long_poll_cap = 30
    poll = asyncio.create_task(bot.get_updates(timeout=30))
    await asyncio.to_thread(server.wait_for, "the poll", lambda: server.called("getUpdates"))

    await asyncio.to_thread(server.stop)

    assert await asyncio.wait_for(poll, 5) == ()


async def test_updates_are_posted_to_the_registered_webhook_with_its_secret(
    server: BotApiServer, bot: Bot, lan: TelegramUser, webhook: Webhook
) -> None:
    await bot.set_webhook(webhook.url, secret_token=SECRET)

    update_id = await asyncio.to_thread(lan.send, "Hello")

    assert webhook.received == [(SECRET, server.updates[update_id])]
    assert server.pending == []
    assert (await bot.get_webhook_info()).pending_update_count == 0


async def test_a_webhook_that_refuses_an_update_fails_its_delivery(
    bot: Bot, lan: TelegramUser, webhook: Webhook
) -> None:
    await bot.set_webhook(webhook.url, secret_token="not-the-one_it-expects")

    with pytest.raises(RuntimeError, match="the webhook answered 403"):
        await asyncio.to_thread(lan.send, "Hello")


async def test_a_telegram_user_presses_buttons_and_waits_for_what_the_bot_shows(
    server: BotApiServer, bot: Bot, lan: TelegramUser
) -> None:
    sent = await bot.send_message(LAN_ID, "<b>How</b> was it?", "HTML", reply_markup=KEYBOARD)

    assert lan.expect("How was it?").message_id == sent.message_id
    lan.press("calm")
    lan.press_data("forged:data")

    [calm, forged] = await bot.get_updates()
    assert calm.callback_query is not None
    assert calm.callback_query.data == "mood:calm"
    assert calm.callback_query.message is not None
    assert calm.callback_query.message.message_id == sent.message_id
    assert forged.callback_query is not None
    assert forged.callback_query.data == "forged:data"
    with pytest.raises(AssertionError, match="timed out waiting for a message with 'Bye'"):
        lan.expect("Bye", timeout=0.1)
