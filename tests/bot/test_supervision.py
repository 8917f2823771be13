"""Exit interviews, customer cards, customers at risk, pending decisions and staff figures."""

from __future__ import annotations

import pytest

from flows.model import Customer
from flows.parsing import search_key
from flows.procedures.exit_interview import Stage
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, make_world, settings_for
from tests.bot.walk import case_number, compensate, open_case, walk_to_compensate
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio


async def customer_status(world: World, name: str) -> str:
    return (await a_customer(world, name)).status


async def test_an_exit_interview_records_why_the_customer_left_and_the_defection(
    world: World,
) -> None:
    await open_case(world.lan, "Vũ Thị Lan Anh")
    await world.lan.send("/exit")
    case_id = case_number(world.lan.last_text)
    await world.lan.send("lan anh")
    await world.lan.press("Vũ Thị Lan Anh")
    assert "Did another company make you a better offer?" in world.lan.last_text
    await world.lan.press("Better offer elsewhere")
    await world.lan.press("Missed appointment")
    await world.lan.press("Done")
    await world.lan.send("Đối thủ giảm 20% và giao trong ngày")
    await world.lan.send("Offered 15% off for three months")
    await world.lan.press("Gone for good")
    case = await world.case(case_id)
    assert (case.state, case.resolution) == (Stage.defected, "defected")
    last = (await world.events(case_id))[-1]
    assert last.kind == "defected"
    assert last.data["reasons"] == ["competitor_offer", "missed_appointment"]
    assert await customer_status(world, "vu thi lan anh") == "defected"


@pytest.mark.parametrize(
    ("who", "new", "heading"),
    [("lan", "New customer", "What you could say"), ("hoa", "Khách hàng mới", "Lời thoại gợi ý")],
)
async def test_an_exit_interview_shows_no_words_for_the_customer_until_they_are_known(
    world: World, who: str, new: str, heading: str
) -> None:
    person = getattr(world, who)
    await person.send("/exit")
    await person.send("Đặng Văn Hải")
    await person.press(new)
    assert heading not in person.last_text  # their name, phone, kind… are still to come
    await person.send("Đặng Văn Hải")
    assert heading not in person.last_text
    await person.send("0912 345 678")
    await person.press("Individual" if who == "lan" else "Cá nhân")
    await person.send("2020")
    await person.send("5tr")
    assert heading in person.last_text  # now they are known: the words for the call


@pytest.mark.parametrize(
    ("who", "competitor", "everything", "done"),
    [
        ("lan", "Better offer elsewhere", "All of these", "Done"),
        ("hoa", "Ưu đãi tốt hơn ở nơi khác", "Tất cả", "Xong"),
    ],
)
async def test_everything_as_a_reason_for_leaving_stands_alone(
    world: World, who: str, competitor: str, everything: str, done: str
) -> None:
    person = getattr(world, who)
    await open_case(person, "Vũ Thị Lan Anh")
    await person.send("/exit")
    case_id = case_number(person.last_text)
    await person.send("lan anh")
    await person.press("Vũ Thị Lan Anh")
    await person.press(competitor)
    await person.press(everything)  # unticks the competitor
    await person.press(competitor)  # unticks everything
    await person.press(done)
    assert (await world.case(case_id)).draft["exit_reasons"] == ["competitor_offer"]


async def test_a_won_back_customer_stays_active(world: World) -> None:
    await open_case(world.lan, "Đỗ Văn Hải")
    await world.lan.send("/exit")
    case_id = case_number(world.lan.last_text)
    await world.lan.send("hai")
    await world.lan.press("Đỗ Văn Hải")
    await world.lan.press("All of these")
    await world.lan.press("Done")
    await world.lan.send("Nothing worked for him")
    await world.lan.send("A personal account manager")
    await world.lan.press("Won back")
    assert (await world.case(case_id)).state == Stage.won_back
    assert await customer_status(world, "do van hai") == "active"


