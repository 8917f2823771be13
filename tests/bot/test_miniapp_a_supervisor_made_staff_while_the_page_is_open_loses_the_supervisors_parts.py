"""The page's initData stays valid for an hour, but the role is read on every request: a
supervisor made staff while the page is open can no longer decide, list approvals, read
the report or open a colleague's case; their own page keeps working."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import update

from flows.procedures.complaint import Step
from storage import tables
from tests.bot.conftest import MINH, World
from tests.bot.miniapp_site import Site, awaiting_approval, serving


@pytest.fixture
async def site(world: World) -> AsyncIterator[Site]:
    async with serving(world) as served:
        yield served


async def test_a_supervisor_made_staff_mid_session_is_refused_what_staff_may_not_do(
    site: Site,
) -> None:
    world = site.world
    case_id = await awaiting_approval(world)  # Lan's
    version = (await world.case(case_id)).version
    signed = site.headers(MINH)  # opened as a supervisor, before the change
    async with world.services.engine.begin() as connection:
        await connection.execute(
            update(tables.staff).where(tables.staff.c.telegram_id == MINH).values(role="staff")
        )
    body = {"version": version, "verdict": "y"}
    decided = await site.client.post(f"api/cases/{case_id}/decision", json=body, headers=signed)
    assert decided.status_code == 403
    for path, status in (
        ("approvals", 403),
        ("report?period=week", 403),
        (f"cases/{case_id}", 404),
    ):
        answer = await site.client.get(f"api/{path}", headers=signed)
        assert answer.status_code == status, (path, answer.text)
        assert set(answer.json()) == {"error", "message"}
    me = await site.client.get("api/me", headers=signed)
    assert me.status_code == 200
    assert me.json()["oversees"] is False
    assert (await world.case(case_id)).state == Step.awaiting_approval
