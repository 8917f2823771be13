"""PostgreSQL stops in the middle of a conversation, and comes back.

The bot reaches PostgreSQL through a TCP proxy on 127.0.0.1 (`tests/tcp_proxy.py`); the
test stops and starts the database by stopping and starting the proxy, two ways:

- "network": every open connection is reset at once and new ones are refused, as a crashed
  server or a broken network looks from the bot;
- "fast shutdown": first the server ends the bot's sessions itself (`pg_terminate_backend`,
  which sends each the FATAL "terminating connection due to administrator command" that
  `pg_ctl stop -m fast` sends), then nothing listens any more.

What the person sees: the polite "try again" for each thing they do while the database is
away, the process going on, and the same action working again once it is back, without any
restart. What the database holds is read straight from the server, not through the proxy,
so the test can look while the bot cannot.

PostgreSQL only: SQLite is a file in the process, there is no server to lose (its faults,
a busy database and a failing commit, are in test_faults.py). Without TEST_POSTGRES_URL these
tests are skipped, under CI they fail (tests/conftest.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

import asyncpg
import pytest
from sqlalchemy.engine import make_url
from telegram.request import RequestData

from bot.scheduler import Scheduler, TickReport
from flows.model import Reminder
from flows.procedures.complaint import Step
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, make_world, settings_for
from tests.bot.walk import compensate, label, open_case, walk_to_compensate, words
from tests.conftest import Clock, connect
from tests.tcp_proxy import LOOPBACK, TcpProxy

pytestmark = pytest.mark.asyncio

How = Literal["network", "fast shutdown"]
HOWS: tuple[How, ...] = ("network", "fast shutdown")
TICK = 0.02  # seconds between reminder ticks in the loop tests
WAIT = 5.0  # seconds any one thing may take before the test gives up on it
TUESDAY_9AM = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 09:00 in Ho Chi Minh City
#: How a follow-up reminder begins, as each reader reads it.
FOLLOW_UP = {"en": "Time to follow up", "vi": "Đến giờ theo dõi"}

# The bot's own sessions: those that came through the proxy's connections to the server.
END_THE_BOTS_SESSIONS = """
SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
WHERE client_addr = '127.0.0.1' AND client_port = ANY($1::int[]) AND usename = current_user
"""
# The bot's sessions left in the database (the test's own is not one of them).
BOTS_SESSIONS = """
SELECT count(*) FROM pg_stat_activity
WHERE datname = current_database() AND usename = current_user
  AND backend_type = 'client backend' AND pid <> pg_backend_pid()
"""
# The bot's sessions holding a write to the case log that is not committed.
WRITING_TO_THE_LOG = """
SELECT count(*) FROM pg_locks JOIN pg_stat_activity USING (pid)
WHERE client_port = ANY($1::int[]) AND state = 'idle in transaction'
  AND relation = 'case_events'::regclass AND mode = 'RowExclusiveLock'
