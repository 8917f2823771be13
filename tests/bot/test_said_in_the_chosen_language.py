"""What is said to a person before, or without, their row being read — a command typed in
a group, a fault — is in the language they chose in the bot, not their Telegram app's."""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import LAN, World

pytestmark = pytest.mark.asyncio

GROUP = -100_123


def lan_on_a_vietnamese_phone(world: World) -> Person:
    """Lan chose English; her Telegram app is set to Vietnamese."""
    return Person(world.app, world.api, LAN, "Lan", "vi")


async def test_a_command_typed_in_a_group_is_answered_in_the_language_the_person_chose(
    world: World,
) -> None:
    lan = lan_on_a_vietnamese_phone(world)
    await lan.send("/start")
    await lan.send_in_group("/cases", GROUP)
    [reply] = world.api.messages(GROUP)[-1:]
    assert (
        reply.plain_text
        == "I do not take commands in a group. Please send them to me in a private chat."
    )


async def test_a_fault_is_reported_in_the_language_the_person_chose(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot import handlers

    lan = lan_on_a_vietnamese_phone(world)
    await lan.send("/start")

    def broken(*args: object) -> None:
        raise RuntimeError("a fault in our code")

    monkeypatch.setattr(handlers, "cb", type("Broken", (), {"decode": broken}))
    await lan.press("m:cases", lan.last)
    assert lan.last_text.startswith("Sorry, I could not save that")
