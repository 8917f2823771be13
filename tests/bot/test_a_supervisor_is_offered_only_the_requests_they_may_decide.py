"""A supervisor is offered only the requests they may decide, and told how many wait elsewhere.

Nobody decides a request on their own case (one handed to them, too) or one they asked for.
`/approvals`, its count and its "more" line, the Mini App's list and its tab's count, and
the daily digest list only the requests the reader may decide, and say in the reader's
language how many others wait for another supervisor, so none of them looks lost.

Before, each listed every waiting request: the reader's own among them, which opened as a
case without verdict buttons.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.miniapp_site import serving
from tests.bot.test_a_supervisor_hands_a_case_over import TAKE_IT, hand_over
from tests.bot.test_reminders import reminder_texts
from tests.bot.test_requests_no_longer_waiting import supervisor_thu
from tests.bot.walk import asking_approval

pytestmark = pytest.mark.asyncio

WHY = {
    "en": "for another supervisor to decide (your own cases, or requests you made).",
    "vi": "đang chờ một quản lý khác quyết định (hồ sơ của bạn, hoặc yêu cầu do chính bạn gửi).",
}
#: How many wait for another supervisor, by language: one, then two.
ELSEWHERE = {
    "en": (f"1 request waits {WHY['en']}", f"2 requests wait {WHY['en']}"),
    "vi": (f"Có 1 yêu cầu {WHY['vi']}", f"Có 2 yêu cầu {WHY['vi']}"),
}
NONE = {
    "en": "Nothing waits for your decision.",
    "vi": "Hiện không có yêu cầu nào đang chờ bạn quyết định.",
}
GREETING = {"en": "Good morning", "vi": "Chào buổi sáng"}


async def one_taken(world: World, language: str) -> tuple[Person, Person, int, int]:
    """Lan asks twice; the supervisor in `language` (Minh in English, Thu in Vietnamese)
    takes the first case over while its request waits. Return them, the other supervisor,
    the case taken and the other."""
    thu = await supervisor_thu(world)
    reader, other = (world.minh, thu) if language == "en" else (thu, world.minh)
    taken = await asking_approval(world.lan, "2tr")
    left = await asking_approval(world.lan, "3tr", "Lê Văn Tâm")
    await hand_over(reader, taken, TAKE_IT[language])
    return reader, other, taken, left


def listed(text: str) -> list[str]:
    return [row.split(" · ")[0] for row in text.split("\n") if row.startswith("• #")]


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_approvals_list_only_what_the_reader_may_decide_and_count_the_rest(
    world: World, language: str
) -> None:
    reader, other, taken, left = await one_taken(world, language)
    await reader.send("/approvals")
    assert listed(reader.last_text) == [f"• #{left}"]
    assert "(1)" in reader.last_text.split("\n")[0]
    assert ELSEWHERE[language][0] in reader.last_text
    assert f"#{taken}" not in " ".join(reader.last.button_labels)
    await other.send("/approvals")  # the other supervisor may decide both
    assert listed(other.last_text) == [f"• #{taken}", f"• #{left}"]
    assert "(2)" in other.last_text.split("\n")[0]
    assert "another supervisor" not in other.last_text
    assert "quản lý khác" not in other.last_text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_with_nothing_to_decide_approvals_still_say_what_waits_for_others(
    world: World, language: str
) -> None:
    reader, _, _, left = await one_taken(world, language)
    await hand_over(reader, left, TAKE_IT[language])
    await reader.send("/approvals")
    assert NONE[language] in reader.last_text
    assert ELSEWHERE[language][1] in reader.last_text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_mini_app_lists_only_what_the_reader_may_decide_and_says_what_waits_elsewhere(
    world: World, language: str
) -> None:
    reader, other, taken, left = await one_taken(world, language)
    async with serving(world) as site:
        mine = (await site.get("approvals", reader.telegram_id, language=language)).json()
        others = (await site.get("approvals", other.telegram_id)).json()
    assert [r["case"] for r in mine["requests"]] == [left]
    assert all(r["may_decide"] for r in mine["requests"])
    assert (mine["elsewhere"], mine["elsewhere_said"]) == (1, ELSEWHERE[language][0])
    assert [r["case"] for r in others["requests"]] == [taken, left]
    assert (others["elsewhere"], others["elsewhere_said"]) == (0, None)


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_daily_digest_lists_only_what_the_reader_may_decide(
    digest_world: World, language: str
) -> None:
    world = digest_world
    reader, other, taken, left = await one_taken(world, language)
    world.clock.now = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # 08:00 the next morning
    await world.scheduler.tick()  # plans the digest and fans it out
    await world.scheduler.tick()  # delivers each person's digest
    [digest] = reminder_texts(reader, GREETING[language])
    assert f"• #{left} " in digest
    assert f"• #{taken} " not in digest  # theirs now: not theirs to decide
    assert ELSEWHERE[language][0] in digest
    [others] = reminder_texts(other, GREETING[other.language_code or "en"])
    assert f"• #{taken} " in others
    assert f"• #{left} " in others
