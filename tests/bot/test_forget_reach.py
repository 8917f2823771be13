"""Forgetting a customer reaches every place their data waits: drafts, intake, reminders."""

from __future__ import annotations

import pytest

from flows.model import Reminder
from flows.procedures.complaint import Step
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import asking_approval, case_number
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
