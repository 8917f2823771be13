"""In a group the bot shares with people and other bots, it answers only what is meant for
it: a command Telegram marks as one, named for no bot ("/new") or for this one
("/new@cs_assistant_bot", its name in any case), is pointed to the private chat. A command
for another bot ("/start@other_bot"), a text that only starts with a slash (a path, a
time) and a post a channel makes in the group (its own, or its post copied into its
discussion group) are someone else's business: nothing is said, nothing stored. Before,
the bot answered every message starting with "/" in the group, the other bots' commands
and the channel's posts too."""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Update

from standin.inprocess import Person
from tests.bot.conftest import World

pytestmark = pytest.mark.asyncio

GROUP = {"id": -100200300, "type": "supergroup", "title": "Cửa hàng Quận 1"}
CHANNEL = {"id": -100900900, "type": "channel", "title": "Tin khuyến mãi"}
POINTED = "I do not take commands in a group. Please send them to me in a private chat."


def command(text: str) -> dict[str, Any]:
    """A text whose first word Telegram marks as a bot command."""
    size = len(text.split()[0])
    return {"text": text, "entities": [{"type": "bot_command", "offset": 0, "length": size}]}


async def sent_in_group(world: World, person: Person, fields: dict[str, Any]) -> list[str]:
    """Send a message in the group as `person`; what the bot then says in the group."""
    before = len(world.api.messages(GROUP["id"]))
    update = {"update_id": world.api.next_update_id(), **person.new_message(GROUP, fields)}
    world.api.keep(update)
    await world.app.process_update(Update.de_json(update, world.app.bot))
    return [m.plain_text for m in world.api.messages(GROUP["id"])[before:]]


@pytest.mark.parametrize(
    "fields",
    [
        command("/new"),
        command("/cases overdue"),
        command("/new@cs_assistant_bot"),
        command("/help@CS_Assistant_Bot"),
        command("/frobnicate"),
        command("/approvals") | {"sender_chat": GROUP},  # an admin posting as the group
    ],
    ids=lambda f: f["text"],
)
@pytest.mark.parametrize("who", ["lan", "stranger"])
async def test_a_command_for_this_bot_or_for_no_bot_is_pointed_to_the_private_chat(
    world: World, fields: dict[str, Any], who: str
) -> None:
    assert await sent_in_group(world, getattr(world, who), fields) == [POINTED]
    assert await world.count("processed_updates") == 0


@pytest.mark.parametrize(
    "fields",
    [
        command("/start@other_bot"),
        command("/new@OtherShopBot hello"),
        {"text": "/home/lan/bao-cao.xlsx is on the shared drive"},
        {"text": "/ 5pm works for me"},
        command("/new") | {"sender_chat": CHANNEL},
        command("/new") | {"sender_chat": CHANNEL, "is_automatic_forward": True},
    ],
    ids=lambda f: (
        f["text"]
        + (" by a channel" if "sender_chat" in f else "")
        + (" copied" if "is_automatic_forward" in f else "")
    ),
)
@pytest.mark.parametrize("who", ["lan", "stranger"])
async def test_another_bots_command_a_text_starting_with_a_slash_or_a_channels_post_gets_no_answer(
    world: World, fields: dict[str, Any], who: str
) -> None:
    person: Person = getattr(world, who)
    assert await sent_in_group(world, person, fields) == []
    assert person.messages == []
    assert await world.count("processed_updates") == 0
    assert await world.count("cases") == 0
