"""Problem customers: the ladder, the decision, and the scripted polite termination."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from flows.model import Customer
from flows.parsing import search_key
from flows.procedures.review import Rung
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.walk import case_number, compensate, open_case, walk_to_compensate
from tests.integration.test_exports_forget import forget_customer

pytestmark = pytest.mark.asyncio


async def add_customer(
    world: World,
    name: str,
    kind: str = "individual",
    since: str | None = None,
    value: int = 12_000_000,
) -> int:
    from datetime import date

    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.add(
            Customer(
                name=name,
                search_key=search_key(name),
                kind=kind,
                yearly_value=value,
                since=date.fromisoformat(since) if since else date(2024, 1, 1),
            )
        )
        await uow.commit()
        return customer.id or 0


async def open_review(person: Person, customer: str) -> int:
    await person.send("/problem")
    case_id = case_number(person.last_text)
    await person.send(customer)
    await person.press(customer)
    return case_id


async def climb_to_decision(person: Person) -> None:
    for rung in (
        "Called them: they knew our services",
        "Sent the self-service guide",
        "Offered new terms for on-site visits",
    ):
        await person.send(rung)
        await person.press("Not resolved")
    await person.send("Proposed prepaid billing")
    await person.press("Not resolved")
    await person.press("Little or no profit")
    await person.press("Abuse or mistreatment of staff")
    await person.press("Done")
    await person.send("Called Lan names twice on 12/11 and 19/11")  # abuses staff (listed first)
    await person.send("Costs 3× what they bring in")  # unprofitable
    await person.press("The uncivil client")
    await person.press("Done")


async def approved_termination(
    world: World, name: str = "Lê Văn Tám", *, added: bool = False
) -> int:
    """A review of a new individual customer (or one `added` already), climbed and
    approved; the owner reopens it."""
    if not added:
        await add_customer(world, name)
    case_id = await open_review(world.lan, name)
    await climb_to_decision(world.lan)
    await world.minh.press("Approve")
    await world.lan.press("Open case")
    return case_id


async def offer_goodwill(person: Person, amount: str) -> None:
    """In the termination conversation: ready, thank, frame, then a refund of `amount`."""
    await person.press("Ready")
    await person.send("Thanked")
    await person.send("Listened")
    await person.press("Refund the last period")
    await person.send(amount)


async def close_the_conversation(person: Person) -> None:
    """After the goodwill gesture: the customer's answer, the apology, another supplier,
    and how they took it: the relationship ends."""
    await person.send("She accepted")
    await person.send("Sorry")
    await person.press("Another option")
    await person.send("Shop across the street")
    await person.send("Fine")


async def test_a_review_shows_the_customers_record_before_the_first_rung(world: World) -> None:
    await add_customer(world, "Công ty Hòa Bình", "business")
    await open_case(world.lan, "Công ty Hòa Bình", existing=True)
    case_id = await open_review(world.lan, "Công ty Hòa Bình")
    text = world.lan.last_text
    assert f"Case #{case_id}" in text
    assert "Rung 1 of 4 — Reassess the relationship" in text
    assert "Customer record" in text
    assert text.count("12,000,000 VND a year") == 1  # on the case's first line, said once
    assert "Complaints: 1" in text
    assert "Keep in mind:" in text  # questions for the team, not words for the customer
    assert "Does the customer know everything we offer?" in text


async def test_a_resolved_rung_closes_the_review_with_the_customer_retained(
    world: World,
) -> None:
    await add_customer(world, "Trần Minh")
    case_id = await open_review(world.lan, "Trần Minh")
    await world.lan.send("Met him: our new pricing confused him")
    await world.lan.press("Resolved — keep")
    case = await world.case(case_id)
    assert (case.state, case.resolution) == (Rung.retained, "retained")


async def test_skipping_a_rung_needs_a_reason(world: World) -> None:
    await add_customer(world, "Trần Minh")
    case_id = await open_review(world.lan, "Trần Minh")
    await world.lan.press("Skip rung")
    assert "Why are you skipping this rung" in world.lan.last_text
    await world.lan.send("  ")
    assert (await world.case(case_id)).state == Rung.reassess
    await world.lan.send("Reassessed last month in case #3")
    assert (await world.case(case_id)).state == Rung.educate
    assert (await world.events(case_id))[-1].data["reason"] == "Reassessed last month in case #3"


async def test_going_straight_to_a_decision_needs_documented_abuse_or_unethical_conduct(
    world: World,
) -> None:
    await add_customer(world, "Trần Minh")
    case_id = await open_review(world.lan, "Trần Minh")
    await world.lan.press("Decide now")
    assert "needs a documented incident" in world.api.answers[-1]["text"]
    await world.lan.press("Incident")
    await world.lan.press("Abuse of staff")
    await world.lan.press("Today")
    await world.lan.send("Shouted at and insulted the cashier")
    await world.lan.press("Decide now")
    await world.lan.press("Abuse or mistreatment of staff")
    await world.lan.press("Done")
    await world.lan.send("See the incident of today")
    await world.lan.press("Done")
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    assert "Termination decision needed" in world.minh.last_text


async def test_a_long_standing_customer_brings_the_caution_that_must_be_answered(
    world: World,
) -> None:
    await add_customer(world, "Bà Năm", since="2012-05-01")
    case_id = await open_review(world.lan, "Bà Năm")
    assert "long-standing customer" in world.lan.last_text
    await world.lan.send("we called her")
    assert "answered with the buttons" in world.lan.last_text  # folded in the card
    await world.lan.press("It may change")
    await world.lan.press("In a month")
    case = await world.case(case_id)
    assert case.state == Rung.reassess
    kinds = [r.kind for r in await world.reminders()]
    assert "ladder_check" in kinds


async def test_a_b2b_termination_is_approved_then_walked_through_five_moves(
    world: World,
) -> None:
    customer_id = await add_customer(world, "Công ty Hòa Bình", "business")
    complaint = await open_case(world.lan, "Công ty Hòa Bình", existing=True)
    case_id = await open_review(world.lan, "Công ty Hòa Bình")
    await climb_to_decision(world.lan)
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    request = world.minh.last_text
    for text in (
        "Termination decision needed",
        "Little or no profit",
        "Costs 3× what they bring in",
        "The uncivil client",
        "Sent the self-service guide",
    ):
        assert text in request
    assert request.count("12,000,000 VND a year") == 1  # on the case's line, said once
    await world.minh.press("Approve")
    await world.lan.press("Open case")
    assert "Hold the termination conversation" in world.lan.last_text
    assert "several months before the contract comes up for renewal" in world.lan.last_text
    await world.lan.send("31/03/2027")
    prepared = world.lan.last_text.split("\n\nCase #")[0]  # the step done, logged on the card
    assert "Proposed notice date" in prepared
    assert "31/12/2026" in prepared or "2026-12-31" in prepared
    assert "thank you for trusting us" in world.lan.last_text  # to a business: its variant
    await world.lan.send("They thanked us too")
    assert "we believe that not renewing the contract" in world.lan.last_text
    await world.lan.send("They accepted the facts")
    await world.lan.press("Cancel the final invoice")
    await world.lan.send("300k")
    await world.lan.send("Pleased")
    await world.lan.send("Accepted the apology")
    await world.lan.press("Another option")
    await world.lan.send("Công ty Ánh Dương")
    await world.lan.send("Will contact them")
    case = await world.case(case_id)
    assert (case.state, case.resolution) == (Rung.terminated, "terminated")
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = await uow.customers.get(customer_id)
    assert customer is not None
    assert customer.status == "terminated"
    assert (await world.case(complaint)).resolution == "customer_terminated"
    kinds = [e.kind for e in await world.events(case_id)]
    assert kinds.index("approved") < kinds.index("concluded")
    assert "termination_notice" in [r.kind for r in await world.reminders()]


async def test_a_b2c_termination_advises_a_personal_call_and_goodwill_over_the_limit_waits(
    world: World,
) -> None:
    case_id = await approved_termination(world)
    assert "in person or by phone" in world.lan.last_text
    await offer_goodwill(world.lan, "2tr")
    assert "Goodwill offer needs approval" in world.minh.last_text
    await world.lan.send("anything")
    assert "waiting for a supervisor" in world.lan.last_text
    await world.minh.press("Approve")
    await world.lan.press("Open case")
    await close_the_conversation(world.lan)
    assert (await world.case(case_id)).state == Rung.terminated


async def test_a_declined_termination_returns_the_review_to_the_ladder(world: World) -> None:
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(world.lan, "Lê Văn Tám")
    await climb_to_decision(world.lan)
    await world.minh.press("Decline")
    assert (await world.case(case_id)).state == Rung.migrate
    assert "declined" in world.lan.last_text


async def test_a_stale_approval_button_does_nothing(world: World) -> None:
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(world.lan, "Lê Văn Tám")
    await climb_to_decision(world.lan)
    request = world.api.last_with_buttons(world.minh.chat_id)
    assert request is not None
    approve = request.buttons[0][0].callback_data or ""
    await world.minh.press("Put off")
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    await world.minh.press_data(approve)
    assert "already been decided" in world.api.answers[-1]["text"]
    assert (await world.case(case_id)).state == Rung.awaiting_decision


async def test_staff_cannot_approve_a_termination(world: World) -> None:
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(world.lan, "Lê Văn Tám")
    await climb_to_decision(world.lan)
    version = (await world.case(case_id)).version
    await world.hoa.press_data(f"k:{case_id}:{version}:d:y")
    await world.lan.press_data(f"k:{case_id}:{version}:d:y")
    assert (await world.case(case_id)).state == Rung.awaiting_decision


async def test_a_renewal_too_near_for_the_usual_notice_is_said_plainly_never_a_past_date(
    world: World,
) -> None:
    await add_customer(world, "Công ty Sao Mai", "business")
    case_id = await open_review(world.lan, "Công ty Sao Mai")
    await climb_to_decision(world.lan)
    await world.minh.press("Approve")
    await world.lan.press("Open case")
    await world.lan.send("10/01/2027")  # seven weeks away: three months' notice has passed
    text = world.lan.last_text
    assert "the usual notice date has already passed" in text
    assert "2026-10-10" not in text
    assert "Proposed notice date" not in text
    assert (await world.case(case_id)).state == Rung.termination_conversation


async def test_no_client_type_ticked_reads_none_on_the_card_and_in_the_request(
    world: World,
) -> None:
    await add_customer(world, "Phạm Thị Thu")
    case_id = await open_review(world.lan, "Phạm Thị Thu")
    for rung in ("Called", "Sent the guide", "New terms offered"):
        await world.lan.send(rung)
        await world.lan.press("Not resolved")
    await world.lan.send("Proposed prepaid billing")
    await world.lan.press("Not resolved")
    await world.lan.press("Little or no profit")
    await world.lan.press("Done")
    await world.lan.send("Costs 3× what they bring in")
    await world.lan.press("Done")  # no client type ticked
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    await world.lan.send(f"/case {case_id}")
    shown = "\n".join(m.plain_text for m in world.lan.messages[-3:])
    assert "Client types: none" in shown
    assert not re.search(r"Client types: *$", shown, re.MULTILINE)


async def test_a_colleagues_complaint_closed_by_a_termination_is_told_to_her_and_its_request(
    world: World,
) -> None:
    await add_customer(world, "Lê Văn Tám")
    complaint = await open_case(world.hoa, "Lê Văn Tám", existing=True)
    await walk_to_compensate(world.hoa)
    await compensate(world.hoa, "Refund", "3tr")  # waits for a supervisor
    review = await approved_termination(world, "Lê Văn Tám", added=True)
    await offer_goodwill(world.lan, "100k")
    await close_the_conversation(world.lan)
    assert (await world.case(review)).state == Rung.terminated
    assert (await world.case(complaint)).state == "cancelled"
    assert f"Hồ sơ #{complaint} của bạn đã được đóng: Lan đã chấm dứt quan hệ" in (
        world.hoa.last_text
    )
    told = [m.plain_text for m in world.minh.messages[-3:]]
    assert any(f"withdrew the request on case #{complaint}" in text for text in told)


async def waiting_to_see(world: World, name: str, until: str) -> int:
    """Lan's review of `name` at its first rung, waiting to see until `until`."""
    await add_customer(world, name)
    case_id = await open_review(world.lan, name)
    await world.lan.send("Asked what changed for them")
    await world.lan.press("Wait and see")
    await world.lan.press(until)
    return case_id


