"""Chats are served side by side on SQLite too; one update, one transaction.

SQLite is called in the event loop's thread (`storage/inloop.py`): writers of the process
queue for one lock in the loop, never in SQLite's busy handler, so a chat waiting on
Telegram holds up nobody, many chats writing at once are all answered, and where a new
card went is written by the next update's own transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

import storage.engine
from standin.inprocess import FakeBotApi, Person
from tests.bot.conftest import World, make_world, settings_for
from tests.bot.crowd import TransportFeed
from tests.bot.walk import case_number, open_case
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio


class SlowChat:
    """Telegram answering one chat only when told to (a slow network, a big upload)."""

    def __init__(self, api: FakeBotApi, chat_id: int) -> None:
        self.api, self.chat_id = api, chat_id
        self.go_on = asyncio.Event()
        self.waiting = asyncio.Event()
        self._real = api.do_request

    async def do_request(self, url: str, method: str, request_data: Any = None, **kw: Any) -> Any:
        if request_data is not None and request_data.parameters.get("chat_id") == self.chat_id:
            self.waiting.set()
            await self.go_on.wait()
        return await self._real(url, method, request_data, **kw)


def through_the_processor(world: World, person: Person) -> Person:
    """The same person, their updates handed over as the transports do (chat order, limit)."""
    return Person(TransportFeed(world.app), world.api, person.telegram_id, "x", "en")  # type: ignore[arg-type]


async def test_a_chat_waiting_on_telegram_does_not_hold_up_another_chat(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    slow = SlowChat(world.api, world.lan.telegram_id)
    monkeypatch.setattr(world.api, "do_request", slow.do_request)
    lan, hoa = through_the_processor(world, world.lan), through_the_processor(world, world.hoa)
    lan_opens = asyncio.create_task(lan.send("/new"))
    await asyncio.wait_for(slow.waiting.wait(), timeout=5)  # Lan's card is on its way
    await asyncio.wait_for(hoa.send("/new"), timeout=5)  # Hòa is answered meanwhile
    assert case_number(world.hoa.last_text) == 2
    assert not lan_opens.done()
    slow.go_on.set()
    await lan_opens
    assert case_number(world.lan.last_text) == 1


@pytest.fixture
async def impatient_world(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[World]:
    """A world on SQLite whose writers would give up on a lock after 200 ms."""
    monkeypatch.setattr(storage.engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    url = f"sqlite+aiosqlite:///{tmp_path / 'many.sqlite3'}"
    async for world in make_world(settings_for(url), clock):
        yield world


async def test_many_chats_writing_at_once_on_sqlite_are_all_answered(
    impatient_world: World,
) -> None:
    world = impatient_world
    people = [through_the_processor(world, p) for p in (world.lan, world.hoa, world.bernd)]
    for round_ in range(10):  # thirty updates at once, each one opening a case, again and again
        command = ("/new", "/problem")[round_ % 2]  # (a second /new would show the same case)
        await asyncio.gather(*(person.send(command) for person in people))
    for person in (world.lan, world.hoa, world.bernd):
        assert "technical problem" not in "\n".join(m.plain_text for m in person.messages)
    assert await world.count("cases") == 30


async def test_an_update_is_one_transaction_and_on_sqlite_the_card_position_rides_on_the_next(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.send("/cases")  # a list comes after the card: the card is sent anew below it
    await lan.press(f"#{case_id}")
    card = lan.last
    stored = (await world.case(case_id)).card_message_id
    commits: list[str] = []
    event.listen(world.services.engine.sync_engine, "commit", lambda _c: commits.append("x"))
    if world.services.cards.deferred:  # SQLite, one process: known here, written next
        assert world.services.cards.where(case_id) == (lan.chat_id, card.message_id)
        assert stored != card.message_id
    else:  # PostgreSQL, which instances may share: written at once, for the others
        assert stored == card.message_id
    await lan.press("Calm")  # edited in place
    assert len(commits) == 1  # the update's own transaction, nothing after it
    assert (await world.case(case_id)).card_message_id == card.message_id
    assert lan.last is card


async def test_the_person_and_the_case_they_act_on_are_read_in_one_statement(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan)  # at step 1: a button press, then typed answers
    reads: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            reads.append(statement)

    engine = world.services.engine.sync_engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        await lan.press("Calm")  # a button naming the case
        pressed = len(reads)
        await lan.send("Dạ em xin lỗi chị vì giao hàng trễ ạ")  # the answer to its question
    finally:
        event.remove(engine, "before_cursor_execute", note)
    assert (await world.case(case_id)).events_count > 2
    assert (pressed, len(reads) - pressed) == (1, 1), (reads, lan.last_text)
