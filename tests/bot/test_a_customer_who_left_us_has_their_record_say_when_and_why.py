"""What the company learns from an exit interview reaches the customer's record: once one
ends with the customer gone for good, their record says on which day they left us, in which
exit interview, and why — the reasons ticked there, in the reader's words (a supervisor
reading English reads the reasons a Vietnamese colleague ticked in English)."""

from __future__ import annotations

import pytest

from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import case_number

pytestmark = pytest.mark.asyncio

#: The buttons of an exit interview, and how the record then says it, by language.
WALK = {
    "en": (
        ("Better offer elsewhere", "Missed appointment", "Done ✔", "👋 Gone for good"),
        "👋 Left us on 2026-11-23 (recorded in the exit interview, case #{case}). "
        "Why: Better offer elsewhere and missed appointment.",
    ),
    "vi": (
        ("Ưu đãi tốt hơn ở nơi khác", "Cuộc hẹn bị lỡ", "Xong ✔", "👋 Khách rời đi hẳn"),
        "👋 Khách rời bỏ ngày 23/11/2026 (ghi nhận trong phỏng vấn rời bỏ, hồ sơ #{case}). "
        "Lý do: Ưu đãi tốt hơn ở nơi khác và cuộc hẹn bị lỡ.",
    ),
}


@pytest.mark.parametrize("locale", list(WALK))
async def test_the_record_of_a_customer_who_left_says_when_and_why(
    world: World, locale: str
) -> None:
    staff = world.lan if locale == "en" else world.hoa
    other = "vi" if locale == "en" else "en"
    await add_customer(world, "Trần Văn Hùng")
    await staff.send("/exit")
    case_id = case_number(staff.last_text)
    await staff.send("tran van hung")
    await staff.press("👤 Trần Văn Hùng")
    better, missed, done, gone = WALK[locale][0]
    for pressed in (f"▫️ {better}", f"▫️ {missed}", done):
        await staff.press(pressed)
    await staff.send("Bên kia rẻ hơn, thợ bên mình lỡ hẹn hai lần")
    await staff.send("Giảm 10% cho tháng tới")
    await staff.press(gone)
    await staff.send("/customer tran van hung")
    assert WALK[locale][1].format(case=case_id) in staff.last_text.splitlines()
    # a supervisor reading the other language
    reader = world.minh if other == "en" else (await staff_and_supervisor(world, "vi"))[1]
    await reader.send("/customer tran van hung")
    assert WALK[other][1].format(case=case_id) in reader.last_text.splitlines()


async def test_a_customer_who_has_not_left_has_no_such_line(world: World) -> None:
    await add_customer(world, "Trần Văn Hùng")
    await world.lan.send("/customer tran van hung")
    assert "Left us" not in world.lan.last_text