"""


async def until(
    condition: Callable[[], bool | Awaitable[bool]], what: str, within: float = WAIT
) -> float:
    """Poll until `condition` holds; return how long it took, fail after `within` seconds."""
    started = time.monotonic()
    while True:
        result = condition()
        if await result if isinstance(result, Awaitable) else result:
            return time.monotonic() - started
        if time.monotonic() - started > within:
            raise AssertionError(f"still waiting after {within} s for {what}")
        await asyncio.sleep(0.01)


@dataclass
class Database:
    """The PostgreSQL server as the bot sees it: behind a proxy the test stops and starts."""

    proxy: TcpProxy
    admin: asyncpg.Connection  # straight to the server: the test's own eyes
    url: str  # what the bot connects to: the proxy

    async def stop(self, how: How = "network") -> None:
        """Take the database away from the bot."""
        if how == "fast shutdown":
            ports = self.proxy.server_side_ports()
            assert ports, "the bot holds no connection to end"
            assert await self.admin.fetchval(END_THE_BOTS_SESSIONS, ports) == len(ports)
            # The server tells each session why and closes it; the proxy passes both on.
            await until(lambda: self.proxy.open_connections == 0, "the server to end them")
        await self.proxy.stop()

    async def start(self) -> None:
        """Give the database back, on the same address."""
        await self.proxy.start()

    async def events(self, case_id: int) -> list[tuple[int, str, str]]:
        """The case's log as stored: (seq, kind, data), in order."""
        rows = await self.admin.fetch(
            "SELECT seq, kind, data FROM case_events WHERE case_id = $1 ORDER BY seq, id",
            case_id,
        )
        return [(row["seq"], row["kind"], row["data"]) for row in rows]

    async def case(self, case_id: int) -> tuple[str, int, str]:
        """The case's state, version and draft as stored."""
        row = await self.admin.fetchrow(
            "SELECT state, version, draft FROM cases WHERE id = $1", case_id
        )
        assert row is not None
        return row["state"], row["version"], row["draft"]

    async def processed(self, update_ids: list[int]) -> set[int]:
        """Which of these updates are recorded as handled."""
        rows = await self.admin.fetch(
            "SELECT update_id FROM processed_updates WHERE update_id = ANY($1::bigint[])",
            update_ids,
        )
        return {row["update_id"] for row in rows}

    async def reminder_status(self, kind: str) -> list[str]:
        """The statuses of the reminders of one kind."""
        rows = await self.admin.fetch(
            "SELECT status FROM reminders WHERE kind = $1 ORDER BY id", kind
        )
        return [row["status"] for row in rows]


@pytest.fixture
async def database(postgres_url: str) -> AsyncIterator[Database]:
    """The session's PostgreSQL database, reached by the bot through a proxy on 127.0.0.1."""
    server = make_url(postgres_url)
    if server.host not in (LOOPBACK, "localhost"):
        pytest.skip(f"the outage proxy forwards to a server on {LOOPBACK} only")
    admin = await connect(server)
    proxy = TcpProxy(LOOPBACK, server.port or 5432)
    await proxy.start()
    proxied = server.set(host=LOOPBACK, port=proxy.port)
    try:
        yield Database(proxy, admin, proxied.render_as_string(hide_password=False))
    finally:
        await proxy.stop()
        await admin.close()


@pytest.fixture
async def world(database: Database, clock: Clock) -> AsyncIterator[World]:
    """The bot conftest's world, its database behind the proxy."""
    settings = settings_for(database.url, reminders={"tick_seconds": TICK})
    async for w in make_world(settings, clock):
        yield w
        await database.start()  # a failed test must not leave the bot's teardown without it


@pytest.fixture
def logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    """The log, with each update's outcome line; no error may be logged by anyone."""
    caplog.set_level(logging.INFO, logger="bot.updates")
    yield caplog
    logged = [*caplog.get_records("setup"), *caplog.get_records("call")]
    errors = [f"{r.name}: {r.getMessage()}" for r in logged if r.levelno >= logging.ERROR]
    assert not errors, errors


def statuses(logs: pytest.LogCaptureFixture, update_ids: list[int]) -> list[str]:
    """The outcome the runtime logged for each of these updates, in order."""
    found: dict[int, str] = {}
    for record in logs.records:
        if record.name == "bot.updates" and record.getMessage().startswith("update="):
            fields = dict(part.split("=", 1) for part in record.getMessage().split())
            found[int(fields["update"])] = fields["status"]
    return [found.get(update_id, "none") for update_id in update_ids]


def try_agains(person: Person) -> int:
    said = words(person, "error.try_again")
    return sum(message.plain_text == said for message in person.messages)


def answered(world: World, update_id: int) -> bool:
    """Tell whether the press in this update was answered (its spinner stopped)."""
    return any(a.get("callback_query_id") == f"cbq-{update_id}" for a in world.api.answers)


def assert_contiguous(events: list[tuple[int, str, str]]) -> None:
    assert [seq for seq, _, _ in events] == list(range(1, len(events) + 1))


