"""Move 5 of the polite termination with no partner configured: the words read aloud still
offer an alternative, a gap ("…") where staff say the one they suggest, never a goodbye that
leaves the customer hanging (domain brief, section 4.5); and the advice tells staff to say
it there and record it with the one button there is, never to press a provider's name that
is not on the card. Both languages, a person and a business customer."""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}
#: The sentence that offers the alternative, with its gap, for each kind of customer.
OFFERED = {
    ("en", "individual"): "you could try … If it helps",
    ("en", "business"): "you may wish to consider … We will gladly help",
    ("vi", "individual"): "có thể tham khảo … ạ.",
    ("vi", "business"): "quý công ty có thể tham khảo … Chúng tôi sẵn lòng",
}
#: What the card's advice must not say with no provider on the card to press.
NO_SUCH_BUTTON = {"en": "Press it below", "vi": "Bấm tên đơn vị bên dưới"}


async def at_move_five(world: World, locale: str, kind: str) -> str:
    """A review approved and walked through four moves; the card of move 5, as plain text."""
    person = getattr(world, WHO[locale])
    await add_customer(world, "Lê Văn Tám", kind)
    await open_review(person, "Lê Văn Tám")
    await climb_to_decision(person)
    await world.minh.press("Approve")
    await person.press(words(person, "button.open_case"))
    if kind == "business":
        await person.send("31/03/2027")
    else:
        await person.press(words(person, "option.ready"))
    await person.send("ok1")
    await person.send("ok2")
    await person.press(words(person, "option.refund_last_period"))
    for text in ("100k", "ok3", "ok4"):
        await person.send(text)
    assert words(person, "field.alternative.prompt") in person.last_text
    return person.last_text


@pytest.mark.parametrize("kind", ["individual", "business"])
@pytest.mark.parametrize("locale", LOCALES)
async def test_the_words_of_move_five_leave_a_gap_for_the_alternative_staff_name(
    world: World, locale: str, kind: str
) -> None:
    card = await at_move_five(world, locale, kind)
    assert OFFERED[locale, kind] in card


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_advice_of_move_five_names_no_provider_button_that_is_not_there(
    world: World, locale: str
) -> None:
    card = await at_move_five(world, locale, "individual")
    assert NO_SUCH_BUTTON[locale] not in card
    assert words(getattr(world, WHO[locale]), "option.own_alternative") in card
