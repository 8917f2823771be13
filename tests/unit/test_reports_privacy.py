"""Forgetting a customer: what is personal data in an event, and what stays."""

from __future__ import annotations

import pytest

from flows.privacy import forgotten_name, forgotten_number, is_redacted, needs_redaction, redact


def test_free_text_and_identity_go_while_figures_stay() -> None:
    opened = {
        "customer": "new",
        "new_name": "Nguyễn Thị Hương",
        "new_phone": "0903123456",
        "new_kind": "individual",
        "new_since": "2019-01-01",
        "new_yearly_value": 3_000_000,
        "summary": "Giao hàng trễ 3 ngày 😠",
        "category": "delay",
        "severity": "high",
        "to": "apologise",
    }
    assert redact(opened) == {
        "customer": "new",
        "new_kind": "individual",
        "new_since": "2019-01-01",
        "new_yearly_value": 3_000_000,
        "category": "delay",
        "severity": "high",
        "to": "apologise",
        "redacted": True,
    }


def test_compensation_keeps_type_and_value_but_not_the_reason() -> None:
    assert redact({"type": "none", "reason": "Khách từ chối", "to": "follow_up"}) == {
        "type": "none",
        "to": "follow_up",
        "redacted": True,
    }
    assert redact({"type": "voucher", "value": 200_000}) == {
        "type": "voucher",
        "value": 200_000,
        "redacted": True,
    }


def test_unknown_keys_stay_only_when_their_value_is_anonymous() -> None:
    data = {
        "reasons": ["price_quality", "competitor_offer"],
        "note_price_quality": "Chị nói bên kia rẻ hơn 10%",
        "due": "2026-11-25T09:00:00+07:00",
        "answers": {"why": "moved house"},
        "count": 3,
    }
    assert redact(data) == {
        "reasons": ["price_quality", "competitor_offer"],
        "due": "2026-11-25T09:00:00+07:00",
        "count": 3,
        "redacted": True,
    }


def test_redaction_only_removes_keys_and_never_changes_a_kept_value() -> None:
    data = {"type": "gift", "value": 100_000, "note": "x", "outcome": "satisfied"}
    redacted = redact(data)
    assert all(data[k] == v for k, v in redacted.items() if k != "redacted")


def test_an_event_with_nothing_personal_or_already_redacted_needs_nothing() -> None:
    assert not needs_redaction({"outcome": "satisfied", "to": "closed"})
    assert not needs_redaction({"redacted": True})
    assert needs_redaction({"text": "Khách gọi lại lúc 9h"})
    assert is_redacted(redact({"text": "x"}))


def test_a_forgotten_customer_keeps_only_their_number() -> None:
    assert forgotten_name(42) == "forgotten #42"


@pytest.mark.parametrize(
    ("key", "typed"),
    [
        ("why_us", "ok"),  # one word, lower case: looks like a choice code
        ("open_answers", "huong"),  # a name typed in lower case
        ("note_unprofitable", "thua_lo"),
        ("rung_action", "goi"),
        ("caption", "hoa_don"),
    ],
)
def test_every_field_typed_into_goes_whatever_the_answer_looks_like(key: str, typed: str) -> None:
    redacted = redact({key: typed, "outcome": "staying", "score": 3})
    assert key not in redacted
    assert redacted == {"outcome": "staying", "score": 3, "redacted": True}


def test_a_withdrawn_offer_keeps_its_type_and_amount() -> None:
    data = {"withdrawn": {"type": "voucher", "value": 400_000}, "to": "compensate"}
    assert redact(data) == {**data, "redacted": True}
    assert not needs_redaction(data)


def test_an_object_holding_anything_personal_goes_whole() -> None:
    data = {
        "withdrawn": {"type": "voucher", "value": 400_000, "reason": "Chị Hương không nhận"},
        "offer": {"type": "voucher", "note": "Gọi cho chị Hương"},
        "nested": {"inner": {"name": "Hương"}},
        "to": "compensate",
    }
    assert redact(data) == {"to": "compensate", "redacted": True}


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("forgotten #12", 12),
        ("forgotten #²", None),  # a digit to str.isdigit, no number to int()
        ("forgotten #012", None),  # not what forgetting leaves
        ("forgotten #", None),
        ("Nguyễn Thị Hương", None),
    ],
)
def test_only_the_name_forgetting_leaves_is_read_as_a_forgotten_customers_number(
    name: str, number: int | None
) -> None:
    assert forgotten_number(name) == number