# --------------------------------------------------------------- people at work


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("how", HOWS)
async def test_a_staff_member_mid_complaint_is_asked_to_try_again_and_carries_on_once_it_is_back(
    world: World, database: Database, logs: pytest.LogCaptureFixture, how: How, who: str
) -> None:
    lan = getattr(world, who)  # in English, then in Vietnamese
    try_again = words(lan, "error.try_again")
    case_id = await open_case(lan)
    await walk_to_compensate(lan)  # four steps committed: the compensation is next
    committed = await database.events(case_id)
    state = await database.case(case_id)
    assert state[0] == Step.compensate
    assert [kind for _, kind, _ in committed] == [
        "opened",
        "open",
        "apologised",
        "fixed",
        "empathised",
    ]

    await database.stop(how)
    sent_before = len(lan.messages)
    pressed = await lan.press(label(lan, "Voucher"))
    assert lan.last_text == try_again
    assert answered(world, pressed)
    typed = await lan.send("200k")
    assert lan.last_text == try_again
    # One answer each, and only that: no card drawn from half-known state.
    assert len(lan.messages) == sent_before + 2
    assert statuses(logs, [pressed, typed]) == ["db_error", "db_error"]
    # Nothing of the failed attempts reached the database.
    assert await database.events(case_id) == committed
    assert await database.case(case_id) == state
    assert await database.processed([pressed, typed]) == set()

    await database.start()
    pressed_again = await lan.press(label(lan, "Voucher"))
    typed_again = await lan.send("200k")
    assert statuses(logs, [pressed_again, typed_again]) == ["ok", "ok"]
    assert try_agains(lan) == 2  # no more than the two during the outage
    assert (await database.case(case_id))[0] == Step.follow_up
    assert words(lan, "case.step_of", k=5, n=5) in lan.last_text
    events = await database.events(case_id)
    assert events[: len(committed)] == committed  # every event from before, once, unchanged
    assert [kind for _, kind, _ in events[len(committed) :]] == ["compensated"]
    assert_contiguous(events)
    assert await database.processed([pressed, typed, pressed_again, typed_again]) == {
        pressed_again,
        typed_again,
    }
    # And the conversation simply goes on.
    await lan.press(label(lan, "Tomorrow"))
    assert (await database.case(case_id))[0] == Step.awaiting_follow_up


@pytest.mark.parametrize("who", ["lan", "hoa"])
@pytest.mark.parametrize("how", HOWS)
async def test_a_database_that_went_away_and_came_back_between_two_actions_goes_unnoticed(
    world: World, database: Database, logs: pytest.LogCaptureFixture, how: How, who: str
) -> None:
    lan = getattr(world, who)  # in English, then in Vietnamese
    case_id = await open_case(lan)
    await lan.press(label(lan, "Calm"))
    accepted = database.proxy.accepted
    await database.stop(how)
    await database.start()
    # The pooled connections died meanwhile; the next action must not be the one to find out.
    pressed = await lan.press(label(lan, "Skip"))
    assert statuses(logs, [pressed]) == ["ok"]
    assert try_agains(lan) == 0
    assert database.proxy.accepted > accepted  # it connected afresh
    assert (await database.case(case_id))[0] == Step.fix
    events = await database.events(case_id)
    assert [kind for _, kind, _ in events] == ["opened", "open", "apologised"]
    assert_contiguous(events)


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("how", HOWS)
async def test_a_newcomer_opening_an_invite_during_the_outage_is_asked_to_try_again_and_can(
    world: World, database: Database, logs: pytest.LogCaptureFixture, how: How, language: str
) -> None:
    await world.minh.send("/invite staff")
    code = world.minh.last_text.split("start=")[1].split()[0]
    newcomer = Person(world.app, world.api, 3001, "Quân", language)
    await database.stop(how)
    await newcomer.send(f"/start {code}")
    assert newcomer.last_text == words(newcomer, "error.try_again")
    await database.start()
    assert (
        await database.admin.fetchval("SELECT count(*) FROM staff WHERE telegram_id = 3001") == 0
    )
    await newcomer.send(f"/start {code}")  # the link was not used up
    role = words(newcomer, "option.staff")
    greeting = words(newcomer, "menu.text", name="Quân", role=role).split(".")[0]
    assert greeting in newcomer.last_text  # "Hello Quân (staff member)", in their language
    assert (
        await database.admin.fetchval("SELECT count(*) FROM staff WHERE telegram_id = 3001") == 1
    )


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_an_outage_between_the_use_case_and_its_commit_leaves_nothing_half_written(
    world: World,
    database: Database,
    logs: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    who: str,
) -> None:
    lan = getattr(world, who)  # in English, then in Vietnamese
    case_id = await open_case(lan)
    await walk_to_compensate(lan)
    await lan.press(label(lan, "Voucher"))
    committed = await database.events(case_id)
    state = await database.case(case_id)
    real_commit = SqlUnitOfWork.commit
    writing: list[int] = []  # the bot's sessions writing to the log when the database went

    async def cut_before_commit(self: SqlUnitOfWork) -> None:
        if not writing:
            await self.session.flush()  # the event and the new version are written...
            ports = database.proxy.server_side_ports()
            writing.append(await database.admin.fetchval(WRITING_TO_THE_LOG, ports))
            await database.stop()  # ...and the database goes before the commit
        await real_commit(self)

    monkeypatch.setattr(SqlUnitOfWork, "commit", cut_before_commit)
    typed = await lan.send("200k")
    assert writing == [1]
    # The commit failed and the database cannot say whether it went through: the person is
    # told to check before typing again (a typed repeat is then taken only if unsaved).
    assert words(lan, "input.not_sure") in lan.last_text
    assert statuses(logs, [typed]) == ["db_error_unsure"]
    # The server threw the open transaction away: no event, no version, no update id, and
    # none of the bot's sessions is left behind holding the case's row.
    await until(lambda: _bot_sessions_gone(database), "the server to drop the cut session")
    assert await database.events(case_id) == committed
    assert await database.case(case_id) == state
    assert await database.processed([typed]) == set()

    await database.start()
    typed_again = await lan.send("200k")
    assert statuses(logs, [typed_again]) == ["ok"]
    assert (await database.case(case_id))[0] == Step.follow_up
    events = await database.events(case_id)
    assert events[: len(committed)] == committed
    assert [kind for _, kind, _ in events[len(committed) :]] == ["compensated"]
    assert_contiguous(events)


