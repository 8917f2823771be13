"""The staff compensation limit is a number in the currency set: an offer on a case kept in
another currency (opened before the settings changed it) is never weighed against it, but
goes to a supervisor, whose request names the limit in its own currency, in both languages.
Before, 2,000 USD offered on a case opened in USD passed as within a limit of 500,000 VND,
and the limit was drawn in the case's currency (500,000 USD)."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World, restarted, staff_and_supervisor
from tests.bot.walk import compensate, label, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

#: The limit set after the change, as each language writes it.
LIMIT = {"vi": ("500.000 VND", "500.000 USD"), "en": ("500,000 VND", "500,000 USD")}


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_an_offer_in_a_currency_other_than_the_limits_waits_for_a_supervisor(
    world: World, database_url: str, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    usd = {"currency": "USD", "staff_compensation_limit": 1000}
    async with restarted(world, database_url, supervisor, complaints=usd):
        case_id = await open_case(person, "Trần Văn Bình")
        await walk_to_compensate(person)
    async with restarted(world, database_url, supervisor):  # VND again, limit 500,000
        await person.send(f"/case {case_id}")
        await person.press(words(person, "button.carry_on"))
        await compensate(person, label(person, "Voucher"), "2000")
        assert (await world.case(case_id)).state == "awaiting_approval"
        request = supervisor.last_text
        limit, mislabelled = LIMIT[locale]
        assert limit in request
        assert mislabelled not in request
        assert "2,000 USD" in request or "2.000 USD" in request
