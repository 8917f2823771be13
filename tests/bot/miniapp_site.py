"""The Mini App on a whole bot: the bot's web server with the page and its API, on 127.0.0.1,
over a World (the application, the Bot API stand-in, registered people)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx

from bot.config import MINIAPP_PATH
from bot.miniapp.init_data import init_data_for
from bot.miniapp.server import routes
from bot.webhook import WebhookServer
from tests.bot.conftest import MINH, World
from tests.bot.walk import asking_approval


@dataclass
class Site:
    """The served Mini App and an HTTP client for it."""

    world: World
    server: WebhookServer
    client: httpx.AsyncClient

    @property
    def page(self) -> str:
        """The page's address."""
        return f"http://127.0.0.1:{self.server.port}{MINIAPP_PATH}/"

    def signed(
        self,
        telegram_id: int,
        *,
        age: timedelta = timedelta(0),
        token: str = "",
        language: str = "en",
    ) -> str:
        """initData as Telegram gives it to the page of `telegram_id`, `age` ago, for a
        Telegram app set to `language`."""
        token = token or self.world.app.bot.token
        return init_data_for(telegram_id, "Someone", language, token, self.world.clock() - age)

    def headers(self, telegram_id: int | None, **signing: Any) -> dict[str, str]:
        """The Authorization header of `telegram_id` (none for None)."""
        if telegram_id is None:
            return {}
        return {"Authorization": f"tma {self.signed(telegram_id, **signing)}"}

    async def get(self, path: str, who: int | None = MINH, **signing: Any) -> httpx.Response:
        """GET an API path as `who`."""
        return await self.client.get(f"api/{path}", headers=self.headers(who, **signing))

    async def post(
        self, path: str, body: Any, who: int | None = MINH, **signing: Any
    ) -> httpx.Response:
        """POST JSON to an API path as `who`."""
        headers = self.headers(who, **signing)
        return await self.client.post(f"api/{path}", json=body, headers=headers)


@asynccontextmanager
async def serving(world: World) -> AsyncIterator[Site]:
    """Serve the Mini App of `world`'s application on a free port of 127.0.0.1."""
    server = WebhookServer(
        world.app,
        world.services.engine,
        path=None,
        secret="",
        port=0,
        routes=routes(world.app),
        in_hand=world.app.bot_data.in_hand,
    )
    await server.start()
    try:
        base = f"http://127.0.0.1:{server.port}{MINIAPP_PATH}/"
        async with httpx.AsyncClient(base_url=base, timeout=30) as client:
            yield Site(world, server, client)
    finally:
        await server.stop()


async def awaiting_approval(
    world: World, value: str = "2.000.000", customer: str = "Nguyễn Thị Hương"
) -> int:
    """Lan walks a complaint to a compensation of `value` (over the limit by default) for a
    new customer; return the case number."""
    return await asking_approval(world.lan, value, customer)
