"""Whole complaint conversations through the real Application and the Bot API stand-in."""

from __future__ import annotations

import pytest

from bot.app import build_application, offline
from flows.compliance import compliance
from flows.model import ALL_FIVE_IN_ORDER, Customer, step_bit
from flows.parsing import search_key
from flows.procedures.complaint import Step
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, settings_for
from tests.bot.walk import case_number, compensate, open_case, walk_to_compensate, walk_to_fix

pytestmark = pytest.mark.asyncio


async def test_a_complaint_walks_all_five_steps_with_an_approval_and_shows_its_timeline(
    world: World,
) -> None:
    lan, minh = world.lan, world.minh
    case_id = await open_case(lan)
    assert "Step 1 of 5" in lan.last_text
    assert "Hello Hương. My name is Lan" in lan.last_text  # addressed by the given name
    assert "My name is Lan" in lan.last_text
    assert lan.buttons[:3] == ["😌 Calm", "😟 Upset", "😠 Angry"]

    card = lan.last
    await lan.press("Upset")
    await lan.send("Chị ấy đã bình tĩnh hơn")
    assert lan.last is card  # the card still on screen is edited in place
    assert card.edited
    step_one, step_two = card.plain_text.split("\n\nCase #")
    assert step_one.startswith("✅ #")  # the step done stays logged at its top
    assert "Customer's reaction: 😟 Upset" in step_one
    assert "Step 2 of 5" in step_two
    assert card.buttons

    await lan.send("Giao lại bằng xe riêng")
    await lan.press("In progress")
    await lan.press("Tomorrow")
    assert "Step 3 of 5" in lan.last_text
    assert "I completely understand how you feel" in lan.last_text  # empathy said, then
    assert "What bothered you most?" in lan.last_text  # an open question or two
    await lan.send("Cần bánh cho sinh nhật con")
    assert "Step 4 of 5" in lan.last_text

    await compensate(lan, "Refund", "2.000.000")
    assert "Waiting for a supervisor" in lan.last_text
    request = minh.last
    assert "Approval needed" in request.plain_text
    assert "2,000,000 VND" in request.plain_text
    assert request.button_labels[:2] == ["✅ Approve", "❌ Decline"]

    await minh.press("Approve")
    assert "Minh approved the compensation" in lan.last_text  # told at once
    await minh.send("Good call, follow up personally")
    assert "Minh commented" in lan.last_text

    await lan.press("Open case")
    assert "Step 5 of 5" in lan.last_text
    await lan.press("In 3 days")
    assert "Follow-up due" in lan.last_text
    await lan.press("Satisfied")
    assert "Closed" in lan.last_text

    case = await world.case(case_id)
    assert (case.state, case.resolution) == (Step.closed, "resolved")
    assert case.compensation_value == 2_000_000
    kinds = [e.kind for e in await world.events(case_id)]
    assert kinds == [
        "opened",
        "open",
        "apologised",
        "fixed",
        "empathised",
        "compensated",
        "approved",
        "approval_comment",
        "scheduled",
        "satisfied",
    ]

    await lan.send(f"/case {case_id}")
    timeline = lan.last_text
    for text in (
        "Timeline",
        "Apology given",
        "Compensation approved",
        "Minh",
        "Giao lại bằng xe riêng",
        "Customer satisfied",
    ):
        assert text in timeline


async def test_an_existing_customer_is_found_by_a_name_typed_without_diacritics(
    world: World,
) -> None:
    first = await open_case(world.lan, "Trần Văn Đức")
    await world.lan.send("/new")
    await world.lan.send("tran van duc")
    assert "👤 Trần Văn Đức · 0903123456" in world.lan.buttons
    await world.lan.press("Trần Văn Đức")
    await world.lan.send("Hóa đơn sai")
    await world.lan.press("Billing")
    await world.lan.press("Low")
    second = await world.case(first + 1)
    assert second.customer_id == (await world.case(first)).customer_id


async def test_text_where_a_button_is_expected_asks_again_with_the_buttons(world: World) -> None:
    case_id = await open_case(world.lan)
    before = len(await world.events(case_id))
    await world.lan.send("she was calm")
    assert "answered with the buttons" in world.lan.messages[-2].plain_text  # above the card
    assert "😌 Calm" in world.lan.buttons
    assert len(await world.events(case_id)) == before


