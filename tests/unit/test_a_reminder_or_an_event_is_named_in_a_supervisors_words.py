"""A reminder or a timeline event is named in the words a supervisor uses, in each language.

A supervisor told that “a reminder (review check-back) could not be delivered” had to guess
what was meant; the timeline said “Wait and see” as if telling them to. A reminder is named
as what it reminds of, and an event as what was done.
"""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES, plain
from tests.unit.wording import renderer

UNDELIVERED = {
    "en": "⚠ A reminder (time to look again at a review) could not be delivered to Lan: they "
    "have blocked the bot. Please tell them directly (call or message them).",
    "vi": "⚠ Không gửi được lời nhắc (đến lúc xem lại việc đánh giá khách hàng khó) tới Lan: "
    "người đó đã chặn bot. Bạn hãy báo trực tiếp cho người đó (gọi điện hoặc nhắn riêng).",
}
#: Each reminder by what it reminds of, side by side.
KINDS = {
    "fix_due": ("promised fix due", "đến hạn khắc phục"),
    "overdue_notice": ("notice of an overdue follow-up", "báo quản lý hồ sơ quá hạn theo dõi"),
    "approval_pending": ("decision still waiting", "yêu cầu vẫn chờ quyết định"),
    "digest": ("daily summary", "tóm tắt hằng ngày"),
    "delivery_problem": ("undelivered reminder", "lời nhắc không gửi được"),
    "ladder_check": (
        "time to look again at a review",
        "đến lúc xem lại việc đánh giá khách hàng khó",
    ),
    "termination_notice": (
        "notice date for ending a relationship",
        "đến ngày báo trước việc chấm dứt",
    ),
}  # fmt: skip
EVENTS = {
    "wait": ("Chose to wait and see", "Quyết định chờ xem"),
    "note": ("Note added", "Thêm ghi chú"),
    "straight_to_decision": (
        "Decision asked for at once, on documented grounds",
        "Xin quyết định ngay, có căn cứ đã ghi nhận",
    ),
}


@pytest.mark.parametrize("locale", LOCALES)
def test_a_reminder_not_delivered_is_named_as_what_it_reminds_of(locale: str) -> None:
    r = renderer(locale)
    payload = {"who": "Lan", "about": "ladder_check", "reason": "blocked"}
    assert plain(r.problem(payload).text) == UNDELIVERED[locale]
    index = 0 if locale == "en" else 1
    assert {kind: r.t(f"reminder.kind.{kind}") for kind in KINDS} == {
        kind: said[index] for kind, said in KINDS.items()
    }


@pytest.mark.parametrize("locale", LOCALES)
def test_an_event_is_named_as_what_was_done(locale: str) -> None:
    r = renderer(locale)
    index = 0 if locale == "en" else 1
    assert {kind: r.t(f"event.{kind}") for kind in EVENTS} == {
        kind: said[index] for kind, said in EVENTS.items()
    }
