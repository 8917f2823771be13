"""Work reaches whoever holds the role when it is delivered, each person once.

A request's reminder goes to the supervisors who may decide it then (one who arrives later
included, told that it waited), never to someone who no longer oversees; a case's reminder
only to someone who may open the case; a decision put off is reminded as promised; and a
reminder waits for the working hours of the zone its recipient has now.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from flows.people import People
from flows.scripts import LOCALES
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import HOA, LAN, MINH, World, staff_and_supervisor
from tests.bot.test_people_lifecycle import deactivate
from tests.bot.test_reminders import TUESDAY_9AM, case_waiting_for_follow_up, reminder_texts
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.bot.walk import asking_approval, label
from tests.bot.walk import words as walk_words

pytestmark = pytest.mark.asyncio

THU = 2002  # a second supervisor, in Berlin unless told


async def set_role(
    world: World, telegram_id: int, name: str, role: str, locale: str = "en", tz: str | None = None
) -> Person:
    """Register someone, or change the role (and zone) of someone registered."""
    async with SqlUnitOfWork(world.services.sessions) as uow:
        people = People(uow, world.services.policy, world.clock)
        await people.register(telegram_id, name, role, locale, tz)
        await uow.commit()
    return Person(world.app, world.api, telegram_id, name, locale)


def words(world: World, language: str, key: str) -> str:
    """A script's words up to its first placeholder, as a reader sees them (no markup)."""
    return re.sub("<[^>]+>", "", world.services.scripts.get(language, key).split("{")[0])


def still_waiting(world: World, person: Person, case_id: int) -> list[str]:
    """The approval reminders of a case that reached a person."""
    phrase = words(world, person.language_code, "reminder.approval_pending")
    return [t for t in reminder_texts(person, phrase) if f"#{case_id}" in t]


async def ticks(world: World, hours: float, times: int = 1) -> None:
    for _ in range(times):
        world.clock.advance(hours=hours)
        await world.scheduler.tick()
        await world.scheduler.tick()  # what the first passed on goes out at the second


async def test_a_supervisor_made_staff_is_not_reminded_of_a_request_and_the_others_are_once(
    world: World,
) -> None:
    hoa = await set_role(world, HOA, "Hòa", "supervisor", "vi")
    case_id = await asking_approval(world.lan, "3tr")
    await set_role(world, MINH, "Minh", "staff")
    before = len(world.minh.messages)
    await ticks(world, 4, times=3)
    assert not any("Nguyễn Thị Hương" in m.plain_text for m in world.minh.messages[before:])
    [reminded] = still_waiting(world, hoa, case_id)
    assert words(world, "vi", "reminder.waited") not in reminded  # she was asked at the time


async def test_a_request_nobody_could_decide_reaches_a_supervisor_who_comes_and_says_it_waited(
    world: World,
) -> None:
    case_id = await asking_approval(world.minh)  # his own case: nobody else may decide
    await ticks(world, 5)  # still nobody: it goes on waiting
    hoa = await set_role(world, HOA, "Hòa", "supervisor", "vi")  # promoted, reads Vietnamese
    await ticks(world, 4, times=3)
    [reminded] = still_waiting(world, hoa, case_id)
    assert words(world, "vi", "reminder.waited") in reminded
    await hoa.press(world.services.scripts.get("vi", "button.verdict_y"))
    assert (await world.case(case_id)).state == "follow_up"


