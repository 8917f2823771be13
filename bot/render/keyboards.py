"""A message's buttons as this bot draws them: labels with callback data, nothing more.

PTB's `InlineKeyboardButton` and `InlineKeyboardMarkup` check and freeze every attribute
they are given: a card's dozen buttons built as them cost about 0.07 ms of an update, for
objects that are only ever written out as JSON (`bot.lean_bot`). These are plain values with
the same attribute names (`text`, `callback_data`, `inline_keyboard`), so what reads a
keyboard reads either; `for_ptb` makes PTB's own objects where PTB's methods are called.
A button of another kind (a Mini App's `web_app`) is drawn as PTB's, whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from telegram import InlineKeyboardButton, InlineKeyboardMarkup


class Button(NamedTuple):
    """A button: its label and the data Telegram sends back when it is pressed."""

    text: str
    callback_data: str


@dataclass(frozen=True, slots=True)
class Keyboard:
    """Rows of buttons under a message."""

    inline_keyboard: Sequence[Sequence[Button]]

    def to_dict(self) -> dict[str, Any]:
        """The keyboard as Telegram reads it."""
        return {
            "inline_keyboard": [
                [{"text": b.text, "callback_data": b.callback_data} for b in row]
                for row in self.inline_keyboard
            ]
        }


#: What a message may carry under it: our buttons, or PTB's for buttons of another kind.
Markup = Keyboard | InlineKeyboardMarkup


def for_ptb(markup: Markup | None) -> InlineKeyboardMarkup | None:
    """The keyboard as PTB's objects, for PTB's own methods (`send_message`, ...)."""
    if not isinstance(markup, Keyboard):
        return markup
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.text, callback_data=b.callback_data) for b in row]
            for row in markup.inline_keyboard
        ]
    )
