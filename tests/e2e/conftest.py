"""What the browser tests share: Chromium (`browser`, from Debian's packages; skipped where
it is not installed) and the bot on an empty database with its Mini App served (`site`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests.bot.conftest import make_world, settings_for
from tests.bot.miniapp_site import Site, serving
from tests.conftest import Clock
from tests.e2e.test_miniapp_browser import browser

__all__ = ["browser"]  # the fixture, used by name


@pytest.fixture
async def site(clock: Clock, tmp_path: Path) -> AsyncIterator[Site]:
    """The bot on an empty SQLite database, its people registered, its page served."""
    database = f"sqlite+aiosqlite:///{tmp_path / 'site.sqlite3'}"
    async for world in make_world(settings_for(database), clock):
        async with serving(world) as served:
            yield served
