"""A supervisor made staff between deciding and typing the decision's comment is told plainly
that they can no longer comment, because they are no longer a supervisor, with what they
typed quoted back (nothing typed lost unsaid); a photo sent for it is refused saying the
same. The decision itself stands, and nobody is told a comment that was never saved.

Before, the role change dropped the comment awaited without a word, and what they typed
met the generic "I am not waiting for any text from you right now".
"""

from __future__ import annotations

import pytest

from flows.scripts import LOCALES
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_supervisor_made_staff_or_gone_keeps_no_request_to_decide import (
    made_staff,
)
from tests.bot.walk import asking_approval, label, words

pytestmark = pytest.mark.asyncio

COMMENT = "Offer a voucher instead of the refund"


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_comment_typed_after_being_made_staff_is_refused_saying_why_and_quoted_back(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await asking_approval(person)
    await supervisor.press(
        label(supervisor, "Decline"), world.api.last_with_buttons(supervisor.chat_id)
    )
    await made_staff(world, supervisor)
    await supervisor.send(COMMENT)
    said = words(supervisor, "approval.comment_not_supervisor", case=case_id, text=COMMENT)
    assert supervisor.last_text == said
    assert not any(e.kind == "approval_comment" for e in await world.events(case_id))
    assert not any(COMMENT in m.plain_text for m in person.messages)
    assert (await world.case(case_id)).state != "awaiting_approval"  # the decision stands
    await supervisor.send(COMMENT)  # nothing waits now: said so, and quoted back again
    assert COMMENT in supervisor.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_photo_sent_as_a_comment_after_being_made_staff_is_refused_saying_why(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await asking_approval(person)
    await supervisor.press(
        label(supervisor, "Approve"), world.api.last_with_buttons(supervisor.chat_id)
    )
    await made_staff(world, supervisor)
    await supervisor.send_photo()
    said = words(supervisor, "approval.comment_not_supervisor_sent", case=case_id)
    assert supervisor.last_text == said
    assert not any(e.kind in ("approval_comment", "evidence") for e in await world.events(case_id))