async def test_a_button_from_an_earlier_step_changes_nothing_and_says_so(world: World) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    old_card = lan.api.last_with_buttons(lan.chat_id)
    assert old_card is not None
    calm = old_card.buttons[0][0].callback_data or ""
    await lan.press("Calm")
    await lan.press("Skip")
    version = (await world.case(case_id)).version
    await lan.press_data(calm, old_card.message_id)
    assert "out of date" in lan.api.answers[-1]["text"]
    assert (await world.case(case_id)).version == version


async def test_staff_cannot_see_or_act_on_another_staff_members_case(world: World) -> None:
    case_id = await open_case(world.lan)
    card = world.api.last_with_buttons(world.lan.chat_id)
    assert card is not None
    version = (await world.case(case_id)).version
    await world.hoa.press_data(card.buttons[0][0].callback_data or "")
    assert "Không tìm thấy hồ sơ" in world.api.answers[-1]["text"]
    await world.hoa.send(f"/case {case_id}")
    assert "Không tìm thấy hồ sơ" in world.hoa.last_text
    assert (await world.case(case_id)).version == version
    await world.minh.send(f"/case {case_id}")  # supervisors see everything
    assert "Timeline" in world.minh.last_text


async def test_a_note_over_the_limit_is_refused_and_nothing_is_saved(world: World) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Note")
    before = len(await world.events(case_id))
    await world.lan.send("x" * 1001)
    assert "1,001 characters; the limit is 1,000" in world.lan.last_text
    assert len(await world.events(case_id)) == before
    await world.lan.send("Khách gọi lại lần 2 🙏")
    notes = [e for e in await world.events(case_id) if e.kind == "note"]
    assert [n.data["text"] for n in notes] == ["Khách gọi lại lần 2 🙏"]


@pytest.mark.parametrize(
    ("typed", "answer"),
    [("next yesterday", "could not read that date"), ("01/01/2020", "already passed")],
)
async def test_an_unreadable_or_past_date_is_refused(
    world: World, typed: str, answer: str
) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan)
    version = (await world.case(case_id)).version
    await world.lan.send(typed)
    assert answer in world.lan.last_text
    assert (await world.case(case_id)).version == version


@pytest.mark.parametrize(
    ("typed", "answer"), [("-5000", "cannot be negative"), ("lots", "as a number")]
)
async def test_a_negative_or_non_numeric_value_is_refused(
    world: World, typed: str, answer: str
) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await world.lan.press("Voucher")
    await world.lan.send(typed)
    assert answer in world.lan.last_text
    assert (await world.case(case_id)).state == Step.compensate


async def test_an_unknown_user_gets_one_polite_refusal_and_nothing_is_stored(
    world: World,
) -> None:
    staff_before = await world.count("staff")
    for text in ("/start", "/new", "hello", "/case 1"):
        await world.stranger.send(text)
    assert all("only for registered staff" in m.plain_text for m in world.stranger.messages)
    assert len(world.stranger.messages) == 4
    await world.stranger.press_data("k:1:1:c:calm")
    assert "only for registered staff" in world.api.answers[-1]["text"]
    assert await world.count("staff") == staff_before
    assert await world.count("processed_updates") == 0
    assert await world.count("cases") == 0


async def test_a_redelivered_update_is_handled_only_once(world: World) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Calm")
    update_id = await world.lan.send("first note text")
    events = len(await world.events(case_id))
    sent = len(world.lan.messages)
    await world.lan.redeliver(update_id)
    assert len(await world.events(case_id)) == events
    assert len(world.lan.messages) == sent


async def test_going_back_a_step_is_a_new_event_and_keeps_history(world: World) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Angry")
    await world.lan.press("Skip")
    await world.lan.press("Back a step")
    assert "Step 1 of 5" in world.lan.last_text
    await world.lan.press("Calm")
    await world.lan.press("Skip")
    kinds = [e.kind for e in await world.events(case_id)]
    assert kinds[-3:] == ["apologised", "back", "apologised"]
    apologies = [e.data["reaction"] for e in await world.events(case_id) if e.kind == "apologised"]
    assert apologies == ["angry", "calm"]


async def test_cancelling_a_case_needs_a_reason(world: World) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Cancel (mistake)")
    assert "Type the reason" in world.lan.last_text
    await world.lan.send("   ")
    assert "empty" in world.lan.last_text
    assert (await world.case(case_id)).state == Step.apologise
    await world.lan.send("Opened by mistake")
    case = await world.case(case_id)
    assert (case.state, case.resolution) == (Step.cancelled, "cancelled")
    assert (await world.events(case_id))[-1].data["reason"] == "Opened by mistake"


