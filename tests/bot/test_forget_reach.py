"""Forgetting a customer reaches every place their data waits: drafts, intake, reminders."""

from __future__ import annotations

import pytest

from flows.model import CustomerStatus, Reminder
from flows.procedures.complaint import Step
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import (
    asking_approval,
    at_the_promised_fix_question,
    case_number,
    choose,
    open_case,
)
from tests.integration.test_exports_forget import forget_customer

pytestmark = pytest.mark.asyncio

SECRET = "Chị Hương để quên ví ở quầy số 3"


async def test_a_case_still_at_intake_is_forgotten_and_its_summary_never_logged(
    world: World,
) -> None:
    customer_id = await add_customer(world, "Nguyễn Thị Hương")
    await world.lan.send("/new")
    case_id = case_number(world.lan.last_text)
    await world.lan.send("Hương")
    await world.lan.press("Nguyễn Thị Hương")
    await world.lan.send(SECRET)  # the summary waits in the draft: category not chosen yet
    assert (await world.case(case_id)).draft.get("summary") == SECRET

    done = await forget_customer(world.services.sessions, customer_id, world.clock())
    assert case_id in done.cases
    case = await world.case(case_id)
    assert "summary" not in case.draft
    assert case.customer_id == customer_id

    await world.lan.send("Mất ví tại cửa hàng")  # typed for the category: not filed
    assert "was not saved" in "\n".join(m.plain_text for m in world.lan.messages[-2:])
    await world.lan.send("Mất ví tại cửa hàng")  # intake goes on: the summary is asked again
    await world.lan.press("Other")
    await world.lan.press("Low")
    logged = [e.data for e in await world.events(case_id)]
    assert all(SECRET not in str(data) for data in logged)
    assert (await world.case(case_id)).summary == "Mất ví tại cửa hàng"


async def test_forgetting_redacts_the_payloads_of_the_customers_reminders(world: World) -> None:
    customer_id = await add_customer(world, "Nguyễn Thị Hương")
    await world.lan.send("/new")
    case_id = case_number(world.lan.last_text)
    await world.lan.send("Hương")
    await world.lan.press("Nguyễn Thị Hương")
    async with SqlUnitOfWork(world.services.sessions) as uow:
        uow.reminders.add(
            Reminder(
                kind="fix_due",
                due_at=world.clock(),
                recipient_id=1,
                case_id=case_id,
                created_at=world.clock(),
                payload={"target": "2026-11-24T02:00:00+00:00", "note": SECRET},
            )
        )
        await uow.commit()
    await forget_customer(world.services.sessions, customer_id, world.clock())
    [reminder] = await world.reminders()
    assert reminder.payload == {"target": "2026-11-24T02:00:00+00:00", "redacted": True}


async def test_a_request_waiting_when_its_customer_is_forgotten_is_decided_from_its_buttons(
    world: World,
) -> None:
    case_id = await asking_approval(world.lan)
    request = world.minh.api.last_with_buttons(world.minh.chat_id)
    customer_id = (await world.case(case_id)).customer_id
    await forget_customer(world.services.sessions, customer_id or 0, world.clock())
    await world.minh.press("Approve", request)
    assert "already been decided" not in (world.api.answers[-1].get("text") or "")
    assert (await world.case(case_id)).state == Step.follow_up


async def test_a_forgotten_customer_is_addressed_without_a_name_in_the_scripts(
    world: World,
) -> None:
    case_id = await open_case(world.hoa, "Nguyễn Thị Hương")
    customer_id = (await world.case(case_id)).customer_id
    await forget_customer(world.services.sessions, customer_id or 0, world.clock())
    await world.hoa.press("Bình tĩnh")  # pressed on the card drawn before: shown again
    script = world.hoa.last_text
    assert "Dạ, em chào anh/chị. Em là Hòa" in script
    assert "forgotten" not in script.split("Lời thoại gợi ý")[1]


@pytest.mark.parametrize(
    "button", ["✏️ Change how to address", "⚠ Flag at risk", "➕ Open a new complaint"]
)
async def test_an_old_card_of_a_forgotten_customer_records_nothing_new_about_them(
    world: World, button: str
) -> None:
    customer_id = await add_customer(world, "Nguyễn Thị Hương")
    await world.lan.send("/customer Hương")
    card = world.api.last_with_buttons(world.lan.chat_id)
    assert card is not None
    await forget_customer(world.services.sessions, customer_id, world.clock())
    cases = await world.count("cases")
    await world.lan.press(button, card)
    assert "removed at their request" in world.api.answers[-1]["text"]
    await world.lan.send("chị Hương, sẽ chuyển sang bên khác vì giá")  # taken for nothing
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.get(customer_id)
    assert customer is not None
    personal = (customer.title, customer.given_name, customer.at_risk_reason)
    assert (personal, customer.status, await world.count("cases")) == (
        (None, None, None),
        "active",
        cases,
    )
    await world.lan.send("/customer forgotten")  # the card offers nothing to record any more
    assert world.lan.last.button_labels == []