async def test_a_second_complaint_within_ninety_days_flags_the_customer_at_risk(
    world: World,
) -> None:
    await open_case(world.lan, "Phan Thu Hà")
    assert await customer_status(world, "phan thu ha") == "active"
    second = await open_case(world.lan, "Phan Thu Hà", existing=True)
    assert await customer_status(world, "phan thu ha") == "at_risk"
    assert "at_risk" in [e.kind for e in await world.events(second)]
    await world.minh.send("/atrisk")
    assert "Customers at risk (1)" in world.minh.last_text
    assert "Value at stake: 3,000,000 VND" in world.minh.last_text


async def a_customer(world: World, name: str) -> Customer:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        [customer] = await uow.customers.search(search_key(name), 1)
        return customer


@pytest.mark.parametrize(
    "typed", ["+84 903 123 456", "0903.123.456", "84903123456", "Chị Hương", "chị hương"]
)
async def test_a_customer_is_found_by_a_phone_in_any_form_and_a_name_after_a_title(
    world: World, typed: str
) -> None:
    await open_case(world.lan, "Nguyễn Thị Hương")  # phone typed as 0903 123 456
    await world.minh.send(f"/customer {typed}")
    assert "Nguyễn Thị Hương" in world.minh.last_text
    assert "No customer matches" not in world.minh.last_text


async def test_a_complaint_cancelled_as_a_mistake_does_not_count_towards_at_risk(
    world: World,
) -> None:
    await open_case(world.lan, "Phan Thu Hà")
    await world.lan.press("Cancel (mistake)")
    await world.lan.send("Opened by mistake: wrong customer")
    await open_case(world.hoa, "Phan Thu Hà", existing=True)
    assert await customer_status(world, "phan thu ha") == "active"


@pytest.mark.parametrize(
    ("who", "counted"), [("minh", "Complaints: 1 · "), ("hoa", "Khiếu nại: 1 · ")]
)
async def test_the_card_counts_the_complaints_the_at_risk_rule_counts(
    world: World, who: str, counted: str
) -> None:
    await open_case(world.lan, "Phan Thu Hà")
    await world.lan.press("Cancel (mistake)")
    await world.lan.send("Opened by mistake: wrong customer")
    await open_case(world.lan, "Phan Thu Hà", existing=True)
    await world.lan.send("/new")  # a third begun, nothing recorded in it yet
    await world.lan.send("Phan Thu")
    await world.lan.press("Phan Thu Hà")
    assert await customer_status(world, "phan thu ha") == "active"  # one complaint, not two
    reader = getattr(world, who)
    await reader.send("/customer phan thu")
    assert counted in reader.last_text


async def test_the_card_of_a_customer_flagged_automatically_says_so(world: World) -> None:
    await open_case(world.lan, "Phan Thu Hà")
    await open_case(world.lan, "Phan Thu Hà", existing=True)
    await world.minh.send("/customer phan thu")
    assert "At risk since 2026-11-23" in world.minh.last_text
    assert "flagged automatically after repeated complaints" in world.minh.last_text
    assert "⚠ Flag at risk" not in world.minh.buttons


