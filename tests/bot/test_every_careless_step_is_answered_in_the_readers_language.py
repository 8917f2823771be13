"""Every careless step — an empty answer, a phone of letters, a negative amount, a day long
gone or yet to come, a command that does not exist, a sticker, a command typed in a group, a
report for a period that cannot be read — is answered in the reader's own language, in the
words the scripts give that language, and changes nothing.

A key-coverage pass found these answers drawn by tests in English only: a Vietnamese reader's
careless steps were never walked.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.orm.exc import StaleDataError

from bot.callbacks import customer_button
from standin.inprocess import Person
from storage import tables
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, registered_thao
from tests.bot.test_group_buttons import overdue_notice_in_the_group
from tests.bot.test_lost_answers import commit_whose_answer_is_lost
from tests.bot.test_reminders import GROUP as IN_GROUP
from tests.bot.test_reminders import group_world
from tests.bot.walk import (
    asking_approval,
    case_number,
    compensate,
    open_case,
    walk_to_compensate,
    walk_to_fix,
    words,
)

pytestmark = pytest.mark.asyncio

__all__ = ["group_world"]  # the fixture, shared with the reminder tests

GROUP = -100_321

Step = Callable[[Person], Awaitable[Any]]
Slipped = Callable[[Person, Any], Awaitable[Any]]


async def _nothing_for(person: Person) -> None:
    """Nothing to arrange for the person."""


@dataclass(frozen=True)
class Slip:
    """A careless step: how the reader gets there, what they do wrong, what they are told."""

    key: str
    slip: Slipped
    arrange: Step = _nothing_for
    boss: bool = False  # a supervisor's step
    said: Callable[[Person, Any], dict[str, Any]] = field(default=lambda person, got: {})
    in_group: bool = False


async def at_new_customers_phone(person: Person) -> None:
    """Open a complaint and reach the new customer's phone."""
    await person.send("/new")
    await person.send("Nguyễn Thị Hương")
    await person.press(words(person, "button.new_customer").removeprefix("➕ "))
    await person.send("Nguyễn Thị Hương")


async def at_new_customers_start(person: Person) -> None:
    """Reach the question since when the new customer has been one."""
    await at_new_customers_phone(person)
    await person.send("0903 123 456")
    await person.press(words(person, "option.individual"))


async def at_the_amount(person: Person) -> int:
    """Walk a complaint to the voucher's amount."""
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await person.press(words(person, "option.voucher"))
    return case_id


async def at_the_follow_up(person: Person) -> int:
    """Walk a complaint to the follow-up's day."""
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await compensate(person, "Voucher" if person.language_code == "en" else "Phiếu quà tặng")
    return case_id


async def at_the_fix(person: Person) -> int:
    """Walk a complaint to the question what was done to fix it."""
    case_id = await open_case(person)
    await walk_to_fix(person)
    return case_id


async def at_the_evidence_prompt(person: Person) -> int:
    """Press a case's Evidence button: a file is asked for."""
    case_id = await open_case(person)
    await person.press(words(person, "button.evidence"))
    return case_id


async def case_just_opened(person: Person) -> int:
    """Open a complaint: the card asks who the customer is."""
    await person.send("/new")
    return case_number(person.last_text)


async def waiting_for_the_follow_up(person: Person) -> int:
    """Walk a complaint until it waits for its follow-up call."""
    case_id = await at_the_follow_up(person)
    await person.press(words(person, "option.tomorrow"))
    return case_id


def pressed_off_the_card(verb: str) -> Slipped:
    """Press a side button the card does not show now (from a client that kept an old
    keyboard, or forged): the card's own Note button, made to say `verb`."""

    async def press(person: Person, _: Any) -> None:
        card = person.api.last_with_buttons(person.chat_id)
        assert card is not None
        [note] = [
            b.callback_data
            for row in card.buttons
            for b in row
            if str(b.callback_data).endswith(":a:note")
        ]
        await person.press_data(str(note).replace(":a:note", f":a:{verb}"), card.message_id)

    return press


def the_case(person: Person, case_id: Any) -> dict[str, Any]:
    return {"case": case_id}


