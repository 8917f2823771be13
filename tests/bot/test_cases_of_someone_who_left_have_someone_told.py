"""Someone leaves with cases open: somebody active is told of each, and can carry it on.

When a person is deactivated, every supervisor is told which of their cases are still open
(nobody active is on them), with a button for each; a request decided after its asker left
tells the decider that the case now waits on nobody; and the supervisors' case lists mark
the cases whose owner left.
"""

from __future__ import annotations

import pytest

from flows.people import People
from flows.scripts import LOCALES
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_people_lifecycle import deactivate
from tests.bot.test_reminders import TUESDAY_9AM, case_waiting_for_follow_up
from tests.bot.walk import asking_approval, label, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

QUANG = 2002


async def quang(world: World) -> Person:
    """A second supervisor, who reads Vietnamese."""
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(
            QUANG, "Quang", "supervisor", "vi"
        )
        await uow.commit()
    return Person(world.app, world.api, QUANG, "Quang", "vi")


UNHEARD = {
    "en": "Nobody was told: {name} has left.",
    "vi": "Chưa ai được báo: {name} đã nghỉ việc.",
}
LEFT_WAITING = {
    "en": "Lan has left, so nobody active is on case #{case} now",
    "vi": "Hòa đã nghỉ việc nên hồ sơ #{case} hiện không có ai phụ trách",
}


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_request_decided_after_its_asker_left_tells_the_decider_it_waits_on_nobody(
    world: World, language: str
) -> None:
    decider = world.minh if language == "en" else await quang(world)
    asker = world.lan if language == "en" else world.hoa
    case_id = await asking_approval(asker, "2tr")
    await deactivate(world, asker)
    before = len(asker.messages)
    request = next(m for m in reversed(decider.messages) if f"#{case_id}" in m.plain_text)
    await decider.press("✅ Approve" if language == "en" else "✅ Duyệt", request)
    assert (await world.case(case_id)).state == "follow_up"
    assert len(asker.messages) == before  # who left is told nothing
    told = [
        m for m in decider.messages if LEFT_WAITING[language].format(case=case_id) in m.plain_text
    ]
    assert len(told) == 1
    unheard = UNHEARD[language].format(name=asker.first_name)
    assert any(unheard in m.plain_text for m in decider.messages)  # not "has been told"
    assert any(f"{case_id}:0:o" in (b.callback_data or "") for row in told[0].buttons for b in row)


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_request_put_off_after_its_asker_left_tells_nobody_it_waits(
    world: World, locale: str
) -> None:
    from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review

    person, supervisor = await staff_and_supervisor(world, locale)
    await add_customer(world, "Trần Văn Bình")
    case_id = await open_review(person, "Trần Văn Bình")
    await climb_to_decision(person)
    await deactivate(world, person)
    await supervisor.press(label(supervisor, "Put off"))
    nobody = words(supervisor, "approval.told.nobody", owner=person.first_name)
    unheard = words(supervisor, "approval.recorded.termination.later", case=case_id, told=nobody)
    assert unheard in supervisor.last_text
    left = words(supervisor, "notify.left_waiting", owner=person.first_name, case=case_id)
    assert not any(left in m.plain_text for m in supervisor.messages)
    assert (await world.case(case_id)).state == "awaiting_decision"


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_supervisors_are_told_of_the_open_cases_someone_leaves_behind(
    world: World, language: str
) -> None:
    reader = world.minh if language == "en" else await quang(world)
    waiting = await case_waiting_for_follow_up(world.lan)
    second = await open_case(world.lan, "Lê Văn Tâm")
    await walk_to_compensate(world.lan)
    closed = await case_waiting_for_follow_up(world.hoa)  # someone else's: not listed
    await deactivate(world, world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    heading = (
        "Lan has left and still has 2 open cases"
        if language == "en"
        else "Lan đã nghỉ việc nhưng vẫn còn 2 hồ sơ đang mở"
    )
    [told] = [m for m in reader.messages if heading in m.plain_text]
    assert f"#{waiting}" in told.plain_text
    assert f"#{second}" in told.plain_text
    assert f"#{closed}" not in told.plain_text
    await reader.press(next(label for label in told.button_labels if f"#{second}" in label), told)
    assert f"#{second}" in reader.last_text  # the case opens where it stands
    await world.scheduler.tick()  # told once
    assert len([m for m in reader.messages if heading in m.plain_text]) == 1


async def test_someone_who_leaves_with_nothing_open_bothers_no_supervisor(world: World) -> None:
    before = len(world.minh.messages)
    await deactivate(world, world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    assert len(world.minh.messages) == before


async def test_cases_handled_meanwhile_are_not_listed_when_the_notice_goes_out(
    world: World,
) -> None:
    case_id = await case_waiting_for_follow_up(world.lan)
    await deactivate(world, world.lan)  # at 9:00 on Monday: the notice goes out at once
    world.clock.now = TUESDAY_9AM
    async with SqlUnitOfWork(world.services.sessions) as uow:  # back before it went out
        await People(uow, world.services.policy, world.clock).register(
            world.lan.telegram_id, "Lan"
        )
        await uow.commit()
    await world.scheduler.tick()
    assert not any("has left" in m.plain_text for m in world.minh.messages)
    assert (await world.case(case_id)).state == "awaiting_follow_up"


@pytest.mark.parametrize(("language", "mark"), [("en", "👤 Lan left"), ("vi", "👤 Lan đã nghỉ")])
async def test_the_supervisors_lists_mark_the_cases_whose_owner_left(
    world: World, language: str, mark: str
) -> None:
    reader = world.minh if language == "en" else await quang(world)
    left = await case_waiting_for_follow_up(world.lan)
    stays = await asking_approval(world.hoa, "2tr")
    await deactivate(world, world.lan)
    for command in ("/cases", "/followups"):
        await reader.send(command)
        rows = reader.last_text.split("\n")
        assert any(f"#{left} " in r and r.endswith(mark) for r in rows), rows
        assert not any(f"#{stays} " in r and mark in r for r in rows)
    bernds = await asking_approval(world.bernd, "3tr")
    await deactivate(world, world.bernd)
    await reader.send("/approvals")
    rows = reader.last_text.split("\n")
    assert any(f"#{bernds} " in r and "Bernd" in r for r in rows), rows


#: How a supervisor is told of one case left behind, and of two.
LEFT_BEHIND = {
    "en": (
        "Lan has left and still has 1 open case: nobody active is on it now. Open it to carry"
        " it on where it stands (its reminders come to the supervisors).",
        "Lan has left and still has 2 open cases: nobody active is on them now. Open each one",
    ),
    "vi": (
        "Lan đã nghỉ việc nhưng vẫn còn 1 hồ sơ đang mở, hiện không có ai phụ trách. Bạn hãy"
        " xem hồ sơ này và làm tiếp từ bước đang dừng (lời nhắc của hồ sơ này đã chuyển",
        "Lan đã nghỉ việc nhưng vẫn còn 2 hồ sơ đang mở, hiện không có ai phụ trách. Bạn hãy"
        " xem từng hồ sơ và làm tiếp từ bước đang dừng (lời nhắc của các hồ sơ này đã chuyển",
    ),
}


@pytest.mark.parametrize("cases", [1, 2])
@pytest.mark.parametrize("language", ["en", "vi"])
async def test_someone_who_left_one_case_open_is_said_to_have_left_one_case_not_one_cases(
    world: World, language: str, cases: int
) -> None:
    reader = world.minh if language == "en" else await quang(world)
    for _ in range(cases):
        await case_waiting_for_follow_up(world.lan)
    await deactivate(world, world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    said = LEFT_BEHIND[language][cases - 1]
    assert len([m for m in reader.messages if said in m.plain_text]) == 1