async def test_flagging_a_customer_at_risk_by_hand_asks_why_and_keeps_the_reason_on_the_card(
    world: World,
) -> None:
    await open_case(world.lan, "Trịnh Công Sơn")
    await world.lan.send("/customer trinh cong")
    await world.lan.press("⚠ Flag at risk")
    assert "Why might Trịnh Công Sơn leave us?" in world.lan.last_text
    assert await customer_status(world, "trinh cong son") == "active"  # not before the reason
    await world.lan.send("Hỏi giá bên đối thủ 2 lần <b>tuần này</b>")
    assert "Trịnh Công Sơn is flagged at risk" in world.lan.messages[-3].plain_text
    card = world.lan.messages[-2].plain_text
    assert "flagged by Lan: “Hỏi giá bên đối thủ 2 lần <b>tuần này</b>”" in card
    assert "⚠ Flag at risk" not in world.lan.buttons
    customer = await a_customer(world, "Trịnh Công Sơn")
    assert customer.status == "at_risk"
    assert customer.at_risk_reason == "Hỏi giá bên đối thủ 2 lần <b>tuần này</b>"
    assert customer.at_risk_since == world.clock.now
    async with SqlUnitOfWork(world.services.sessions) as uow:
        lan = await uow.staff.by_telegram_id(world.lan.telegram_id)
    assert lan is not None
    assert customer.at_risk_by == lan.id
    await world.minh.send("/atrisk")
    assert "Customers at risk (1)" in world.minh.last_text
    # The case that was asking is drawn again below the card: what is typed next is its.
    assert "After your apology, how did the customer react?" in world.lan.last_text
    await world.lan.send("Khách gọi lại rồi")  # the reason was taken: text is no longer it
    refusal = world.lan.messages[-2].plain_text  # above the card drawn again
    assert "is answered with the buttons: please press one on the card below." in refusal
    assert (await a_customer(world, "Trịnh Công Sơn")).at_risk_reason == customer.at_risk_reason


async def test_the_card_in_vietnamese_shows_the_reason_and_the_date_the_vietnamese_way(
    world: World,
) -> None:
    await open_case(world.hoa, "Lê Thị Mai")
    await world.hoa.send("/customer le thi mai")
    await world.hoa.press("⚠ Đánh dấu nguy cơ")
    assert "Vì sao Lê Thị Mai có thể rời bỏ mình?" in world.hoa.last_text
    await world.hoa.send("Không hài lòng về giá")
    card = world.hoa.messages[-2].plain_text  # the case that was asking is drawn below it
    assert "Có nguy cơ rời bỏ từ 23/11/2026" in card
    assert "“Không hài lòng về giá”" in card


async def test_an_empty_or_overlong_reason_is_refused_and_a_proper_one_is_still_awaited(
    world: World,
) -> None:
    await open_case(world.lan, "Đặng Thái Sơn")
    await world.lan.send("/customer dang thai")
    await world.lan.press("⚠ Flag at risk")
    await world.lan.send("  \u200b ")
    assert "empty" in world.lan.last_text
    await world.lan.send("x" * (world.services.policy.text_limit + 1))
    assert "the limit is" in world.lan.last_text
    assert await customer_status(world, "dang thai son") == "active"
    await world.lan.send("Đòi giảm giá lần thứ ba")
    assert (await a_customer(world, "Đặng Thái Sơn")).at_risk_reason == "Đòi giảm giá lần thứ ba"


async def test_a_customer_flagged_meanwhile_keeps_the_first_reason(world: World) -> None:
    await open_case(world.lan, "Hồ Xuân Hương")
    for person in (world.lan, world.minh):
        await person.send("/customer ho xuan")
        await person.press("⚠ Flag at risk")
    stale = next(m for m in reversed(world.lan.messages) if m.offers("⚠ Flag at risk"))
    await world.minh.send("Sắp hết hợp đồng, chưa muốn gia hạn")
    await world.lan.send("Phàn nàn về nhân viên giao hàng")
    assert "already flagged at risk" in world.lan.messages[-3].plain_text
    assert (await a_customer(world, "Hồ Xuân Hương")).at_risk_reason == (
        "Sắp hết hợp đồng, chưa muốn gia hạn"
    )
    assert stale is not None
    await world.lan.press("⚠ Flag at risk", stale)  # an old card's button
    assert "already flagged at risk" in world.lan.messages[-2].plain_text


async def test_opening_a_case_after_asking_for_a_reason_takes_text_for_the_case_again(
    world: World,
) -> None:
    case_id = await open_case(world.lan, "Tôn Nữ Thị Ninh")
    await world.lan.send("/customer ton nu")
    await world.lan.press("⚠ Flag at risk")
    await world.lan.press(f"📂 #{case_id}")  # from the same card, without giving a reason
    await walk_to_compensate(world.lan)  # typed answers among them: none is taken as a reason
    assert (await world.case(case_id)).state == "compensate"
    assert await customer_status(world, "ton nu thi ninh") == "active"


