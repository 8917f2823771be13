"""An offer typed as worth 0 is refused saying what to do instead, pointing at a button the
card really has: *No compensation* beside what a compensation is worth, where the company's
catalogue has it (pressed, the card asks why, as if chosen at first); ⚠ Escalate where the
catalogue leaves it out, and for a goodwill gesture (there is always one). Both languages,
a person and a business customer."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from flows.scripts import LOCALES
from standin.inprocess import Person
from standin.messages import SentMessage
from tests.bot.conftest import World, make_world, settings_for, staff_and_supervisor
from tests.bot.test_scripts_name_what_was_said import at_goodwill
from tests.bot.walk import case_number, label, open_case, walk_to_compensate, words
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

WHO = {"en": "lan", "vi": "hoa"}


async def card(world: World, person: Person, case_id: int) -> SentMessage:
    """The case's card in the person's chat."""
    shown = person.api.find_message(person.chat_id, await world.card_message_id(case_id))
    assert shown is not None
    return shown


async def card_labels(world: World, person: Person, case_id: int) -> list[str]:
    """The labels of the buttons on the case's card."""
    return (await card(world, person, case_id)).button_labels


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_compensation_worth_nothing_points_to_no_compensation_on_its_card(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await person.press(label(person, "Voucher"))
    await person.send("0")
    none = words(person, "option.none")
    assert person.last_text == words(person, "error.nothing_offered_instead", option=none)
    assert none in await card_labels(world, person, case_id)
    await person.press(none)
    case = await world.case(case_id)
    assert case.draft["type"] == "none"
    assert "value" not in case.draft
    assert words(person, "field.reason.prompt") in (await card(world, person, case_id)).plain_text
    await person.send("Đơn đã giao lại ngay, khách chỉ cần lời xin lỗi")
    assert (await world.case(case_id)).state == "follow_up"


@pytest.fixture
async def without_none(database_url: str, clock: Clock) -> AsyncIterator[World]:
    """A company whose catalogue has no *No compensation*: every offer is worth something."""
    catalogue = {"compensation_catalogue": ["voucher", "refund"]}
    async for w in make_world(settings_for(database_url, complaints=catalogue), clock):
        yield w


@pytest.mark.parametrize("locale", LOCALES)
async def test_without_no_compensation_an_offer_worth_nothing_points_to_escalate(
    without_none: World, locale: str
) -> None:
    world = without_none
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await person.press(label(person, "Voucher"))
    await person.send("0")
    assert person.last_text == words(person, "error.nothing_offered")
    assert words(person, "button.escalate_reason") in person.last_text  # the button, named
    labels = await card_labels(world, person, case_id)
    assert words(person, "button.escalate_reason") in labels
    assert words(person, "option.none") not in labels


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("kind", ["individual", "business"])
async def test_a_goodwill_gesture_worth_nothing_points_to_escalate(
    world: World, locale: str, kind: str
) -> None:
    person = await at_goodwill(world, WHO[locale], kind)
    case_id = case_number(person.last_text)
    await person.press(label(person, "Refund the last period"))
    await person.send("0")
    assert person.last_text == words(person, "error.nothing_offered")
    assert words(person, "button.escalate_reason") in person.last_text  # the button, named
    assert words(person, "button.escalate_reason") in await card_labels(world, person, case_id)


@pytest.mark.parametrize("locale", LOCALES)
async def test_text_typed_when_a_file_is_asked_points_to_carry_on_under_the_request(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await person.press(words(person, "button.evidence"))
    await person.send("hoá đơn")
    carry_on = words(person, "button.carry_on")
    assert carry_on in person.last_text
    asking = person.api.last_with_buttons(person.chat_id)
    assert asking is not None
    assert carry_on in asking.button_labels
    assert (await world.case(case_id)).state == "apologise"
