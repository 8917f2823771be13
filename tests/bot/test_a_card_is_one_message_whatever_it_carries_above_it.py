"""A case's card is always one message: what it carries above it (the step just done,
logged on the new card when the old one reads in another language or is not known to the
process) goes in a message of its own when both would not fit one. An edit reaches one
message only, so a card split in two kept a first part that no longer told the truth.

Before, the step's summary and the card were sent together and split at Telegram's 4,096
characters: the card's position was its last part, and the next step edited that part alone
— the first still showed the card's head at the step before.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.render.cards import CardScreens
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.walk import label, open_case

pytestmark = pytest.mark.asyncio

#: Who switches to which language, and the first words of the case's card in it.
SWITCH = {"lan": ("Tiếng Việt", "Hồ sơ #"), "hoa": ("English", "Case #")}


def with_a_long_summary(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every step done summed up at length: with the card, more than one message holds."""
    summary = CardScreens.done

    def long(self: CardScreens, *args: Any, **kwargs: Any) -> str:
        return summary(self, *args, **kwargs) + "\n• " + "…" * 3_600

    monkeypatch.setattr(CardScreens, "done", long)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_step_logged_above_a_card_that_would_not_fit_comes_apart_and_the_card_stays_whole(
    world: World, monkeypatch: pytest.MonkeyPatch, who: str
) -> None:
    person: Person = getattr(world, who)
    case_id = await open_case(person)
    language, card_head = SWITCH[who]
    card = person.last
    await person.press(label(person, "Calm"), card)
    await person.send("/language")
    await person.press(language)
    person.language_code = "vi" if person.language_code == "en" else "en"
    with_a_long_summary(monkeypatch)
    skip = "Skip" if who == "lan" else "Bỏ qua"  # on the card drawn in the old language
    await person.press(skip, card)  # step 1 done: logged on the new card, in the new one
    await person.send("Re-delivered by our own van")
    await person.press(label(person, "Fixed now"))  # step 2 done: the card edited in place
    assert (await world.case(case_id)).state == "empathise"
    chat = world.api.messages(person.chat_id)
    heads = [m for m in chat if f"\n{card_head}{case_id} ·" in f"\n{m.plain_text}"]
    assert len(heads) == 1, [m.plain_text[:80] for m in heads]
    assert heads[0].button_labels  # the one card, with its buttons
    assert all(len(m.plain_text.encode("utf-16-le")) // 2 <= 4096 for m in chat)
