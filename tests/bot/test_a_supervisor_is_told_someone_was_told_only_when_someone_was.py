"""What a supervisor is told of their own comment or withdrawal says whether anyone was told.

A comment on a decision goes to whom the decision was told: the case's owner, and whoever
asked if someone else. With all of them gone (the owner left while the request waited), the
comment is on the case's timeline and nobody read it: the supervisor is told so, and who
left. A lone supervisor who withdraws the termination they asked for on their own review
had asked nobody: nobody was told, and they read that.

Before, the comment was "logged and passed on", and the withdrawal said "those asked have
been told", whoever was.
"""

from __future__ import annotations

import pytest

from flows.procedures.review import Rung
from flows.scripts import LOCALES
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_review_request_made_by_mistake_can_be_withdrawn import WITHDRAW
from tests.bot.test_decisions import leaves
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.bot.walk import asking_approval, label, words

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_comment_on_a_decision_whose_owner_left_says_nobody_was_told(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    if supervisor is not world.minh:
        await leaves(world, world.minh)
    case_id = await asking_approval(person)
    request = world.api.last_with_buttons(supervisor.chat_id)
    await leaves(world, person)  # the owner, who asked, leaves while it waits
    await supervisor.press(label(supervisor, "Decline"), request)
    await supervisor.send("Offer a voucher instead")
    said = supervisor.last_text
    nobody = words(supervisor, "approval.told.nobody", owner=person.first_name)
    assert said == words(supervisor, "approval.comment_saved", case=case_id, told=nobody)
    assert any(e.kind == "approval_comment" for e in await world.events(case_id))


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_comment_on_a_decision_still_reaches_an_owner_who_is_there(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await asking_approval(person)
    request = world.api.last_with_buttons(supervisor.chat_id)
    await supervisor.press(label(supervisor, "Decline"), request)
    await supervisor.send("Offer a voucher instead")
    owner_told = words(supervisor, "approval.told.owner", owner=person.first_name)
    saved = words(supervisor, "approval.comment_saved", case=case_id, told=owner_told)
    assert saved in supervisor.last_text
    assert "Offer a voucher instead" in person.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_lone_supervisor_withdrawing_their_own_request_is_told_nobody_was_told(
    world: World, locale: str
) -> None:
    _, supervisor = await staff_and_supervisor(world, locale)
    if supervisor is not world.minh:
        await leaves(world, world.minh)  # Thảo is the only supervisor left
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(supervisor, "Lê Văn Tám")
    await climb_to_decision(supervisor)
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    card = world.api.last_with_buttons(supervisor.chat_id)
    assert card is not None
    await supervisor.press(WITHDRAW[locale], card)
    told = "\n".join(m.plain_text for m in supervisor.messages[-3:])
    assert words(supervisor, "review.withdrawn", case=case_id) not in told
    assert words(supervisor, "review.withdrawn_untold", case=case_id) in told
