"""A cell of an export that a spreadsheet would run as a formula is written as text: an
apostrophe before it. Every way a spreadsheet starts a formula is caught — = @ + -, their
full-width forms (a Japanese or Chinese keyboard types them; spreadsheets in those locales
read them as the plain ones), after spaces or a no-break space (spreadsheets skip them), and
after a tab or line break (spreadsheets strip them) — while a number with a sign, a phone
number, and ordinary names stay as typed."""

from __future__ import annotations

import pytest

from storage.exports import text

HYPERLINK = '=HYPERLINK("http://evil.example","Bấm vào đây")'


@pytest.mark.parametrize(
    "typed",
    [
        HYPERLINK,
        "@SUM(A1:A9)",
        "+cmd|' /C calc'!A0",
        "-2+3+cmd|' /C calc'!A0",
        "\t=1+1",
        "\r=1+1",
        "\n" + HYPERLINK,  # a line typed first in a multi-line note
        " " + HYPERLINK,
        "\u00a0" + HYPERLINK,  # a no-break space, as a phone's keyboard may put it
        "\u3000" + HYPERLINK,  # an ideographic space
        '＝HYPERLINK("http://evil.example")',  # full-width equals
        "＠SUM(A1:A9)",
        "＋1+1",
        "－1+cmd",
    ],
)
def test_what_a_spreadsheet_would_run_starts_with_an_apostrophe(typed: str) -> None:
    assert text(typed) == "'" + typed


@pytest.mark.parametrize(
    "typed",
    ["Nguyễn Thị Mai", " Mai", "+84 903 123 456", "-5", "- 1.500,00", "－5", "", "a=b", "'=x"],
)
def test_a_name_a_phone_or_a_signed_number_stays_as_typed(typed: str) -> None:
    assert text(typed) == typed


def test_nothing_is_written_empty() -> None:
    assert text(None) == ""
