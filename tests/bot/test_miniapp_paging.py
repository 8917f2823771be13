"""The Mini App's log pages by keyset: each page starts after the last row of the one before.

With offsets, a case that changed between two pages moved in the order and shifted the rest:
a case that had not changed showed twice, and another, unchanged too, never. By keyset every
case that did not change shows exactly once, whatever changes around it; one that changed
shows where it stands when each page is read (in the order by last change it moves, so it
may show at its old place and its new one, or above the pages already read). In the order
by opening, which nothing changes, every case shows exactly once.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from storage import tables
from tests.bot.conftest import MINH, World
from tests.bot.miniapp_site import serving

pytestmark = pytest.mark.asyncio
SORTS = [("opened", "desc"), ("opened", "asc"), ("updated", "desc"), ("updated", "asc")]


async def seed(world: World, n: int = 120) -> None:
    """`n` cases: every third pair sharing a time (ties broken by number), a few never
    changed since before the bot kept `updated_at` (NULL)."""
    now = world.clock()
    async with world.services.engine.begin() as conn:
        minh = (
            await conn.execute(select(tables.staff.c.id).where(tables.staff.c.telegram_id == MINH))
        ).scalar_one()
        await conn.execute(
            insert(tables.cases),
            [
                {
                    "id": i,
                    "kind": "complaint",
                    "state": "fix",
                    "version": 1,
                    "events_count": 0,
                    "owner_id": minh,
                    "draft": {},
                    "reopen_count": 0,
                    "opened_at": now - timedelta(hours=200 - i // 3),
                    "updated_at": None if i % 17 == 0 else now - timedelta(hours=200 - i // 2),
                }
                for i in range(1, n + 1)
            ],
        )


async def touch(world: World, case_id: int, hours: int = 0) -> None:
    async with world.services.engine.begin() as conn:
        await conn.execute(
            update(tables.cases)
            .where(tables.cases.c.id == case_id)
            .values(updated_at=world.clock() + timedelta(hours=hours), version=2)
        )


@pytest.mark.parametrize(("sort", "order"), SORTS)
async def test_paging_while_cases_change_shows_every_case_once_in_every_sort(
    world: World, sort: str, order: str
) -> None:
    await seed(world)
    seen: list[int] = []
    changed: set[int] = set()
    body: dict[str, Any] = {"sort": sort, "order": order}
    async with serving(world) as site:
        for page_number in range(10):
            page = (await site.post("cases", body, MINH)).json()
            seen += [row["id"] for row in page["rows"]]
            if not page["more"]:
                assert page["next"] is None
                break
            # Meanwhile cases change: one not shown yet, one already shown, one never touched.
            for case_id in (100 - page_number, seen[0], 17 * (page_number + 1)):
                await touch(world, case_id, hours=page_number)
                changed.add(case_id)
            body = {**body, "after": page["next"]}
    unchanged = [i for i in seen if i not in changed]
    assert sorted(unchanged) == sorted(set(range(1, 121)) - changed)
    if sort == "opened":
        assert sorted(seen) == list(range(1, 121))


async def test_a_case_changed_between_two_pages_is_neither_repeated_nor_hides_another(
    world: World,
) -> None:
    """The audit's case: 60 cases newest change first; case 5, on page 2, changes meanwhile."""
    await seed(world, 60)
    body = {"sort": "updated", "order": "desc"}
    async with serving(world) as site:
        first = (await site.post("cases", body, MINH)).json()
        await touch(world, 5)
        second = (await site.post("cases", {**body, "after": first["next"]}, MINH)).json()
        again = (await site.post("cases", body, MINH)).json()
    seen = [r["id"] for r in first["rows"]] + [r["id"] for r in second["rows"]]
    assert len(seen) == len(set(seen))
    assert set(range(1, 61)) - {5} <= set(seen)
    # Moved to the top: read again, it shows.
    assert again["rows"][0]["id"] == 5


async def test_a_page_from_a_cursor_matches_the_same_rows_by_offset_when_nothing_changes(
    world: World,
) -> None:
    await seed(world)
    async with serving(world) as site:
        for sort, order in SORTS:
            first = (await site.post("cases", {"sort": sort, "order": order}, MINH)).json()
            by_cursor = (
                await site.post(
                    "cases", {"sort": sort, "order": order, "after": first["next"]}, MINH
                )
            ).json()
            by_offset = (
                await site.post("cases", {"sort": sort, "order": order, "offset": 50}, MINH)
            ).json()
            assert by_cursor["rows"] == by_offset["rows"], (sort, order)


@pytest.mark.parametrize(
    "after",
    [
        "50",
        {"id": 5},
        {"at": None, "id": 5},  # opened is never empty
        {"at": "yesterday", "id": 5},
        {"at": "2026-11-20T10:00:00", "id": 5},  # no time zone
        {"at": "2026-11-20T10:00:00+00:00", "id": -1},
        {"at": "2026-11-20T10:00:00+00:00", "id": True},
        {"at": "0001-01-01T00:00:00+01:00", "id": 5},  # off the calendar once in UTC
        {"at": "9999-12-31T23:59:59-05:00", "id": 5},
    ],
)
async def test_a_malformed_cursor_is_refused(world: World, after: Any) -> None:
    async with serving(world) as site:
        answer = await site.post("cases", {"sort": "opened", "after": after}, MINH)
    assert answer.status_code == 400