async def test_a_photo_is_attached_as_evidence_with_its_file_id(world: World) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Evidence")
    await world.lan.send_photo("photo-of-the-broken-box")
    evidence = [e for e in await world.events(case_id) if e.kind == "evidence"]
    assert evidence[0].data["kind"] == "photo"
    assert evidence[0].data["file_id"].startswith("photo-of-the-broken-box")
    assert "Step 1 of 5" in world.lan.last_text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_words_under_a_photo_are_kept_shown_and_sent_again_with_it(
    world: World, language: str
) -> None:
    person = world.lan if language == "en" else world.hoa
    again = EVIDENCE_BUTTONS[language][1]
    case_id = await open_case(person)
    await person.press("Note" if language == "en" else "Ghi chú")  # asked for a note…
    await person.send_photo("receipt-1", caption="Hóa đơn tính tiền hai lần")  # …sent this
    [evidence] = [e for e in await world.events(case_id) if e.kind == "evidence"]
    assert evidence.data["caption"] == "Hóa đơn tính tiền hai lần"
    await person.send(f"/case {case_id}")
    assert "“Hóa đơn tính tiền hai lần”" in "\n".join(m.plain_text for m in person.messages[-3:])
    await person.press(again)
    assert person.messages[-1].plain_text == f"#{case_id} · Hóa đơn tính tiền hai lần"


async def test_a_photo_with_an_overlong_caption_is_refused_and_nothing_is_saved(
    world: World,
) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Evidence")
    await world.lan.send_photo("receipt-1", caption="x" * 1001)
    assert "the limit is 1,000" in world.lan.last_text
    assert "evidence" not in [e.kind for e in await world.events(case_id)]


async def test_an_escalation_reaches_supervisors_with_the_reason(world: World) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Escalate")
    await world.lan.send("Customer threatens to post on Facebook")
    assert "Escalation" in world.minh.last_text
    assert "Customer threatens to post on Facebook" in world.minh.last_text
    assert (await world.events(case_id))[-1].kind == "escalated"


async def test_a_declined_compensation_returns_to_compensate(world: World) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Refund", "5tr")
    await world.minh.press("Decline")
    assert "declined" in world.lan.last_text
    await world.minh.press("Nothing to add")
    await world.lan.press("Open case")
    assert "Step 4 of 5" in world.lan.last_text
    assert (await world.case(case_id)).state == Step.compensate
    await world.minh.press_data(f"k:{case_id}:1:d:y")
    assert "already been decided" in world.api.answers[-1]["text"]


async def test_a_customer_still_unhappy_reopens_the_case_at_fix(world: World) -> None:
    case_id = await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan)
    await world.lan.press("Tomorrow")
    await world.lan.press("Still unhappy")
    case = await world.case(case_id)
    assert (case.state, case.reopen_count) == (Step.fix, 1)
    assert "Step 2 of 5" in world.lan.last_text


async def test_a_restart_resumes_every_case_at_its_step(world: World, database_url: str) -> None:
    case_id = await open_case(world.lan)
    await world.lan.press("Calm")
    await world.lan.press("Skip")
    await world.lan.send("Đã gửi hàng thay thế")
    fresh = build_application(settings_for(database_url), request=world.api, clock=world.clock)
    async with offline(fresh):
        lan = Person(fresh, world.api, world.lan.telegram_id, "Lan", "en")
        await lan.send("/cases")
        assert f"#{case_id}" in lan.last_text
        await lan.press(f"#{case_id}")
        assert "Step 2 of 5" in lan.last_text
        assert "Đã gửi hàng thay thế" in lan.last_text  # the half-filled step is kept
        await lan.press("Fixed now")
        assert "Step 3 of 5" in lan.last_text


async def test_language_can_be_switched_and_every_word_follows(world: World) -> None:
    await world.lan.send("/language")
    await world.lan.press("Tiếng Việt")
    assert "từ giờ tôi sẽ nói tiếng Việt" in world.lan.messages[-2].plain_text
    await world.lan.send("/new")
    assert "Khách hàng là ai?" in world.lan.last_text