async def test_the_customer_card_shows_the_record_and_opens_cases_for_them(
    world: World,
) -> None:
    case_id = await open_case(world.lan, "Ngô Bảo Châu")
    await world.lan.send("/customer ngo bao")
    card = world.lan.last_text
    assert "Ngô Bảo Châu" in card
    assert "Complaints: 1" in card
    assert f"#{case_id}" in card
    await world.lan.press("Problem customer")
    assert "Rung 1 of 4" in world.lan.last_text
    await world.lan.send("/customer ngo bao")
    await world.lan.press("New complaint")
    assert "What is the complaint?" in world.lan.last_text
    await world.lan.send("/customer nobody-like-this")
    assert "No customer matches" in world.lan.last_text


async def test_approvals_lists_what_waits_and_staff_shows_who_turned_customers_around(
    world: World,
) -> None:
    waiting = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Refund", "2tr")
    await open_case(world.hoa, "Khách Hai")
    await world.minh.send("/approvals")
    assert f"#{waiting}" in world.minh.last_text
    await world.lan.send("/approvals")
    assert "Only supervisors" in world.lan.last_text
    await world.minh.press(f"#{waiting}")  # the list opens the case: its timeline
    request = next(m for m in world.minh.messages if "Approval needed" in m.plain_text)
    await world.minh.press("Approve", request)
    await world.lan.press("Open case")
    await world.lan.press("Tomorrow")
    await world.lan.press("Satisfied")
    await world.minh.send("/staff")  # the comment still awaited is asked below
    staff = world.minh.messages[-2].plain_text
    assert "Lan (staff member): 0 · 0 · 🏆 1" in staff
    assert "Hòa (staff member): 1 · 0 · 🏆 0" in staff


async def test_cases_are_filtered_and_paged_with_buttons(world: World) -> None:
    opened = [await open_case(world.lan, f"Khách {n}") for n in range(10)]
    await world.lan.press("Cancel (mistake)")
    await world.lan.send("Opened by mistake")
    await world.lan.send("/cases")
    first = world.lan.last_text
    assert "Your cases (8)" in first
    assert f"#{opened[8]}" in first
    assert f"#{opened[9]}" not in first  # cancelled, so not open
    await world.lan.press("Next")
    assert f"#{opened[0]}" in world.lan.last_text
    await world.lan.press("Closed")
    assert f"#{opened[9]}" in world.lan.last_text
    await world.lan.send("/cases closed khach 9")
    assert "Your cases (1)" in world.lan.last_text
    await world.hoa.send("/cases @Lan")
    assert "Không có hồ sơ nào khớp" in world.hoa.last_text  # staff see only their own
    await world.minh.send("/cases @Lan complaint")
    assert "Everyone's cases (8)" in world.minh.last_text


async def test_forged_list_buttons_change_nothing(world: World) -> None:
    await open_case(world.lan)
    await world.hoa.press_data("p:o:-:1::::0")  # another owner's id: still only Hòa's own
    assert "Không có hồ sơ nào khớp" in world.hoa.last_text
    await world.hoa.press_data("p:x:-:::::0")
    assert world.api.answers[-1]["text"]


