"""The bot's lighter send and edit ask Telegram exactly what PTB's own calls ask."""

from __future__ import annotations

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from telegram.constants import ParseMode

from bot.app import OFFLINE_TOKEN
from bot.lean_bot import LeanBot
from bot.render.keyboards import Button, Keyboard, Markup, for_ptb
from standin.inprocess import FakeBotApi

CARD = "<b>Case #12</b> · Nguyễn Thị Hương\n➡️ How did the customer react?"
BUTTONS = Keyboard([[Button("😌 Calm", "k:12:3:c:calm")]])
#: A card's keyboard: answers two to a row, then the actions every step has.
CARD_BUTTONS = Keyboard(
    [
        [Button("😌 Bình tĩnh", "k:12:3:c:calm"), Button("😠 Bực", "k:12:3:c:angry")],
        [Button("⏭ Bỏ qua", "k:12:3:s")],
        [Button("✖️ Huỷ hồ sơ", "k:12:3:a:cancel")],
    ]
)
#: Buttons of PTB's own (a Mini App, a link): left to PTB to write out.
OTHER_BUTTONS = [
    InlineKeyboardMarkup(
        [[InlineKeyboardButton("📒 Mở sổ", web_app=WebAppInfo("https://x.vn/app"))]]
    ),
    InlineKeyboardMarkup([[InlineKeyboardButton("Hướng dẫn", url="https://x.vn/guide")]]),
    InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton("😌 Bình tĩnh", callback_data="k:12:3:c:calm"),
                InlineKeyboardButton("Hướng dẫn", url="https://x.vn/guide"),
            ]
        ]
    ),
]


async def test_sending_and_editing_a_card_asks_what_ptbs_own_calls_ask() -> None:
    api = FakeBotApi()
    async with LeanBot(OFFLINE_TOKEN, request=api, get_updates_request=api) as bot:
        ptb = await bot.send_message(
            1001,
            CARD,
            parse_mode=ParseMode.HTML,
            reply_markup=for_ptb(BUTTONS),
            disable_web_page_preview=True,
        )
        lean = await bot.send_html(1001, CARD, BUTTONS)
        await bot.edit_message_text(
            CARD,
            chat_id=1001,
            message_id=ptb.message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=None,
            disable_web_page_preview=True,
        )
        await bot.edit_html(1001, lean, CARD, None)
    sends, edits = api.called("sendMessage"), api.called("editMessageText")
    assert [call.params for call in sends[1:]] == [sends[0].params]
    ptb_edit, lean_edit = ({k: v for k, v in c.params.items() if k != "message_id"} for c in edits)
    assert (lean_edit, edits[1].params["message_id"]) == (ptb_edit, lean)
    assert lean == ptb.message_id + 1
    assert api.last(1001).plain_text == CARD.replace("<b>", "").replace("</b>", "")
    assert api.last(1001).buttons == []  # the edit took the buttons away


@pytest.mark.parametrize("markup", [BUTTONS, CARD_BUTTONS, *OTHER_BUTTONS])
async def test_a_keyboard_reaches_telegram_as_ptbs_own_calls_write_it(
    markup: Markup,
) -> None:
    api = FakeBotApi()
    async with LeanBot(OFFLINE_TOKEN, request=api, get_updates_request=api) as bot:
        ptb = await bot.send_message(
            1001, CARD, parse_mode=ParseMode.HTML, reply_markup=for_ptb(markup)
        )
        lean = await bot.send_html(1001, CARD, markup)
        await bot.edit_html(1001, ptb.message_id, CARD + " ✅", markup)
    written = [call.params["reply_markup"] for call in api.calls if "reply_markup" in call.params]
    assert written == [written[0]] * 3
    ptb_shown, lean_shown = (api.find_message(1001, m) for m in (ptb.message_id, lean))
    assert ptb_shown is not None
    assert lean_shown is not None
    assert lean_shown.buttons == ptb_shown.buttons
    assert [len(row) for row in lean_shown.buttons] == [len(r) for r in markup.inline_keyboard]


async def test_every_message_the_bot_sends_is_told_to_its_listener_and_edits_are_not() -> None:
    api = FakeBotApi()
    told: list[tuple[int, int]] = []
    async with LeanBot(OFFLINE_TOKEN, request=api, get_updates_request=api) as bot:
        bot.note_sends(lambda chat, message: told.append((chat, message)))
        card = await bot.send_html(1001, CARD, BUTTONS)
        photo = await bot.send_photo(1001, "photo-box")
        await bot.edit_html(1001, card, CARD + " ✅", None)
    assert told == [(1001, card), (1001, photo.message_id)]
