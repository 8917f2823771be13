"""A customer let go, or who left, takes their other open cases with them: a review, a
check-in or an exit interview of theirs ends, its owner told, and nothing left open can
later record them as retained or staying."""

from __future__ import annotations

import pytest

from flows.procedures.review import Rung
from flows.scripts import LOCALES
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import (
    add_customer,
    approved_termination,
    climb_to_decision,
    close_the_conversation,
    offer_goodwill,
    open_review,
)
from tests.bot.walk import case_number, label, words

pytestmark = pytest.mark.asyncio


async def status(world: World, customer_id: int) -> str:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        found = await uow.customers.get(customer_id)
    assert found is not None
    return found.status


async def set_status(world: World, customer_id: int, to: str) -> None:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        found = await uow.customers.get(customer_id)
        assert found is not None
        found.status = to
        await uow.commit()


async def check_in(world: World, name: str) -> int:
    """Hòa opens a check-in from the customer's record, in Vietnamese."""
    await world.hoa.send(f"/customer {name}")
    await world.hoa.press("Hỏi thăm khách")
    return case_number(world.hoa.last_text)


async def defected_in_an_exit_interview(world: World, name: str) -> int:
    """Hòa's exit interview, in Vietnamese: the customer left for good."""
    await world.hoa.send("/exit")
    case_id = case_number(world.hoa.last_text)
    await world.hoa.send(name)
    await world.hoa.press(name)
    await world.hoa.press("Tất cả")
    await world.hoa.press("Xong")
    await world.hoa.send("Không còn hài lòng")
    await world.hoa.send("Giảm giá 10%")
    await world.hoa.press("Khách rời đi hẳn")
    return case_id


async def test_terminating_a_customer_ends_their_open_check_in_and_tells_its_owner(
    world: World,
) -> None:
    customer_id = await add_customer(world, "Lê Văn Tám")
    visit = await check_in(world, "Lê Văn Tám")
    review = await approved_termination(world, "Lê Văn Tám", added=True)
    await offer_goodwill(world.lan, "100k")
    await close_the_conversation(world.lan)
    assert (await world.case(review)).state == Rung.terminated
    assert await status(world, customer_id) == "terminated"
    ended = await world.case(visit)
    assert (ended.state, ended.resolution) == ("cancelled", "customer_terminated")
    closed = f"Hồ sơ #{visit} của bạn đã được đóng: Lan đã chấm dứt quan hệ"
    assert closed in world.hoa.last_text
    await world.hoa.send("Giao hàng nhanh")  # Hòa carries on: nothing is recorded
    assert f"Hồ sơ #{visit} đã kết thúc" in world.hoa.last_text
    assert (await world.case(visit)).resolution == "customer_terminated"


async def test_terminating_a_customer_ends_an_exit_interview_left_open(world: World) -> None:
    await add_customer(world, "Lê Văn Tám")
    await world.hoa.send("/exit")
    interview = case_number(world.hoa.last_text)
    await world.hoa.send("Lê Văn Tám")
    await world.hoa.press("Lê Văn Tám")
    await approved_termination(world, "Lê Văn Tám", added=True)
    await offer_goodwill(world.lan, "100k")
    await close_the_conversation(world.lan)
    ended = await world.case(interview)
    assert (ended.state, ended.resolution) == ("cancelled", "customer_terminated")


async def test_a_customer_who_defected_can_no_longer_be_taken_to_a_termination(
    world: World,
) -> None:
    customer_id = await add_customer(world, "Trần Minh")
    review = await open_review(world.lan, "Trần Minh")
    interview = await defected_in_an_exit_interview(world, "Trần Minh")
    assert (await world.case(interview)).resolution == "defected"
    assert await status(world, customer_id) == "defected"
    ended = await world.case(review)
    assert (ended.state, ended.resolution) == ("cancelled", "customer_defected")
    told = world.lan.last_text
    assert f"Your case #{review} was closed: the customer has left us" in told
    assert f"case #{interview}" in told
    await world.lan.send("Called them: they knew our services")
    assert f"Case #{review} has already ended" in world.lan.last_text
    assert (await world.case(review)).state == "cancelled"


async def test_a_defection_keeps_the_customers_open_complaints(world: World) -> None:
    from tests.bot.walk import open_case

    await add_customer(world, "Trần Minh")
    complaint = await open_case(world.lan, "Trần Minh", existing=True)
    await defected_in_an_exit_interview(world, "Trần Minh")
    assert (await world.case(complaint)).closed_at is None  # still heard, and recoverable


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_termination_request_for_a_customer_who_has_since_left_is_refused(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    customer_id = await add_customer(world, "Lê Văn Tám")
    review = await open_review(person, "Lê Văn Tám")
    await climb_to_decision(person)
    await set_status(world, customer_id, "defected")  # e.g. recorded before this fix
    await supervisor.press(label(supervisor, "Approve"))
    refused = words(supervisor, "customer.refused.problem_review", name="Lê Văn Tám")
    assert world.api.answers[-1]["text"] == refused
    assert (await world.case(review)).state == Rung.awaiting_decision


async def test_a_rung_of_a_customer_who_has_since_been_let_go_is_refused(world: World) -> None:
    customer_id = await add_customer(world, "Lê Văn Tám")
    review = await open_review(world.hoa, "Lê Văn Tám")
    await set_status(world, customer_id, "terminated")
    await world.hoa.send("Gọi lại cho khách")
    await world.hoa.press("Đã giải quyết — giữ khách")
    assert "không còn là khách hàng" in world.api.answers[-1]["text"]
    case = await world.case(review)
    assert case.resolution != "retained"


async def test_a_check_in_of_a_customer_let_go_meanwhile_is_not_recorded_as_staying(
    world: World,
) -> None:
    customer_id = await add_customer(world, "Phạm Thị Thu")
    visit = await check_in(world, "Phạm Thị Thu")
    await world.hoa.send("Giao hàng nhanh")
    await world.hoa.press("Đáp ứng đầy đủ")
    await world.hoa.send("Không có gì")
    await world.hoa.press("Bỏ qua")
    await set_status(world, customer_id, "terminated")
    await world.hoa.press("Sẽ ở lại")
    assert "không còn là khách hàng" in world.api.answers[-1]["text"]
    assert (await world.case(visit)).resolution is None


async def test_a_second_review_of_the_same_customer_is_refused_naming_the_open_one(
    world: World,
) -> None:
    await add_customer(world, "Lê Văn Tám")
    first = await open_review(world.hoa, "Lê Văn Tám")
    await world.lan.send("/problem")
    second = case_number(world.lan.last_text)
    await world.lan.send("Lê Văn Tám")
    await world.lan.press("Lê Văn Tám")
    said = world.api.answers[-1]["text"]
    assert f"already has a problem-customer review under way (case #{first})" in said
    assert (await world.case(second)).customer_id is None
    await world.hoa.send("/problem")
    await world.hoa.send("Lê Văn Tám")
    await world.hoa.press("Lê Văn Tám")
    refused = f"đang có một đánh giá khách hàng khó chưa kết thúc (hồ sơ #{first})"
    assert refused in world.api.answers[-1]["text"]
