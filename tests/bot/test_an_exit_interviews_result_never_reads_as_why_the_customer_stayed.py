"""An exit interview closed — the customer won back or gone for good — says why they left
once, where it was answered: the closing card and the timeline list the offer and the
result, never the reasons again under the result, where "Reasons: All of these" beside
"Stayed with us" reads as why the customer stayed. The report and the customer's record
still read the reasons from the closing event — in both languages.

Before, the win-back step's card ended "• Kết quả: 😊 Khách ở lại • Lý do: Tất cả những điều
trên", and the timeline said the reasons twice, under two labels ("Vì sao rời đi", then
"Lý do").
"""

from __future__ import annotations

import re

import pytest

from bot import callbacks as cb
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import case_number, words

pytestmark = pytest.mark.asyncio


async def choose(world: World, person: Person, case_id: int, option: str) -> None:
    version = (await world.case(case_id)).version
    await person.press_data(cb.case_button(case_id, version, cb.CHOOSE, option))


async def interviewed(world: World, person: Person, result: str) -> int:
    """An exit interview with Ms Thu: a competitor's offer, her words, an offer, `result`."""
    await add_customer(world, "Ngô Thị Thu")
    await person.send("/exit")
    case_id = case_number(person.last_text)
    await person.send("Ngô Thị Thu")
    await person.press("Ngô Thị Thu")
    await choose(world, person, case_id, "competitor_offer")
    await choose(world, person, case_id, "done")
    await person.send("Bên kia rẻ hơn 20%")
    await person.send("Giảm 15% phí năm tới")
    await choose(world, person, case_id, result)
    assert (await world.case(case_id)).state == result
    return case_id


@pytest.mark.parametrize("result", ["won_back", "defected"])
@pytest.mark.parametrize("locale", LOCALES)
async def test_the_closing_card_and_the_timeline_say_why_the_customer_left_once(
    world: World, locale: str, result: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await interviewed(world, person, result)
    reasons = f"• {words(person, 'field.reasons.label')}:"
    why = words(person, "option.competitor_offer")
    closed = person.last_text.split("✅")[-1]  # the win-back step's own record
    assert words(person, f"option.{result}") in closed
    assert reasons not in closed
    await person.send(f"/case {case_id}")
    said = person.last_text
    assert reasons not in said
    assert len(re.findall(re.escape(why), said)) == 1  # where it was answered
    # still kept with the outcome, for the report and the customer's record
    (closing,) = [e for e in await world.events(case_id) if e.kind == result]
    assert closing.data["reasons"] == ["competitor_offer"]


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_customer_gone_for_good_still_shows_why_they_left_on_their_record(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    await interviewed(world, person, "defected")
    await person.send("/customer Ngô Thị Thu")
    assert words(person, "option.competitor_offer") in person.last_text