SLIPS = [
    Slip("error.bad_phone", lambda p, _: p.send("không nhớ"), at_new_customers_phone),
    Slip("error.date_in_future", lambda p, _: p.send("2099"), at_new_customers_start),
    Slip("error.date_out_of_range", lambda p, _: p.send("1800"), at_new_customers_start),
    Slip("error.negative", lambda p, _: p.send("-5000"), at_the_amount),
    Slip("error.not_a_number", lambda p, _: p.send("lots"), at_the_amount),
    Slip("error.date_in_past", lambda p, _: p.send("01/01/2020"), at_the_follow_up),
    Slip("error.bad_date", lambda p, _: p.send("32 xyz"), at_the_follow_up),
    Slip(
        "error.vague_day_ahead",
        lambda p, _: p.send("khi nào rảnh"),
        at_the_follow_up,
        said=lambda person, got: {"typed": "khi nào rảnh"},  # quoted back, never picked
    ),
    Slip("error.empty", lambda p, _: p.send("\u200b"), at_the_fix),
    Slip(
        "error.use_buttons_now_keep",
        lambda p, _: p.send("hello?"),
        asking_approval,
        said=lambda person, case_id: {"case": case_id, "text": "hello?"},  # quoted back
    ),
    Slip(
        "error.send_file_keep",
        lambda p, _: p.send("ảnh đây"),
        at_the_evidence_prompt,
        said=lambda person, case_id: {"case": case_id, "text": "ảnh đây"},  # quoted back
    ),
    Slip("error.cannot_go_back", pressed_off_the_card("back"), case_just_opened, said=the_case),
    Slip("incident.no_customer", pressed_off_the_card("incident"), case_just_opened),
    Slip(
        "followups.heading_own",
        lambda p, _: p.send("/followups"),
        waiting_for_the_follow_up,
        said=lambda person, got: {"count": 1},
    ),
    Slip(
        "error.bad_role",
        lambda p, _: p.send("/invite giamdoc"),
        boss=True,
        said=lambda person, got: {"role": "giamdoc"},
    ),
    Slip("customer.gone", lambda p, _: p.press_data(customer_button(999, "card"))),
    Slip("error.unknown_command", lambda p, _: p.send("/frobnicate")),
    Slip("error.unsupported_message", lambda p, _: p.send_sticker()),
    Slip("error.evidence_without_case", lambda p, _: p.send_photo("photo-1")),
    Slip("error.private_only", lambda p, _: p.send_in_group("/cases", GROUP), in_group=True),
    Slip(
        "customer.none",
        lambda p, _: p.send("/customer Zyxw"),
        said=lambda person, got: {"query": "Zyxw"},
    ),
    Slip("approvals.none", lambda p, _: p.send("/approvals"), boss=True),
    Slip("report.usage", lambda p, _: p.send("/report sometimes"), boss=True),
    Slip("export.usage", lambda p, _: p.send("/export sometimes"), boss=True),
    Slip("report.reversed", lambda p, _: p.send("/report 30/09/2026 01/09/2026"), boss=True),
    Slip("report.not_begun", lambda p, _: p.send("/report 12/2026"), boss=True),
]


async def snapshot(world: World) -> dict[str, int]:
    """How many rows each table holds (but the log of updates seen, which grows with every
    update by design), and how far each case has moved."""
    async with SqlUnitOfWork(world.services.sessions) as uow:
        run = uow.session.execute
        counts = {
            table.name: int((await run(select(func.count()).select_from(table))).scalar_one())
            for table in tables.metadata.sorted_tables
            if table is not tables.processed_updates
        }
        versions = await run(select(func.coalesce(func.sum(tables.cases.c.version), 0)))
        return {**counts, "versions": int(versions.scalar_one())}


@pytest.fixture
async def thao(world: World) -> Person:
    return await registered_thao(world)


def shown(world: World, chat: int) -> dict[int, int]:
    """Each message in a chat, and how often it was changed."""
    return {m.message_id: m.version for m in world.api.messages(chat)}


def told_since(world: World, chat: int, before: dict[int, int], toasts: int) -> list[str]:
    """What the bot said since: messages sent or changed, and answers to presses."""
    said = [
        m.plain_text for m in world.api.messages(chat) if before.get(m.message_id) != m.version
    ]
    return said + [str(answer.get("text")) for answer in world.api.answers[toasts:]]


def reads(told: list[str], expected: str) -> bool:
    """Whether one of the answers says `expected`, whole, in lines of its own."""
    return any(f"\n{expected}\n" in f"\n{answer}\n" for answer in told)


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("slip", SLIPS, ids=[s.key for s in SLIPS])
async def test_a_careless_step_is_answered_in_the_readers_words_and_changes_nothing(
    world: World, thao: Person, slip: Slip, locale: str
) -> None:
    staff = world.hoa if locale == "vi" else world.lan
    reader = (thao if locale == "vi" else world.minh) if slip.boss else staff
    await reader.send("/start")
    got = await slip.arrange(reader)
    chat = GROUP if slip.in_group else reader.chat_id
    before, messages, toasts = await snapshot(world), shown(world, chat), len(world.api.answers)
    await slip.slip(reader, got)
    told = told_since(world, chat, messages, toasts)
    assert reads(told, words(reader, slip.key, **slip.said(reader, got))), told
    assert await snapshot(world) == before


