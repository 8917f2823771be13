"""Every step's heading and purpose line take one form, in each language, in every procedure.

A step someone works on is named by what to do, and its purpose says it, verb first (“Move
the customer to another channel…”, never “Another channel, a partner…”); a step that waits
is named “Waiting for …” / “Chờ …”, and its purpose too says what to do meanwhile; a step
that ends a case says, as a statement, what became of it. Each purpose is whole sentences.

The verbs are listed here: a new step's purpose opens with one of them, or adds its own.
"""

from __future__ import annotations

import pytest

from flows.procedures import PROCEDURES
from flows.scripts import LOCALES
from tests.unit.wording import SCRIPTS

#: What to do: the verbs a working or waiting step's heading and purpose open with.
DOES = {
    "en": (
        "Record", "Write", "Apologise", "Say", "Fix", "Act", "Show", "Let", "Make", "Offer",
        "Do", "Follow", "Agree", "Call", "Reassess", "Ask", "Educate", "Help", "Renegotiate",
        "Restore", "Move", "Wait", "Hold", "Learn", "Try", "Check",
    ),
    "vi": (
        "Tiếp nhận", "Ghi", "Xin lỗi", "Hành động", "Bắt tay", "Bày tỏ", "Cho", "Đền bù",
        "Đưa", "Đừng", "Theo dõi", "Hẹn", "Gọi", "Đánh giá", "Tìm hiểu", "Huấn luyện", "Giúp",
        "Thương lượng", "Cân bằng", "Chuyển", "Chờ", "Trao đổi", "Hỏi", "Học hỏi", "Cố gắng",
    ),
}  # fmt: skip
#: What a waiting step is called by.
WAITS = {"en": "Waiting for ", "vi": "Chờ "}
#: What an ended case's purpose opens with: what became of it, or of the customer.
STANDS = {
    "en": ("The", "This", "What"),
    "vi": ("Khách", "Hồ sơ", "Quan hệ", "Ý kiến"),
}


def steps() -> set[tuple[str, bool]]:
    """Every step of every procedure, and whether it ends the case."""
    return {
        (state, procedure.flow.is_final(state))
        for procedure in PROCEDURES.values()
        for state in procedure.flow.all_states()
    }


def opens_with(text: str, words: tuple[str, ...]) -> bool:
    return any(text == word or text.startswith(f"{word} ") for word in words)


@pytest.mark.parametrize("locale", LOCALES)
def test_a_step_worked_on_or_waited_on_says_what_to_do_verb_first(locale: str) -> None:
    texts = SCRIPTS.texts[locale]
    going = sorted(state for state, ends in steps() if not ends)
    assert {"migrate", "termination_conversation", "awaiting_decision"} <= set(going)
    not_verb_first = [
        f"{state}: {texts[f'step.{state}.purpose']}"
        for state in going
        if not opens_with(texts[f"step.{state}.purpose"], DOES[locale])
    ]
    assert not_verb_first == []


@pytest.mark.parametrize("locale", LOCALES)
def test_a_step_is_named_by_what_to_do_or_by_what_it_waits_for(locale: str) -> None:
    texts = SCRIPTS.texts[locale]
    misnamed = []
    for state, ends in sorted(steps()):
        title = texts[f"step.{state}.title"]
        if ends:
            continue
        waits = state.startswith("awaiting_")
        if waits != title.startswith(WAITS[locale]) or not (
            waits or opens_with(title, DOES[locale])
        ):
            misnamed.append(f"{state}: {title}")
    assert misnamed == []


@pytest.mark.parametrize("locale", LOCALES)
def test_a_step_that_ends_a_case_says_what_became_of_it(locale: str) -> None:
    texts = SCRIPTS.texts[locale]
    ended = sorted(state for state, ends in steps() if ends)
    assert {"closed", "terminated", "won_back", "checked_in"} <= set(ended)
    not_said = [
        f"{state}: {texts[f'step.{state}.purpose']}"
        for state in ended
        if not opens_with(texts[f"step.{state}.purpose"], STANDS[locale])
    ]
    assert not_said == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_purpose_is_whole_sentences(locale: str) -> None:
    texts = SCRIPTS.texts[locale]
    purposes = [texts[f"step.{state}.purpose"] for state, _ in steps()]
    assert [p for p in purposes if not (p[0].isupper() and p.endswith("."))] == []
