"""A case closed because its customer left us says so, with the exit interview that recorded
it, wherever its history is read: the chat's timeline and the Mini App's case view, in the
reader's language. Every way a case can end has its own words, in the export too."""

from __future__ import annotations

import pytest

from flows.procedures.check_in import STANDINGS
from flows.procedures.exit_interview import RESULTS
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import HOA, LAN, World
from tests.bot.miniapp_site import serving
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import case_number, choose
from tests.unit.wording import SCRIPTS

pytestmark = pytest.mark.asyncio

#: Every resolution a procedure sets: its own ends, and the other cases a change of the
#: customer's standing closes.
RESOLUTIONS = (
    "resolved",
    "cancelled",
    "ended_early",
    "retained",
    "terminated",
    "customer_terminated",
    "customer_defected",
    *RESULTS,
    *STANDINGS,
)


async def records_a_defection(person: Person, name: str) -> int:
    """An exit interview, in the person's language: the customer left for good."""
    await person.send("/exit")
    case_id = case_number(person.last_text)
    await person.send(name)
    await person.press(name)
    await choose(person, "everything")
    await choose(person, "done")
    await person.send("Không còn hài lòng với bên mình")
    await person.send("Đã đề nghị giảm 10%")
    await choose(person, "defected")
    return case_id


@pytest.mark.parametrize(
    ("who", "telegram_id", "check_in", "line"),
    [
        (
            "lan",
            LAN,
            "Check-in call",
            "Closed because the customer left us"
            " (recorded in the exit interview, case #{interview}).",
        ),
        (
            "hoa",
            HOA,
            "Hỏi thăm khách",
            "Đóng vì khách đã rời đi (ghi nhận trong phỏng vấn khách rời bỏ, hồ sơ #{interview}).",
        ),
    ],
)
async def test_a_check_in_closed_by_a_defection_says_why_in_its_timeline_and_the_mini_app(
    world: World, who: str, telegram_id: int, check_in: str, line: str
) -> None:
    person = getattr(world, who)
    await add_customer(world, "Phan Thu Hà")
    await person.send("/customer phan thu")
    await person.press(check_in)
    visit = case_number(person.last_text)
    interview = await records_a_defection(world.minh, "Phan Thu Hà")
    assert (await world.case(visit)).resolution == "customer_defected"
    said = line.format(interview=interview)
    await person.send(f"/case {visit}")
    assert said in person.last_text
    async with serving(world) as site:
        shown = (await site.get(f"cases/{visit}", telegram_id)).json()
    assert said in shown["events"][-1]["details"]


@pytest.mark.parametrize("locale", LOCALES)
async def test_every_resolution_a_procedure_sets_has_words_for_the_export(locale: str) -> None:
    missing = [r for r in RESOLUTIONS if not SCRIPTS.has(locale, f"resolution.{r}")]
    assert missing == []
