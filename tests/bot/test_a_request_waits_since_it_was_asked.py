"""What waits for a decision waits since it was asked, not since its case last changed.

A note or a photo added while a request waits changes its case, not the request: the Mini
App's approvals and the chat's /approvals say when it was asked, and list the one asked
first first — and so does the daily digest's list of requests waiting.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from flows.people import People
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.miniapp_site import serving
from tests.bot.test_reminders import reminder_texts
from tests.bot.walk import asking_approval

pytestmark = pytest.mark.asyncio


async def two_requests_the_first_noted_later(world: World) -> tuple[int, int]:
    """Lan asks at 09:00, Hòa at 10:00; at 11:00 Lan adds a note to hers."""
    first = await asking_approval(world.lan, "2tr")
    world.clock.advance(hours=1)
    second = await asking_approval(world.hoa, "3tr", "Lê Văn Tâm")
    world.clock.advance(hours=1)
    await world.lan.send(f"/case {first}")
    await world.lan.press("▶ Carry on with this case")
    await world.lan.press("📝 Add a note")
    await world.lan.send("Khách gọi lại hỏi tiến độ")
    assert (await world.case(first)).updated_at == world.clock()
    return first, second


async def test_the_mini_apps_approvals_say_when_each_request_was_asked(world: World) -> None:
    first, second = await two_requests_the_first_noted_later(world)
    async with serving(world) as site:
        found = (await site.get("approvals")).json()["requests"]
    assert [r["case"] for r in found] == [first, second]
    assert [r["since"] for r in found] == ["2026-11-23 09:00", "2026-11-23 10:00"]


@pytest.mark.parametrize(
    ("language", "asked"),
    [
        ("en", ("asked 23 Nov 09:00", "asked 23 Nov 10:00")),
        ("vi", ("gửi lúc 23/11 09:00", "gửi lúc 23/11 10:00")),
    ],
)
async def test_the_chats_approvals_say_when_each_request_was_asked_the_first_first(
    world: World, language: str, asked: tuple[str, str]
) -> None:
    first, second = await two_requests_the_first_noted_later(world)
    reader = world.minh
    if language == "vi":
        async with SqlUnitOfWork(world.services.sessions) as uow:
            await People(uow, world.services.policy, world.clock).register(
                2002, "Quang", "supervisor", "vi"
            )
            await uow.commit()
        reader = Person(world.app, world.api, 2002, "Quang", "vi")
    await reader.send("/approvals")
    rows = [r for r in reader.last_text.split("\n") if r.startswith("• #")]
    assert [r.split(" · ")[0] for r in rows] == [f"• #{first}", f"• #{second}"]
    assert rows[0].endswith(asked[0]), rows
    assert rows[1].endswith(asked[1]), rows


@pytest.mark.parametrize(
    ("language", "greeting", "asked"),
    [
        ("en", "Good morning", ("asked 23 Nov 09:00", "asked 23 Nov 10:00")),
        ("vi", "Chào buổi sáng", ("gửi lúc 23/11 09:00", "gửi lúc 23/11 10:00")),
    ],
)
async def test_the_daily_digest_says_when_each_request_waiting_was_asked(
    digest_world: World, language: str, greeting: str, asked: tuple[str, str]
) -> None:
    world = digest_world
    first, second = await two_requests_the_first_noted_later(world)
    reader = world.minh
    if language == "vi":
        async with SqlUnitOfWork(world.services.sessions) as uow:
            await People(uow, world.services.policy, world.clock).register(
                2002, "Quang", "supervisor", "vi"
            )
            await uow.commit()
        reader = Person(world.app, world.api, 2002, "Quang", "vi")
    world.clock.now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 08:00 the next morning
    await world.scheduler.tick()  # plans the digest and fans it out
    await world.scheduler.tick()  # delivers each person's digest
    [digest] = reminder_texts(reader, greeting)
    rows = [
        r
        for r in digest.split("\n")
        if r.startswith(f"• #{first} ") or r.startswith(f"• #{second} ")
    ]
    assert [r.split(" · ")[0] for r in rows] == [f"• #{first}", f"• #{second}"]
    assert rows[0].endswith(asked[0]), rows
    assert rows[1].endswith(asked[1]), rows
