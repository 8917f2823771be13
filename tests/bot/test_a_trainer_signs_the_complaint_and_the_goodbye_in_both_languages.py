"""Every card of a complaint's five steps (compensation given, approved, or none) and of the
termination conversation (to a person and to a business), as drawn, reads as a Vietnamese
customer-care trainer would sign it: one term per concept (words.md), no calque, the words
read to a person opening with "Dạ", none to a business with "em"; and in English no script
that carries on a sentence from a card no longer shown.

Before, step 2 said "sự nhanh chóng cho khách thấy…", step 3 "nói ra sự thông cảm", the
approved compensation was "khoản bù đắp" where every other card says "khoản đền bù", move 2
opened "Em nghĩ là…" with no "Dạ", move 3 asked what to offer "để khách ra về" (on a
phone call), and the English move 3 began "So we would like to …" on a card of its own.
Later, a goodwill "of another kind" was offered as "bên em xin hỗ trợ anh/chị một khoản hỗ
trợ …" (said twice in one breath), and move 5 told staff to name a provider "before you end the
call" to a customer they may be meeting in person.
"""

from __future__ import annotations

import re

import pytest

from bot import callbacks as cb
from flows.forms import Field
from flows.model import Case
from tests.bot.conftest import World
from tests.bot.test_every_answer_typed_in_words_is_checked_alike import Walk
from tests.bot.test_review_conversation import add_customer

pytestmark = pytest.mark.asyncio

#: Words a trainer would strike in Vietnamese (words.md, and what this review found).
STRUCK = (
    "phàn nàn",
    "bồi thường",
    "bù đắp đã",
    "khoản bù đắp",
    "giám sát",
    "thẻ khách hàng",
    "nấc",
    "Gợi ý lời nói",
    "Không bình luận",
    "chia tay vui vẻ",
    "sự nhanh chóng",
    "nói ra sự thông cảm",
    "ra về",
    "Em nghĩ là",
    "một khoản hỗ trợ",  # after "bên em xin hỗ trợ anh/chị": the goodwill said twice
)
SCRIPT_HEADING = {"vi": "💬 Lời thoại gợi ý:", "en": "💬 What you could say:"}
#: The walks: what the choices pick (compensation given within the limit, over it and
#: approved, or none; a review approved, to a person or a business).
WALKS = {
    "given": {"type": ("voucher",), "status": ("in_progress",)},
    "approved": {"type": ("refund",), "value": "2tr"},
    "none": {"type": ("none",)},
    "individual": {"reasons": ("unprofitable",), "alternative": ("own_alternative",)},
    "business": {"reasons": ("unprofitable",), "alternative": ("own_alternative",)},
    "individual, other goodwill": {
        "reasons": ("unprofitable",),
        "goodwill": ("other_goodwill",),
        "alternative": ("own_alternative",),
    },
}


class Reading(Walk):
    """A walk that answers each question plainly and keeps every card it was shown."""

    def __init__(self, world: World, who: str, picks: dict[str, tuple[str, ...] | str]) -> None:
        super().__init__(world, who)
        self.picks = picks
        self.read: list[str] = []

    async def answer_in_words(self, name: str, limit: int, case_id: int | None) -> None:
        await self.person.send("Nguyễn Thị Hương" if name == "new_name" else "Đã ghi nhận")

    async def answer(self, case: Case, field: Field) -> None:
        if field.kind == "money":
            await self.person.send(str(self.picks.get("value", "200k")))
        elif field.name in self.picks and field.kind == "choice":
            await self.choose(case.id or 0, str(self.picks[field.name][0]))
        elif field.name in self.picks and field.kind == "multi":
            for option in self.picks[field.name]:
                await self.choose(case.id or 0, option)
            await self.choose(case.id or 0, "done")
        else:
            await super().answer(case, field)
        self.read.append(self.person.last_text)

    def scripts(self, locale: str) -> list[str]:
        """The words read to the customer on every card kept."""
        heading = SCRIPT_HEADING[locale]
        return [
            card.split(heading, 1)[1].strip().split("\n")[0]
            for card in self.read
            if heading in card
        ]


async def walked(world: World, who: str, walk: str) -> Reading:
    reading = Reading(world, who, WALKS[walk])  # type: ignore[arg-type]
    if walk.startswith(("individual", "business")):
        await add_customer(world, "Trần Văn Hùng", walk.split(",")[0])
        review = await reading.opened("/problem", "Trần Văn Hùng")
        await reading.through(review)
        await world.minh.press("Approve")
        await reading.person.press_data(cb.case_button(review, 0, cb.OPEN))
        await reading.through(review)
        assert (await world.case(review)).state == "terminated"
        return reading
    complaint = await reading.opened("/new")
    await reading.person.send("Nguyễn Thị Hương")
    await reading.choose(complaint, "new")
    await reading.through(complaint)
    if walk == "approved":
        await world.minh.press("Approve")
        await reading.person.press_data(cb.case_button(complaint, 0, cb.OPEN))
        reading.read.append(reading.person.last_text)
        await reading.through(complaint)
    assert (await world.case(complaint)).state == "closed"
    return reading


@pytest.mark.parametrize("walk", list(WALKS))
async def test_every_vietnamese_card_reads_as_a_trainer_would_sign_it(
    world: World, walk: str
) -> None:
    reading = await walked(world, "hoa", walk)
    said = "\n".join(reading.read)
    assert not [word for word in STRUCK if word in said], said
    scripts = reading.scripts("vi")
    assert scripts
    if walk.startswith("business"):  # the company speaks as itself: no "em"
        assert not [s for s in scripts if re.search(r"(?<!\w)em(?!\w)", s, re.IGNORECASE)]
    else:
        assert [s for s in scripts if not s.startswith("Dạ")] == []


@pytest.mark.parametrize("walk", list(WALKS))
async def test_no_english_script_carries_on_a_sentence_from_a_card_not_shown(
    world: World, walk: str
) -> None:
    reading = await walked(world, "lan", walk)
    scripts = reading.scripts("en")
    assert scripts
    assert [s for s in scripts if s.startswith(("So ", "And ", "But "))] == []


#: How each language would take a phone call for granted.
CALL = {"vi": "cuộc gọi", "en": "the call"}


@pytest.mark.parametrize(("who", "locale"), [("hoa", "vi"), ("lan", "en")])
async def test_a_goodbye_that_may_be_said_face_to_face_is_never_called_a_phone_call(
    world: World, who: str, locale: str
) -> None:
    # staff get ready "to call or meet them", as the brief asks for a consumer
    reading = await walked(world, who, "individual")
    said = "\n".join(reading.read)
    assert CALL[locale] not in said, said