@pytest.mark.parametrize("button", ["✏️ Change how to address", "⚠ Flag at risk"])
async def test_what_was_asked_about_a_customer_forgotten_meanwhile_is_not_recorded(
    world: World, button: str
) -> None:
    customer_id = await add_customer(world, "Nguyễn Thị Hương")
    await world.lan.send("/customer Hương")
    await world.lan.press(button)
    await forget_customer(world.services.sessions, customer_id, world.clock())
    await world.lan.send("chị Hương, sẽ chuyển sang bên khác vì giá")
    assert "removed at their request" in world.lan.last_text
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.get(customer_id)
    assert customer is not None
    assert (customer.title, customer.given_name, customer.at_risk_reason) == (None, None, None)
    await world.lan.send("chị Hương")  # asked for nothing any more
    assert "not waiting for any text" in world.lan.last_text


async def test_a_forgotten_customer_is_not_offered_when_a_name_or_number_is_typed(
    world: World,
) -> None:
    customer_id = await add_customer(world, "Nguyễn Thị Hương")
    await forget_customer(world.services.sessions, customer_id, world.clock())
    await world.lan.send("/new")
    for typed in ("forgotten", str(customer_id)):
        await world.lan.send(typed)
        assert not [b for b in world.lan.last.button_labels if "#" in b], typed
    await world.lan.send(f"/customer forgotten #{customer_id}")
    assert "No customer" in world.lan.last_text


async def test_a_forgotten_customer_is_found_by_their_phone_no_more(world: World) -> None:
    customer_id = await add_customer(world, "Nguyễn Thị Hương")
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.get(customer_id)
        assert customer is not None
        customer.phone = "+84903123456"
        await uow.commit()

    async def found() -> list[int | None]:
        async with SqlUnitOfWork(world.services.sessions) as uow:
            by_number = await uow.customers.search("903123456", 8)
            sharing = await uow.customers.with_phone("903123456", 8)
        return [c.id for c in (*by_number, *sharing)]

    assert await found() == [customer_id, customer_id]
    await forget_customer(world.services.sessions, customer_id, world.clock())
    assert await found() == []


@pytest.mark.parametrize("button", ["⚖ Review a problem customer", "🤝 Make a check-in call"])
async def test_an_old_card_of_a_customer_forgotten_and_gone_since_says_they_were_forgotten(
    world: World, button: str
) -> None:
    customer_id = await add_customer(world, "Nguyễn Thị Hương")
    await world.lan.send("/customer Hương")
    card = world.api.last_with_buttons(world.lan.chat_id)
    await forget_customer(world.services.sessions, customer_id, world.clock())
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.get(customer_id)
        assert customer is not None
        customer.status = CustomerStatus.defected  # they left since the card was drawn
        await uow.commit()
    await world.lan.press(button, card)
    assert "removed at their request" in world.api.answers[-1]["text"]


async def test_a_forgotten_customer_is_named_in_the_readers_words_wherever_they_are_shown(
    world: World,
) -> None:
    case_id = await open_case(world.hoa, "Nguyễn Thị Hương")
    await at_the_promised_fix_question(world.hoa)
    await choose(world.hoa, "in_2h")
    customer_id = (await world.case(case_id)).customer_id or 0
    await forget_customer(world.services.sessions, customer_id, world.clock())
    before = len(world.hoa.messages)
    world.clock.advance(hours=2)
    await world.scheduler.tick()  # the promised fix's reminder
    await world.hoa.send("/cases")
    await world.hoa.send(f"/case {case_id}")
    shown = world.hoa.messages[before:]
    named = f"khách hàng #{customer_id} (đã xóa thông tin)"
    assert [named in m.plain_text for m in shown] == [True, True, True]
    listed = f"#{case_id} · khách hàng #{customer_id} (đã"  # a long name is cut on a button
    assert any(label.startswith(listed) for m in shown for label in m.button_labels)
    seen = " ".join([*(m.plain_text for m in shown), *(b for m in shown for b in m.button_labels)])
    assert "forgotten" not in seen
