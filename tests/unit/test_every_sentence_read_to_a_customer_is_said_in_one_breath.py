"""Every sentence a script gives staff to say to a customer can be said in one breath, in
both languages and every variant (a person, a business, an offer declined…), and no script
calls a customer "anh/chị" once their name and form of address are known.

Before, the goodbye to a business said in one sentence of 57 syllables that not renewing
was better for both sides, what the company could then find and what it would no longer
have to put up with (45 words in English); the goodwill offered again after a refusal ran
to 33 words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from flows.scripts import LOCALES
from tests.unit.wording import SCRIPTS, WITH_PARTNERS, WITHOUT_PARTNERS, renderer, views

#: The most words (in Vietnamese, syllables) a trainer would have staff say in one breath.
BREATH = {"en": 30, "vi": 40}
#: Where a sentence ends: its mark, then the capital that opens the next.
SENTENCE_END = re.compile(r"(?<=[.?!…])\s+(?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠ])")
#: A hint in brackets for staff ("(say exactly what went wrong)"): read, not said.
HINT = re.compile(r"\s*\([^)]*\)")


def sentences(text: str) -> Iterator[str]:
    yield from SENTENCE_END.split(HINT.sub("", text))


def scripts_as_written(locale: str) -> Iterator[tuple[str, str]]:
    """Every variant of every script, a placeholder counted as one word."""
    for key, text in SCRIPTS.texts[locale].items():
        if ".script" in key:
            said = re.sub(r"\[([^\]]*)\]", r"\1", text)  # an optional part, said
            yield key, re.sub(r"\{[A-Za-z_]+\}", "X", said)


def scripts_as_shown(locale: str) -> Iterator[tuple[str, str]]:
    """Every script as drawn for each kind of customer, at every question."""
    for policy in (WITH_PARTNERS, WITHOUT_PARTNERS):
        r = renderer(locale, policy)
        for who, view in views(policy):
            said = r.script(view)
            if said:
                yield f"{view.case.kind}.{view.case.state} for {who}", said


@pytest.mark.parametrize("locale", LOCALES)
def test_no_sentence_of_a_script_is_longer_than_one_breath(locale: str) -> None:
    breathless = {
        (where, sentence)
        for where, text in [*scripts_as_written(locale), *scripts_as_shown(locale)]
        for sentence in sentences(text)
        if len(sentence.split()) > BREATH[locale]
    }
    assert sorted(breathless) == []


def test_a_customer_whose_name_and_form_of_address_are_known_is_never_called_anh_chị() -> None:
    known = ("woman, titled", "formal", "business with a contact")
    r = renderer("vi")
    shown = [
        (who, view.case.state, text)
        for who, view in views()
        if who in known
        for text in (r.script(view) or "", r.card(view).text)
    ]
    assert len(shown) > 500
    assert [(who, state) for who, state, text in shown if "anh/chị" in text] == []
