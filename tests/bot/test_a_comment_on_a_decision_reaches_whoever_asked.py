"""A supervisor's comment on a decision reaches everyone the decision was told to: the case's
owner and, where someone else asked for it (a supervisor who entered the offer on a staff
member's case), whoever asked — typed in the chat or given on the Mini App's page.

Before, the one who asked was told the decision but never its comment ("offer a voucher
instead"), which went to the owner alone.
"""

from __future__ import annotations

import pytest

from standin.inprocess import Person
from tests.bot.conftest import MINH, World
from tests.bot.miniapp_site import serving
from tests.bot.test_decisions import second_supervisor, take_over
from tests.bot.walk import compensate, open_case, walk_to_compensate

pytestmark = pytest.mark.asyncio

ADVICE = "Hãy đề nghị phiếu quà tặng 300.000 VND thay vì hoàn tiền"


def told(person: Person, words: str) -> int:
    return sum(words in m.plain_text for m in person.messages)


async def supervisor_asks_on_a_staff_case(
    world: World, staff: Person, asker: Person, kind: str, value: str
) -> int:
    """`staff` walks a complaint to its compensation; `asker`, a supervisor, opens it and
    enters a compensation over the limit: the request is theirs."""
    case_id = await open_case(staff)
    await walk_to_compensate(staff)
    await take_over(asker, case_id)
    await compensate(asker, kind, value)
    assert (await world.case(case_id)).state == "awaiting_approval"
    return case_id


async def test_a_comment_typed_in_the_chat_reaches_the_supervisor_who_asked(
    world: World,
) -> None:
    thu = await second_supervisor(world, "vi")
    await supervisor_asks_on_a_staff_case(world, world.lan, world.minh, "Refund", "2tr")
    await thu.press("Từ chối", thu.last)
    await thu.send(ADVICE)
    assert told(world.lan, f"Thu commented on case #1: {ADVICE}") == 1
    assert told(world.minh, f"Thu commented on case #1: {ADVICE}") == 1  # who asked, once


async def test_a_comment_given_on_the_mini_app_reaches_the_supervisor_who_asked(
    world: World,
) -> None:
    thu = await second_supervisor(world, "vi")
    case_id = await supervisor_asks_on_a_staff_case(world, world.hoa, thu, "Hoàn tiền", "2tr")
    version = (await world.case(case_id)).version
    async with serving(world) as site:
        body = {"version": version, "verdict": "n", "comment": ADVICE}
        decided = await site.post(f"cases/{case_id}/decision", body, MINH)
        assert decided.status_code == 200, decided.text
    assert told(world.hoa, f"Minh nhắn về hồ sơ #{case_id}: {ADVICE}") == 1
    assert told(thu, f"Minh nhắn về hồ sơ #{case_id}: {ADVICE}") == 1


async def test_a_comment_on_the_owners_own_request_reaches_the_owner_once(world: World) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Refund", "2tr")
    await world.minh.press("Approve", world.minh.last)
    await world.minh.send("Fine this once")
    assert told(world.lan, f"Minh commented on case #{case_id}: Fine this once") == 1
