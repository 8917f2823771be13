"""The Mini App's text boxes show their limits from what `/api/me` tells the page: the very
limits the server holds a comment and a search to (the policy's), so a company that raises
the text limit sees the page follow, with no number copied into the page."""

from __future__ import annotations

from tests.bot.conftest import LAN, MINH, make_world, settings_for
from tests.bot.miniapp_site import serving
from tests.conftest import Clock


async def test_the_page_is_told_the_comment_and_search_limits_the_server_holds_them_to(
    database_url: str, clock: Clock
) -> None:
    settings = settings_for(database_url, complaints={"text_limit": 2500})
    async for world in make_world(settings, clock):
        async with serving(world) as site:
            policy = world.services.policy
            assert policy.text_limit == 2500
            for who in (MINH, LAN):
                limits = (await site.get("me", who)).json()["limits"]
                assert limits == {"comment": 2500, "search": policy.name_limit}
