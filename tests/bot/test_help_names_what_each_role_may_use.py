"""/help names every command the reader's role may use, and none it may not, in both
languages: a command left out of the help is one staff never find."""

from __future__ import annotations

import re

import pytest

from bot.app import COMMANDS, LOG_COMMAND
from standin.inprocess import Person
from tests.bot.conftest import World

pytestmark = pytest.mark.asyncio

#: What a person is told when their role may not use a command.
REFUSED = (
    "Only supervisors",
    "are for supervisors",
    "Chỉ quản lý",
    "chỉ dành cho quản lý",
    "not allowed to invite",
    "không có quyền mời",
)


def named_in(text: str) -> set[str]:
    return set(re.findall(r"/([a-z]+)", text))


async def allowed(person: Person) -> set[str]:
    """The commands the person's role may use: each one in Telegram's menu (with the case
    log's, which says how to switch it on where it is off) tried, the refused ones left out."""
    usable = set()
    for name in (*COMMANDS, LOG_COMMAND):
        await person.send(f"/{name}")
        if not any(words in person.last_text for words in REFUSED):
            usable.add(name)
    return usable


@pytest.mark.parametrize("who", ["lan", "hoa", "minh"])
async def test_help_names_every_command_the_readers_role_may_use_and_no_other(
    world: World, who: str
) -> None:
    person: Person = getattr(world, who)
    await person.send("/help")
    helped = named_in(person.last_text)
    usable = await allowed(person)
    assert usable - {"start", "help"} <= helped, usable - helped
    assert helped <= usable, helped - usable


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_a_supervisors_help_names_the_hand_over_button_and_staffs_does_not(
    world: World, locale: str
) -> None:
    label = world.services.scripts.get(locale, "button.hand_over")
    for person in (world.minh, world.lan):
        await person.send("/language")
        await person.press("Tiếng Việt" if locale == "vi" else "English")
        await person.send("/help")
        assert (label in person.last_text) is (person is world.minh), person.last_text
