"""A case nobody has touched for days, with nothing to bring it back, is not forgotten.

A complaint left at its first question, or paused and never picked up, has no reminder: it
would wait silently for good (and what was typed about a new customer with it). Its
owner's morning digest lists it as left unfinished, with the step it stands at and its last
change, in the owner's language; a case that a reminder or a supervisor's decision will
bring back, an overdue one (listed as such) or one touched lately is not listed.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World, make_world, settings_for
from tests.bot.test_reminders import case_waiting_for_follow_up, reminder_texts
from tests.bot.walk import asking_approval, case_number, open_case
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

#: Friday 08:00 in Hồ Chí Minh City: four days after the Monday the cases were left.
FRIDAY_8AM = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)

#: How each reader's digest heads the list, says a case's step and last change, and names
#: a case whose customer was never chosen.
SAID = {
    "en": (
        "Good morning",
        "⏳ Your cases left unfinished (2): carry each one on, or end it if it is no longer",
        "customer not chosen yet · at the opening step, unchanged since 2026-11-23 09:00",
        "Nguyễn Thị Hương · at the apologise step, unchanged since 2026-11-23 09:00",
    ),
    "vi": (
        "Chào buổi sáng",
        "⏳ Hồ sơ của bạn đang để dở (2): hãy làm tiếp, hoặc kết thúc hồ sơ không còn cần.",
        "chưa chọn khách hàng · đang ở bước tiếp nhận, chưa có thay đổi từ 23/11/2026 09:00",
        "Nguyễn Thị Hương · đang ở bước xin lỗi, chưa có thay đổi từ 23/11/2026 09:00",
    ),
}


async def left_on_monday(person: Person) -> tuple[int, int]:
    """A complaint left at its intake with a new customer's name typed, and one paused at
    step 1."""
    await person.send("/new")
    at_intake = case_number(person.last_text)
    await person.send("Phạm Văn Nam")
    await person.press("New customer" if person.language_code == "en" else "Khách hàng mới")
    await person.send("Phạm Văn Nam")
    paused = await open_case(person)
    await person.press("⏸ Pause" if person.language_code == "en" else "⏸ Tạm dừng")
    return at_intake, paused


async def mornings_until(world: World, moment: datetime) -> None:
    """Let the scheduler run at `moment` until nothing more is due."""
    world.clock.now = moment
    while (await world.scheduler.tick()).claimed:
        pass


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_case_left_unfinished_is_listed_in_its_owners_digest_in_their_words(
    digest_world: World, language: str
) -> None:
    world = digest_world
    person = world.lan if language == "en" else world.hoa
    greeting, heading, at_intake_line, paused_line = SAID[language]
    at_intake, paused = await left_on_monday(person)
    await mornings_until(world, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))  # three days less 1 h
    assert not reminder_texts(person, greeting)
    await mornings_until(world, FRIDAY_8AM)
    [digest] = reminder_texts(person, greeting)
    assert heading in digest
    assert f"• #{at_intake} · {at_intake_line}" in digest
    assert f"• #{paused} · {paused_line}" in digest
    assert digest.index(f"#{at_intake} ·") < digest.index(f"#{paused} ·")  # by number at a tie
    assert not reminder_texts(world.bernd, f"#{at_intake} ·")  # the owner's, not staff's
    [told] = reminder_texts(world.minh, f"#{at_intake} ·")  # a supervisor's: as someone's
    assert told.index("Everyone else's") < told.index(f"#{at_intake} ·")
    await person.press(f"#{paused} · Nguyễn Thị Hương")  # its button opens it where it stands
    assert (await world.case(paused)).state == "apologise"
    assert f"#{paused}" in person.last_text


async def test_cases_that_something_will_bring_back_or_touched_lately_are_not_listed(
    digest_world: World,
) -> None:
    world, lan = digest_world, digest_world.lan
    follow_up = await case_waiting_for_follow_up(lan, "In a week")  # its reminder is pending
    asking = await asking_approval(lan, "2tr", "Lê Văn Tâm")  # a supervisor decides it
    world.clock.now = datetime(2026, 11, 26, 2, 0, tzinfo=UTC)
    await lan.send("/new")
    lately = case_number(lan.last_text)  # one day old on Friday
    await mornings_until(world, FRIDAY_8AM)
    said = "\n".join(reminder_texts(lan, "Good morning"))
    for case_id in (follow_up, asking, lately):
        assert f"#{case_id} ·" not in said
    assert "left unfinished" not in said


async def test_nothing_is_listed_as_unfinished_where_the_days_are_set_to_zero(
    database_url: str, clock: Clock
) -> None:
    settings = settings_for(database_url, reminders={"digest": True, "untouched_days": 0})
    async for world in make_world(settings, clock):
        await left_on_monday(world.lan)
        await mornings_until(world, FRIDAY_8AM)
        assert not reminder_texts(world.lan, "Good morning")  # nothing else was due
