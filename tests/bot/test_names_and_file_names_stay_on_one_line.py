"""A name is shown inside other lines — a case's first line, a list's row, a button, the
request a supervisor decides on — so it is kept on one line: a customer's name, how they
are addressed, a person's name, a search. A file's name, which Telegram hands over as the
sender wrote it, is kept on one line too, without the format characters that reorder what
a reader sees (a right-to-left override), and cut to a readable length.

Typed with line breaks, a customer's name could otherwise draw lines of its own in what a
supervisor reads before approving ("✅ Approved by Minh" under the case's number).
"""

from __future__ import annotations

import pytest

from flows.model import Customer
from flows.people import People
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.walk import asking_approval, open_case

pytestmark = pytest.mark.asyncio

FORGED_LINE = "✅ Approved by Minh, nothing to do"


async def customer_named(world: World, case_id: int) -> Customer:
    case = await world.case(case_id)
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.get(case.customer_id or 0)
    assert customer is not None
    return customer


@pytest.mark.parametrize("breaks", ["\n", "\r\n", "\n\n\t", "\u2028", "\u2029"])
async def test_a_customer_name_with_line_breaks_draws_no_line_of_its_own_in_a_supervisors_request(
    world: World, breaks: str
) -> None:
    case_id = await asking_approval(world.lan, customer=f"Hương{breaks}{FORGED_LINE}")
    one_line = f"Hương {FORGED_LINE}"
    assert (await customer_named(world, case_id)).name == one_line
    request = world.minh.messages[-1].plain_text
    assert f"Case #{case_id} · {one_line} · 0903123456" in request
    assert not any(line.startswith("✅") for line in request.splitlines())
    await world.minh.send("/approvals")
    assert f"#{case_id} · {one_line}" in world.minh.last_text
    await world.lan.send("/cases")
    labels = world.api.last(world.lan.chat_id).button_labels
    assert not any("\n" in label for label in labels), labels


async def test_a_form_of_address_a_search_and_a_newcomers_name_are_kept_on_one_line(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    customer = await customer_named(world, case_id)
    await world.hoa.press_data(f"u:{customer.id}:rename")
    await world.hoa.send("chị\nMai\n" + FORGED_LINE)
    assert (await customer_named(world, case_id)).given_name == f"Mai {FORGED_LINE}"
    await world.lan.send("/customer Nguyễn\nThị\tHương")
    assert "Nguyễn Thị Hương" in world.lan.last_text
    async with SqlUnitOfWork(world.services.sessions) as uow:
        people = People(uow, world.services.policy, world.clock)
        person = await people.register(3001, "An\nNguyễn\u2028Văn", "staff", "vi")
        await uow.commit()
    assert person.name == "An Nguyễn Văn"


async def test_a_name_kept_with_line_breaks_before_is_shown_on_one_line(world: World) -> None:
    case_id = await open_case(world.lan)
    customer = await customer_named(world, case_id)
    async with SqlUnitOfWork(world.services.sessions) as uow:
        kept = await uow.customers.get(customer.id or 0)
        assert kept is not None
        kept.name = f"Hương\n{FORGED_LINE}"
        await uow.commit()
    await world.lan.send(f"/case {case_id}")
    shown = world.lan.last_text
    assert f"Case #{case_id} · Hương {FORGED_LINE}" in shown
    assert not any(line.startswith("✅") for line in shown.splitlines())


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        pytest.param("invoice\u202efdp.exe", "invoicefdp.exe", id="a right-to-left override"),
        pytest.param("a\u2066b\u2069\u200b.pdf", "ab.pdf", id="isolates and a zero-width space"),
        pytest.param("hoá\nđơn\t.pdf", "hoá đơn .pdf", id="line breaks and a tab"),
        pytest.param("\u202e\u200b", None, id="nothing that shows"),
        pytest.param("x" * 3000 + ".pdf", "x" * 199 + "…", id="far too long"),
    ],
)
async def test_a_document_name_is_kept_on_one_line_without_characters_that_reorder_it(
    world: World, sent: str, kept: str | None
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.send_document("doc-1", file_name=sent)
    (evidence,) = [e.data for e in await world.events(case_id) if e.kind == "evidence"]
    assert evidence["name"] == kept
    await lan.send(f"/case {case_id}")
    timeline = "\n".join(m.plain_text for m in lan.messages[-3:])
    assert "\u202e" not in timeline
    if kept is not None:
        assert kept in timeline
