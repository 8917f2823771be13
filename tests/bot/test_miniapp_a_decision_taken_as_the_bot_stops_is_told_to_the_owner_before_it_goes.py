"""A decision taken on the Mini App as the bot is being stopped is finished first: committed,
told to the case's owner and answered, before the web server lets the bot go on stopping.

Before, the web server finished only the updates Telegram had posted: a decision in hand was
cut off with the database and the bot closing under it, the owner never told."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.transport import webhook_server
from flows.procedures.complaint import Step
from tests.bot.conftest import World
from tests.bot.miniapp_site import awaiting_approval, serving

pytestmark = pytest.mark.asyncio


class HeldSends:
    """Holds the bot's messages to one chat until let go, saying when the first one comes."""

    def __init__(self, world: World, chat_id: int) -> None:
        self.reached, self.go = asyncio.Event(), asyncio.Event()
        answer = world.api.do_request

        async def held(url: str, method: str, request_data: Any = None, **kw: Any) -> Any:
            params = request_data.parameters if request_data is not None else {}
            if url.endswith(("/sendMessage", "/editMessageText")) and (
                params.get("chat_id") == chat_id
            ):
                self.reached.set()
                await self.go.wait()
            return await answer(url, method, request_data, **kw)

        world.api.do_request = held  # type: ignore[method-assign]


async def test_a_stop_waits_for_a_decision_in_hand_and_its_owner_is_told(world: World) -> None:
    case_id = await awaiting_approval(world)
    async with serving(world) as site:
        shown = (await site.get(f"cases/{case_id}")).json()
        sends = HeldSends(world, world.lan.chat_id)
        body = {"version": shown["request"]["version"], "verdict": "y"}
        posting = asyncio.create_task(site.post(f"cases/{case_id}/decision", body))
        await asyncio.wait_for(sends.reached.wait(), 10)  # committed, telling the owner

        stopping = asyncio.create_task(site.server.stop())
        await asyncio.sleep(0.2)
        assert not stopping.done()  # the decision is still in hand

        sends.go.set()
        await asyncio.wait_for(stopping, 10)
        answer = await asyncio.wait_for(posting, 10)

    assert answer.status_code == 200, answer.text
    assert "You approved the compensation" in answer.json()["message"]
    assert (await world.case(case_id)).state == Step.follow_up
    told = [m.plain_text for m in world.api.messages(world.lan.chat_id)]
    assert any("Minh approved the compensation" in text for text in told)


async def test_the_web_server_the_bot_runs_finishes_the_mini_apps_work_as_its_own(
    world: World,
) -> None:
    server = webhook_server(world.app, world.services.settings.telegram, updates=False)
    assert server.in_hand is world.app.bot_data.in_hand