def looked_again(world: World) -> list[str]:
    return [m.plain_text for m in world.lan.messages if "Time to look again" in m.plain_text]


async def test_a_wait_replaced_by_a_later_one_on_the_same_rung_comes_back_once(
    world: World,
) -> None:
    await waiting_to_see(world, "Trần Minh", "In a month")
    world.clock.advance(days=1)
    await world.lan.send("She called back: still unsure")
    await world.lan.press("Wait and see")
    await world.lan.press("In a week")
    world.clock.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # the later wait's day
    await world.scheduler.tick()
    world.clock.now = datetime(2026, 12, 23, 2, 0, tzinfo=UTC)  # the first wait's day
    await world.scheduler.tick()
    assert len(looked_again(world)) == 1


async def test_a_wait_ends_quietly_once_the_customer_has_left(world: World) -> None:
    await waiting_to_see(world, "Trần Minh", "In a week")
    await world.lan.send("/exit")
    await world.lan.send("Trần Minh")
    await world.lan.press("Trần Minh")
    await world.lan.press("All of these")
    await world.lan.press("Done")
    await world.lan.send("Nothing worked")
    await world.lan.send("Offered a discount")
    await world.lan.press("Gone for good")
    world.clock.now = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    report = await world.scheduler.tick()
    assert report.dropped == 1
    assert looked_again(world) == []


