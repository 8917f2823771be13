"""The report page's two dates, one of them cleared (or typed past what the date field could
read, which sends it empty): the reader is asked for both days, in their words — never told
the request "could not be read" and to reload the page. Both filled, the period is shown."""

from __future__ import annotations

import pytest

from tests.bot.conftest import MINH, THAO, World, registered_thao
from tests.bot.miniapp_site import serving
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("language", ["vi", "en"])
@pytest.mark.parametrize(
    "dates", ["from=2026-11-01&to=", "from=&to=2026-11-20", "from=2026-11-01"]
)
async def test_a_report_of_one_date_of_two_asks_for_both_days(
    world: World, language: str, dates: str
) -> None:
    reader = await registered_thao(world) if language == "vi" else world.minh
    telegram_id = THAO if language == "vi" else MINH
    async with serving(world) as site:
        answer = await site.get(f"report?{dates}", telegram_id)
        both = await site.get("report?from=2026-11-01&to=2026-11-20", telegram_id)
    assert answer.status_code == 400
    assert answer.json() == {
        "error": "miniapp.report_both_days",
        "message": words(reader, "miniapp.report_both_days"),
    }
    assert both.json()["first"] == "2026-11-01"
