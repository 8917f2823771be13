"""What a step recorded is listed once: a line repeating another's words joins it."""

from __future__ import annotations

import pytest

from flows.model import Customer
from tests.unit.wording import renderer

LANGUAGES = pytest.mark.parametrize("locale", ["en", "vi"])
LABELS = {
    "en": ("Customer", "Name", "Trivial complaints", "Little or no profit", "Note", "Phone"),
    "vi": ("Khách hàng", "Tên", "Kêu ca chuyện vặt", "Không có lãi", "Ghi chú", "Điện thoại"),
}


@LANGUAGES
def test_a_new_customers_name_is_not_listed_again_under_the_customer(locale: str) -> None:
    customer = Customer(name="Nguyễn Thị Mai", search_key="", id=1)
    intake = {"customer": "new", "new_name": " nguyễn thị  Mai", "new_phone": "0903123456"}
    lines = renderer(locale).record_lines(intake, customer)
    customer_label, name_label, *_, phone_label = LABELS[locale]
    assert lines == [f"• {customer_label}: Nguyễn Thị Mai", f"• {phone_label}: 0903123456"]
    assert not any(line.startswith(f"• {name_label}:") for line in lines)


@LANGUAGES
def test_one_note_typed_for_two_reasons_is_one_line_naming_both(locale: str) -> None:
    record = {"note_trivial_complaints": "Xem sự việc", "note_unprofitable": "Xem sự việc"}
    trivial, unprofitable = LABELS[locale][2:4]
    assert renderer(locale).record_lines(record) == [f"• {trivial} · {unprofitable}: Xem sự việc"]


@LANGUAGES
def test_answers_skipped_or_chosen_alike_are_each_listed(locale: str) -> None:
    """Skipped, or the same choice, says something different under each label."""
    record = {"note": None, "new_phone": None, "reaction": "calm", "new_kind": "individual"}
    assert len(renderer(locale).record_lines(record)) == 4