def buttons(world: World, person: Person) -> list[str]:
    shown = world.api.last_with_buttons(person.chat_id)
    assert shown is not None
    return [b.text for row in shown.buttons for b in row]


@pytest.mark.parametrize(
    ("who", "ask", "answer", "skip", "decide"),
    [
        ("lan", "long-standing customer", "It will not change", "Skip rung", "Decide now"),
        ("hoa", "khách hàng lâu năm", "Sẽ không thay đổi", "Bỏ qua giai đoạn", "Quyết định ngay"),
    ],
)
async def test_a_long_standing_customers_caution_cannot_be_skipped_past(
    world: World, who: str, ask: str, answer: str, skip: str, decide: str
) -> None:
    person = getattr(world, who)
    await add_customer(world, "Bà Năm", since="2012-05-01")
    case_id = await open_review(person, "Bà Năm")
    assert ask in person.last_text
    offered = buttons(world, person)
    assert not any(skip in b or decide in b for b in offered), offered
    skip_data = f"k:{case_id}:{(await world.case(case_id)).version}:a:skip_reason"
    await person.press_data(skip_data)  # a forged or remembered button
    assert (await world.case(case_id)).state == Rung.reassess
    await person.press(answer)
    await person.press(skip)
    await person.send("Reassessed on the phone last week")
    case = await world.case(case_id)
    skipped = (await world.events(case_id))[-1]
    assert (case.state, skipped.kind) == (Rung.educate, "skip")
    assert skipped.data["caution"] == "will_not_change"


