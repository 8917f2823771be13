"""What a supervisor reads once they decide says who was told, as it is: the case's owner,
the supervisor who asked for the decision on the owner's case, both, or nobody active —
after approving or declining, with a comment or without, in the chat and on the Mini App.

Before, a request a supervisor entered on a staff member's case, decided once that staff
member had left, read "The staff member has been told" (though only the supervisor who
asked was), and its comment "logged and passed on"; with both gone, "{owner} has left, so
nobody was told" left out who else was gone.

The asker reads English (Minh), the decider Vietnamese (Thu): each reads their own words.
"""

from __future__ import annotations

import pytest

from flows.scripts import plain
from tests.bot.conftest import World
from tests.bot.miniapp_site import serving
from tests.bot.test_a_comment_on_a_decision_reaches_whoever_asked import (
    supervisor_asks_on_a_staff_case,
)
from tests.bot.test_decisions import THU, leaves, second_supervisor
from tests.bot.walk import words

pytestmark = pytest.mark.asyncio

ADVICE = "Hãy đề nghị phiếu quà tặng thay vì hoàn tiền"


async def test_a_decision_whose_owner_left_says_only_the_supervisor_who_asked_was_told(
    world: World,
) -> None:
    thu = await second_supervisor(world, "vi")
    case_id = await supervisor_asks_on_a_staff_case(world, world.lan, world.minh, "Refund", "2tr")
    await leaves(world, world.lan)
    await thu.press("Từ chối", thu.last)
    told = words(thu, "approval.told.asker", owner="Lan", asker="Minh")
    said = words(thu, "approval.recorded.compensation.declined", case=case_id, told=told)
    assert said in thu.last_text
    assert "Nhân viên đã được báo" not in thu.last_text
    await thu.send(ADVICE)
    assert thu.last_text == words(thu, "approval.comment_saved", case=case_id, told=told)
    assert any(ADVICE in m.plain_text for m in world.minh.messages)  # who asked: told


async def test_a_decision_whose_owner_and_asker_both_left_says_nobody_was_told(
    world: World,
) -> None:
    thu = await second_supervisor(world, "vi")
    case_id = await supervisor_asks_on_a_staff_case(world, world.lan, world.minh, "Refund", "2tr")
    await leaves(world, world.lan)
    await leaves(world, world.minh)
    await thu.press("Duyệt", thu.last)
    told = words(thu, "approval.told.nobody_both", owner="Lan", asker="Minh")
    said = words(thu, "approval.recorded.compensation.approved", case=case_id, told=told)
    assert any(said in m.plain_text for m in thu.messages[-2:])  # and the case waits on nobody
    await thu.send(ADVICE)
    assert thu.last_text == words(thu, "approval.comment_saved", case=case_id, told=told)


async def test_a_decision_whose_owner_and_asker_are_both_there_names_both(
    world: World,
) -> None:
    thu = await second_supervisor(world, "vi")
    case_id = await supervisor_asks_on_a_staff_case(world, world.lan, world.minh, "Refund", "2tr")
    await thu.press("Duyệt", thu.last)
    told = words(thu, "approval.told.both", owner="Lan", asker="Minh")
    said = words(thu, "approval.recorded.compensation.approved", case=case_id, told=told)
    assert said in thu.last_text
    for person in (world.lan, world.minh):  # each told, as the confirmation says
        notice = words(person, "notify.decision.compensation.approved", case=case_id, by="Thu")
        assert any(notice in m.plain_text for m in person.messages)


async def test_a_decision_on_the_mini_app_whose_owner_left_says_who_asked_was_told(
    world: World,
) -> None:
    thu = await second_supervisor(world, "vi")
    case_id = await supervisor_asks_on_a_staff_case(world, world.hoa, world.minh, "Refund", "2tr")
    await leaves(world, world.hoa)
    version = (await world.case(case_id)).version
    async with serving(world) as site:
        body = {"version": version, "verdict": "n", "comment": ADVICE}
        decided = await site.post(f"cases/{case_id}/decision", body, THU)
        assert decided.status_code == 200, decided.text
    told = words(thu, "approval.told.asker", owner="Hòa", asker="Minh")
    said = words(thu, "approval.recorded.compensation.declined", case=case_id, told=told)
    assert plain(decided.json()["message"]) == said
    assert any(ADVICE in m.plain_text for m in world.minh.messages)
