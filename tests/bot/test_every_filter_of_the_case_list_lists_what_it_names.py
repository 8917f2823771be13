"""Every filter button of `/cases`, reached by pressing from the list as a person would, in
both languages and both roles: the answer ticks the status and the kind pressed, in the
reader's words, and lists exactly the cases they may see that the filter names, a page at a
time (next and previous pages pressed too)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, date, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import insert, select

from flows.case_filter import KINDS, PAGE
from flows.forms import ASKED_BY
from flows.scripts import Scripts
from standin.inprocess import Person
from standin.messages import SentMessage
from storage import tables
from tests.bot.conftest import (
    HOA,
    LAN,
    World,
    make_world,
    registered_thao,
    settings_for,
    supervisor_reading,
)
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

#: The cases seeded for each staff member: kind, state, overdue, and the statuses listing it.
SEEDED = [
    ("complaint", "fix", False, "o"),
    ("complaint", "awaiting_approval", False, "oa"),
    ("complaint", "awaiting_follow_up", True, "od"),
    ("complaint", "closed", False, "c"),
    ("problem_review", "migrate", False, "o"),
    ("problem_review", "awaiting_decision", False, "oa"),
    ("problem_review", "terminated", False, "c"),
    ("exit_interview", "interview", False, "o"),
    ("exit_interview", "defected", False, "c"),
    ("check_in", "check_in", False, "o"),
    ("check_in", "checked_in", False, "c"),
]
#: The day a supervisor's list keeps to: the seeded cases were opened on it and the day before.
DAY = date(2026, 11, 23)
SAIGON = ZoneInfo("Asia/Ho_Chi_Minh")
#: Enough open complaints of one person's for the open complaints to take two pages.
MORE = PAGE


@pytest.fixture
async def world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    async for w in make_world(settings_for(database_url), clock):
        await registered_thao(w)
        await seed(w)
        yield w


async def staff_ids(world: World) -> dict[int, int]:
    """Each member of staff's id, by their Telegram id."""
    async with world.services.engine.begin() as conn:
        rows = await conn.execute(select(tables.staff.c.telegram_id, tables.staff.c.id))
        return {telegram_id: staff_id for telegram_id, staff_id in rows}


async def seed(world: World) -> None:
    now = world.clock()
    staff = await staff_ids(world)
    async with world.services.engine.begin() as conn:
        rows = [
            (staff[who], kind, state, overdue)
            for who in (LAN, HOA)
            for kind, state, overdue, _ in [
                *SEEDED,
                *[("complaint", "empathise", False, "o")] * (MORE if who == LAN else 0),
            ]
        ]
        await conn.execute(
            insert(tables.cases),
            [
                {
                    "kind": kind,
                    "state": state,
                    "version": 1,
                    "events_count": 0,
                    "owner_id": owner,
                    "draft": {ASKED_BY: owner} if state.startswith("awaiting_") else {},
                    "reopen_count": 0,
                    "opened_at": now - timedelta(hours=n),
                    "overdue_since": now - timedelta(hours=1) if overdue else None,
                }
                for n, (owner, kind, state, overdue) in enumerate(rows)
            ],
        )


async def expected(
    world: World, owner: int | None, day: date | None, status: str, kind: str
) -> list[int]:
    """The cases a filter names, from what was seeded (as the seed says, not as SQL says):
    `owner`'s (None: everyone's) opened on `day` (None: any day)."""
    async with world.services.engine.begin() as conn:
        col = tables.cases.c
        cases = (
            await conn.execute(select(col.id, col.kind, col.state, col.owner_id, col.opened_at))
        ).all()
    seeded = {(k, s): listed for k, s, _, listed in SEEDED} | {("complaint", "empathise"): "o"}
    return sorted(
        case_id
        for case_id, case_kind, state, owner_id, opened in cases
        if owner in (None, owner_id)
        and day in (None, opened.replace(tzinfo=UTC).astimezone(SAIGON).date())
        and status in ("-", *seeded[case_kind, state])
        and kind in ("-", _code(case_kind))
    )


def _code(kind: str) -> str:
    return next(code for code, name in KINDS.items() if name == kind)


def ticked(message: SentMessage) -> list[str]:
    return [b.text.removeprefix("✓") for row in message.buttons for b in row if b.text[0] == "✓"]


def listed(message: SentMessage) -> set[int]:
    return {int(n) for n in re.findall(r"^• #(\d+)", message.plain_text, re.M)}


async def walk(
    person: Person, command: str, words: Scripts, locale: str
) -> dict[tuple[str, str], set[int]]:
    """Press every status and kind the list `command` answers with offers, from each list it
    leads to, and each page of it; return what each filter listed over its pages. Each press
    redraws the list in its place: a list's buttons are pressed as it showed them."""
    await person.send(command)
    seen: dict[tuple[str, str], set[int]] = {}
    pressed: set[str] = set()
    first = person.api.last(person.chat_id)
    waiting = [first.buttons]
    while waiting:
        shown = waiting.pop()
        for data in [b.callback_data or "" for row in shown for b in row]:
            match = re.fullmatch(r"p:([\w-]):([\w-]):[^:]*:[^:]*:[^:]*:[^:]*:(\d+)", data)
            if match is None:
                continue
            status, kind, offset = match[1], match[2], int(match[3])
            if data in pressed or ((status, kind) in seen and offset == 0):
                continue
            pressed.add(data)
            await person.press_data(data, first.message_id)
            answer = person.api.last(person.chat_id)
            assert answer.message_id == first.message_id  # drawn in the list's place
            if answer.buttons and any(b.text[0] == "✓" for row in answer.buttons for b in row):
                assert ticked(answer) == [
                    *([words.get(locale, f"cases.status_{status}")] if status != "-" else []),
                    words.get(locale, f"cases.kind_{kind}"),
                ], answer.button_labels
            else:  # nothing listed: said in the reader's words, filters still offered
                assert answer.plain_text.startswith(words.get(locale, "cases.none")[:12])
            page = seen.setdefault((status, kind), set())
            assert not page & listed(answer), "a case listed on two pages"
            page |= listed(answer)
            waiting.append(answer.buttons)
    return seen


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_every_filter_of_the_case_list_lists_what_it_names(
    world: World, locale: str
) -> None:
    staff = world.lan if locale == "en" else world.hoa
    supervisor = supervisor_reading(world, locale)
    owner = await staff_ids(world)
    walks = (  # who, the list they ask for, and whose cases of which day it keeps to
        (staff, "/cases", owner[staff.telegram_id], None),
        (supervisor, "/cases", None, None),
        (supervisor, f"/cases @Lan {DAY.isoformat()}", owner[LAN], DAY),  # every status
    )
    for person, command, whose, day in walks:
        seen = await walk(person, command, world.services.scripts, locale)
        statuses = "ocda" + ("-" if day else "")  # a day's list starts with every status
        assert set(seen) == {(s, k) for s in statuses for k in "-crek"}
        for (status, kind), ids in seen.items():
            wanted = await expected(world, whose, day, status, kind)
            assert sorted(ids) == wanted, (command, status, kind)
