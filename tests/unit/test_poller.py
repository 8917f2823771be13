"""Long polling acknowledges an update to Telegram only once it and those before it are handled."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import pytest
from telegram import Update
from telegram.error import InvalidToken
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler
from telegram.request import BaseRequest, RequestData

from bot.poller import Poller
from bot.processor import ChatOrderedProcessor

pytestmark = pytest.mark.asyncio

TOKEN = "100000:POLLER-TEST-TOKEN-000000000000000000"
ME = {"id": 1, "is_bot": True, "first_name": "Bot", "username": "bot"}


class Telegram(BaseRequest):
    """getUpdates as Telegram serves it: an update is forgotten only below a later offset."""

    def __init__(self) -> None:
        self.pending: list[dict[str, Any]] = []
        self.offsets: list[int | None] = []  # the offset of each getUpdates call
        self.failures: deque[tuple[int, str]] = deque()  # (status, description) to answer
        self.arrived = asyncio.Event()

    def send(self, *update_ids: int, chat: int = 7) -> None:
        """Hold updates for the bot, as Telegram does when users write."""
        for update_id in update_ids:
            message = {"message_id": update_id, "date": 0, "text": f"m{update_id}"}
            message["chat"] = {"id": chat, "type": "private"}
            self.pending.append({"update_id": update_id, "message": message})
        self.arrived.set()

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **_: Any
    ) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1].lower()
        params = request_data.parameters if request_data else {}
        if name != "getupdates":
            return 200, json.dumps(
                {"ok": True, "result": ME if name == "getme" else True}
            ).encode()
        offset = params.get("offset")
        self.offsets.append(offset)
        if self.failures:
            status, description = self.failures.popleft()
            return status, json.dumps(
                {"ok": False, "error_code": status, "description": description}
            ).encode()
        self.pending = [u for u in self.pending if offset is None or u["update_id"] >= offset]
        if not self.pending and params.get("timeout"):
            self.arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.arrived.wait(), 0.2)
        batch = self.pending[: int(params.get("limit") or 100)]
        return _answer(200, {"ok": True, "result": batch})


def _answer(status: int, body: dict[str, Any]) -> tuple[int, bytes]:
    return status, json.dumps(body).encode()


@dataclass
class Handlers:
    """Updates in `held` wait for `go`; `started` and `handled` list update ids in order."""

    held: set[int] = field(default_factory=set)
    started: list[int] = field(default_factory=list)
    handled: list[int] = field(default_factory=list)
    go: asyncio.Event = field(default_factory=asyncio.Event)

    async def __call__(self, update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        self.started.append(update.update_id)
        if update.update_id in self.held:
            await self.go.wait()
        self.handled.append(update.update_id)


async def until(check: Any, what: str) -> None:
    for _ in range(500):
        if check():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
async def setup() -> Any:
    telegram, handlers = Telegram(), Handlers()
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(telegram)
        .get_updates_request(telegram)
        .updater(None)
        .concurrent_updates(ChatOrderedProcessor(4))
        .build()
    )
    app.add_handler(TypeHandler(Update, handlers))
    await app.initialize()
    poller = Poller(app, ["message"], poll_timeout=1, busy_pause=0.01, first_pause=0.01)
    yield telegram, handlers, poller
    handlers.go.set()
    await poller.stop()
    await app.shutdown()


async def test_telegram_is_asked_for_no_offset_past_an_update_still_in_hand(
    setup: Any,
) -> None:
    telegram, handlers, poller = setup
    handlers.held = {1, 3}
    telegram.send(1, 2, chat=7)
    telegram.send(3, chat=8)
    await poller.start()
    await until(lambda: handlers.started == [1, 3], "both chats to start")  # 2 waits behind 1
    await asyncio.sleep(0.2)  # polls go on meanwhile
    assert set(telegram.offsets) <= {None, 1}  # never past update 1
    assert [u["update_id"] for u in telegram.pending] == [1, 2, 3]  # Telegram still holds them
    handlers.go.set()
    await until(lambda: 4 in telegram.offsets, "the next offset")
    assert handlers.handled.index(1) < handlers.handled.index(2)  # one chat in order
    assert sorted(handlers.handled) == [1, 2, 3]
    assert telegram.pending == []


async def test_a_slow_update_does_not_hold_up_other_chats_nor_get_acknowledged_early(
    setup: Any,
) -> None:
    telegram, handlers, poller = setup
    handlers.held = {1}
    telegram.send(1, chat=7)  # a large export, say
    await poller.start()
    await until(lambda: handlers.started == [1], "the slow update")
    telegram.send(2, 3, chat=8)
    await until(lambda: handlers.handled == [2, 3], "the other chat's updates")
    assert all(offset in (None, 1) for offset in telegram.offsets)
    handlers.go.set()
    await until(lambda: 4 in telegram.offsets, "the acknowledgement")
    assert handlers.handled == [2, 3, 1]
    assert handlers.started.count(1) == 1  # coming back while in hand, it ran once


async def test_stopping_interrupts_the_long_poll_and_acknowledges_what_was_handled(
    setup: Any,
) -> None:
    telegram, handlers, poller = setup
    await poller.start()
    telegram.send(5)
    await until(lambda: handlers.handled == [5], "the update")
    await asyncio.wait_for(poller.stop(), 2)  # no waiting for the long poll to run out
    assert telegram.offsets[-1] == 6
    assert telegram.pending == []


async def test_stopping_with_a_batch_in_hand_finishes_it_before_acknowledging(
    setup: Any,
) -> None:
    telegram, handlers, poller = setup
    handlers.held = {9}
    telegram.send(9)
    await poller.start()
    await until(lambda: handlers.started == [9], "the update to start")
    stopping = asyncio.create_task(poller.stop())
    await asyncio.sleep(0.1)
    assert not stopping.done()
    handlers.go.set()
    await asyncio.wait_for(stopping, 2)
    assert (handlers.handled, telegram.offsets[-1]) == ([9], 10)


async def test_failed_polls_are_tried_again_and_lose_nothing(setup: Any) -> None:
    telegram, handlers, poller = setup
    telegram.failures.extend([(502, "Bad Gateway"), (500, "Internal Server Error")])
    telegram.send(11, 12)
    await poller.start()
    await until(lambda: handlers.handled == [11, 12], "the updates")
    assert telegram.offsets[:3] == [None, None, None]


async def test_a_token_telegram_refuses_ends_the_poller_with_the_error(setup: Any) -> None:
    telegram, _handlers, poller = setup
    telegram.failures.append((401, "Unauthorized"))
    await poller.start()
    with pytest.raises(InvalidToken):
        await asyncio.wait_for(poller.wait(), 2)
