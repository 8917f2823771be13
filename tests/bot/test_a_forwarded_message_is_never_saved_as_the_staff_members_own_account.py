"""Every question typed into has an owner of its words. Where it asks what the customer
said (the complaint, how they took a move, a note), a customer's message forwarded to the bot
is taken as typed; where it asks for the staff member's own account (what they did to fix it,
what they did on a rung, a reason, a comment on a decision), a forwarded message is never
saved as that answer: the bot says so, keeps it on the case as a note (a comment or an at-risk
reason has no case to keep it on: nothing is saved), and asks the question again. Both
languages, a person and a business customer, staff and supervisors."""

from __future__ import annotations

from typing import Any

import pytest

from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import (
    asking_approval,
    case_number,
    label,
    open_case,
    walk_to_fix,
    words,
)

pytestmark = pytest.mark.asyncio

SAID = "Tôi đã chờ 3 ngày rồi, giao ngay hôm nay đi!"


async def forward(person: Person, text: str = SAID) -> None:
    """Forward to the bot a customer's message (its sender hidden, as most are)."""
    origin = {"type": "hidden_user", "sender_user_name": "Chị Hương", "date": 1_700_000}
    fields: dict[str, Any] = {"text": text, "forward_origin": origin}
    await person._send_message(person._private_chat(), fields)


async def notes(world: World, case_id: int) -> list[str]:
    return [str(e.data["text"]) for e in await world.events(case_id) if e.kind == "note"]


def kept(person: Person, case_id: int) -> bool:
    """Whether the bot's last messages say the forward was kept as a note, not the answer."""
    said = "\n".join(m.plain_text for m in person.messages[-2:])
    return words(person, "input.forwarded_kept", case=case_id) in said


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_customers_message_forwarded_as_the_fix_is_kept_as_a_note_and_the_fix_asked_again(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await walk_to_fix(person)
    await forward(person)
    assert kept(person, case_id)
    assert await notes(world, case_id) == [SAID]
    case = await world.case(case_id)
    assert case.state == "fix"
    assert "action" not in case.draft
    assert words(person, "field.action.prompt") in person.last_text  # asked again
    await person.send("Giao lại bằng xe của công ty trong 1 giờ")
    assert (await world.case(case_id)).draft[
        "action"
    ] == "Giao lại bằng xe của công ty trong 1 giờ"


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_customers_message_forwarded_as_the_complaint_and_what_mattered_is_taken(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    await person.send("/new")
    case_id = case_number(person.last_text)
    await person.send("Nguyễn Thị Hương")
    await person.press("New customer" if locale == "en" else "Khách hàng mới")
    for typed in ("Nguyễn Thị Hương", "0903 123 456"):
        await person.send(typed)
    await person.press("Individual" if locale == "en" else "Cá nhân")
    for typed in ("2019", "3tr"):
        await person.send(typed)
    await forward(person)
    await person.press("Delay" if locale == "en" else "Chậm trễ")
    await person.press("High" if locale == "en" else "Nặng")
    assert (await world.case(case_id)).summary == SAID
    await walk_to_fix(person)
    await person.send("Giao lại ngay")
    await person.press(label(person, "Fixed now"))
    await forward(person, "Bánh cho sinh nhật con tôi")
    assert (await world.case(case_id)).state == "compensate"
    assert await notes(world, case_id) == []


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_forwarded_cancel_reason_is_kept_as_a_note_and_the_case_stays_open(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await person.press(words(person, "button.cancel_reason"))
    await forward(person)
    assert kept(person, case_id)
    assert words(person, "ask.cancel_reason", case=case_id) in person.last_text
    assert (await world.case(case_id)).state == "apologise"
    assert await notes(world, case_id) == [SAID]


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_forwarded_message_at_a_rung_of_a_business_review_is_kept_as_a_note(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    await add_customer(world, "Công ty Sao Mai", "business")
    case_id = await open_review(person, "Công ty Sao Mai")
    await forward(person, "Chúng tôi không biết có kênh tự phục vụ")
    assert kept(person, case_id)
    assert "rung_action" not in (await world.case(case_id)).draft
    await person.send("Gọi điện giới thiệu kênh tự phục vụ")
    await person.press(label(person, "Not resolved"))
    assert (await world.case(case_id)).state == "educate"


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_supervisors_comment_forwarded_is_not_saved_and_still_asked(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await asking_approval(person)
    await supervisor.press(label(supervisor, "Approve"))
    await forward(supervisor)
    said = words(supervisor, "input.forwarded_not_kept", text=SAID)  # quoted back
    assert said in supervisor.last_text
    assert supervisor.last.buttons  # "Nothing to add" still offered
    comments = [e for e in await world.events(case_id) if e.kind == "approval_comment"]
    assert comments == []
    assert await notes(world, case_id) == []
    await supervisor.send("OK, đã duyệt")
    comments = [e for e in await world.events(case_id) if e.kind == "approval_comment"]
    assert [e.data["text"] for e in comments] == ["OK, đã duyệt"]


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_forwarded_at_risk_reason_is_not_saved_and_still_asked(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await person.send("/customer Hương")
    await person.press(words(person, "button.flag_at_risk"))
    await forward(person, "Tôi sẽ chuyển sang bên khác")
    said = "\n".join(m.plain_text for m in person.messages[-2:])
    assert words(person, "input.forwarded_not_kept", text="Tôi sẽ chuyển sang bên khác") in said
    assert await at_risk_reason(world, case_id) is None
    await person.send("Khách nói sẽ chuyển sang bên khác")
    assert await at_risk_reason(world, case_id) == "Khách nói sẽ chuyển sang bên khác"


async def at_risk_reason(world: World, case_id: int) -> str | None:
    """Why the customer of the case is flagged at risk, if they are."""
    customer_id = (await world.case(case_id)).customer_id
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.get(customer_id or 0)
    assert customer is not None
    return customer.at_risk_reason
