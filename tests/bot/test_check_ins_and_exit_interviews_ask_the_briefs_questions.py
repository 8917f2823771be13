"""A check-in asks a current customer every periodic question of the domain brief, and an
exit interview asks a customer who left its specific questions, then open ones (section 5),
in the words each card gives staff to say, in each language."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import case_number

pytestmark = pytest.mark.asyncio

#: The buttons a check-in is walked with, and what its cards ask, question by question:
#: why do you buy from us? what do you value about us? do we meet your needs? what could we
#: improve? what services should we add? what do competitors do better?
CHECK_IN = {
    "lan": (
        ("Check-in call", "Partly met", "Skip", "Staying"),
        (
            "why you chose us",
            "what you value most about us",
            "Are we meeting your needs",
            "What should we improve",
            "what else would you like us to offer",
            "anything others do better than us",
        ),
    ),
    "hoa": (
        ("Hỏi thăm khách", "Đáp ứng một phần", "Bỏ qua", "Sẽ ở lại"),
        (
            "vì sao anh/chị chọn bên em",
            "điều gì ở bên em làm anh/chị hài lòng nhất",
            "đáp ứng được nhu cầu của anh/chị",
            "bên em nên cải thiện điều gì",
            "bổ sung dịch vụ nào nữa",
            "nơi khác có điểm nào làm tốt hơn bên em",
        ),
    ),
}

#: An exit interview: the tick boxes of the specific questions, the words that ask them, and
#: the open questions asked once they are ticked.
EXIT = {
    "lan": (
        (
            "Price or quality",
            "Better offer elsewhere",
            "Inattentive service",
            "Missed appointment",
            "Unresolved complaint",
            "All of these",
        ),
        (
            "price or our quality",
            "a better offer",
            "less attentive or helpful",
            "miss an appointment",
            "complaint of yours ever left unresolved",
            "everything",
        ),
        ("What made you decide", "What could we have done differently"),
        "Done",
    ),
    "hoa": (
        (
            "Giá hoặc chất lượng",
            "Ưu đãi tốt hơn ở nơi khác",
            "Dịch vụ chưa chu đáo",
            "Cuộc hẹn bị lỡ",
            "Khiếu nại chưa được giải quyết",
            "Tất cả những điều trên",
        ),
        (
            "về giá hay về chất lượng",
            "ưu đãi tốt hơn",
            "chưa chu đáo, nhiệt tình",
            "lỡ hẹn",
            "khiếu nại nào của anh/chị chưa được giải quyết",
            "tất cả những điều đó",
        ),
        ("điều gì đã khiến anh/chị quyết định", "nên làm gì khác đi để giữ được"),
        "Xong",
    ),
}


@pytest.mark.parametrize("who", list(CHECK_IN))
async def test_a_check_in_asks_every_periodic_question_of_the_brief(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    (check_in, partly, skip, stays), questions = CHECK_IN[who]
    await add_customer(world, "Trần Văn Hùng")
    await person.send("/customer tran van")
    await person.press(check_in)
    case_id = case_number(person.last_text)
    said = [person.last_text]
    for answer in ("Close to home", partly, "Evening delivery", skip, stays):
        if answer in (partly, skip, stays):
            await person.press(answer)
        else:
            await person.send(answer)
        said.append(person.last_text)
    assert (await world.case(case_id)).state == "checked_in"
    for question in questions:
        assert question in "\n".join(said), question


@pytest.mark.parametrize("who", list(EXIT))
async def test_an_exit_interview_asks_the_specific_questions_then_open_ones(
    world: World, who: str
) -> None:
    person = getattr(world, who)
    reasons, specific, open_questions, done = EXIT[who]
    await add_customer(world, "Trần Văn Hùng")
    await person.send("/exit")
    await person.send("Trần Văn Hùng")
    await person.press("Trần Văn Hùng")
    offered = " ".join(person.buttons)
    for reason in reasons:
        assert reason in offered, reason
    for question in specific:
        assert question in person.last_text, question
    await person.press(reasons[3])
    await person.press(done)
    for question in open_questions:
        assert question in person.last_text, question
    assert specific[0] not in person.last_text  # the specific questions are not asked again
