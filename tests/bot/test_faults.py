"""Faults while people act: a busy or failing database, and Telegram failing our replies.

Each update is one transaction: it is committed exactly once (with its update id) or not at
all, whatever happens to the replies afterwards; the process goes on and the next update
works. Reminder delivery under faults is covered in test_reminders.py.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

import storage.engine
from flows.lists import Lists
from flows.procedures.complaint import Step
from standin.errors import FaultKind
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, make_world, settings_for
from tests.bot.walk import open_case, walk_to_compensate
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

TRY_AGAIN = "Please try again in a moment"
HELD = 0.3  # seconds another connection holds the lock in the short-lock tests
KINDS: tuple[FaultKind, ...] = (
    "retry_after",
    "server",
    "timeout",
    "network",
    "forbidden",
    "bad_request",
)


async def notes(world: World, case_id: int) -> list[str]:
    return [e.data["text"] for e in await world.events(case_id) if e.kind == "note"]


async def processed(world: World, update_id: int) -> bool:
    from sqlalchemy import text

    async with SqlUnitOfWork(world.services.sessions) as uow:
        found = await uow.session.execute(
            text("SELECT count(*) FROM processed_updates WHERE update_id = :u"), {"u": update_id}
        )
        return bool(found.scalar_one())


def assert_contiguous(events: list[Any]) -> None:
    assert [e.seq for e in events] == list(range(1, len(events) + 1))


def current_buttons_are_live(person: Person, version: int) -> bool:
    """Tell whether the card the person sees carries buttons of the case's current version."""
    card = person.api.last_with_buttons(person.chat_id)
    assert card is not None
    data = [b.callback_data or "" for row in card.buttons for b in row]
    return all(d.split(":")[2] == str(version) for d in data if d.startswith("k:"))


# ------------------------------------------------------------------ a busy database


