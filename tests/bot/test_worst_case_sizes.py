"""Telegram's limits under the largest data staff can make the bot draw, in both languages.

What `test_message_size.py` does not reach: many entries that are each within their limit
but together too many for one message (a customer's incidents, a review's reasons and rungs),
and long typed text quoted in reminders. Nothing typed may be dropped from a message without
the message saying so; what is shortened is kept whole in the record.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import date

import pytest

from flows.model import Incident
from flows.procedures.review import REASONS
from standin.inprocess import Person
from standin.messages import SentMessage
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import (
    World,
    make_world,
    registered_thao,
    settings_for,
    supervisor_reading,
)
from tests.bot.test_message_size import ROOMY, long_text
from tests.bot.test_reminders import TUESDAY_9AM
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import choose, compensate, label, open_case
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio


def all_fit(messages: list[SentMessage]) -> bool:
    """Every message within Telegram's 4,096 units, counted as Telegram counts: the text
    shown, tags left out and entities (&lt;) read."""
    return all(len(m.plain_text.encode("utf-16-le")) // 2 <= 4096 for m in messages)


RUNGS = ("reassess", "educate", "renegotiate", "migrate")
SHORTENED = {"en": "shortened here", "vi": "được rút gọn ở đây"}


def angry_text(tag: str) -> str:
    """A typed answer at the limit in emoji, two of Telegram's units each."""
    return long_text(tag).replace("x", "😠")


async def add_long_incidents(
    world: World, customer_id: int, count: int, text: Callable[[str], str] = long_text
) -> None:
    """Document `count` incidents about a customer, each note at the text limit."""
    async with SqlUnitOfWork(world.services.sessions) as uow:
        for n in range(count):
            uow.incidents.add(
                Incident(
                    customer_id=customer_id,
                    kind="abuse_of_staff",
                    happened_on=date(2026, 1, 1 + n),
                    note=text(f"incident{n}"),
                    created_by=1,
                    created_at=world.clock.now,
                    case_id=None,
                )
            )
        await uow.commit()


async def climb_with_every_reason_at_the_limit(person: Person) -> None:
    """From the first rung, every rung and every reason typed at the limit, to the request."""
    for rung in RUNGS:
        await person.send(long_text(rung))
        await choose(person, "not_resolved")
    for reason in REASONS:
        await choose(person, reason)
    await choose(person, "done")
    for reason in REASONS:
        await person.send(long_text(reason))
    await choose(person, "uncivil")
    await choose(person, "done")


#: A review's staff member and the supervisor who decides, each reading one language, and
#: what the supervisor's request reads.
READERS = {
    "en": ("lan", ("✅ Approve", "❌ Decline"), "The uncivil client"),
    "vi": ("hoa", ("✅ Duyệt", "❌ Từ chối"), "Chửi bới, thiếu lịch sự"),
}


async def review_asking_about_long_incidents(world: World, who: str) -> int:
    """A review of a customer with many long incidents, every rung and reason typed at the
    limit, waiting for a supervisor; its number."""
    customer_id = await add_customer(world, "Lê Văn Tám <&> Đặng")
    await add_long_incidents(world, customer_id, 12)
    person = getattr(world, who)
    case_id = await open_review(person, "Lê Văn Tám <&> Đặng")
    await climb_with_every_reason_at_the_limit(person)
    return case_id


@pytest.mark.parametrize("language", list(READERS))
async def test_a_termination_request_about_a_customer_with_many_long_incidents_keeps_every_reason_and_rung(  # noqa: E501
    world: World, language: str
) -> None:
    who, verdicts, uncivil = READERS[language]
    await registered_thao(world)
    supervisor = supervisor_reading(world, language)
    case_id = await review_asking_about_long_incidents(world, who)
    assert (await world.case(case_id)).state == "awaiting_decision"
    request = supervisor.messages[-1]
    assert tuple(supervisor.buttons[:2]) == verdicts
    assert all_fit(supervisor.messages)
    for typed in (*RUNGS, *REASONS):  # each entry keeps its line, shortened
        assert f"{typed} start" in request.plain_text, typed
    assert uncivil in request.plain_text
    assert SHORTENED[language] in request.plain_text
    events = await world.events(case_id)
    kept = "\n".join(str(e.data) for e in events)
    for typed in (*RUNGS, *REASONS):  # and whole in the record
        assert f"{typed}END" in kept, typed


