"""Draw outcomes as Telegram messages: HTML text (user input escaped) and inline buttons.

One module per family of screens, each a class deriving from `bot.render.base.RenderBase`
alone and calling no other family (what two families need is in the base):

- `cards`: a case's card at its step, and a finished step;
- `notices`: notifications, requests to decide, reminders, digests;
- `lists`: a case's timeline and the case lists;
- `customers`: a customer's card, customers to pick from, the staff overview;
- `menus`: the start menu, languages, the comment prompt.

`Renderer` is all of them at once. `reports.ReportView` draws the report's figures for a
renderer's reader, on the same base; `sizes` holds what fits a message and a button row.
"""

from __future__ import annotations

from bot.render.base import Rendered, Safe
from bot.render.cards import CardScreens
from bot.render.customers import CustomerScreens
from bot.render.lists import FILTER_ROWS, ListScreens, event_key
from bot.render.menus import MenuScreens
from bot.render.notices import DECISIONS, NoticeScreens
from bot.render.sizes import (
    LABEL_BUDGET,
    MESSAGE_LIMIT,
    SHORT_BUDGET,
    shown_units,
    split_message,
    visible_length,
)

__all__ = [
    "DECISIONS",
    "FILTER_ROWS",
    "LABEL_BUDGET",
    "MESSAGE_LIMIT",
    "SHORT_BUDGET",
    "Rendered",
    "Renderer",
    "Safe",
    "event_key",
    "shown_units",
    "split_message",
    "visible_length",
]


class Renderer(CardScreens, NoticeScreens, ListScreens, CustomerScreens, MenuScreens):
    """Turn outcomes into messages in one reader's language and time zone."""
