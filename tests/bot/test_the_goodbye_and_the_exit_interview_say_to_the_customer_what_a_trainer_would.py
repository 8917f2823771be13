"""The termination's five moves and the exit interview, as staff read them on their cards
while walking them with customers whose title is known, say to the customer what a
Vietnamese customer-care trainer would have them hear, in both languages.

Before, the goodbye to a person ended its framing with "So, with regret, our service to you
will end on …" and thanked them "for working with our team" (a consumer, not a partner),
then wished them "a place that suits you"; the exit interview opened with "We noticed you
have not been with us lately" and asked "What happened that made you decide to stop coming to
us? And what…". In Vietnamese it told the customer what they had done ("Thời gian gần đây
chị không còn sử dụng dịch vụ bên em nữa") and asked "chuyện gì đã khiến chị quyết định thôi
không dùng … nữa", a blunt question with a doubled negative.
"""

from __future__ import annotations

import pytest

from bot import callbacks as cb
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.test_a_trainer_signs_the_complaint_and_the_goodbye_in_both_languages import (
    WALKS,
    Reading,
)
from tests.bot.test_review_conversation import add_customer

pytestmark = pytest.mark.asyncio

#: What the customer hears, and what a trainer would strike, in each reader's language.
HEARD = {
    "lan": {
        "said": (
            "Hello Ms Mai. First of all, thank you for trusting us and for staying with us",
            "With regret, we will have to stop serving you from …",
            "I hope you soon find a provider that suits you well.",
            "We noticed you have not used our service lately, and we are sorry to see you go.",
            "What made you decide to stop using our service? What could we have done",
        ),
        "struck": ("our service to you will end", "working with our team", "a place that"),
    },
    "hoa": {
        "said": (
            "Dạ, em chào chị Mai. Trước hết, em xin thay mặt công ty cảm ơn chị",
            "bên em rất tiếc phải xin phép dừng cung cấp dịch vụ cho chị từ ngày … ạ.",
            "Bên em được biết thời gian gần đây chị không còn dùng dịch vụ bên em nữa",
            "chị chưa hài lòng về giá hay về chất lượng dịch vụ bên em ạ?",
            "Dạ, điều gì đã khiến chị quyết định thôi dùng dịch vụ bên em ạ?",
        ),
        "struck": ("chuyện gì", "thôi không dùng", "anh/chị"),
    },
}


async def titled_customer(world: World, name: str) -> None:
    """Add a customer known to be addressed as "chị"."""
    customer = await add_customer(world, name)
    async with SqlUnitOfWork(world.services.sessions) as uow:
        found = await uow.customers.get(customer)
        assert found is not None
        found.title = "chi"
        await uow.commit()


async def told_the_customer(world: World, who: str) -> str:
    """Walk a termination to Ms Mai, and an exit interview with Ms Lan: every card read."""
    await titled_customer(world, "Trần Thị Mai")
    await titled_customer(world, "Lê Thị Lan")
    reading = Reading(world, who, WALKS["individual"])  # type: ignore[arg-type]
    review = await reading.opened("/problem", "Trần Thị Mai")
    await reading.through(review)
    await world.minh.press("Approve")
    await reading.person.press_data(cb.case_button(review, 0, cb.OPEN))
    await reading.through(review)
    assert (await world.case(review)).state == "terminated"
    reading.picks = {"result": ("defected",)}
    exit_interview = await reading.opened("/exit", "Lê Thị Lan")
    reading.read.append(reading.person.last_text)
    await reading.through(exit_interview)
    assert (await world.case(exit_interview)).state == "defected"
    return "\n".join(reading.read)


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_the_goodbye_and_the_exit_interview_say_what_the_customer_should_hear(
    world: World, who: str
) -> None:
    said = await told_the_customer(world, who)
    heard = HEARD[who]
    assert [s for s in heard["said"] if s not in said] == []
    assert [s for s in heard["struck"] if s in said] == []