async def _bot_sessions_gone(database: Database) -> bool:
    return int(await database.admin.fetchval(BOTS_SESSIONS)) == 0


# --------------------------------------------------------------------- reminders


class CountingScheduler(Scheduler):
    """The real scheduler, counting its ticks and the ones that failed."""

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.ticks = 0
        self.failed = 0

    async def tick(self) -> TickReport:
        try:
            return await super().tick()
        except Exception:
            self.failed += 1
            raise
        finally:
            self.ticks += 1


@dataclass
class Loop:
    """The reminder loop running in the background, as in production."""

    scheduler: CountingScheduler
    task: asyncio.Task[None]

    async def ticks(self, count: int) -> None:
        """Wait for `count` more ticks."""
        target = self.scheduler.ticks + count
        await until(lambda: self.ticked(target), f"{count} more ticks")

    def ticked(self, target: int) -> bool:
        if self.task.done():
            raise AssertionError(f"the reminder loop ended: {self.task.exception()!r}")
        return self.scheduler.ticks >= target

    async def stop(self) -> None:
        self.scheduler.stop()
        await asyncio.wait_for(self.task, WAIT)


@pytest.fixture
async def reminder_loop(world: World) -> AsyncIterator[Loop]:
    scheduler = CountingScheduler(world.app.bot, world.services)
    running = Loop(scheduler, asyncio.create_task(scheduler.run(), name="reminders"))
    yield running
    if not running.task.done():
        running.scheduler.stop()
    await asyncio.wait([running.task], timeout=WAIT)
    if running.task.done() and not running.task.cancelled():
        running.task.exception()  # reported by the test already; not "never retrieved"


async def case_waiting_for_follow_up(person: Person) -> int:
    """A case whose follow-up falls due on Tuesday at 09:00."""
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person, "Voucher", "200k")
    await person.press(label(person, "Tomorrow"))
    return case_id


