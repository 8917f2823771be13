"""Secrets and personal data: the token never leaves the process, logs carry ids not names.

A whole complaint is walked with a real-looking token configured, with Telegram calls failing
on the way (with the request URL, which holds the token, in the exception text) and an
unexpected error in a use case. Every log record is captured twice: as it was emitted, and as
the handler set up by `bot.logs.configure_logging` (with its redaction filter) writes it.
"""

from __future__ import annotations

import asyncio
import io
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from telegram.error import NetworkError
from telegram.request import RequestData

from bot.app import build_application, offline
from bot.config import ConfigError, Settings, load_settings
from bot.logs import configure_logging
from bot.transport import describe_failure
from flows.lists import Lists
from flows.people import People
from standin.inprocess import FakeBotApi, Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import BERND, HOA, LAN, MINH, STRANGER, World, settings_for
from tests.bot.walk import compensate, open_case
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

TOKEN = "123456789:AA" + "Fq7Yd0xKpL2mN9sTbW4vRcZ8hJ1gE5uOi"  # "AA" and 33 more characters

CUSTOMER = "Phạm Thị Bích Ngọc"
PHONE = "0987 654 321"
COMPLAINT = "Áo cưới giao sai màu, cô dâu khóc cả buổi"
FIXED = "Đổi áo mới bằng xe riêng trong 2 giờ"
NOTE = "Khách đe doạ đăng Facebook"
MATTERED = "Ngày cưới là thứ bảy này"
PERSONAL = (CUSTOMER, PHONE, PHONE.replace(" ", ""), COMPLAINT, FIXED, NOTE, MATTERED)


class LeakyBotApi(FakeBotApi):
    """A stand-in whose injected failures quote the request URL, as HTTP clients often do."""

    def __init__(self) -> None:
        super().__init__()
        self.url_failures: dict[str, int] = {}
        self.urls: list[str] = []

    def fail_with_url(self, method: str, times: int = 1) -> None:
        self.url_failures[method.lower()] = self.url_failures.get(method.lower(), 0) + times

    async def do_request(
        self, url: str, method: str, request_data: RequestData | None = None, **kw: Any
    ) -> tuple[int, bytes]:
        self.urls.append(url)
        name = url.rsplit("/", 1)[-1].lower()
        if self.url_failures.get(name):
            self.url_failures[name] -= 1
            raise ConnectionResetError(f"connection reset while calling {url}")
        return await super().do_request(url, method, request_data, **kw)


@dataclass(frozen=True)
class Raw:
    """A log record as it was emitted, before any filter rewrote it."""

    level: int
    line: str  # logger name and message
    exception: str


@dataclass
class Captured:
    """Log records as emitted, and the text the configured handler wrote."""

    raw: list[Raw]
    stream: io.StringIO

    @property
    def written(self) -> str:
        return self.stream.getvalue()

    def raw_lines(self, level: int) -> list[str]:
        return [r.line for r in self.raw if r.level >= level]

    def raw_text(self) -> str:
        return "\n".join(f"{r.line}\n{r.exception}" for r in self.raw)


class _Keep(logging.Handler):
    """Snapshot each record as emitted (the redaction filter rewrites records in place)."""

    def __init__(self, records: list[Raw]) -> None:
        super().__init__(logging.DEBUG)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        exception = logging.Formatter().formatException(record.exc_info) if record.exc_info else ""
        line = f"{record.name} {record.getMessage()}"
        self.records.append(Raw(record.levelno, line, exception))


