"""A supervisor's digest says which of everyone's cases stand unfinished, and whose they are.

Counts by step do not say which case was forgotten, nor by whom. Each supervisor's morning
digest lists everyone else's open cases left untouched (as their owners' digests do), the
longest untouched first, each with its owner's name and its last change — ten at most, and
how many more (on /cases) — in the supervisor's language, within one message however long
the names. A supervisor's own such cases are in their own list, once; staff see only their
own.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from flows.model import Case, Customer
from flows.parsing import search_key
from flows.people import People
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_a_case_left_unfinished_is_listed_in_its_owners_digest import (
    FRIDAY_8AM,
    mornings_until,
)
from tests.bot.test_reminders import reminder_texts
from tests.bot.test_worst_case_sizes import all_fit
from tests.bot.walk import case_number

pytestmark = pytest.mark.asyncio

MONDAY_9AM = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
#: How each reader's digest greets, heads the others' list, says whose a case is, and heads
#: their own list.
SAID = {
    "en": (
        "Good morning",
        "⏳ Everyone else's cases left unfinished (2), the longest untouched first",
        "customer not chosen yet · {owner}'s, at the opening step, unchanged since "
        "2026-11-23 09:00",
        "⏳ Your cases left unfinished (1)",
    ),
    "vi": (
        "Chào buổi sáng",
        "⏳ Hồ sơ của mọi người đang để dở (2), hồ sơ để lâu nhất ở trên",
        "chưa chọn khách hàng · do {owner} phụ trách, đang ở bước tiếp nhận, chưa có thay đổi "
        "từ 23/11/2026 09:00",
        "⏳ Hồ sơ của bạn đang để dở (1)",
    ),
}
#: A staff member's name as long as a name may be (120 characters).
LONG_OWNER = ("Nguyễn Hoàng Phương Thảo Bảo Ngọc " * 4)[:120]
LONG_CUSTOMER = ("Công ty TNHH Thương mại Dịch vụ & Vận tải <Hòa Bình> " * 3)[:116]


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_supervisor_sees_a_staff_members_untouched_case_with_its_owners_name(
    digest_world: World, language: str
) -> None:
    world = digest_world
    person, supervisor = await staff_and_supervisor(world, language)
    other = world.hoa if language == "en" else world.lan  # more staff, with their own
    greeting, heading, line, own_heading = SAID[language]
    await person.send("/new")
    theirs = case_number(person.last_text)
    await supervisor.send("/new")
    own = case_number(supervisor.last_text)
    await other.send("/new")
    others = case_number(other.last_text)
    await mornings_until(world, FRIDAY_8AM)

    [digest] = reminder_texts(supervisor, greeting)
    assert heading in digest
    assert f"• #{theirs} · {line.format(owner=person.first_name)}" in digest
    assert f"#{others} ·" in digest
    assert own_heading in digest  # theirs in their own list, once, not among everyone's
    assert digest.count(f"#{own} ·") == 1
    assert digest.index(own_heading) < digest.index(f"#{own} ·") < digest.index(heading)

    for staff, mine, not_mine in ((person, theirs, others), (other, others, theirs)):
        [said] = reminder_texts(staff, SAID[staff.language_code][0])
        assert f"#{mine} ·" in said
        assert f"#{not_mine} ·" not in said
        assert f"#{own} ·" not in said
        assert "Everyone else" not in said
        assert "mọi người" not in said


async def long_named_cases_left(world: World, count: int) -> int:
    """Someone with a name as long as names go, owning `count` open cases of long-named
    customers, left on Monday a minute apart; return their number."""
    async with SqlUnitOfWork(world.services.sessions) as uow:
        owner = await People(uow, world.services.policy, world.clock).register(
            3001, LONG_OWNER, "staff", "en"
        )
        first = None
        for n in range(count):
            name = f"{LONG_CUSTOMER} {n:03}"
            customer = await uow.customers.add(
                Customer(name=name, search_key=search_key(name), kind="business")
            )
            case = await uow.cases.add(
                Case(
                    kind="complaint",
                    owner_id=owner.id or 0,
                    opened_at=MONDAY_9AM,
                    updated_at=MONDAY_9AM + timedelta(minutes=n),
                    customer_id=customer.id,
                    state="apologise",
                )
            )
            first = first or case.id
        await uow.commit()
    assert first is not None
    return first


async def test_a_supervisor_sees_the_ten_longest_untouched_and_how_many_more_in_one_message(
    digest_world: World,
) -> None:
    world = digest_world
    first = await long_named_cases_left(world, 12)
    await mornings_until(world, FRIDAY_8AM)
    [digest] = reminder_texts(world.minh, "Good morning")
    assert "Everyone else's cases left unfinished (12)" in digest
    listed = [n for n in range(first, first + 12) if f"• #{n} ·" in digest]
    assert listed == list(range(first, first + 10))  # the longest untouched first
    assert digest.count(f"{LONG_OWNER}'s, at the apologise step") == 10
    assert "… and 2 more: /cases" in digest
    assert all_fit(world.minh.messages)
    assert "<Hòa Bình>" in digest