async def test_deciding_now_on_a_long_standing_customer_keeps_the_caution_answered(
    world: World,
) -> None:
    await add_customer(world, "Bà Năm", since="2012-05-01")
    case_id = await open_review(world.lan, "Bà Năm")
    await world.lan.press("Incident")
    await world.lan.press("Abuse of staff")
    await world.lan.press("Today")
    await world.lan.send("Shouted at the cashier")
    assert "long-standing customer" in world.lan.last_text  # the incident left it asked
    assert not any("Decide now" in b for b in buttons(world, world.lan))
    await world.lan.press("It will not change")
    await world.lan.press("Decide now")
    await world.lan.press("Abuse or mistreatment of staff")
    await world.lan.press("Done")
    await world.lan.send("See the incident")
    await world.lan.press("Done")
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    asked = [e for e in await world.events(case_id) if e.kind == "straight_to_decision"]
    assert asked[-1].data["caution"] == "will_not_change"


async def test_a_customer_of_exactly_five_years_is_long_standing(world: World) -> None:
    await add_customer(world, "Bà Sáu", since="2021-11-23")
    await open_review(world.lan, "Bà Sáu")
    assert "long-standing customer" in world.lan.last_text


async def test_the_fifth_anniversary_counts_from_the_staff_members_own_day(
    world: World,
) -> None:
    world.clock.now = datetime(2026, 11, 22, 18, 0, tzinfo=UTC)  # 23/11 01:00 in Hà Nội
    await add_customer(world, "Bà Sáu", since="2021-11-23")
    await open_review(world.hoa, "Bà Sáu")
    assert "khách hàng lâu năm" in world.hoa.last_text


