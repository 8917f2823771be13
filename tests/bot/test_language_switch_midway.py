"""A person who switches language midway: every message after it reads in the new language
alone, and the cards drawn before it still work."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.walk import open_case

pytestmark = pytest.mark.asyncio


async def switch_to_english(world: World) -> None:
    await world.hoa.send("/language")
    await world.hoa.press("English")


async def test_a_button_pressed_on_a_card_drawn_before_a_language_switch_answers_in_one_language(
    world: World,
) -> None:
    hoa = world.hoa
    await open_case(hoa)
    vietnamese_card = hoa.api.last_with_buttons(hoa.chat_id)
    assert vietnamese_card is not None
    assert "Bước 1/5" in vietnamese_card.plain_text
    await switch_to_english(world)
    await hoa.press("Bình tĩnh", vietnamese_card)  # the old card's button still works
    [card] = [m for m in hoa.messages if "Step 1 of 5" in m.plain_text]
    assert "Customer's reaction: 😌 Calm" in card.plain_text
    assert "Tiếp nhận khiếu nại" not in card.plain_text  # no Vietnamese log above English
    old = hoa.api.find_message(hoa.chat_id, vietnamese_card.message_id)
    assert old is not None
    assert not old.buttons
    assert "Tiếp nhận khiếu nại" in old.plain_text
    assert "Step" not in old.plain_text
    assert "Case #" not in old.plain_text


async def test_a_step_finished_after_a_language_switch_is_logged_in_the_new_language_only(
    world: World,
) -> None:
    hoa = world.hoa
    await open_case(hoa)
    await hoa.press("Bình tĩnh")
    vietnamese_card = hoa.api.last_with_buttons(hoa.chat_id)
    assert vietnamese_card is not None
    await switch_to_english(world)
    await hoa.send("Đã xin lỗi chị Hương qua điện thoại")  # answers the step the card asks
    card = hoa.api.last_with_buttons(hoa.chat_id)
    assert card is not None
    assert "Step 2 of 5" in card.plain_text
    assert "✅ #1 · Step 1 of 5" in card.plain_text  # the step done, logged in English
    old = hoa.api.find_message(hoa.chat_id, vietnamese_card.message_id)
    assert old is not None
    assert "Tiếp nhận khiếu nại" in old.plain_text
    assert "Step 1 of 5" not in old.plain_text
    assert "Note:" not in old.plain_text
