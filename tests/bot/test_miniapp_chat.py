"""Opening the Mini App from the chat: /log, the menu button, the command list."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.bot.conftest import World, make_world, settings_for
from tests.bot.walk import open_case, walk_to_fix
from tests.conftest import Clock

URL = "https://bot.example.com/app/"


@pytest.fixture
async def served(database_url: str, clock: Clock) -> AsyncIterator[World]:
    settings = settings_for(database_url, miniapp={"enabled": True, "url": URL})
    async for world in make_world(settings, clock):
        yield world


async def test_log_offers_a_button_that_opens_the_case_log(served: World) -> None:
    await served.minh.send("/log")
    assert "The case log" in served.minh.last_text
    assert "what waits for your decision" in served.minh.last_text
    (button,) = [b for row in served.minh.last.buttons for b in row]
    assert (button.text, button.url) == ("📒 Open the case log", URL)
    await served.hoa.send("/log")
    assert "hồ sơ của bạn" in served.hoa.last_text  # staff: their own cases, in Vietnamese


async def test_log_says_the_case_log_is_not_switched_on_when_it_is_not(world: World) -> None:
    await world.lan.send("/log")
    assert "not switched on" in world.lan.last_text
    assert world.lan.last.buttons == []


async def test_strangers_get_the_usual_refusal_from_log(served: World) -> None:
    await served.stranger.send("/log")
    assert len(served.api.messages(served.stranger.chat_id)) == 1
    assert served.stranger.last.buttons == []


async def test_the_menu_button_and_the_command_list_open_the_case_log(served: World) -> None:
    menu = [params for name, params in served.api.calls if name == "setChatMenuButton"]
    assert len(menu) == 1
    button = menu[0]["menu_button"]
    button = json.loads(button) if isinstance(button, str) else button
    assert button["type"] == "web_app"
    assert button["web_app"] == {"url": URL}
    assert button["text"] == "Sổ hồ sơ"  # the default language
    commands = [params for name, params in served.api.calls if name == "setMyCommands"]
    listed = commands[0]["commands"]
    listed = json.loads(listed) if isinstance(listed, str) else listed
    assert "log" in [c["command"] for c in listed]


async def test_without_the_mini_app_there_is_no_menu_button_and_no_log_command(
    world: World,
) -> None:
    assert not [name for name, _ in world.api.calls if name == "setChatMenuButton"]
    commands = [params for name, params in world.api.calls if name == "setMyCommands"]
    listed = commands[0]["commands"]
    listed = json.loads(listed) if isinstance(listed, str) else listed
    assert "log" not in [c["command"] for c in listed]


async def test_an_answer_typed_after_log_brings_the_card_below_it(served: World) -> None:
    lan = served.lan
    case_id = await open_case(lan)
    await walk_to_fix(lan)  # the card now asks what was done to fix it
    card = lan.last.message_id
    await lan.send("/log")
    offer = lan.last.message_id
    await lan.send("Re-delivered by our own van within the hour")
    assert lan.last.message_id > offer  # the card came to the bottom, where it is seen
    assert f"Case #{case_id}" in lan.last_text
    assert lan.last.message_id != card


def _decoded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


@pytest.mark.parametrize(
    ("who", "language", "new", "menu_button"),
    [
        ("hoa", "English", "Open a complaint", "Case log"),
        ("minh", "Tiếng Việt", "Tiếp nhận khiếu nại", "Sổ hồ sơ"),
    ],
)
async def test_a_person_who_switches_language_gets_their_chats_menus_in_it(
    served: World, who: str, language: str, new: str, menu_button: str
) -> None:
    person = getattr(served, who)
    await person.send("/language")
    await person.press(language)
    chat = {"type": "chat", "chat_id": person.chat_id}
    [commands] = [
        params for name, params in served.api.calls
        if name == "setMyCommands" and _decoded(params.get("scope")) == chat
    ]  # fmt: skip
    listed = {c["command"]: c["description"] for c in _decoded(commands["commands"])}
    assert listed["new"] == new
    [menu] = [
        params for name, params in served.api.calls
        if name == "setChatMenuButton" and params.get("chat_id") == person.chat_id
    ]  # fmt: skip
    assert _decoded(menu["menu_button"])["text"] == menu_button


async def test_a_person_whose_language_is_not_the_default_gets_their_menus_when_they_start(
    served: World,
) -> None:
    await served.minh.send("/start")  # English, where the default language is Vietnamese
    chat = {"type": "chat", "chat_id": served.minh.chat_id}
    [commands] = [
        params for name, params in served.api.calls
        if name == "setMyCommands" and _decoded(params.get("scope")) == chat
    ]  # fmt: skip
    listed = {c["command"]: c["description"] for c in _decoded(commands["commands"])}
    assert listed["new"] == "Open a complaint"
    [menu] = [
        params for name, params in served.api.calls
        if name == "setChatMenuButton" and params.get("chat_id") == served.minh.chat_id
    ]  # fmt: skip
    assert _decoded(menu["menu_button"])["text"] == "Case log"
    await served.stranger.send("/start")
    assert not [
        params for name, params in served.api.calls
        if params.get("chat_id") == served.stranger.chat_id and name == "setChatMenuButton"
    ]  # fmt: skip