@pytest.mark.parametrize("language", list(READERS))
async def test_the_reminder_of_a_request_about_many_long_incidents_still_shows_every_rung(
    world: World, language: str
) -> None:
    await registered_thao(world)
    supervisor = supervisor_reading(world, language)
    await review_asking_about_long_incidents(world, READERS[language][0])
    world.clock.advance(hours=5)
    report = await world.scheduler.tick()
    assert (report.sent, report.failed) == (2, 0)  # one to each supervisor
    reminder = supervisor.messages[-1].plain_text
    for typed in (*RUNGS, *REASONS):
        assert f"{typed} start" in reminder, typed
    assert SHORTENED[language] in reminder
    assert all_fit(supervisor.messages)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_review_of_a_customer_with_many_long_angry_incidents_shows_its_first_rung_whole(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    customer_id = await add_customer(world, "Lê Văn Tám")
    await add_long_incidents(world, customer_id, 12, angry_text)
    await open_review(person, "Lê Văn Tám")
    card = world.api.last_with_buttons(person.chat_id)
    assert card is not None
    assert all_fit(person.messages)
    for n in range(2, 12):  # the latest ten, each on its line
        assert f"incident{n} start" in card.plain_text, n
    advice = "Lưu ý" if who == "hoa" else "Keep in mind"
    assert advice in card.plain_text
    assert card.plain_text.rstrip().endswith(("?", ".", ")", ":"))  # the question is there


@pytest.fixture
async def roomy_world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    """A world whose typed answers may be as long as the settings allow (3,500)."""
    settings = settings_for(database_url, complaints={"text_limit": ROOMY})
    async for world in make_world(settings, clock):
        yield world


def vietnamese_with_emoji(tag: str) -> str:
    """A fix typed at the roomy limit in Vietnamese with emoji, on many lines: about 4,000
    of Telegram's units, which one typed message may hold."""
    line = "Đổi hàng 🚚📦 cho khách 🙏😊 "
    body = "\n".join(f"{tag} {n} " + line * 3 for n in range(60))
    return f"{tag}START " + body[: ROOMY - 2 * len(tag) - 20] + f" {tag}END"


async def fix_typed(person: Person, fix: str) -> None:
    """From step 1: the apology, then `fix` typed as what was done."""
    assert len(fix) <= ROOMY < len(fix.encode("utf-16-le")) // 2 <= 4096
    await choose(person, "calm")
    await person.press(label(person, "Skip"))
    await person.send(fix)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_follow_up_reminder_quoting_the_longest_fix_keeps_its_script_and_says_it_shortened(
    roomy_world: World, who: str
) -> None:
    world = roomy_world
    person = getattr(world, who)
    case_id = await open_case(person)
    fix = vietnamese_with_emoji("fix")
    await fix_typed(person, fix)
    await choose(person, "fixed_now")
    await person.send("Khách cần bánh cho sinh nhật con")
    await compensate(person, label(person, "Voucher"))
    await person.press(label(person, "Tomorrow"))
    world.clock.now = TUESDAY_9AM
    assert (await world.scheduler.tick()).sent == 1
    reminder = person.messages[-1].plain_text
    assert "fixSTART" in reminder
    assert SHORTENED[person.language_code] in reminder
    assert ("Em là Hòa bên chăm sóc" if who == "hoa" else "This is Lan from") in reminder
    assert person.messages[-1].button_labels[0].startswith("😊")  # its answers are there
    assert any(e.data.get("action") == fix for e in await world.events(case_id))


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_promised_fix_reminder_quoting_the_longest_fix_still_says_when_it_was_due(
    roomy_world: World, who: str
) -> None:
    world = roomy_world
    person = getattr(world, who)
    await open_case(person)
    await fix_typed(person, vietnamese_with_emoji("fix"))
    await choose(person, "in_progress")
    await choose(person, "in_2h")
    world.clock.advance(hours=2)
    assert (await world.scheduler.tick()).sent == 1
    reminder = person.messages[-1].plain_text
    assert "fixSTART" in reminder
    assert SHORTENED[person.language_code] in reminder
    assert ("chọn giờ hẹn mới" if who == "hoa" else "pick a new time") in reminder


LONG_NAME = "Công ty TNHH Thương mại Dịch vụ Xuất nhập khẩu & Vận tải <Hòa Bình> "


async def many_waiting_cases(world: World, each: int) -> None:
    """`each` cases of Lan's due today, as many overdue and as many waiting for approval,
    every customer with a name at the name limit."""
    from datetime import UTC, datetime, timedelta

    from flows.model import Case, Customer
    from flows.parsing import search_key

    monday = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
    async with SqlUnitOfWork(world.services.sessions) as uow:
        lan = await uow.staff.by_telegram_id(world.lan.chat_id)
        assert lan is not None
        assert lan.id is not None
        for n in range(3 * each):
            name = (LONG_NAME * 2)[: world.services.policy.name_limit - 4] + f" {n:03}"
            customer = await uow.customers.add(
                Customer(name=name, search_key=search_key(name), kind="business")
            )
            kind, state = (n // each, "awaiting_follow_up")
            case = Case(
                kind="complaint",
                owner_id=lan.id,
                opened_at=monday,
                customer_id=customer.id,
                summary="Giao hàng trễ",
                state="awaiting_approval" if kind == 2 else state,
                follow_up_due_at=monday + timedelta(days=1, hours=2) if kind < 2 else None,
                overdue_since=monday if kind == 1 else None,
                compensation_type="refund",
                compensation_value=2_000_000,
            )
            await uow.cases.add(case)
        await uow.commit()


async def test_a_supervisors_digest_with_many_long_named_cases_shows_every_section_and_what_is_left_out(  # noqa: E501
    digest_world: World,
) -> None:
    from datetime import UTC, datetime

    world = digest_world
    await many_waiting_cases(world, 30)  # more than a list holds (20)
    world.clock.now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 08:00 on Tuesday
    await world.scheduler.tick()
    await world.scheduler.tick()
    [digest] = [m for m in world.minh.messages if "Good morning" in m.plain_text]
    assert all_fit(world.minh.messages)
    text = digest.plain_text
    for heading in ("Follow-ups due today (20+)", "Overdue follow-ups (20+)"):
        assert heading in text
    assert "Waiting for your decision (20+)" in text
    assert text.count("more: /followups") == 2
    assert "more: /approvals" in text
    assert "&lt;" not in text
    assert "<Hòa Bình>" in text
    [own] = [m for m in world.lan.messages if "Good morning" in m.plain_text]
    assert "Follow-ups due today (20+)" in own.plain_text
    assert "more: /followups" in own.plain_text


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_photo_whose_words_fill_the_limit_with_emoji_is_sent_again_with_them_shortened(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)
    words = ("Hóa đơn <tính> tiền & hai lần 🧾😠 " * 40)[: world.services.policy.text_limit]
    assert len(words.encode("utf-16-le")) // 2 > 1024  # a Premium user's caption may be so long
    await person.send_photo("receipt-1", caption=words)
    [evidence] = [e for e in await world.events(case_id) if e.kind == "evidence"]
    assert evidence.data["caption"] == words.strip()  # kept whole
    await person.send(f"/case {case_id}")
    await person.press("Send the evidence again" if who == "lan" else "Gửi lại bằng chứng")
    again = person.messages[-1]
    assert again.kind == "photo"
    assert again.plain_text.startswith(f"#{case_id} · Hóa đơn <tính> tiền & hai lần 🧾😠")
    assert again.plain_text.endswith("…")
    assert len(again.plain_text.encode("utf-16-le")) // 2 <= 1024


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_refusal_naming_a_long_named_customer_reaches_the_person_who_pressed(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    name = (LONG_NAME * 2)[: world.services.policy.name_limit]
    await add_customer(world, name, "business")
    await person.send(f"/customer {name[:40]}")
    problem = "Problem customer" if who == "lan" else "Khách hàng khó"
    await person.press(problem)  # a review opened for them, and begun
    await person.send("Đã gọi điện hỏi lại khách")
    await person.send(f"/customer {name[:40]}")
    answered = len(world.api.answers)
    await person.press(problem)  # once more: one is under way already
    told = "already has a problem-customer review" if who == "lan" else "đang có một"
    said = [*(a.get("text") or "" for a in world.api.answers[answered:]), person.last_text]
    assert any(told in s for s in said), said
    assert any("<Hòa Bình>" in s for s in said if told in s)


async def test_a_refusal_shown_as_a_notification_reads_a_name_with_html_characters_as_typed(
    world: World,
) -> None:
    await add_customer(world, "Hòa & Bình <VN>", "business")
    await world.lan.send("/customer Hòa & Bình")
    await world.lan.press("Problem customer")
    await world.lan.send("Called them back to reassess")  # the review begun
    await world.lan.send("/customer Hòa & Bình")
    await world.lan.press("Problem customer")
    told = world.api.answers[-1]["text"]
    assert told.startswith("Hòa & Bình <VN> already has a problem-customer review")


@pytest.mark.parametrize(
    ("command", "heading"),
    [("/followups", "All follow-ups (20+)"), ("/approvals", "Waiting for your decision (20+)")],
)
async def test_a_list_with_more_cases_than_it_shows_says_there_are_more(
    world: World, command: str, heading: str
) -> None:
    await many_waiting_cases(world, 30)
    await world.minh.send(command)
    shown = world.minh.last
    assert heading in shown.plain_text
    assert "only the first 20 are listed here" in shown.plain_text
    assert len([b for b in shown.button_labels if b.startswith("#")]) == 20
    assert all_fit([shown])


async def add_customers(world: World, count: int, name: str, status: str = "active") -> None:
    """`count` customers whose names start alike."""
    from flows.model import Customer
    from flows.parsing import search_key

    async with SqlUnitOfWork(world.services.sessions) as uow:
        for n in range(count):
            named = f"{name} {n:02}"
            await uow.customers.add(
                Customer(
                    name=named,
                    search_key=search_key(named),
                    kind="individual",
                    yearly_value=1_000_000,
                    status=status,
                )
            )
        await uow.commit()


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_search_matching_more_customers_than_it_lists_says_so_and_how_to_narrow_it(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    await add_customers(world, 12, "Nguyễn Văn An")
    await person.send("/customer Nguyễn Văn")
    shown = person.last
    assert len(shown.button_labels) == 8
    if who == "lan":
        assert "8+ customers match" in shown.plain_text
        assert "Type more of the name" in shown.plain_text
    else:
        assert "Có 8+ khách hàng khớp" in shown.plain_text
        assert "Gõ thêm tên" in shown.plain_text


async def test_the_at_risk_list_with_more_customers_than_it_lists_says_so(world: World) -> None:
    await add_customers(world, 25, "Trần Thị Bình", "at_risk")
    await world.minh.send("/atrisk")
    shown = world.minh.last
    assert len(shown.button_labels) == 20
    assert "Customers at risk (20+)" in shown.plain_text
    assert "Value at stake among these 20: 20,000,000 VND a year." in shown.plain_text
    assert "only the 20 most valuable are listed" in shown.plain_text


@pytest.fixture
async def partner_world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    """A company whose partner's name has an ampersand, as J&T Express's does."""
    settings = settings_for(database_url, reviews={"partners": ["J&T Express <Việt Nam>"]})
    async for world in make_world(settings, clock):
        yield world


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_a_partner_whose_name_has_an_ampersand_reads_as_written_on_its_button(
    partner_world: World, who: str
) -> None:
    from tests.bot.test_scripts_name_what_was_said import at_move_five

    person = await at_move_five(partner_world, who, "individual")
    labels = [label for label in person.last.button_labels if "J&" in label]
    assert labels == ["J&T Express <Việt Nam>"], person.last.button_labels
    assert "J&T Express <Việt Nam>" in person.last.plain_text  # and in the words to say


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_evidence_sent_again_waits_out_telegrams_flood_limit_and_says_what_did_not_go(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    case_id = await open_case(person)
    for n in range(3):
        await person.send_photo(f"receipt-{n}", caption=f"Hóa đơn số {n}")
    await person.send(f"/case {case_id}")
    again = "Send the evidence again" if who == "lan" else "Gửi lại bằng chứng"
    world.api.fail_next("sendPhoto", "retry_after", retry_after=0.01)
    await person.press(again)  # the second photo meets the flood limit: sent after the wait
    photos = [m for m in person.messages if m.kind == "photo"]
    assert [m.plain_text for m in photos] == [f"#{case_id} · Hóa đơn số {n}" for n in range(3)]
    world.api.fail_next("sendPhoto", "bad_request", times=2)
    await person.press(again)
    assert len([m for m in person.messages if m.kind == "photo"]) == 4
    told = person.last_text
    assert "2" in told
    assert ("could not be sent" if who == "lan" else "không gửi lại được") in told