async def test_a_request_whose_only_decider_left_reaches_the_supervisor_promoted_after_him(
    world: World,
) -> None:
    case_id = await asking_approval(world.lan)
    await deactivate(world, world.minh)
    thu = await set_role(world, THU, "Thu", "supervisor", "en", "Asia/Ho_Chi_Minh")
    await ticks(world, 5, times=3)
    [reminded] = still_waiting(world, thu, case_id)
    assert "waiting for a decision since" in reminded
    assert "waiting for a decision since" in reminded


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_termination_decision_put_off_is_reminded_as_promised(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(person, "Lê Văn Tám")
    await climb_to_decision(person)
    await supervisor.press(label(supervisor, "Put off"))
    owner_told = walk_words(supervisor, "approval.told.owner", owner=person.first_name)
    put_off = walk_words(
        supervisor, "approval.recorded.termination.later", case=case_id, told=owner_told
    )
    assert put_off in supervisor.last_text  # "… you will be reminded."
    await ticks(world, 4, times=3)
    [reminded] = still_waiting(world, supervisor, case_id)
    assert "Lê Văn Tám" in reminded  # with the grounds, as the request had them
    await supervisor.press(label(supervisor, "Approve"))  # the reminder's buttons decide it
    assert (await world.case(case_id)).state == "termination_conversation"


async def lans_follow_up_handed_over_with_thu_in_berlin(world: World) -> Person:
    """Thu (Berlin) made a supervisor; Lan leaves with a follow-up due: handed over, to
    Minh at once and to Thu when Berlin opens. Return Thu."""
    thu = await set_role(world, THU, "Thu", "supervisor", "en", "Europe/Berlin")
    await case_waiting_for_follow_up(world.lan)
    await deactivate(world, world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()
    await world.scheduler.tick()
    return thu


async def test_a_handed_over_follow_up_reaches_each_supervisor_once_when_another_leaves_first(
    world: World,
) -> None:
    thu = await lans_follow_up_handed_over_with_thu_in_berlin(world)
    await deactivate(world, thu)  # she leaves before her copy is due
    await ticks(world, 4, times=6)
    assert len(reminder_texts(world.minh, "Time to follow up")) == 1


async def test_a_case_reminder_never_reaches_a_supervisor_made_staff_before_it_is_due(
    world: World,
) -> None:
    thu = await lans_follow_up_handed_over_with_thu_in_berlin(world)
    await set_role(world, THU, "Thu", "staff", "en")  # may no longer open Lan's cases
    await ticks(world, 4, times=6)
    assert reminder_texts(thu, "Time to follow up") == []
    assert not any("Nguyễn Thị Hương" in m.plain_text for m in thu.messages)
    assert len(reminder_texts(world.minh, "Time to follow up")) == 1


async def test_an_overdue_notice_never_reaches_a_supervisor_made_staff_before_it_is_due(
    world: World,
) -> None:
    thu = await set_role(world, THU, "Thu", "supervisor", "en", "Europe/Berlin")
    await case_waiting_for_follow_up(world.lan)
    world.clock.now = TUESDAY_9AM
    await world.scheduler.tick()  # the follow-up: its overdue check is planned
    world.clock.now = datetime(2026, 11, 26, 2, 30, tzinfo=UTC)  # 24 working hours on
    await world.scheduler.tick()  # overdue: Minh told now, Thu when Berlin opens
    await set_role(world, THU, "Thu", "staff", "en")
    await ticks(world, 4, times=6)
    assert not any("Overdue follow-up" in m.plain_text for m in thu.messages)
    assert len(reminder_texts(world.minh, "Overdue follow-up")) == 1


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_departed_colleagues_overdue_follow_up_reaches_each_supervisor_once(
    world: World, language: str
) -> None:
    quang = await set_role(world, THU, "Quang", "supervisor", language)
    await case_waiting_for_follow_up(world.lan)
    await deactivate(world, world.lan)
    for day in range(24, 28):  # due Tuesday, overdue on Thursday; until Friday evening
        for hour in (2, 5, 10):
            world.clock.now = datetime(2026, 11, day, hour, 0, tzinfo=UTC)
            while (await world.scheduler.tick()).claimed:
                pass
    for person in (world.minh, quang):
        nudge = words(world, person.language_code, "reminder.follow_up_overdue")
        notice = words(world, person.language_code, "reminder.overdue_notice")
        assert len(reminder_texts(person, nudge)) == 1  # it is theirs now: call the customer
        assert reminder_texts(person, notice) == []  # and not told again that it is overdue


@pytest.mark.parametrize(
    ("who", "moved_to"), [("lan", "America/New_York"), ("hoa", "Europe/London")]
)
async def test_a_reminder_waits_for_the_working_hours_of_the_zone_its_recipient_moved_to(
    world: World, who: str, moved_to: str
) -> None:
    person: Person = getattr(world, who)
    await case_waiting_for_follow_up(person)  # "Tomorrow": 09:00 in Ho Chi Minh City
    await set_role(
        world, person.telegram_id, person.first_name, "staff", person.language_code, moved_to
    )
    phrase = words(world, person.language_code, "reminder.follow_up_due")
    world.clock.now = TUESDAY_9AM  # the evening before, where they are now
    assert (await world.scheduler.tick()).sent == 0
    assert reminder_texts(person, phrase) == []
    world.clock.now = datetime(
        2026, 11, 24, 17, 0, tzinfo=UTC
    )  # 12:00 in New York, 17:00 in London
    await world.scheduler.tick()
    await world.scheduler.tick()
    assert len(reminder_texts(person, phrase)) == 1


async def test_lan_who_stayed_in_ho_chi_minh_city_is_reminded_on_time(world: World) -> None:
    await case_waiting_for_follow_up(world.lan)
    await set_role(world, LAN, "Lan", "staff", "en")  # registered again, same zone
    world.clock.now = TUESDAY_9AM
    assert (await world.scheduler.tick()).sent == 1