def follow_ups(person: Person) -> int:
    """How many follow-up reminders the person has been sent, in their language."""
    said = FOLLOW_UP[person.language_code or "en"]
    return sum(said in message.plain_text for message in person.messages)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_reminder_loop_outlives_the_outage_and_sends_the_due_reminder_once_it_is_back(
    world: World,
    database: Database,
    reminder_loop: Loop,
    logs: pytest.LogCaptureFixture,
    who: str,
) -> None:
    person: Person = getattr(world, who)
    await case_waiting_for_follow_up(person)
    await reminder_loop.ticks(1)
    assert follow_ups(person) == 0  # not due yet
    await database.stop()
    world.clock.now = TUESDAY_9AM
    await reminder_loop.ticks(5)
    assert reminder_loop.scheduler.failed >= 4  # the ticks failed...
    assert not reminder_loop.task.done()  # ...and the loop went on
    assert follow_ups(person) == 0
    assert await database.reminder_status("follow_up_due") == ["pending"]

    await database.start()
    await until(lambda: follow_ups(person) == 1, "the reminder after the database came back")
    await reminder_loop.ticks(5)
    await reminder_loop.stop()
    assert follow_ups(person) == 1
    assert await database.reminder_status("follow_up_due") == ["sent"]


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_reminder_sent_just_before_the_database_went_away_is_not_sent_again(
    world: World,
    database: Database,
    reminder_loop: Loop,
    logs: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    who: str,
) -> None:
    person: Person = getattr(world, who)
    await case_waiting_for_follow_up(person)
    real_request = world.api.do_request
    gone = asyncio.Event()

    async def request(
        url: str, method: str, request_data: RequestData | None = None, **kw: Any
    ) -> tuple[int, bytes]:
        answer = await real_request(url, method, request_data, **kw)
        text = str(request_data.parameters.get("text")) if request_data else ""
        if (
            url.endswith("/sendMessage")
            and FOLLOW_UP[person.language_code or "en"] in text
            and not gone.is_set()
        ):
            gone.set()
            await database.stop()  # Telegram has it; the database goes before it is settled
        return answer

    monkeypatch.setattr(world.api, "do_request", request)
    world.clock.now = TUESDAY_9AM
    await until(gone.is_set, "the reminder to be sent")
    await reminder_loop.ticks(3)
    assert reminder_loop.scheduler.failed >= 3
    assert await database.reminder_status("follow_up_due") == ["pending"]  # not settled

    await database.start()
    # By now the lease on the row has run out: a row still pending would go out again.
    world.clock.advance(seconds=world.services.settings.reminders.lease_seconds + 1)
    await until(
        lambda: _statuses_are(database, "follow_up_due", ["sent"]),
        "the reminder to be recorded as sent",
    )
    await reminder_loop.ticks(5)
    await reminder_loop.stop()
    assert follow_ups(person) == 1


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_reminders_claimed_just_before_the_database_went_away_go_out_once(
    world: World,
    database: Database,
    reminder_loop: Loop,
    logs: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    who: str,
) -> None:
    person: Person = getattr(world, who)
    await case_waiting_for_follow_up(person)
    real_deliver = Scheduler._deliver
    gone = asyncio.Event()

    async def deliver(self: Scheduler, reminder: Reminder) -> str:
        if not gone.is_set():
            gone.set()
            await database.stop()  # claimed (and leased), then the database goes
        return await real_deliver(self, reminder)

    monkeypatch.setattr(Scheduler, "_deliver", deliver)
    world.clock.now = TUESDAY_9AM
    await until(gone.is_set, "the reminder to be claimed")
    await reminder_loop.ticks(3)
    assert follow_ups(person) == 0
    await database.start()
    await reminder_loop.ticks(3)
    # The claim holds its lease until it runs out; then the row is taken again and sent.
    world.clock.advance(seconds=world.services.settings.reminders.lease_seconds + 1)
    await until(lambda: follow_ups(person) == 1, "the reminder once its lease ran out")
    await reminder_loop.ticks(5)
    await reminder_loop.stop()
    assert follow_ups(person) == 1
    assert await database.reminder_status("follow_up_due") == ["sent"]


async def _statuses_are(database: Database, kind: str, expected: list[str]) -> bool:
    return await database.reminder_status(kind) == expected