async def test_a_customer_a_day_short_of_five_years_is_not_yet_long_standing(
    world: World,
) -> None:
    await add_customer(world, "Bà Bảy", since="2021-11-24")
    await open_review(world.lan, "Bà Bảy")
    assert "long-standing customer" not in world.lan.last_text


async def decide_now_declined(world: World, person: Person, labels: dict[str, str]) -> int:
    """A review of a customer with documented abuse, sent straight to a decision from its
    first rung, which the supervisor declines."""
    await add_customer(world, "Trần Minh")
    case_id = await open_review(person, "Trần Minh")
    for step in ("incident", "abuse", "today"):
        await person.press(labels[step])
    await person.send("Chửi nhân viên thu ngân")
    await person.press(labels["decide"])
    await person.press(labels["reason"])
    await person.press(labels["done"])
    await person.send("Xem sự việc hôm nay")
    await person.press(labels["done"])
    assert (await world.case(case_id)).state == Rung.awaiting_decision
    await world.minh.press("Decline")
    return case_id


ENGLISH = {
    "incident": "Incident",
    "abuse": "Abuse of staff",
    "today": "Today",
    "decide": "Decide now",
    "reason": "Abuse or mistreatment of staff",
    "done": "Done",
}
VIETNAMESE = {
    "incident": "Sự việc",
    "abuse": "Xúc phạm nhân viên",
    "today": "Hôm nay",
    "decide": "Quyết định ngay",
    "reason": "Cư xử tệ, xúc phạm nhân viên",
    "done": "Xong",
}


@pytest.mark.parametrize(("who", "labels"), [("lan", ENGLISH), ("hoa", VIETNAMESE)])
async def test_a_declined_decide_now_returns_to_the_rung_it_left_not_to_the_last_one(
    world: World, who: str, labels: dict[str, str]
) -> None:
    person = getattr(world, who)
    case_id = await decide_now_declined(world, person, labels)
    assert (await world.case(case_id)).state == Rung.reassess
    await person.press("Open case" if who == "lan" else "Xem hồ sơ")
    assert ("Rung 1 of 4" if who == "lan" else "Giai đoạn 1/4") in person.last_text


async def test_a_declined_decision_after_the_ladder_returns_to_the_last_rung(
    world: World,
) -> None:
    case_id = await approved_termination_request(world)
    await world.minh.press("Decline")
    assert (await world.case(case_id)).state == Rung.migrate


async def approved_termination_request(world: World) -> int:
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(world.lan, "Lê Văn Tám")
    await climb_to_decision(world.lan)
    return case_id


def script_of(text: str, heading: str) -> str:
    return text.split(heading)[1].split("\n\n")[0] if heading in text else ""


@pytest.mark.parametrize(
    ("who", "labels", "heading", "words", "hint"),
    [
        (
            "lan",
            ("Another option", "name at least one real provider"),
            "What you could say:",
            "you could try … If it helps",
            "say the name of the provider you suggest",
        ),
        (
            "hoa",
            ("Lựa chọn khác", "nêu ít nhất một đơn vị cụ thể"),
            "Lời thoại gợi ý:",
            "có thể tham khảo … ạ",
            "bạn nói tên đơn vị mình gợi ý",
        ),
    ],
)
async def test_move_five_without_partners_asks_staff_to_name_an_alternative_aloud(
    world: World, who: str, labels: tuple[str, str], heading: str, words: str, hint: str
) -> None:
    person = getattr(world, who)
    await add_customer(world, "Lê Văn Tám")
    await open_review(person, "Lê Văn Tám")
    await climb_to_decision_in(person, who)
    await world.minh.press("Approve")
    await person.press("Open case" if who == "lan" else "Xem hồ sơ")
    await person.press("Ready" if who == "lan" else "Sẵn sàng")
    for text in ("ok1", "ok2"):
        await person.send(text)
    await person.press("Refund the last period" if who == "lan" else "Hoàn tiền kỳ cuối")
    await person.send("100k")
    await person.send("ok3")
    await person.send("ok4")
    another, advice = labels
    assert advice in person.last_text  # move 5: name one, even with no partner configured
    await person.press(another)
    assert words in script_of(person.last_text, heading)
    assert hint in person.last_text


async def climb_to_decision_in(person: Person, who: str) -> None:
    if who == "lan":
        await climb_to_decision(person)
        return
    for rung in ("a", "b", "c", "d"):
        await person.send(rung)
        await person.press("Chưa giải quyết")
    await person.press("Không mang lại lợi nhuận")
    await person.press("Xong")
    await person.send("lỗ")
    await person.press("Xong")


