"""Updates of one chat run in order, one at a time; different chats run side by side."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass, field

import pytest
from telegram import Update
from telegram.ext import ApplicationBuilder, ContextTypes, TypeHandler

from bot.processor import ChatOrderedProcessor, chat_key
from standin.inprocess import FakeBotApi

pytestmark = pytest.mark.asyncio

TOKEN = "100000:PROCESSOR-TEST-TOKEN-00000000000000"


@dataclass
class Recorder:
    """Handler work that takes a while and notes when each update starts and ends."""

    pause: float = 0.02
    log: list[tuple[str, int, int]] = field(default_factory=list)  # (start|end, chat, n)
    running: int = 0
    most: int = 0
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    expected: int = 0

    def work(self, chat: int, n: int, fail: bool = False) -> Awaitable[None]:
        """Return the coroutine that processes update `n` of `chat`."""

        async def run() -> None:
            self.log.append(("start", chat, n))
            self.running += 1
            self.most = max(self.most, self.running)
            try:
                await asyncio.sleep(self.pause)
                if fail:
                    raise RuntimeError("handler failed")
            finally:
                self.running -= 1
                self.log.append(("end", chat, n))
                if sum(kind == "end" for kind, _, _ in self.log) == self.expected:
                    self.finished.set()

        return run()

    def order(self, chat: int) -> list[int]:
        """Return the update numbers of one chat in the order they started."""
        return [n for kind, c, n in self.log if kind == "start" and c == chat]

    def overlapped(self, chat: int) -> bool:
        """Tell whether two updates of one chat ever ran at the same time."""
        open_now = 0
        for kind, c, _ in self.log:
            if c == chat:
                open_now += 1 if kind == "start" else -1
                if open_now > 1:
                    return True
        return False


def update(update_id: int, chat: int) -> Update:
    """Return a text message update in a private chat."""
    return Update.de_json(
        {
            "update_id": update_id,
            "message": {
                "message_id": update_id,
                "date": 0,
                "chat": {"id": chat, "type": "private"},
                "from": {"id": chat, "is_bot": False, "first_name": "U"},
                "text": f"message {update_id}",
            },
        },
        None,
    )


async def feed(
    processor: ChatOrderedProcessor, arrivals: list[tuple[int, int]], recorder: Recorder
) -> None:
    """Hand updates to the processor as PTB does (one task each, in order); wait for all."""
    recorder.expected = len(arrivals)
    tasks = [
        asyncio.create_task(processor.process_update(update(i, chat), recorder.work(chat, i)))
        for i, (chat, _) in enumerate(arrivals)
    ]
    await asyncio.gather(*tasks)
    await asyncio.wait_for(recorder.finished.wait(), 5)
    assert processor.busy_chats == 0


async def test_two_updates_of_one_chat_never_overlap_and_keep_their_order() -> None:
    processor, recorder = ChatOrderedProcessor(8), Recorder()
    await feed(processor, [(1, 0)] * 6, recorder)
    assert recorder.order(1) == [0, 1, 2, 3, 4, 5]
    assert not recorder.overlapped(1)


async def test_updates_of_different_chats_run_at_the_same_time() -> None:
    processor, recorder = ChatOrderedProcessor(8), Recorder(pause=0.05)
    started = asyncio.get_running_loop().time()
    await feed(processor, [(chat, 0) for chat in range(1, 7)], recorder)
    assert recorder.most == 6
    assert asyncio.get_running_loop().time() - started < 6 * 0.05  # not one after another


async def test_no_more_updates_run_at_once_than_the_limit() -> None:
    processor, recorder = ChatOrderedProcessor(3), Recorder()
    await feed(processor, [(chat, 0) for chat in range(1, 11)], recorder)
    assert recorder.most == 3
    assert len(recorder.order(5)) == 1


async def test_a_busy_chat_holds_one_slot_so_other_chats_are_not_kept_waiting() -> None:
    processor, recorder = ChatOrderedProcessor(2), Recorder(pause=0.03)
    arrivals = [(1, 0)] * 5 + [(2, 0), (3, 0)]
    await feed(processor, arrivals, recorder)
    first_of_chat_one_ends = recorder.log.index(("end", 1, 0))
    assert ("start", 2, 5) in recorder.log[:first_of_chat_one_ends]  # chat 2 did not wait
    assert recorder.order(1) == [0, 1, 2, 3, 4]
    assert recorder.most <= 2


async def test_a_failing_update_does_not_stop_the_next_update_of_its_chat() -> None:
    processor, recorder = ChatOrderedProcessor(4), Recorder()
    first = processor.process_update(update(1, 7), recorder.work(7, 1, fail=True))
    second = processor.process_update(update(2, 7), recorder.work(7, 2))
    await asyncio.gather(first, second)
    assert recorder.order(7) == [1, 2]
    assert processor.busy_chats == 0


async def test_an_update_of_a_callback_query_belongs_to_the_chat_of_its_message() -> None:
    pressed = Update.de_json(
        {
            "update_id": 9,
            "callback_query": {
                "id": "q",
                "from": {"id": 5, "is_bot": False, "first_name": "U"},
                "chat_instance": "c",
                "data": "x",
                "message": {"message_id": 3, "date": 0, "chat": {"id": 5, "type": "private"}},
            },
        },
        None,
    )
    assert chat_key(pressed) == 5
    assert chat_key(object()) is None


async def test_stopping_the_application_finishes_every_update_it_accepted() -> None:
    recorder = Recorder(pause=0.01)
    processor = ChatOrderedProcessor(4)
    app = (
        ApplicationBuilder()
        .token(TOKEN)
        .request(FakeBotApi())
        .updater(None)
        .concurrent_updates(processor)
        .build()
    )

    async def handle(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_chat is not None
        await recorder.work(update.effective_chat.id, update.update_id)

    app.add_handler(TypeHandler(Update, handle))
    async with app:
        await app.start()
        for i in range(30):
            await app.update_queue.put(update(i, chat=1 + i % 3))
        await asyncio.sleep(0)  # let processing begin, then stop at once
        await app.stop()
    assert len(recorder.order(1)) + len(recorder.order(2)) + len(recorder.order(3)) == 30
    for chat in (1, 2, 3):
        assert recorder.order(chat) == sorted(recorder.order(chat))
        assert not recorder.overlapped(chat)
    assert recorder.most <= 3