async def test_an_invite_registers_its_user_once_and_then_expires(world: World) -> None:
    await world.minh.send("/invite staff")
    link = world.minh.last_text.split()[-1]
    code = link.split("start=")[1]
    newcomer = Person(world.app, world.api, 3001, "Quân", "vi")
    await newcomer.send(f"/start {code}")
    assert "Chào mừng Quân" in newcomer.messages[0].plain_text
    await newcomer.send("/new")
    assert "Khách hàng là ai?" in newcomer.last_text
    other = Person(world.app, world.api, 3002, "Tí", "vi")
    await other.send(f"/start {code}")
    assert "không hợp lệ" in other.last_text
    await world.minh.send("/invite staff")
    late_code = world.minh.last_text.split("start=")[1]
    world.clock.advance(hours=49)
    late = Person(world.app, world.api, 3003, "Tèo", "vi")
    await late.send(f"/start {late_code}")
    assert "không hợp lệ" in late.last_text
    assert await world.count("staff") == 5


async def test_staff_may_not_invite_anyone(world: World) -> None:
    await world.lan.send("/invite supervisor")
    assert "not allowed to invite" in world.lan.last_text


async def test_vietnamese_text_and_emoji_are_stored_and_shown_intact(world: World) -> None:
    complaint = "Chị Hương rất bực vì đơn hàng #A-12 bị giao nhầm 😡🎂 <b>không</b> đúng"
    case_id = await open_case(world.hoa, "Lê Thị Ánh", complaint)
    case = await world.case(case_id)
    assert case.summary == complaint
    await world.hoa.send(f"/case {case_id}")
    assert complaint in world.hoa.last_text  # markup-looking text is shown, not applied


#: (attach, send again) as each language labels them.
EVIDENCE_BUTTONS = {
    "en": ("Evidence", "Send the evidence again"),
    "vi": ("Đính kèm", "Gửi lại bằng chứng"),
}


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_timeline_sends_the_evidence_again_on_request(
    world: World, language: str
) -> None:
    # In English a supervisor asks for the files; in Vietnamese the owner herself.
    owner, viewer = (world.lan, world.minh) if language == "en" else (world.hoa, world.hoa)
    attach, again = EVIDENCE_BUTTONS[language]
    case_id = await open_case(owner)
    await owner.press(attach)
    await owner.send_photo("photo-box")
    await owner.send_document("doc-invoice", file_name="hoa-don.pdf")
    await viewer.send(f"/case {case_id}")
    await viewer.press(again)
    sent = [m for m in viewer.messages if m.kind in ("photo", "document")]
    assert [m.kind for m in sent] == ["photo", "document"]
    assert sent[1].plain_text == f"#{case_id} · hoa-don.pdf"


#: (carry on, the step the card asks about) as each language words them.
CARRY_ON = {
    "en": ("Carry on with this case", "Step 2 of 5"),
    "vi": ("Làm tiếp hồ sơ này", "Bước 2/5"),
}


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_timeline_of_an_open_case_carries_on_with_it_where_it_stands(
    world: World, language: str
) -> None:
    person = world.lan if language == "en" else world.hoa
    carry_on, step = CARRY_ON[language]
    case_id = await open_case(person)
    await walk_to_fix(person)
    await person.send(f"/case {case_id}")
    assert carry_on in " ".join(person.last.button_labels)
    await person.press(carry_on)
    assert f"#{case_id}" in person.last_text
    assert step in person.last_text  # the card, at the step it had reached


async def test_the_timeline_of_a_closed_case_offers_no_carrying_on(world: World) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await lan.press("Cancel")
    await lan.send("Opened by mistake")
    await lan.send(f"/case {case_id}")
    assert "Carry on with this case" not in " ".join(lan.last.button_labels)


async def test_the_command_menu_is_described_in_each_language(world: World) -> None:
    menus = {
        c[1].get("language_code"): c[1]["commands"]
        for c in world.api.calls
        if c[0] == "setMyCommands"
    }
    assert set(menus) == {None, "vi", "en"}
    english = {c["command"]: c["description"] for c in menus["en"]}
    assert english["new"] == "Open a complaint"
    assert {c["command"]: c["description"] for c in menus["vi"]}["new"] == "Tiếp nhận khiếu nại"


