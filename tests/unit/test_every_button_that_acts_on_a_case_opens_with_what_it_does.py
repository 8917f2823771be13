"""Every button that does something to or with a case — the side actions under its question
(a note, a file, an incident, escalate, pause, back, cancel, skip a rung…), opening it, its
timeline, its files sent again, handing it over — reads as one list in each language: an
order, its verb first.

Before, the row under a question mixed nouns and verbs: "📝 Note", "📎 Evidence" and
"🚩 Incident" beside "⚠ Escalate" and "⏸ Pause" ("🚩 Sự việc" beside "⚠ Báo cấp trên"), and
a notice offered "📂 Open case" beside "🕓 Timeline" ("📂 Xem hồ sơ" beside "🕓 Lịch sử xử
lý"); a supervisor read "🔁 Chuyển giao" beside "🙋 Tôi tự nhận", a sentence.

So does every button that does something on a screen that is not a case's card — a
customer's record, the menu, a list, /staff, a supervisor's request, the question about a
customer, the offer to comment on a decision — within the length a phone shows. Before, a
customer's record offered "➕ New complaint", "⚖ Problem customer", "🤝 Check-in call",
"👋 Exit interview" and "✏️ How to address" beside "⚠ Flag at risk" ("✏️ Xưng hô" beside
"⚠ Đánh dấu nguy cơ"), the menu "🌐 Language", /staff "🗑 Lan, joined …". What only opens
or names something — a page, a filter, a customer's or a person's name, a language, an
answer to a reminder's question (as a case's answers) — stays a name.
"""

from __future__ import annotations

import re

import pytest

from bot.render.sizes import LABEL_BUDGET, visible_length
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
#: Elsewhere: a customer's record, the menu, /staff, a supervisor's request, the prompts.
OTHER_VERBS = {
    "en": {
        "Open", "Review", "Make", "Hold", "Flag", "Change", "See", "Approve", "Decline", "Put",
        "Remove", "Leave", "Skip", "Take",
    },
    "vi": {
        "Tiếp", "Xem", "Hỏi", "Phỏng", "Đánh", "Đổi", "Duyệt", "Từ", "Để", "Gỡ", "Thôi", "Nhận",
    },
}  # fmt: skip
#: A button elsewhere that does something: on a customer (not their card opened by name),
#: the menu's and "no comment", an account removed, a verdict, a case taken over oneself.
DOES = re.compile(r"^(u:\d+:(?!card$)[a-z]+|m:[a-z]+|s:\d+:rm|k:\d+:\d+:(d:[a-z]|h:s\d+))$")
#: Buttons that do something with data that also opens by name: leaving a question.
DOES_KEYS = ("button.leave_question",)
#: A name to pick (a person to hand a case to) or a case by its number: not an action.
NAMED = re.compile(r"^\W*(#|👤)")
#: What a supervisor reads beside "🔁 Hand over" where a case may go to someone else.
HAND_OVER_KEYS = ("button.hand_over", "button.hand_over_case", "button.take_it_myself")


def first_word(label: str) -> str:
    return re.sub(r"^\W+", "", label).split()[0].rstrip(",:")


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


def other_labels(locale: str) -> dict[str, int]:
    """Each label of a button that does something on a screen not a case's card, and the
    most buttons it shares a row with."""
    shared: dict[str, int] = {}
    for _, markup in keyboards(locale):
        for row in markup.inline_keyboard if markup else ():
            for button in row:
                data, text = str(button.callback_data or ""), button.text
                if DOES.match(data) and not NAMED.match(text):
                    shared[text] = max(shared.get(text, 0), len(row))
    for key in DOES_KEYS:
        shared.setdefault(SCRIPTS.get(locale, key), 1)
    return shared


@pytest.mark.parametrize("locale", LOCALES)
def test_every_button_that_does_something_elsewhere_opens_with_its_verb_and_fits_its_row(
    locale: str,
) -> None:
    labels = other_labels(locale)
    assert len(labels) >= 14
    verbs = VERBS[locale] | OTHER_VERBS[locale]
    assert sorted(label for label in labels if first_word(label) not in verbs) == []
    too_long = {t: n for t, n in labels.items() if visible_length(t) > LABEL_BUDGET[n]}
    assert too_long == {}


#: A customer's record's buttons, as each language reads them.
RECORD = {
    "en": [
        "➕ Open a new complaint",
        "⚖ Review a problem customer",
        "🤝 Make a check-in call",
        "👋 Hold an exit interview",
        "⚠ Flag at risk",
        "✏️ Change how to address",
    ],
    "vi": [
        "➕ Tiếp nhận khiếu nại mới",
        "⚖ Xem xét khách hàng khó",
        "🤝 Hỏi thăm khách",
        "👋 Phỏng vấn rời bỏ",
        "⚠ Đánh dấu nguy cơ",
        "✏️ Đổi cách xưng hô",
    ],
}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_customers_record_offers_orders(locale: str) -> None:
    keys = ("new_case", "new_review", "new_check_in", "new_exit", "flag_at_risk", "rename")
    assert [SCRIPTS.get(locale, f"button.{key}") for key in keys] == RECORD[locale]