#: The card before a decision, in each language: the seven situations in which ending the
#: relationship deserves consideration and the five kinds of client let go (domain brief,
#: section 3), with the buttons that climb the ladder and the refusal of an empty choice.
GROUNDS_OFFERED = {
    "lan": (
        (
            "Complaints about trifles",
            "Abuse or mistreatment of staff",
            "No prospect of more business",
            "No referrals of new business",
            "Little or no profit",
            "Unethical or shady proposals",
            "Poor fit with our mission or values",
        ),
        (
            "The exploiter",
            "The fear-monger",
            "The slow payer",
            "The uncivil client",
            "The “I win, you lose” client",
        ),
        ("Not resolved", "Done", "tick at least one"),
    ),
    "hoa": (
        (
            "Kêu ca chuyện vặt",
            "Cư xử tệ, xúc phạm nhân viên",
            "Không thể mang thêm doanh thu",
            "Không giới thiệu khách mới",
            "Không mang lại lợi nhuận",
            "Đề nghị việc sai trái, mờ ám",
            "Không còn phù hợp sứ mệnh, giá trị",
        ),
        (
            "Đòi giá rẻ, phục vụ 24/7",
            "Gây áp lực, đe dọa",
            "Chậm thanh toán",
            "Chửi bới, thiếu lịch sự",
            "Nhận hết công, đổ hết lỗi",
        ),
        ("Chưa giải quyết", "Xong", "đánh dấu ít nhất một mục"),
    ),
}


