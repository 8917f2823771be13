"""The bot talks to staff in private chats, and in a group points to the private chat. In a
channel it says nothing at all — a /command posted there has no sender to answer — and an
update without a sender (a channel's post or its edit, a change of membership, a poll, a
boost, reactions counted) is left alone: nothing sent, nothing stored, nothing failing."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from telegram import Update
from telegram.ext import TypeHandler

from standin.messages import now
from tests.bot.conftest import LAN, World
from tests.bot.test_adversarial import UNSUPPORTED

pytestmark = pytest.mark.asyncio

CHANNEL = {"id": -1001234567890, "type": "channel", "title": "Tin tức"}
GROUP = {"id": -4242, "type": "group", "title": "Supervisors"}
LAN_USER = {"id": LAN, "is_bot": False, "first_name": "Lan", "language_code": "en"}


def command(text: str) -> dict[str, Any]:
    return {"text": text, "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}]}


def post(chat: dict[str, Any], text: str = "/new", **more: Any) -> dict[str, Any]:
    return {"message_id": 7, "date": now(), "chat": chat, **command(text), **more}


def member(chat: dict[str, Any], world: World) -> dict[str, Any]:
    bot = {"id": world.api.bot_user["id"], "is_bot": True, "first_name": "Bot"}
    return {
        "chat": chat,
        "from": LAN_USER,
        "date": now(),
        "old_chat_member": {"user": bot, "status": "left"},
        "new_chat_member": {"user": bot, "status": "member"},
    }


def updates(world: World) -> dict[str, dict[str, Any]]:
    """Every kind of update the bot could be handed that has no sender, or comes from a
    channel; each by the field Telegram names it with."""
    poll = UNSUPPORTED["poll"]["poll"]
    boost_source = {"source": "premium", "user": LAN_USER}
    return {
        "channel_post /new": {"channel_post": post(CHANNEL, sender_chat=CHANNEL)},
        "channel_post /start": {"channel_post": post(CHANNEL, "/start", sender_chat=CHANNEL)},
        "channel_post text": {
            "channel_post": {"message_id": 8, "date": now(), "chat": CHANNEL, "text": "hi"}
        },
        "edited_channel_post": {
            "edited_channel_post": post(CHANNEL, edit_date=now(), sender_chat=CHANNEL)
        },
        "a group message without a sender": {"message": post(GROUP)},
        "a group message edited": {
            "edited_message": post(GROUP, edit_date=now(), **{"from": LAN_USER})
        },
        "my_chat_member in a channel": {"my_chat_member": member(CHANNEL, world)},
        "chat_member in a channel": {"chat_member": member(CHANNEL, world)},
        "message_reaction_count": {
            "message_reaction_count": {
                "chat": CHANNEL,
                "message_id": 7,
                "date": now(),
                "reactions": [],
            }
        },
        "poll": {"poll": poll},
        "removed_chat_boost": {
            "removed_chat_boost": {
                "chat": CHANNEL,
                "boost_id": "boost-1",
                "remove_date": now(),
                "source": boost_source,
            }
        },
    }


@pytest.mark.parametrize(
    "kind",
    [
        "channel_post /new",
        "channel_post /start",
        "channel_post text",
        "edited_channel_post",
        "a group message without a sender",
        "a group message edited",
        "my_chat_member in a channel",
        "chat_member in a channel",
        "message_reaction_count",
        "poll",
        "removed_chat_boost",
    ],
)
async def test_an_update_from_a_channel_or_without_a_sender_is_left_unanswered(
    world: World, kind: str, caplog: pytest.LogCaptureFixture
) -> None:
    update = {"update_id": world.api.next_update_id(), **updates(world)[kind]}
    world.api.keep(update)
    calls = len(world.api.calls)
    with caplog.at_level(logging.WARNING):
        await world.app.process_update(Update.de_json(update, world.app.bot))
    said = [c.method for c in world.api.calls[calls:]]
    assert said == [], said
    assert world.api.messages(CHANNEL["id"]) == []
    assert world.api.messages(GROUP["id"]) == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.records
    assert await world.count("processed_updates") == 0
    assert await world.count("cases") == 0


async def test_a_command_in_a_group_still_points_to_the_private_chat(world: World) -> None:
    await world.lan.send_in_group("/new", GROUP["id"])
    assert [m.plain_text for m in world.api.messages(GROUP["id"])] == [
        "I do not take commands in a group. Please send them to me in a private chat."
    ]


async def test_a_failure_on_an_update_from_a_channel_is_logged_not_said_in_the_channel(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    async def fails(update: Update, context: object) -> None:
        raise RuntimeError("a fault")

    world.app.add_handler(TypeHandler(Update, fails), group=-9)
    try:
        for kind in ("my_chat_member in a channel", "channel_post /new"):
            update = {"update_id": world.api.next_update_id(), **updates(world)[kind]}
            calls = len(world.api.calls)
            with caplog.at_level(logging.ERROR):
                await world.app.process_update(Update.de_json(update, world.app.bot))
            assert [c.method for c in world.api.calls[calls:]] == [], kind
            assert any("unhandled error" in r.getMessage() for r in caplog.records)
        await world.lan.send("/menu")  # in a private chat, the person is told to try again
        assert any("Please try again" in m.plain_text for m in world.lan.messages)
    finally:
        world.app.remove_handler(world.app.handlers[-9][0], group=-9)
