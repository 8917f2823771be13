"""A supervisor's verdict on a request — compensation above the staff limit in a complaint,
ending the relationship or a goodwill offer in a problem review; approved or declined, with
a comment or without — leaves the owner's card of the case where the case now stands, with
the buttons that now apply: it is drawn again in place, and the verdict's notice still comes
as a new message below it (the owner's phone rings).

Before, the card went on showing "waiting for a supervisor" with ↩ Withdraw request above
the notice; pressed, it only said the case had moved on.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from flows.model import Case
from flows.procedures import waits_for_decision
from standin.inprocess import Person
from tests.bot.conftest import MINH, World, registered_thao
from tests.bot.miniapp_site import serving
from tests.bot.test_decisions import second_supervisor, take_over
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.bot.test_scripts_name_what_was_said import LABELS, at_goodwill
from tests.bot.walk import (
    asking_approval,
    case_buttons,
    case_number,
    compensate,
    open_case,
    walk_to_compensate,
)

pytestmark = pytest.mark.asyncio

VERDICT = {"y": "Approve", "n": "Decline", "l": "Put off"}
WITHDRAW = {"en": "↩ Withdraw request", "vi": "↩ Rút yêu cầu"}
TOLD = {
    ("compensation", "y"): "approved the compensation",
    ("compensation", "n"): "declined the compensation",
    ("termination", "y"): "approved ending the relationship",
    ("termination", "n"): "declined ending the relationship",
    ("goodwill", "y"): "approved the goodwill offer",
    ("goodwill", "n"): "declined the goodwill offer",
    ("termination", "l"): "put off the decision",
}


def owner_reading(world: World, language: str) -> tuple[Person, str]:
    """The owner who reads `language`, and their name in the tests' helpers."""
    return (world.lan, "lan") if language == "en" else (world.hoa, "hoa")


async def compensation_asked(world: World, owner: Person, who: str) -> int:
    return await asking_approval(owner)


async def termination_asked(world: World, owner: Person, who: str) -> int:
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(owner, "Lê Văn Tám")
    await climb_to_decision(owner)
    return case_id


async def goodwill_asked(world: World, owner: Person, who: str) -> int:
    await at_goodwill(world, who, "individual")
    case_id = case_number(owner.last_text)
    await owner.press(LABELS[who]["refund"])
    await owner.send("2tr")  # above the staff limit: it waits for a supervisor
    return case_id


ASKED: dict[str, Callable[[World, Person, str], Awaitable[int]]] = {
    "compensation": compensation_asked,
    "termination": termination_asked,
    "goodwill": goodwill_asked,
}


def stale_buttons(person: Person, case_id: int, version: int) -> list[str]:
    """The buttons still showing in the chat that answer the case as it stood before its
    current version (not its timeline, nor the way to open it: those never go stale)."""
    return [text for text, drawn, _ in case_buttons(person, case_id) if drawn not in (0, version)]


async def verdict_told(
    world: World, owner: Person, case_id: int, before: int, waited: Case
) -> None:
    """The verdict's notice came to the owner as a new message (their phone rang), below
    their card of the case, which shows where the case stands now and only the buttons that
    now apply: no button drawn for the case as it stood before is left alive in the chat,
    nor ↩ Withdraw request once nothing waits for a supervisor."""
    language = owner.language_code
    [told, *_] = owner.messages[before:]
    case = await world.case(case_id)
    card = world.api.find_message(owner.chat_id, await world.card_message_id(case_id))
    assert card is not None
    assert card.message_id < told.message_id
    title = world.services.scripts.get(language, f"step.{case.state}.title")
    assert title in card.plain_text
    if case.state != waited.state:  # a complaint's approval, a termination: a step of its own
        assert world.services.scripts.get(language, f"step.{waited.state}.title") not in (
            card.plain_text
        )
    assert card.button_labels
    assert stale_buttons(owner, case_id, case.version) == []
    if not waits_for_decision(case):
        labels = [label for m in owner.messages if not m.deleted for label in m.button_labels]
        assert WITHDRAW[language] not in labels


async def waiting(world: World, subject: str, language: str) -> tuple[Person, int, Case]:
    """The owner reading `language`, their case waiting for a decision on `subject`, and the
    case as it waits: their card of it has buttons alive."""
    owner, who = owner_reading(world, language)
    case_id = await ASKED[subject](world, owner, who)
    waited = await world.case(case_id)
    assert waits_for_decision(waited)
    assert stale_buttons(owner, case_id, waited.version + 1)
    return owner, case_id, waited


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("comment", [True, False], ids=["commented", "no_comment"])
@pytest.mark.parametrize(("subject", "verdict"), list(TOLD), ids=[f"{s}-{v}" for s, v in TOLD])
async def test_the_owners_card_shows_where_the_case_stands_after_a_verdict(
    world: World, subject: str, verdict: str, comment: bool, language: str
) -> None:
    owner, case_id, waited = await waiting(world, subject, language)
    before = len(owner.messages)
    await world.minh.press(VERDICT[verdict])
    assert any(TOLD[subject, verdict] in m.plain_text for m in world.minh.messages[-2:])
    if comment:
        await world.minh.send("Call her today, please")
    else:
        await world.minh.press("Nothing to add")
    await verdict_told(world, owner, case_id, before, waited)


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("verdict", ["y", "n"], ids=["approved", "declined"])
async def test_the_owners_card_shows_where_the_case_stands_after_a_verdict_on_the_mini_app(
    world: World, verdict: str, language: str
) -> None:
    owner, case_id, waited = await waiting(world, "compensation", language)
    before = len(owner.messages)
    async with serving(world) as site:
        body = {"version": waited.version, "verdict": verdict, "comment": "Call her today"}
        decided = await site.post(f"cases/{case_id}/decision", body, MINH)
    assert decided.status_code == 200, decided.text
    await verdict_told(world, owner, case_id, before, waited)


@pytest.mark.parametrize("language", ["en", "vi"])
@pytest.mark.parametrize("verdict", ["y", "n"], ids=["approved", "declined"])
async def test_the_card_of_a_supervisor_who_asked_on_someones_case_shows_the_verdict_too(
    world: World, verdict: str, language: str
) -> None:
    asker = world.minh if language == "en" else await registered_thao(world)
    decider = await second_supervisor(world) if language == "en" else world.minh
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await take_over(asker, case_id)
    await compensate(asker, "Refund", "2tr")
    waited = await world.case(case_id)
    assert waits_for_decision(waited)
    before = len(asker.messages)
    await decider.press(VERDICT[verdict])
    await verdict_told(world, asker, case_id, before, waited)