async def at_the_exit_interviews_customer(person: Person) -> None:
    """Open an exit interview and search for the customer."""
    await person.send("/exit")
    await person.send("Nguyễn Thị Hương")


async def press_the_customer(person: Person) -> None:
    """Press the customer found."""
    await person.press("Nguyễn Thị Hương")


async def flag_at_risk(person: Person) -> None:
    """Press "Flag at risk" on the customer's card, as it was shown before."""
    await person.press(
        words(person, "button.flag_at_risk"), person.api.last_with_buttons(person.chat_id)
    )


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize(
    ("key", "arrange", "step"),
    [
        ("customer.refused.exit_interview", at_the_exit_interviews_customer, press_the_customer),
        ("customer.not_active", _nothing_for, flag_at_risk),
    ],
)
async def test_a_step_for_a_customer_we_parted_with_is_refused_in_the_readers_words(
    world: World, locale: str, key: str, arrange: Step, step: Step
) -> None:
    staff = world.hoa if locale == "vi" else world.lan
    await open_case(staff)
    await staff.send("/customer Hương")
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await uow.session.execute(text("UPDATE customers SET status = 'terminated'"))
        await uow.commit()
    await arrange(staff)
    before, messages, toasts = (
        await snapshot(world),
        shown(world, staff.chat_id),
        len(world.api.answers),
    )
    await step(staff)
    told = told_since(world, staff.chat_id, messages, toasts)
    assert reads(told, words(staff, key, name="Nguyễn Thị Hương")), told
    assert await snapshot(world) == before


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_an_answer_whose_saving_is_in_doubt_is_answered_in_the_readers_words(
    world: World, monkeypatch: pytest.MonkeyPatch, locale: str
) -> None:
    staff = world.hoa if locale == "vi" else world.lan
    case_id = await at_the_fix(staff)
    commit_whose_answer_is_lost(monkeypatch, lookup_fails=True)
    await staff.send("Đã giao lại hàng trong vòng một giờ")
    assert staff.last_text == words(staff, "input.not_sure")
    before = await snapshot(world)
    messages, toasts = shown(world, staff.chat_id), len(world.api.answers)
    await staff.send("Đã giao lại hàng trong vòng một giờ")  # "did it go through?"
    told = told_since(world, staff.chat_id, messages, toasts)
    assert reads(told, words(staff, "input.already_saved", case=case_id)), told
    assert await snapshot(world) == before


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize(
    ("key", "refused"), [("group.sent_privately", 0), ("group.start_private_chat", 3)]
)
async def test_a_button_pressed_in_the_supervisors_group_is_answered_in_the_pressers_words(
    group_world: World, locale: str, key: str, refused: int
) -> None:
    world = group_world
    thao = await registered_thao(world)
    boss = thao if locale == "vi" else world.minh
    await boss.send("/start")
    await overdue_notice_in_the_group(world)
    [notice] = [m for m in world.api.messages(IN_GROUP) if m.buttons]
    before, toasts = await snapshot(world), len(world.api.answers)
    if refused:  # the presser never opened a chat with the bot
        world.api.fail_next("sendMessage", "forbidden", times=refused)
    await boss.press(str(notice.buttons[0][0].callback_data), notice)
    told = [str(answer.get("text")) for answer in world.api.answers[toasts:]]
    assert reads(told, words(boss, key)), told
    assert await snapshot(world) == before


@pytest.mark.parametrize("locale", ["vi", "en"])
@pytest.mark.parametrize("pressed", [True, False], ids=["pressed", "typed"])
async def test_a_step_that_lost_the_race_for_its_case_is_answered_in_the_readers_words(
    world: World, monkeypatch: pytest.MonkeyPatch, locale: str, pressed: bool
) -> None:
    staff = world.hoa if locale == "vi" else world.lan
    await at_the_fix(staff)
    before, messages, toasts = (
        await snapshot(world),
        shown(world, staff.chat_id),
        len(world.api.answers),
    )

    async def lost(self: SqlUnitOfWork) -> None:  # someone else's step was saved first
        raise StaleDataError("UPDATE cases matched 0 rows")

    monkeypatch.setattr(SqlUnitOfWork, "commit", lost)
    if pressed:
        await staff.press(words(staff, "button.back"))
    else:
        await staff.send("Đã giao lại hàng trong vòng một giờ")
    told = told_since(world, staff.chat_id, messages, toasts)
    assert reads(told, words(staff, "error.moved_on")), told
    monkeypatch.undo()
    assert await snapshot(world) == before
