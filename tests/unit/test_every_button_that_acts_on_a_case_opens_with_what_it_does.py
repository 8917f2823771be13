"""Every button that does something to or with a case — the side actions under its question
(a note, a file, an incident, escalate, pause, back, cancel, skip a rung…), opening it, its
timeline, its files sent again, handing it over — reads as one list in each language: an
order, its verb first.

Before, the row under a question mixed nouns and verbs: "📝 Note", "📎 Evidence" and
"🚩 Incident" beside "⚠ Escalate" and "⏸ Pause" ("🚩 Sự việc" beside "⚠ Báo cấp trên"), and
a notice offered "📂 Open case" beside "🕓 Timeline" ("📂 Xem hồ sơ" beside "🕓 Lịch sử xử
lý"); a supervisor read "🔁 Chuyển giao" beside "🙋 Tôi tự nhận", a sentence.
"""

from __future__ import annotations

import re

import pytest

from flows.scripts import LOCALES
from tests.unit.wording import SCRIPTS, keyboards

#: A button about a case that does something: a side action, open, timeline, files again, hand
#: over (its pickers, which name people, aside).
ACTING = re.compile(r"k:\d+:\d+:(a|o|t|e|h:o)(:|$)")
#: A case in a list, opened by its number: it names the case, not what is done.
LISTED = re.compile(r"^\W*#\d")
#: The verbs such a button may open with, in each language.
VERBS = {
    "en": {
        "Add", "Attach", "Log", "Drop", "Escalate", "Pause", "Go", "Cancel", "Skip", "Decide",
        "Return", "Withdraw", "See", "Open", "Hand", "Take", "Send", "Carry", "End",
    },
    "vi": {
        "Thêm", "Đính", "Ghi", "Thôi", "Báo", "Tạm", "Lùi", "Hủy", "Bỏ", "Quyết", "Về", "Rút",
        "Xem", "Chuyển", "Nhận", "Gửi", "Làm", "Kết",
    },
}  # fmt: skip
#: What a supervisor reads beside "🔁 Hand over" where a case may go to someone else.
HAND_OVER_KEYS = ("button.hand_over", "button.hand_over_case", "button.take_it_myself")


def first_word(label: str) -> str:
    return re.sub(r"^\W+", "", label).split()[0]


def acting_labels(locale: str) -> set[str]:
    """The label of every acting button the bot draws in `locale`, and the hand-over ones."""
    drawn = {
        button.text
        for _, markup in keyboards(locale)
        for row in (markup.inline_keyboard if markup else ())
        for button in row
        if ACTING.match(str(button.callback_data or "")) and not LISTED.match(button.text)
    }
    return drawn | {SCRIPTS.get(locale, key, case=4) for key in HAND_OVER_KEYS}


@pytest.mark.parametrize("locale", LOCALES)
def test_every_button_that_acts_on_a_case_opens_with_its_verb(locale: str) -> None:
    labels = acting_labels(locale)
    assert len(labels) > 12
    assert sorted(label for label in labels if first_word(label) not in VERBS[locale]) == []


#: The side actions of a complaint's card and the notice's row, as each language reads them.
ROWS = {
    "en": [
        "📝 Add a note",
        "📎 Attach evidence",
        "🚩 Log an incident",
        "⚠ Escalate",
        "⏸ Pause",
        "↩ Go back a step",
        "✖ Cancel (mistake)",
        "📂 Open case",
        "🕓 See the timeline",
    ],
    "vi": [
        "📝 Thêm ghi chú",
        "📎 Đính kèm",
        "🚩 Ghi nhận sự việc",
        "⚠ Báo cấp trên",
        "⏸ Tạm dừng",
        "↩ Lùi một bước",
        "✖ Hủy (tạo nhầm)",
        "📂 Xem hồ sơ",
        "🕓 Xem lịch sử",
    ],
}


@pytest.mark.parametrize("locale", LOCALES)
def test_the_row_under_a_complaints_question_and_a_notices_row_read_as_orders(
    locale: str,
) -> None:
    keys = ("note", "evidence", "incident", "escalate_reason", "pause", "back", "cancel_reason")
    said = [SCRIPTS.get(locale, f"button.{key}") for key in (*keys, "open_case", "timeline")]
    assert said == ROWS[locale]
