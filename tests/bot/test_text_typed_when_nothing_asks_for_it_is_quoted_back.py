"""Text typed when nothing waits for it any more is quoted back, with where it could go.

The case was handed away while its note was being typed, ended meanwhile, its card asks
nothing now, or the person's role changed under them: the text is not saved, so the answer
quotes it (on one line, escaped) for them to copy, and says where it could go instead.

Before, they were only told "I am not waiting for any text" (or "the case has ended",
"nothing needs typing"): what they had typed was gone.
"""

from __future__ import annotations

import pytest

from flows.people import People
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World, restarted
from tests.bot.test_a_supervisor_hands_a_case_over import hand_over
from tests.bot.test_cancelled_by_a_supervisor import cancel_as_supervisor
from tests.bot.test_cases_of_someone_who_left_have_someone_told import quang
from tests.bot.walk import compensate, open_case, walk_to_compensate, walk_to_fix

pytestmark = pytest.mark.asyncio

TYPED = "Khách <b>gọi lại</b> lúc 9h\nhẹn giao sáng mai"
#: As it reads in the answer: on one line, its tags shown as typed (escaped, not bold).
QUOTED = "“Khách <b>gọi lại</b> lúc 9h hẹn giao sáng mai”"
NOT_SAVED = {"en": "What you just sent was not saved", "vi": "Nội dung bạn vừa gửi chưa được lưu"}
ELSEWHERE = {
    "en": "if /case N says it is with someone else now, send it to them",
    "vi": "nếu /case N cho biết hồ sơ đang do người khác phụ trách",
}
NOTE_IT = {"en": "press 📝 Add a note", "vi": "bấm 📝 Thêm ghi chú"}
KEEP_IT = {"en": "📝 Keep as note", "vi": "📝 Lưu làm ghi chú"}
NO_LONGER = {"en": "you are no longer a supervisor", "vi": "bạn không còn là quản lý"}


def quoted_back(person: Person) -> None:
    """The person's last message quotes what they typed, and says it was not saved."""
    language = person.language_code or "en"
    assert NOT_SAVED[language] in person.last_text
    assert QUOTED in person.last_text, person.last_text
    assert NOTE_IT[language] in person.last_text


async def handed_away_mid_note(world: World, language: str) -> Person:
    """The owner (in `language`) presses 📝 Add a note; a supervisor hands the case to Bernd."""
    owner = world.lan if language == "en" else world.hoa
    supervisor = world.minh if language == "en" else await quang(world)
    case_id = await open_case(owner)
    await owner.press(NOTE_IT[language].split(" ", 1)[1])
    await hand_over(supervisor, case_id, "👤 Bernd")
    return owner


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_note_typed_for_a_case_just_handed_away_is_quoted_back(
    world: World, language: str
) -> None:
    owner = await handed_away_mid_note(world, language)
    await owner.send(TYPED)
    quoted_back(owner)
    assert ELSEWHERE[language] in owner.last_text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_note_typed_for_a_case_handed_away_is_quoted_back_after_a_restart_too(
    world: World, database_url: str, language: str
) -> None:
    owner = await handed_away_mid_note(world, language)
    async with restarted(world, database_url):
        await owner.send(TYPED)
        quoted_back(owner)
        assert ELSEWHERE[language] in owner.last_text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_an_answer_typed_into_a_case_that_ended_meanwhile_is_quoted_back(
    world: World, language: str
) -> None:
    owner = world.lan if language == "en" else world.hoa
    case_id = await open_case(owner)
    await walk_to_fix(owner)
    await cancel_as_supervisor(world, case_id)
    await owner.send(TYPED)
    quoted_back(owner)
    assert f"/case {case_id}" in owner.last_text


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_text_typed_while_the_case_waits_for_a_decision_is_quoted_back(
    world: World, language: str
) -> None:
    owner = world.lan if language == "en" else world.hoa
    await open_case(owner)
    await walk_to_compensate(owner)
    await compensate(owner, "Refund", "3tr")
    await owner.send(TYPED)
    said = owner.last_text
    assert NOT_SAVED[language] in said, said
    assert QUOTED in said, said
    assert KEEP_IT[language] in said  # the case takes it as a note with one press
    assert KEEP_IT[language] in owner.last.button_labels


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_comment_typed_by_a_supervisor_made_staff_meanwhile_is_quoted_back(
    world: World, language: str
) -> None:
    supervisor = world.minh if language == "en" else await quang(world)
    await open_case(world.lan)
    await walk_to_compensate(world.lan)
    await compensate(world.lan, "Refund", "3tr")
    await supervisor.press("Approve" if language == "en" else "✅ Duyệt")
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(
            supervisor.telegram_id, supervisor.first_name, "staff"
        )
        await uow.commit()
    await supervisor.send(TYPED)
    said = supervisor.last_text
    assert QUOTED in said, said
    assert NO_LONGER[language] in said  # why it was not saved, not "nothing waits"
