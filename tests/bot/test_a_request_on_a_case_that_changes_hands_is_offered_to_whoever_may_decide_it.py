"""A request that waits while its case changes hands: nobody decides on a case they own, so
the supervisor who takes the case (themselves, or handed it) may not decide it any more.
Every copy says so: theirs loses its verdict buttons and says another supervisor decides,
and they are told the decision as the case's owner. A supervisor who gives a case away may
decide its request from then on, and is sent it.
"""

from __future__ import annotations

import pytest
from sqlalchemy import text

from standin.inprocess import Person
from standin.messages import SentMessage
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.test_a_supervisor_hands_a_case_over import TAKE_IT, hand_over
from tests.bot.test_cases_of_someone_who_left_have_someone_told import quang
from tests.bot.test_people_lifecycle import staff_row
from tests.bot.test_review_conversation import (
    approved_termination,
    approved_termination_request,
    offer_goodwill,
)
from tests.bot.walk import asking_approval

pytestmark = pytest.mark.asyncio

APPROVE = {"en": "✅ Approve", "vi": "✅ Duyệt"}
YOURS_NOW = {
    "en": "Case #{case} is yours now, so its request is for another supervisor to decide",
    "vi": "Hồ sơ #{case} giờ do bạn phụ trách nên yêu cầu duyệt của hồ sơ sẽ do quản lý khác",
}
NOT_OWN = {
    "en": "You cannot decide on a request you made or on a case of your own",
    "vi": "Bạn không thể tự quyết định một đề nghị do chính mình đưa ra hoặc hồ sơ của chính mình",
}
APPROVED = {"en": "Quang approved", "vi": "Minh đã duyệt"}


async def supervisors(world: World, reading: str) -> tuple[Person, Person]:
    """The supervisor who takes the case (reading `language`), and the one left to decide."""
    second = await quang(world)
    return (world.minh, second) if reading == "en" else (second, world.minh)


def request_to(person: Person, case_id: int) -> SentMessage:
    """The latest request for a decision on the case that reached `person`."""
    return next(
        m
        for m in reversed(person.messages)
        if f"#{case_id}" in m.plain_text and APPROVE[reading(person)] in m.button_labels
    )


def reading(person: Person) -> str:
    return person.language_code or "en"


def redrawn(world: World, person: Person, copy: SentMessage) -> SentMessage:
    """The copy of a request as `person`'s chat shows it now."""
    shown = world.api.find_message(person.chat_id, copy.message_id)
    assert shown is not None
    return shown


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_copy_of_a_supervisor_who_takes_the_case_says_another_supervisor_decides(
    world: World, language: str
) -> None:
    taker, other = await supervisors(world, language)
    case_id = await asking_approval(world.lan, "2tr")
    copy = request_to(taker, case_id)
    await hand_over(taker, case_id, TAKE_IT[language])
    await world.work_done()
    now = redrawn(world, taker, copy)
    assert YOURS_NOW[language].format(case=case_id) in now.plain_text
    assert APPROVE[language] not in now.button_labels  # no verdict left to press
    assert (await world.case(case_id)).state == "awaiting_approval"
    await other.press(APPROVE[reading(other)], request_to(other, case_id))
    assert (await world.case(case_id)).state == "follow_up"
    assert any(APPROVED[language] in m.plain_text for m in taker.messages[-3:])


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("subject", ["termination", "goodwill"])
async def test_every_kind_of_request_is_for_another_supervisor_once_its_taker_owns_the_case(
    world: World, language: str, subject: str
) -> None:
    taker, other = await supervisors(world, language)
    if subject == "termination":
        case_id = await approved_termination_request(world)
    else:
        case_id = await approved_termination(world)
        await offer_goodwill(world.lan, "2tr")
    copy = request_to(taker, case_id)
    await hand_over(taker, case_id, TAKE_IT[language])
    await world.work_done()
    now = redrawn(world, taker, copy)
    assert YOURS_NOW[language].format(case=case_id) in now.plain_text
    assert APPROVE[language] not in now.button_labels
    assert APPROVE[reading(other)] in request_to(other, case_id).button_labels


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_copy_not_known_any_more_pressed_by_the_new_owner_is_redrawn_so(
    world: World, language: str
) -> None:
    taker, _ = await supervisors(world, language)
    case_id = await asking_approval(world.lan, "2tr")
    copy = request_to(taker, case_id)
    async with SqlUnitOfWork(world.services.sessions) as uow:  # where the copies went: lost
        await uow.session.execute(text("DELETE FROM request_copies"))
        await uow.commit()
    await hand_over(taker, case_id, TAKE_IT[language])
    await world.work_done()
    await taker.press(APPROVE[language], copy)
    toast = world.api.answers[-1].get("text") or ""
    assert NOT_OWN[language] in toast, toast
    now = redrawn(world, taker, copy)
    assert YOURS_NOW[language].format(case=case_id) in now.plain_text
    assert APPROVE[language] not in now.button_labels
    assert (await world.case(case_id)).state == "awaiting_approval"


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_supervisor_who_gives_the_case_away_is_sent_its_request_to_decide(
    world: World, language: str
) -> None:
    taker, _ = await supervisors(world, language)
    case_id = await asking_approval(world.lan, "2tr")
    await hand_over(taker, case_id, TAKE_IT[language])
    before = len(taker.messages)
    await hand_over(taker, case_id, "👤 Bernd")  # theirs no more: theirs to decide again
    assert (await world.case(case_id)).owner_id == (await staff_row(world, world.bernd)).id
    [request] = [m for m in taker.messages[before:] if APPROVE[language] in m.button_labels]
    await taker.press(APPROVE[language], request)
    assert (await world.case(case_id)).state == "follow_up"