async def test_a_customer_at_risk_is_offered_a_check_in_first_and_staying_lifts_the_flag(
    world: World,
) -> None:
    await open_case(world.hoa, "Phan Thu Hà")
    await open_case(world.hoa, "Phan Thu Hà", existing=True)  # at risk after two complaints
    await world.hoa.send("/customer phan thu")
    assert world.hoa.buttons[0] == "🤝 Hỏi thăm khách"  # most of all for customers at risk
    assert "Hãy gọi hỏi thăm khách (🤝)" in world.hoa.last_text
    await world.hoa.press("Hỏi thăm khách")
    card = world.hoa.last_text
    case_id = case_number(card)
    assert "Hỏi thăm khách hàng" in card
    assert "Dạ, em chào anh/chị Hà. Em là Hòa bên chăm sóc khách hàng ạ." in card
    await world.hoa.send("Giao hàng nhanh, nhân viên dễ thương")
    await world.hoa.press("Đáp ứng một phần")
    assert "bên em nên cải thiện điều gì" in world.hoa.last_text  # the question's own words
    await world.hoa.send("Muốn có thêm giao hàng buổi tối")
    await world.hoa.press("Bỏ qua")
    assert "Chúc anh/chị một ngày tốt lành ạ." in world.hoa.last_text
    await world.hoa.press("Sẽ ở lại")
    case = await world.case(case_id)
    assert (case.state, case.resolution) == ("checked_in", "stays")
    last = (await world.events(case_id))[-1]
    assert (last.kind, last.data["improve"]) == ("heard", "Muốn có thêm giao hàng buổi tối")
    assert await customer_status(world, "phan thu ha") == "active"  # no longer at risk
    await world.minh.send("/report week")
    await world.work_done()
    report = next(m.plain_text for m in world.minh.messages if "Check-ins" in m.plain_text)
    assert "Check-ins held: 1 · staying 1 · undecided 0 · thinking of leaving 0" in report


async def test_staff_change_how_a_customer_is_addressed_and_the_scripts_follow(
    world: World,
) -> None:
    await open_case(world.hoa, "chị Nguyễn Thị Hương")  # a title typed before the name
    assert "Dạ, em chào chị Hương." in world.hoa.last_text
    assert (await a_customer(world, "Nguyễn Thị Hương")).name == "Nguyễn Thị Hương"
    await world.hoa.send("/customer nguyen thi huong")
    assert "Xưng hô: chị Hương" in world.hoa.last_text
    await world.hoa.press("Xưng hô")
    assert "Nên xưng hô với Nguyễn Thị Hương ra sao?" in world.hoa.last_text
    await world.hoa.send("anh Hương")
    assert "Đã lưu cách xưng hô." in world.hoa.messages[-3].plain_text
    assert "Xưng hô: anh Hương" in world.hoa.messages[-2].plain_text
    assert "Dạ, em chào anh Hương." in world.hoa.last_text  # the case, drawn again below
    customer = await a_customer(world, "Nguyễn Thị Hương")
    assert (customer.title, customer.given_name) == ("anh", "Hương")
    await world.hoa.press("Khiếu nại mới")
    await world.hoa.send("Lại giao trễ")
    await world.hoa.press("Chậm trễ")
    await world.hoa.press("Nặng")
    assert "Em thành thật xin lỗi anh về chuyện vừa rồi" in world.hoa.last_text


async def test_a_vietnamese_supervisor_invites_by_vietnamese_role_words(world: World) -> None:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        minh = await uow.staff.by_telegram_id(world.minh.telegram_id)
        assert minh is not None
        minh.locale = "vi"
        await uow.commit()
    await world.minh.send("/invite quản lý")
    assert "Đây là đường dẫn mời quản lý mới." in world.minh.last_text
    await world.minh.send("/invite quản trị viên")
    assert world.minh.last_text == "Bạn không có quyền mời quản trị viên mới."
    await world.minh.send("/help")
    assert "/report tuần, tháng hoặc quý" in world.minh.last_text
    assert "week" not in world.minh.last_text


async def test_an_admin_named_in_the_settings_gets_a_default_name_in_words(
    database_url: str, clock: Clock
) -> None:
    settings = settings_for(database_url, people={"admins": [5555], "default_locale": "vi"})
    async for world in make_world(settings, clock):
        async with SqlUnitOfWork(world.services.sessions) as uow:
            admin = await uow.staff.by_telegram_id(5555)
        assert admin is not None
        assert (admin.name, admin.role) == ("Quản trị viên 5555", "admin")