@pytest.mark.parametrize("who", list(GROUNDS_OFFERED))
async def test_a_termination_is_asked_for_only_with_one_of_the_seven_situations_ticked(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    reasons, client_types, (not_resolved, done, pick_one) = GROUNDS_OFFERED[who]
    await add_customer(world, "Phạm Thị Thu")
    case_id = await open_review(person, "Phạm Thị Thu")
    for rung in ("Called", "Sent the guide", "New terms offered", "Proposed prepaid billing"):
        await person.send(rung)
        await person.press(not_resolved)
    offered = " ".join(person.buttons)
    assert all(reason in offered for reason in reasons), offered
    await person.press(done)
    assert pick_one in person.last_text + world.api.answers[-1].get("text", "")
    assert (await world.case(case_id)).state == Rung.migrate
    await person.press(reasons[4])  # unprofitable
    await person.press(done)
    await person.send("Costs 3× what they bring in")
    offered = " ".join(person.buttons)
    assert all(kind in offered for kind in client_types), offered
    await person.press(done)  # no kind of client fits: the decision is asked all the same
    assert (await world.case(case_id)).state == Rung.awaiting_decision


async def climbed_and_approved(
    world: World, person: Person, not_resolved: str, unprofitable: str, done: str
) -> None:
    """Every rung not resolved, unprofitable the reason, no client type: Minh approves."""
    for rung in ("Called", "Sent the guide", "New terms offered", "Proposed prepaid billing"):
        await person.send(rung)
        await person.press(not_resolved)
    await person.press(unprofitable)
    await person.press(done)
    await person.send("Costs 3× what they bring in")
    await person.press(done)
    await world.minh.press("Approve")


async def thanked(person: Person, open_it: str, ready: str) -> None:
    """The approved case opened again, and move 1 (appreciate) done."""
    await person.press(open_it)
    await person.press(ready)
    await person.send("Thanked us for the years together")


#: Two incidents documented on the review, and the termination conversation's framing of
#: them in each language: the occasions counted and dated, never what kind they were.
FRAMED = {
    "lan": (
        ("Incident", "Abuse of staff", "Late or missed payment", "Not resolved", "Done"),
        ("Little or no profit", "Open case", "Ready"),
        "Over the past months, from 12 November 2026 to 19 November 2026, there have been 2",
    ),
    "hoa": (
        (
            "Sự việc",
            "Xúc phạm nhân viên",
            "Trả tiền trễ hoặc không trả",
            "Chưa giải quyết",
            "Xong",
        ),
        ("Không mang lại lợi nhuận", "Xem hồ sơ", "Sẵn sàng"),
        "Thời gian qua, từ 12/11/2026 đến 19/11/2026, đã có 2 lần hai bên làm việc",
    ),
}


@pytest.mark.parametrize("who", list(FRAMED))
async def test_the_termination_is_framed_by_the_incidents_documented_on_the_customer(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    (incident, abuse, late, not_resolved, done), (unprofitable, open_it, ready), said = FRAMED[who]
    await add_customer(world, "Phạm Thị Thu")
    case_id = await open_review(person, "Phạm Thị Thu")
    for kind, day in ((late, "19/11/2026"), (abuse, "12/11/2026")):
        await person.press(incident)
        await person.press(kind)
        await person.send(day)
        await person.send("Noted at the counter")
    await climbed_and_approved(world, person, not_resolved, unprofitable, done)
    await thanked(person, open_it, ready)
    assert (await world.case(case_id)).state == Rung.termination_conversation
    words = next((line for line in person.last_text.splitlines() if said in line), "")
    assert words, person.last_text
    assert abuse not in words  # what kind each was stays with staff
    assert late not in words


#: What each reader presses to reach move 2 for a customer with no incident (not resolved,
#: unprofitable, done, no client type, open the case approved, ready), and how the framing
#: says the customer's two complaints, nine days apart: counted and dated, in their terms.
COMPLAINTS_FRAMED = {
    "lan": (
        ("Not resolved", "Little or no profit", "Done", "Open case", "Ready"),
        "From 23 November 2026 to 2 December 2026, you told us 2 times that you were not happy"
        " with our service. We have not managed",
    ),
    "hoa": (
        ("Chưa giải quyết", "Không mang lại lợi nhuận", "Xong", "Xem hồ sơ", "Sẵn sàng"),
        "Từ 23/11/2026 đến 02/12/2026, anh/chị đã 2 lần báo với bên em là anh/chị chưa hài"
        " lòng với dịch vụ ạ. Bên em tự thấy",
    ),
}


async def at_the_frame_move(
    world: World, person: Person, name: str, *, forget: bool = False
) -> str:
    """Two complaints nine days apart, then a review climbed and approved, the customer
    thanked: the card of move 2. With `forget`, the customer is forgotten once approved."""
    who = "lan" if person is world.lan else "hoa"
    not_resolved, unprofitable, done, open_it, ready = COMPLAINTS_FRAMED[who][0]
    customer_id = await add_customer(world, name)
    await open_case(person, name, "Giao hàng trễ, hộp bị móp", existing=True)
    world.clock.advance(days=9)
    await open_case(person, name, "Giao nhầm màu áo", existing=True)
    world.clock.advance(days=1)
    await open_review(person, name)
    await climbed_and_approved(world, person, not_resolved, unprofitable, done)
    if forget:
        await forget_customer(world.services.sessions, customer_id, world.clock())
    await thanked(person, open_it, ready)
    return person.last.plain_text


@pytest.mark.parametrize("who", list(COMPLAINTS_FRAMED))
async def test_the_termination_is_framed_by_the_complaints_the_customer_filed_too(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    card = await at_the_frame_move(world, person, "Phạm Thị Thu")
    assert COMPLAINTS_FRAMED[who][1] in card.replace("\n", " "), card
    assert "Giao nhầm" not in card  # what each complaint was about stays in its case


@pytest.mark.parametrize("who", list(COMPLAINTS_FRAMED))
async def test_a_forgotten_customers_complaints_frame_the_goodbye_without_naming_them(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    card = await at_the_frame_move(world, person, "Phạm Thị Thu", forget=True)
    script = card.split("Lời thoại gợi ý" if who == "hoa" else "What you could say")[1]
    assert COMPLAINTS_FRAMED[who][1] in script.replace("\n", " "), card
    for personal in ("Thu", "Phạm", "forgotten", "Giao nhầm", "móp"):
        assert personal not in script, personal


async def test_a_wait_typed_for_the_night_moves_without_asking_to_tell_the_customer(
    world: World,
) -> None:
    # a review's wait is the team's own: nobody agreed it with the customer
    await add_customer(world, "Trần Minh")
    await open_review(world.lan, "Trần Minh")
    await world.lan.send("Asked what changed for them")
    await world.lan.press("Wait and see")
    await world.lan.send("30/11 22:00")
    moved = "\n".join(m.plain_text for m in world.lan.messages[-3:])
    assert "outside working hours" in moved
    assert "with the customer" not in moved
