"""The Mini App keeps no session: a page opened by a supervisor, then left open while they are
made staff or switched off, gets at its next request what their role allows now — with the
very initData the page was opened with, in the language they chose."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import update

from flows.model import Role
from flows.procedures.complaint import Step
from flows.scripts import plain
from storage import tables
from tests.bot.conftest import MINH, World
from tests.bot.miniapp_site import Site, awaiting_approval, serving


@pytest.fixture
async def site(world: World) -> AsyncIterator[Site]:
    async with serving(world) as served:
        yield served


async def change_minh(site: Site, **values: Any) -> None:
    async with site.world.services.engine.begin() as connection:
        await connection.execute(
            update(tables.staff).where(tables.staff.c.telegram_id == MINH).values(**values)
        )


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_a_supervisor_made_staff_with_the_page_open_is_refused_what_supervisors_see(
    site: Site, locale: str
) -> None:
    world, words = site.world, site.world.services.scripts
    case_id = await awaiting_approval(world)
    await change_minh(site, locale=locale)
    opened = {"Authorization": f"tma {site.signed(MINH)}"}  # signed once, when opened
    assert (await site.client.get("api/approvals", headers=opened)).status_code == 200
    assert (await site.client.get(f"api/cases/{case_id}", headers=opened)).status_code == 200

    await change_minh(site, role=Role.staff)
    approvals = await site.client.get("api/approvals", headers=opened)
    assert approvals.status_code == 403
    assert approvals.json()["message"] == plain(words.get(locale, "miniapp.error_role"))
    decision = await site.client.post(
        f"api/cases/{case_id}/decision",
        json={"version": (await world.case(case_id)).version, "verdict": "y"},
        headers=opened,
    )
    assert decision.status_code == 403
    assert (await world.case(case_id)).state == Step.awaiting_approval
    colleagues = await site.client.get(f"api/cases/{case_id}", headers=opened)
    assert colleagues.status_code == 404  # Lan's case: no longer theirs to read
    log = await site.client.post("api/cases", json={}, headers=opened)
    assert log.json()["rows"] == []


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_a_supervisor_switched_off_with_the_page_open_reads_nothing_more(
    site: Site, locale: str
) -> None:
    words = site.world.services.scripts
    case_id = await awaiting_approval(site.world)
    await change_minh(site, locale=locale)
    opened = {"Authorization": f"tma {site.signed(MINH)}"}
    assert (await site.client.get("api/me", headers=opened)).status_code == 200

    await change_minh(site, active=False)
    for path in ("me", "approvals", f"cases/{case_id}"):
        refused = await site.client.get(f"api/{path}", headers=opened)
        assert refused.status_code == 403, path
        assert refused.json() == {
            "error": "inactive",
            "message": plain(words.get(locale, "miniapp.error_inactive")),
        }
