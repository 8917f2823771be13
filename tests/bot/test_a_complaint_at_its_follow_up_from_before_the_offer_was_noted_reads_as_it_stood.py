"""A complaint that reached its follow-up (step 5) before the offer was noted on its draft
reads as it stood once the database is migrated: a compensation a supervisor approved is
said as the news the customer waited for, one promised already is not promised again.

Before, every such card read the offer as given at once ("By way of apology, we would like
you to have …"): the approval the customer was told to wait for went unsaid, and a promise
made when the follow-up was agreed was made anew.
"""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import update

from bot import callbacks as cb
from storage.migrate import alembic_config, upgrade
from storage.tables import cases
from tests.bot.conftest import World
from tests.bot.walk import asking_approval, compensate, label, open_case, walk_to_compensate

pytestmark = pytest.mark.asyncio

#: What each variant of the follow-up's words says, in each language.
SAID = {
    "lan": {
        "given": "By way of apology, we would like you to have",
        "approved": "it has been approved",
        "promised": "As I told you",
    },
    "hoa": {
        "given": "Dạ, bên em xin gửi",
        "approved": "đã được duyệt",
        "promised": "như em đã báo",
    },
}


async def approved(world: World, who: str) -> int:
    """A refund over the staff limit, approved: the case is at its follow-up."""
    case_id = await asking_approval(getattr(world, who))
    await world.minh.press("Approve")
    return case_id


async def promised(world: World, who: str) -> int:
    """A voucher within the limit, the follow-up agreed, then stepped back from."""
    person = getattr(world, who)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person, label(person, "Voucher"))
    await person.press(label(person, "Tomorrow"))
    version = (await world.case(case_id)).version
    await person.press_data(cb.case_button(case_id, version, cb.ACT, "back"))
    return case_id


async def noted_before_the_note(world: World, case_id: int) -> None:
    """Take the case back to how it was kept before the offer was noted, then migrate."""
    draft = {k: v for k, v in (await world.case(case_id)).draft.items() if k != "_offer"}
    engine = world.services.engine
    async with engine.begin() as conn:
        await conn.execute(update(cases).where(cases.c.id == case_id).values(draft=draft))
        await conn.run_sync(lambda c: command.downgrade(alembic_config(c), "0020"))
    await upgrade(engine)


@pytest.mark.parametrize("who", list(SAID))
@pytest.mark.parametrize("standing", ["approved", "promised"])
async def test_an_offer_at_the_follow_up_from_before_the_note_is_said_as_it_stood(
    world: World, who: str, standing: str
) -> None:
    person = getattr(world, who)
    case_id = await (approved if standing == "approved" else promised)(world, who)
    await noted_before_the_note(world, case_id)
    await person.press_data(cb.case_button(case_id, 0, cb.OPEN))
    card = person.last_text
    assert (await world.case(case_id)).state == "follow_up"
    assert SAID[who][standing] in card, card
    assert SAID[who]["given"] not in card, card