@pytest.fixture
def captured(caplog: pytest.LogCaptureFixture) -> Iterator[Captured]:
    """configure_logging at DEBUG with the token as secret, writing into a buffer."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    noisy = {
        n: logging.getLogger(n).level
        for n in ("httpx", "httpcore", "telegram.ext.Updater", "apscheduler")
    }
    configure_logging("DEBUG", [TOKEN])
    (configured,) = root.handlers
    assert isinstance(configured, logging.StreamHandler)
    stream = io.StringIO()
    configured.setStream(stream)
    records: list[Raw] = []
    # Raw records first (before the filter rewrites them), then the configured handler,
    # then pytest's own handlers so that caplog sees what the log file would show.
    root.handlers[:] = [_Keep(records), configured, *saved_handlers]
    caplog.set_level(logging.DEBUG)
    try:
        yield Captured(records, stream)
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name, level in noisy.items():
            logging.getLogger(name).setLevel(level)


@pytest.fixture
async def secret_world(
    database_url: str, clock: Clock, captured: Captured
) -> AsyncIterator[tuple[World, LeakyBotApi]]:
    settings = settings_for(database_url, telegram={"token": TOKEN})
    api = LeakyBotApi()
    app = build_application(settings, request=api, clock=clock)
    async with offline(app) as services:
        async with SqlUnitOfWork(services.sessions) as uow:
            people = People(uow, services.policy, clock)
            await people.register(LAN, "Lan", "staff", "en")
            await people.register(HOA, "Hòa", "staff", "vi")
            await people.register(BERND, "Bernd", "staff", "en", "Europe/Berlin")
            await people.register(MINH, "Minh", "supervisor", "en")
            await uow.commit()
        yield (
            World(
                app=app,
                api=api,
                clock=clock,
                services=services,
                lan=Person(app, api, LAN, "Lan", "en"),
                hoa=Person(app, api, HOA, "Hòa", "vi"),
                bernd=Person(app, api, BERND, "Bernd", "en"),
                minh=Person(app, api, MINH, "Minh", "en"),
                stranger=Person(app, api, STRANGER, "Eve", "en"),
            ),
            api,
        )


def everything_sent(api: FakeBotApi) -> str:
    """Every parameter of every Bot API call the bot made: texts, buttons, everything."""
    return "\n".join(f"{name} {params!r}" for name, params in api.calls)


async def walk_with_errors(world: World, api: LeakyBotApi, monkeypatch: pytest.MonkeyPatch) -> int:
    """A full complaint with an approval, Telegram failing on the way, and a broken use case."""
    lan, minh = world.lan, world.minh
    case_id = await open_case(lan, CUSTOMER, COMPLAINT)
    await lan.press("Note")
    api.fail_with_url("sendMessage")  # "note saved" never arrives
    await lan.send(NOTE)
    await lan.press("Calm")
    await lan.press("Skip")
    api.fail_with_url("editMessageText")
    await lan.send(FIXED)
    await lan.press("Fixed now")
    await lan.send(MATTERED)
    api.fail_with_url("editMessageText")  # Lan's card is not edited; Minh's request arrives
    await compensate(lan, "Refund", "2tr")
    await minh.press("Approve")
    api.fail_with_url("answerCallbackQuery")
    await minh.press("Nothing to add")
    await lan.send(f"/case {case_id}")
    await world.stranger.send("/start")
    api.fail_with_url("answerCallbackQuery")  # the stranger's refusal is a callback answer
    await world.stranger.press_data(f"k:{case_id}:1:t")

    async def broken(self: Lists, *args: object) -> list[Any]:
        raise NetworkError(f"gave up on {world.app.bot.base_url}/getFile")

    with monkeypatch.context() as patched:
        patched.setattr(Lists, "cases", broken)
        await lan.send("/cases")
    await lan.press("Open case")
    await lan.press("Tomorrow")
    await lan.press("Satisfied")
    await minh.send(f"/case {case_id}")
    return case_id


async def test_the_token_never_appears_in_logs_exception_texts_or_anything_the_bot_sent(
    secret_world: tuple[World, LeakyBotApi],
    captured: Captured,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world, api = secret_world
    case_id = await walk_with_errors(world, api, monkeypatch)
    assert (await world.case(case_id)).state == "closed"
    assert any(TOKEN in url for url in api.urls)  # the token was really in use
    assert any("Traceback" in r for r in (captured.written, caplog.text))  # errors were logged
    assert "unhandled error" in captured.written
    assert TOKEN in captured.raw_text()  # the token did reach logging: redaction was needed
    # The log as written, and as any other handler after the filter sees it.
    assert TOKEN not in captured.written
    assert TOKEN.split(":")[1] not in captured.written
    assert TOKEN not in caplog.text
    for record in caplog.records:
        assert TOKEN not in record.getMessage()
        assert TOKEN not in (record.exc_text or "")
    # Nothing the bot sent (texts, buttons, links, timelines) holds the token.
    assert TOKEN not in everything_sent(api)
    assert TOKEN.split(":")[1] not in everything_sent(api)
    timeline = "\n".join(m.plain_text for m in world.minh.messages)
    assert "Timeline" in timeline
    assert TOKEN not in timeline


async def test_customer_names_and_complaint_texts_never_reach_info_log_lines(
    secret_world: tuple[World, LeakyBotApi],
    captured: Captured,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    world, api = secret_world
    case_id = await walk_with_errors(world, api, monkeypatch)
    lines = captured.raw_lines(logging.INFO)
    per_update = [line for line in lines if line.startswith("bot.updates update=")]
    assert len(per_update) >= 20  # one line per update, with ids
    assert any(f"case={case_id}" in line for line in per_update)
    for line in lines:
        for personal in PERSONAL:
            assert personal not in line, (personal, line)
    warnings = "\n".join(captured.raw_lines(logging.WARNING))
    for personal in PERSONAL:
        assert personal not in warnings


async def test_a_failure_that_stops_the_bot_is_described_without_the_token() -> None:
    url = f"https://api.telegram.org/bot{TOKEN}/getMe"
    for err in (
        NetworkError(f"httpx.ConnectError: cannot reach {url}"),
        RuntimeError(f"{TOKEN} rejected\nsecond line {TOKEN}"),
        OSError(f"[Errno 111] Connection refused: {url}"),
    ):
        described = describe_failure(err, [TOKEN])
        assert TOKEN not in described
        assert "[REDACTED]" in described


async def test_settings_never_show_the_token_in_their_text_or_in_configuration_errors(
    tmp_path: Any,
) -> None:
    settings = Settings.model_validate({"telegram": {"token": TOKEN}})
    for shown in (
        repr(settings),
        str(settings),
        settings.model_dump_json(),
        repr(settings.telegram),
    ):
        assert TOKEN not in shown
    config = tmp_path / "config.toml"
    config.write_text('[telegram]\ntoken = "not-a-token-' + TOKEN + '"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as refused:
        load_settings(config, environ={})
    assert TOKEN not in str(refused.value)
    config.write_text('[telegram]\nconcurrent_updates = "many"\nunknown = 1\n', encoding="utf-8")
    with pytest.raises(ConfigError) as wrong_type:
        load_settings(config, environ={"TELEGRAM_BOT_TOKEN": TOKEN})
    assert TOKEN not in str(wrong_type.value)


# -------------------------------------------------------------------------- invites


async def invite_code(world: World, role: str = "staff") -> str:
    await world.minh.send(f"/invite {role}")
    return world.minh.last_text.split("start=")[1].split()[0]


async def test_invite_codes_are_long_random_and_never_logged_at_info(
    world: World, captured: Captured
) -> None:
    codes = [await invite_code(world) for _ in range(5)]
    assert len(set(codes)) == 5
    assert all(len(code) >= 16 for code in codes)
    newcomer = Person(world.app, world.api, 3001, "Quân", "en")
    await newcomer.send(f"/start {codes[0]}")
    info = "\n".join(captured.raw_lines(logging.INFO))
    for code in codes:
        assert code not in info


@pytest.mark.parametrize(
    "forged",
    [
        pytest.param(lambda code: code[:-1], id="a truncated code"),
        pytest.param(lambda code: code + "x", id="a code with one more character"),
        pytest.param(lambda code: code.upper(), id="the code in capitals"),
        pytest.param(lambda code: code + "x" * 80, id="a code over 64 characters"),
        pytest.param(lambda code: f"{code[:8]}' OR '1'='1", id="an sql injection"),
        pytest.param(lambda code: "%", id="a wildcard"),
    ],
)
async def test_an_invite_code_must_match_exactly(world: World, forged: Any) -> None:
    code = await invite_code(world)
    other = Person(world.app, world.api, 3002, "Tí", "en")
    await other.send(f"/start {forged(code)}")
    assert "not valid" in other.last_text
    assert await world.count("staff") == 4
    newcomer = Person(world.app, world.api, 3001, "Quân", "en")
    await newcomer.send(f"/start {code}")  # the real code still works, once
    assert await world.count("staff") == 5


@pytest.mark.parametrize(("hours", "valid"), [(47.9, True), (48, False)])
async def test_an_invite_stops_working_exactly_when_it_expires(
    world: World, hours: float, valid: bool
) -> None:
    code = await invite_code(world)
    world.clock.advance(hours=hours)
    newcomer = Person(world.app, world.api, 3001, "Quân", "en")
    await newcomer.send(f"/start {code}")
    assert await world.count("staff") == (5 if valid else 4)


async def test_a_registered_person_opening_an_invite_keeps_their_role_and_the_invite_stays_unused(
    world: World,
) -> None:
    code = await invite_code(world, "supervisor")
    await world.lan.send(f"/start {code}")
    assert "already registered" in world.lan.messages[-2].plain_text
    await world.lan.send("/invite")
    assert "not allowed to invite" in world.lan.last_text  # still staff
    newcomer = Person(world.app, world.api, 3001, "Quân", "en")
    await newcomer.send(f"/start {code}")
    assert "Welcome" in newcomer.messages[0].plain_text


async def test_people_opening_the_same_invite_at_once_register_only_one_of_them(
    world: World, database_url: str, request: pytest.FixtureRequest
) -> None:
    code = await invite_code(world)
    newcomers = [Person(world.app, world.api, 3001 + n, f"Newcomer {n}", "en") for n in range(6)]
    await asyncio.gather(*(p.send(f"/start {code}") for p in newcomers))
    assert await world.count("staff") == 5
    welcomed = [p for p in newcomers if "Welcome" in p.messages[0].plain_text]
    assert len(welcomed) == 1


async def test_a_deactivated_person_is_refused_like_a_stranger_and_nothing_is_stored(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    async with SqlUnitOfWork(world.services.sessions) as uow:
        lan = await uow.staff.by_telegram_id(LAN)
        assert lan is not None
        lan.active = False
        await uow.commit()
    version = (await world.case(case_id)).version
    processed = await world.count("processed_updates")
    await world.lan.send(f"/case {case_id}")
    assert "only for registered staff" in world.lan.last_text
    await world.lan.press_data(f"k:{case_id}:{version}:c:calm")
    assert "only for registered staff" in world.api.answers[-1]["text"]
    assert (await world.case(case_id)).version == version
    assert await world.count("processed_updates") == processed