class Lock:
    """Another connection holding the database (SQLite) or the case's row (PostgreSQL)."""

    def __init__(self, database_url: str) -> None:
        self.url = database_url
        self.sqlite: sqlite3.Connection | None = None
        self.postgres: asyncpg.Connection | None = None

    async def take(self, case_id: int) -> None:
        if self.url.startswith("sqlite"):
            path = self.url.split(":///", 1)[1]
            self.sqlite = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self.sqlite.execute("BEGIN IMMEDIATE")
            return
        url = make_url(self.url)
        self.postgres = await asyncpg.connect(
            host=url.host,
            port=url.port,
            user=url.username,
            password=url.password,
            database=url.database,
        )
        await self.postgres.execute("BEGIN")
        await self.postgres.execute("SELECT 1 FROM cases WHERE id = $1 FOR UPDATE", case_id)

    async def release(self) -> None:
        if self.sqlite is not None:
            self.sqlite.rollback()
            self.sqlite.close()
            self.sqlite = None
        if self.postgres is not None:
            await self.postgres.execute("ROLLBACK")
            await self.postgres.close()
            self.postgres = None

    async def release_after(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        await self.release()


@pytest.fixture
async def lock(database_url: str) -> AsyncIterator[Lock]:
    held = Lock(database_url)
    yield held
    await held.release()


@pytest.mark.parametrize("how", ["a typed note", "a button"])
async def test_an_action_waits_for_a_short_lock_held_elsewhere_and_then_succeeds(
    world: World, lock: Lock, how: str
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    if how == "a typed note":
        await lan.press("Note")
    before = await world.case(case_id)
    await lock.take(case_id)
    releasing = asyncio.create_task(lock.release_after(HELD))
    started = time.monotonic()
    if how == "a typed note":
        await lan.send("Called back while the database was busy")
    else:
        await lan.press("Calm")
    waited = time.monotonic() - started
    await releasing
    assert waited >= HELD * 0.8  # it really waited for the lock
    case = await world.case(case_id)
    assert case.version == before.version + 1
    if how == "a typed note":
        assert await notes(world, case_id) == ["Called back while the database was busy"]
    else:
        assert case.draft.get("reaction") == "calm"
    assert TRY_AGAIN not in lan.last_text
    assert_contiguous(list(await world.events(case_id)))


@pytest.fixture
async def impatient_world(
    tmp_path: Path, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[World, str]]:
    """A world on SQLite whose connections give up on a lock after 200 ms, not 5 s."""
    monkeypatch.setattr(storage.engine, "SQLITE_BUSY_TIMEOUT_MS", 200)
    url = f"sqlite+aiosqlite:///{tmp_path / 'impatient.sqlite3'}"
    async for world in make_world(settings_for(url), clock):
        yield world, url


@pytest.mark.parametrize("how", ["a typed note", "a button", "a command"])
async def test_with_the_lock_held_past_the_busy_timeout_the_person_is_asked_to_try_again(
    impatient_world: tuple[World, str], how: str
) -> None:
    world, url = impatient_world
    lan = world.lan
    case_id = await open_case(lan)
    if how == "a typed note":
        await lan.press("Note")
    before = await world.case(case_id)
    events_before = len(await world.events(case_id))
    cases_before = await world.count("cases")
    lock = Lock(url)
    await lock.take(case_id)
    try:
        if how == "a typed note":
            update_id = await lan.send("Typed while the database was locked")
        elif how == "a button":
            update_id = await lan.press("Calm")
        else:
            update_id = await lan.send("/new")
        assert TRY_AGAIN in lan.last_text
    finally:
        await lock.release()
    # Nothing half-written: no event, no new version, no new case, the update not recorded.
    case = await world.case(case_id)
    assert (case.state, case.version, case.draft) == (before.state, before.version, before.draft)
    assert len(await world.events(case_id)) == events_before
    assert await world.count("cases") == cases_before
    assert not await processed(world, update_id)
    # The same update, once the lock is gone, is handled once and only once.
    await lan.redeliver(update_id)
    await lan.redeliver(update_id)
    assert await processed(world, update_id)
    if how == "a typed note":
        assert await notes(world, case_id) == ["Typed while the database was locked"]
    elif how == "a button":
        assert (await world.case(case_id)).draft.get("reaction") == "calm"
    else:
        assert await world.count("cases") == cases_before + 1
    assert_contiguous(list(await world.events(case_id)))


async def test_a_database_error_at_commit_leaves_nothing_half_written(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.press("Calm")
    before = await world.case(case_id)
    events_before = list(await world.events(case_id))
    real_commit = SqlUnitOfWork.commit
    failures = 0

    async def failing_commit(self: SqlUnitOfWork) -> None:
        nonlocal failures
        if failures == 0:
            failures += 1
            await self.session.flush()  # everything written, then the commit fails
            raise OperationalError("COMMIT", {}, Exception("disk I/O error"))
        await real_commit(self)

    monkeypatch.setattr(SqlUnitOfWork, "commit", failing_commit)
    update_id = await lan.press("Skip")
    assert TRY_AGAIN in lan.last_text
    case = await world.case(case_id)
    assert (case.state, case.version) == (before.state, before.version)
    assert [e.seq for e in await world.events(case_id)] == [e.seq for e in events_before]
    assert not await processed(world, update_id)
    await lan.redeliver(update_id)
    case = await world.case(case_id)
    assert case.state == Step.fix
    kinds = [e.kind for e in await world.events(case_id)]
    assert kinds.count("apologised") == 1
    assert_contiguous(list(await world.events(case_id)))


async def test_an_unexpected_error_in_a_use_case_gets_an_answer_and_the_next_update_works(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = await open_case(world.lan)

    async def broken(self: Lists, *args: object) -> list[Any]:
        raise RuntimeError("something nobody expected")

    with monkeypatch.context() as patched:
        patched.setattr(Lists, "timeline", broken)
        await world.lan.send(f"/case {case_id}")
    assert TRY_AGAIN in world.lan.last_text
    await world.lan.send(f"/case {case_id}")
    assert "Timeline" in world.lan.last_text
    await world.lan.press("Calm")
    assert (await world.case(case_id)).draft.get("reaction") == "calm"


# --------------------------------------------------------- Telegram failing our replies


@pytest.mark.parametrize("times", [1, 2])
@pytest.mark.parametrize("kind", KINDS)
async def test_telegram_failing_the_reply_to_a_note_keeps_it_committed_exactly_once(
    world: World, kind: FaultKind, times: int
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.press("Note")
    world.api.fail_next("sendMessage", kind, times=times, retry_after=0.01)
    update_id = await lan.send(f"Customer called back ({kind})")
    world.api._faults.clear()  # whatever the update did not use up
    assert await notes(world, case_id) == [f"Customer called back ({kind})"]
    assert await processed(world, update_id)
    await lan.redeliver(update_id)  # Telegram may deliver an update again
    assert await notes(world, case_id) == [f"Customer called back ({kind})"]
    await lan.send("/cases")  # the process goes on: the next updates work
    await lan.press(f"#{case_id}")
    assert "Step 1 of 5" in lan.last_text
    await lan.press("Calm")
    assert (await world.case(case_id)).draft.get("reaction") == "calm"
    assert_contiguous(list(await world.events(case_id)))


@pytest.mark.parametrize("kind", KINDS)
async def test_telegram_failing_the_supervisors_notice_keeps_the_request_and_its_reminder(
    world: World, kind: FaultKind
) -> None:
    lan, minh = world.lan, world.minh
    case_id = await open_case(lan)
    await walk_to_compensate(lan)
    await lan.press("Refund")
    sent_before = len(minh.messages)
    # Lan's card is edited, then a new card sent to her, then the request sent to Minh
    # (a flood error is waited out and tried once more, so it takes two faults per message).
    world.api.fail_next("sendMessage", kind, times=4, retry_after=0.01)
    await lan.send("2tr")
    world.api._faults.clear()
    assert len(minh.messages) == sent_before  # the request itself was lost
    case = await world.case(case_id)
    assert case.state == Step.awaiting_approval
    assert [e.kind for e in await world.events(case_id)].count("compensated") == 1
    world.clock.advance(hours=4)
    await world.scheduler.tick()  # the approval reminder reaches Minh all the same
    assert len(minh.messages) > sent_before
    await minh.press("Approve")
    assert (await world.case(case_id)).state == Step.follow_up


@pytest.mark.parametrize("kind", ["timeout", "network", "server", "retry_after"])
async def test_a_failed_edit_during_a_press_is_committed_once_and_a_stale_press_changes_nothing(
    world: World, kind: FaultKind
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    stale_card = lan.api.last_with_buttons(lan.chat_id)
    assert stale_card is not None
    stale_calm = stale_card.find_button("Calm").callback_data or ""
    world.api.fail_next("editMessageText", kind, retry_after=0.01)
    update_id = await lan.press("Calm")
    world.api._faults.clear()
    case = await world.case(case_id)
    assert case.draft.get("reaction") == "calm"
    assert await processed(world, update_id)
    # The card on screen may still be the old one (its buttons not yet gone from the app).
    await lan.press_data(stale_calm, stale_card.message_id)
    assert "out of date" in (world.api.answers[-1].get("text") or "")
    assert (await world.case(case_id)).version == case.version
    await lan.redeliver(update_id)
    assert (await world.case(case_id)).version == case.version


@pytest.mark.parametrize("kind", ["timeout", "network", "server"])
async def test_after_a_failed_edit_the_person_still_has_a_card_with_live_buttons(
    world: World, kind: FaultKind
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    world.api.fail_next("editMessageText", kind)
    await lan.press("Calm")
    version = (await world.case(case_id)).version
    assert current_buttons_are_live(lan, version)
    await lan.press("Skip")
    assert (await world.case(case_id)).state == Step.fix


PRESS_FAULTS: list[tuple[str, FaultKind]] = [
    ("answerCallbackQuery", "timeout"),
    ("answerCallbackQuery", "network"),
    ("answerCallbackQuery", "server"),
    ("deleteMessage", "server"),
    ("deleteMessage", "timeout"),
    ("editMessageReplyMarkup", "network"),
    ("sendMessage", "timeout"),
]


@pytest.mark.parametrize(("method", "kind"), PRESS_FAULTS)
async def test_other_failed_calls_around_a_step_never_duplicate_or_lose_its_effects(
    world: World, method: str, kind: FaultKind
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.press("Calm")
    world.api.fail_next(method, kind, times=2, retry_after=0.01)
    first = await lan.press("Skip")  # completes step 1: done card edited, new card sent
    second = await lan.send("Re-delivered by our own van")
    world.api._faults.clear()
    for update_id in (first, second):
        assert await processed(world, update_id)
        await lan.redeliver(update_id)
    case = await world.case(case_id)
    assert case.state == Step.fix
    assert case.draft.get("action") == "Re-delivered by our own van"
    kinds = [e.kind for e in await world.events(case_id)]
    assert kinds.count("apologised") == 1
    assert_contiguous(list(await world.events(case_id)))
    await lan.send("/cases")
    await lan.press(f"#{case_id}")
    await lan.press("Fixed now")
    assert (await world.case(case_id)).state == Step.empathise


@pytest.mark.parametrize("kind", ["timeout", "network", "server"])
async def test_a_failed_answer_to_a_strangers_press_is_only_a_warning(
    world: World, kind: FaultKind, caplog: pytest.LogCaptureFixture
) -> None:
    world.api.fail_next("answerCallbackQuery", kind)
    await world.stranger.press_data("k:1:1:c:calm")
    assert world.stranger.messages == []  # a stranger gets the refusal, or nothing
    assert not [r for r in caplog.records if r.levelno >= 40]  # no ERROR
    assert await world.count("processed_updates") == 0


@pytest.mark.parametrize(
    ("who", "chosen", "try_again"),
    [
        ("lan", "Tiếng Việt", "Bạn vui lòng thử lại sau giây lát"),
        ("hoa", "English", TRY_AGAIN),
    ],
)
async def test_a_person_asked_to_try_again_is_asked_in_the_language_they_chose(
    impatient_world: tuple[World, str], who: str, chosen: str, try_again: str
) -> None:
    """The database cannot say which language someone chose while it is locked: the one
    they chose, read last time, is remembered, not their Telegram app's taken instead."""
    world, url = impatient_world
    person: Person = getattr(world, who)
    case_id = await open_case(person)
    await person.send("/language")
    await person.press(chosen)
    lock = Lock(url)
    await lock.take(case_id)
    try:
        await person.send("/cases")
        assert try_again in person.last_text
    finally:
        await lock.release()
