"""A request that no supervisor on the team may decide says why, as it is.

Nobody decides on their own case or on a request they made. A lone supervisor who asks for
a compensation above the limit on their own case (or walks their own review to its
decision), or two supervisors of whom one owns the case and the other asked, leave nobody
who may decide: the request waits until another supervisor joins. The one who asked is told
so — never that no supervisor is registered, which a supervisor reads about themselves.
With no supervisor active at all, they are told that none is active now (they may have
left: "registered yet" was untrue of them too).

Before, every one of them read "No supervisor is registered yet".
"""

from __future__ import annotations

import pytest

from flows.procedures.complaint import Step
from flows.procedures.review import Rung
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_decisions import leaves, second_supervisor, take_over
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.bot.walk import asking_approval, compensate, open_case, walk_to_compensate, words

pytestmark = pytest.mark.asyncio

#: What the request said before, in each language: untrue of a supervisor reading it.
REGISTERED = {"en": "No supervisor is registered", "vi": "Chưa có quản lý nào được đăng ký"}


def said_last(person: Person, count: int = 3) -> str:
    """What the person was last told: their last few messages together."""
    return "\n".join(m.plain_text for m in person.messages[-count:])


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_lone_supervisor_asking_on_their_own_case_is_told_nobody_else_may_decide(
    world: World, locale: str
) -> None:
    _, supervisor = await staff_and_supervisor(world, locale)
    if supervisor is not world.minh:
        await leaves(world, world.minh)  # Thảo is the only supervisor left
    case_id = await asking_approval(supervisor)
    told = said_last(supervisor)
    assert words(supervisor, "approval.nobody_else", case=case_id) in told
    assert REGISTERED[locale] not in told
    assert (await world.case(case_id)).state == Step.awaiting_approval


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_lone_supervisor_walking_their_own_review_to_its_decision_is_told_so(
    world: World, locale: str
) -> None:
    _, supervisor = await staff_and_supervisor(world, locale)
    if supervisor is not world.minh:
        await leaves(world, world.minh)
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(supervisor, "Lê Văn Tám")
    await climb_to_decision(supervisor)
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    told = said_last(supervisor)
    assert words(supervisor, "approval.nobody_else", case=case_id) in told
    assert REGISTERED[locale] not in told


async def test_a_supervisor_asking_on_the_case_of_the_only_other_supervisor_is_told_so(
    world: World,
) -> None:
    thu = await second_supervisor(world, "vi")
    case_id = await open_case(thu)  # Thu's own case: she may not decide it
    await walk_to_compensate(thu)
    await take_over(world.minh, case_id)
    await compensate(world.minh, "Refund", "2tr")  # Minh asks: he may not decide it either
    told = said_last(world.minh)
    assert words(world.minh, "approval.nobody_else", case=case_id) in told
    assert REGISTERED["en"] not in told


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_staff_member_asking_with_no_supervisor_active_is_told_none_is(
    world: World, locale: str
) -> None:
    person = world.lan if locale == "en" else world.hoa
    await leaves(world, world.minh)  # the team's supervisor has left
    case_id = await asking_approval(person)
    told = said_last(person)
    assert words(person, "approval.nobody", case=case_id) in told
    assert REGISTERED[locale] not in told
