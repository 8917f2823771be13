"""When an answer is lost on the way, nobody is misled and nothing is recorded twice.

- a commit that reached the database but whose answer was lost is looked up: the person
  sees the result, not "try again";
- an answer whose saving could not be confirmed, typed again, is confirmed if it was saved
  and taken if it was not — never taken as the answer to the next question;
- an update handled before a crash, whose answer never reached the person, is answered
  (the current card) when Telegram delivers it again — once;
- handled update ids are remembered per bot and for a bounded time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.exc import OperationalError

from flows.newest import Newest
from storage import tables
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.walk import open_case

pytestmark = pytest.mark.asyncio

TRY_AGAIN = "technical problem"


def commit_whose_answer_is_lost(monkeypatch: pytest.MonkeyPatch, *, lookup_fails: bool) -> None:
    """The next commit goes through, then the connection drops before its answer."""
    real_commit = SqlUnitOfWork.commit
    real_lookup = SqlUnitOfWork.already_processed
    state = {"lost": False}

    async def commit(self: SqlUnitOfWork) -> None:
        await real_commit(self)
        if not state["lost"]:
            state["lost"] = True
            raise OperationalError("COMMIT", {}, Exception("connection reset"))

    async def lookup(self: SqlUnitOfWork, update_id: int | None = None) -> bool:
        if state["lost"] and lookup_fails and not state.get("looked"):
            state["looked"] = True  # the database is back for the next update
            raise OperationalError("SELECT", {}, Exception("connection refused"))
        return await real_lookup(self, update_id)

    monkeypatch.setattr(SqlUnitOfWork, "commit", commit)
    monkeypatch.setattr(SqlUnitOfWork, "already_processed", lookup)


async def test_a_saved_change_whose_commit_answer_was_lost_is_shown_not_retried(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Calm")
    commit_whose_answer_is_lost(monkeypatch, lookup_fails=False)
    await world.lan.send("She accepted the apology at once")
    assert TRY_AGAIN not in world.lan.last_text
    assert "Step 2 of 5" in world.lan.last_text
    assert (await world.case(case_id)).state == "fix"


async def test_when_the_database_cannot_say_the_person_is_told_to_check_first(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    await open_case(world.lan)
    await world.lan.press("Calm")
    commit_whose_answer_is_lost(monkeypatch, lookup_fails=True)
    await world.lan.send("She accepted the apology at once")
    assert "could not confirm whether that was saved" in world.lan.last_text


async def test_an_answer_in_doubt_typed_again_is_confirmed_if_it_was_saved(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Calm")
    commit_whose_answer_is_lost(monkeypatch, lookup_fails=True)
    await world.lan.send("She accepted the apology at once")  # saved; the answer was not
    assert "could not confirm" in world.lan.last_text
    assert (await world.case(case_id)).state == "fix"
    events = len(await world.events(case_id))
    await world.lan.send("She accepted the apology at once")  # "did it go through?"
    assert "already saved" in world.lan.messages[-2].plain_text
    case = await world.case(case_id)
    assert (case.state, case.draft) == ("fix", {})
    assert len(await world.events(case_id)) == events
    await world.lan.send("She accepted the apology at once")  # no doubt now: a new answer
    assert (await world.case(case_id)).draft == {"action": "She accepted the apology at once"}


async def test_an_answer_in_doubt_that_was_not_saved_is_taken_when_typed_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Note")
    real_commit, real_lookup = SqlUnitOfWork.commit, SqlUnitOfWork.already_processed
    state = {"failed": False}

    async def failing_commit(self: SqlUnitOfWork) -> None:
        if not state["failed"]:
            state["failed"] = True
            raise OperationalError("COMMIT", {}, Exception("connection reset"))
        await real_commit(self)

    async def lookup(self: SqlUnitOfWork, update_id: int | None = None) -> bool:
        if state["failed"] and update_id is None and not state.get("looked"):
            state["looked"] = True
            raise OperationalError("SELECT", {}, Exception("connection refused"))
        return await real_lookup(self, update_id)

    monkeypatch.setattr(SqlUnitOfWork, "commit", failing_commit)
    monkeypatch.setattr(SqlUnitOfWork, "already_processed", lookup)
    await world.lan.send("Called her back at noon")
    assert "could not confirm" in world.lan.last_text
    await world.lan.send("Called her back at noon")
    notes = [e.data["text"] for e in await world.events(case_id) if e.kind == "note"]
    assert notes == ["Called her back at noon"]


async def test_an_update_handled_before_a_crash_is_answered_again_once_when_redelivered(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    update_id = await world.lan.press("Calm")
    events = len(await world.events(case_id))
    world.services.answered = Newest(10)  # a new process: it never saw its answer go out
    calls = len(world.api.calls)
    await world.lan.redeliver(update_id)
    assert len(await world.events(case_id)) == events  # nothing recorded twice
    drawn = [p for m, p in world.api.calls[calls:] if m in ("sendMessage", "editMessageText")]
    assert drawn, "the current card was not drawn again"
    assert f"Case #{case_id}" in str(drawn[-1]["text"])
    world.services.answered = Newest(10)
    calls = len(world.api.calls)
    await world.lan.redeliver(update_id)
    again = [m for m, _ in world.api.calls[calls:] if m in ("sendMessage", "editMessageText")]
    assert again == []  # once only


async def test_update_ids_are_remembered_per_bot(world: World) -> None:
    async with SqlUnitOfWork(world.services.sessions, 424242, bot_id=1) as uow:
        assert await uow.claim_update()
        await uow.commit()
    async with SqlUnitOfWork(world.services.sessions, 424242, bot_id=2) as uow:
        assert not await uow.already_processed()  # a new token: its ids start again
    async with SqlUnitOfWork(world.services.sessions, 424242, bot_id=1) as uow:
        assert await uow.already_processed()


async def test_handled_update_ids_older_than_the_window_are_forgotten_by_the_tick(
    world: World,
) -> None:
    old = datetime.now(UTC) - timedelta(days=3)
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await uow.session.execute(
            insert(tables.processed_updates),
            [
                {"bot_id": 1, "update_id": 1, "processed_at": old},
                {"bot_id": 1, "update_id": 2, "processed_at": datetime.now(UTC)},
            ],
        )
        await uow.commit()
    await world.scheduler.tick()
    async with SqlUnitOfWork(world.services.sessions) as uow:
        rows = await uow.session.execute(select(tables.processed_updates.c.update_id))
        assert [r for (r,) in rows] == [2]
