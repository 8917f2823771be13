"""Words staff typed, filled where a script ends its sentence, are said with the script's
own stop only, whatever stop they were typed with ("Công ty Ánh Dương. ạ." before); the
"…" a script leaves for staff to fill stays."""

from __future__ import annotations

import pytest

from flows.scripts import Scripts

SCRIPTS = Scripts.load()


@pytest.mark.parametrize(
    ("locale", "typed", "said"),
    [
        ("vi", "Công ty Ánh Dương.", "tham khảo Công ty Ánh Dương ạ. Nếu"),
        ("vi", "Công ty Ánh Dương!", "tham khảo Công ty Ánh Dương ạ. Nếu"),
        ("en", "Ánh Dương Co.", "try Ánh Dương Co. If it helps"),
        ("en", "the shop across the street?", "try the shop across the street. If"),
    ],
)
def test_an_option_typed_with_its_stop_ends_the_sentence_once(
    locale: str, typed: str, said: str
) -> None:
    words = SCRIPTS.say(locale, "field.alternative.script", you="chị", partners=typed)
    assert said in words, words


def test_the_gap_left_for_staff_to_fill_stays_where_the_sentence_ends() -> None:
    said = SCRIPTS.say("vi", "field.goodwill_response.script", you="anh", You="Anh", offer="…")
    assert said.startswith("Dạ, bên em xin hỗ trợ anh … ạ. Anh thấy"), said