async def test_an_answer_typed_after_the_evidence_is_sent_again_brings_the_card_below_it(
    world: World,
) -> None:
    lan = world.lan
    case_id = await open_case(lan)
    await walk_to_fix(lan)  # the card now asks what was done to fix it
    await lan.press("Evidence")
    await lan.send_photo("photo-box")
    await lan.send(f"/case {case_id}")
    await lan.press("Send the evidence again")
    photo = lan.last.message_id
    await lan.send("Re-delivered by our own van within the hour")
    assert lan.last.message_id > photo  # the card came below the photo, where it is seen
    assert f"Case #{case_id}" in lan.last_text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_new_pressed_again_before_anything_is_recorded_shows_the_same_case(
    world: World, language: str
) -> None:
    person = world.lan if language == "en" else world.hoa
    await person.send("/new")
    first = case_number(person.last_text)
    await person.send("/new")  # a second tap, or a second thought
    assert case_number(person.last_text) == first
    assert await world.count("cases") == 1
    await person.send("Nguyễn Thị Hương")  # a search records nothing yet
    await person.press("New customer" if language == "en" else "Khách hàng mới")
    await person.send("/new")  # the first case now holds an answer: a new one opens
    assert case_number(person.last_text) == first + 1


async def test_a_complaint_walked_in_chat_keeps_step_marks_that_tell_what_its_log_does(
    world: World,
) -> None:
    """The report reads the marks stored on the case; they must say what the stored log says."""
    lan = world.lan
    walked = await open_case(lan)
    await walk_to_compensate(lan)
    await compensate(lan)
    await lan.press("In 3 days")
    started = await open_case(lan, "Trần Văn Bình")
    await walk_to_fix(lan)
    for case_id, recorded in ((walked, [True] * 5), (started, [True, False, False, False, False])):
        stored = (await world.case(case_id)).step_marks
        read = compliance(await world.events(case_id))
        assert [bool(stored & step_bit(mark.event)) for mark in read.steps] == recorded
        assert (stored == ALL_FIVE_IN_ORDER) == read.in_order == all(recorded)


#: What the compensation step says and offers, in each language: the customer's worth a
#: year on the card, and ways to make it up to them that need not be money (domain brief,
#: sections 1 and 5).
MAKING_IT_UP = {
    "lan": (
        "worth 3,000,000 VND a year",
        "it does not have to be money",
        ("Voucher", "Free service", "Gift", "Discount", "Refund"),
    ),
    "hoa": (
        "giá trị 3.000.000 VND mỗi năm",
        "không nhất thiết bằng tiền",
        ("Phiếu quà tặng", "Dịch vụ miễn phí", "Quà tặng", "Giảm giá", "Hoàn tiền"),
    ),
}


@pytest.mark.parametrize("who", list(MAKING_IT_UP))
async def test_the_card_shows_what_the_customer_is_worth_and_offers_more_than_money(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    worth, not_money, offers = MAKING_IT_UP[who]
    await open_case(person)  # a new customer who spends 3tr a year with us
    assert worth in person.last_text
    await walk_to_compensate(person)
    assert worth in person.last_text
    assert not_money in person.last_text
    offered = " ".join(person.buttons)
    assert all(offer in offered for offer in offers), offered


#: The card's first line for a customer since 2019 who spends 3tr a year with us, on
#: 23/11/2026, and for one whose start is not known: the yearly value alone.
WORTH_SO_FAR = {
    "lan": (
        "Phạm Thị Mai · 0903123456 · worth 3,000,000 VND a year, about 23,700,000 VND so far",
        "Lê Văn Bảy · worth 3,000,000 VND a year\n",
    ),
    "hoa": (
        "Phạm Thị Mai · 0903123456 · giá trị 3.000.000 VND mỗi năm, tính đến nay khoảng"
        " 23.700.000 VND",
        "Lê Văn Bảy · giá trị 3.000.000 VND mỗi năm\n",
    ),
}


@pytest.mark.parametrize("who", list(WORTH_SO_FAR))
async def test_a_complaint_card_shows_what_the_customer_has_been_worth_so_far_too(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    so_far, yearly_only = WORTH_SO_FAR[who]
    await open_case(person, "Phạm Thị Mai")  # customer since 2019, 3tr a year
    assert so_far in person.last_text
    await walk_to_compensate(person)  # where it matters most: making it up to them
    assert so_far in person.last_text
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await uow.customers.add(
            Customer(
                name="Lê Văn Bảy", search_key=search_key("Lê Văn Bảy"), yearly_value=3_000_000
            )
        )
        await uow.commit()
    await open_case(person, "Lê Văn Bảy", existing=True)
    assert yearly_only in person.last_text
