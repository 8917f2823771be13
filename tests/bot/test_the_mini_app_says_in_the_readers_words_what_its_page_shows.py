"""The Mini App's sentences come from the server, whole, in the reader's language.

The page only places what the API sends: a request the reader may not decide says that
another supervisor decides it; the approvals list heads each request and says when more wait
than it lists; a case says which of the five steps were not recorded, what became of their
order, how to see its evidence, and links its customer's record.

Before, the page composed these itself from words and numbers (its own JavaScript), where no
test read them.
"""

from __future__ import annotations

import pytest

from tests.bot.conftest import World
from tests.bot.miniapp_site import serving
from tests.bot.test_a_supervisor_is_offered_only_the_requests_they_may_decide import one_taken
from tests.bot.test_requests_no_longer_waiting import supervisor_thu
from tests.bot.test_worst_case_sizes import many_waiting_cases
from tests.bot.walk import open_case

pytestmark = pytest.mark.asyncio

NOT_YOURS = {
    "en": "Not yours to decide: the case is yours, or you made the request. "
    "Another supervisor decides.",
    "vi": "Bạn không tự quyết định yêu cầu này vì đây là hồ sơ của bạn, hoặc yêu cầu do chính "
    "bạn gửi. Một quản lý khác sẽ quyết định.",
}
KIND = {"en": "Complaint", "vi": "Khiếu nại"}
MORE = {
    "en": "… and more: only the first 20 requests are listed. Decide these, and the rest follow.",
    "vi": "… và còn nữa: chỉ liệt kê 20 yêu cầu đầu tiên. Quyết định xong những yêu cầu này, "
    "các yêu cầu còn lại sẽ hiện tiếp.",
}
NOT_IN_ORDER = {
    "en": "Not all five recorded in order (1 of 5 recorded)",
    "vi": "Chưa đủ năm bước theo thứ tự (đã ghi 1/5)",
}
MISSING = {"en": " — not recorded", "vi": " — chưa ghi"}
NO_EVIDENCE = {"en": "No files attached.", "vi": "Chưa có tệp đính kèm nào."}
EVIDENCE_HINT = {
    "en": "To see the files, send /case {case} in the chat and press “Send the evidence again”.",
    "vi": "Để xem tệp, bạn gửi /case {case} trong khung chat rồi bấm “Gửi lại bằng chứng”.",
}
RECORD = {"en": "👤 Customer's record: ", "vi": "👤 Thông tin khách hàng: "}


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_request_the_reader_may_not_decide_says_who_decides_it(
    world: World, language: str
) -> None:
    reader, other, taken, _ = await one_taken(world, language)
    async with serving(world) as site:
        mine = (await site.get(f"cases/{taken}", reader.telegram_id, language=language)).json()
        theirs = (await site.get(f"cases/{taken}", other.telegram_id)).json()
    assert mine["request"]["may_decide"] is False
    assert mine["request"]["not_yours_said"] == NOT_YOURS[language]
    assert theirs["request"]["may_decide"] is True
    assert theirs["request"]["not_yours_said"] is None


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_approvals_list_heads_each_request_and_says_when_more_wait_than_it_lists(
    world: World, language: str
) -> None:
    reader, _, _, left = await one_taken(world, language)
    async with serving(world) as site:
        few = (await site.get("approvals", reader.telegram_id, language=language)).json()
        await many_waiting_cases(world, 25)
        many = (await site.get("approvals", reader.telegram_id, language=language)).json()
    [request] = few["requests"]
    heading = request["heading"].split(" · ")
    assert heading[:4] == [f"#{left}", KIND[language], "Lê Văn Tâm", "Lan"]
    assert heading[4] == request["since"]
    assert few["more_said"] is None
    assert many["more"] is True
    assert many["more_said"] == MORE[language]


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_case_says_its_missing_steps_its_order_its_evidence_and_links_its_customer(
    world: World, language: str
) -> None:
    reader = world.minh if language == "en" else await supervisor_thu(world)
    case_id = await open_case(world.lan)
    await world.lan.press("Calm")
    await world.lan.press("Skip")  # the apology recorded, the fix not yet
    async with serving(world) as site:
        shown = (await site.get(f"cases/{case_id}", reader.telegram_id)).json()
    marks = shown["compliance"]
    assert marks["said"] == NOT_IN_ORDER[language]
    said = [step["said"] for step in marks["steps"]]
    assert said[0] == marks["steps"][0]["title"]  # recorded: its title alone
    assert all(
        s == f"{step['title']}{MISSING[language]}"
        for s, step in zip(said[1:], marks["steps"][1:], strict=True)
    )
    assert shown["evidence_said"] == NO_EVIDENCE[language]
    assert shown["customer"]["link"] == RECORD[language] + shown["customer"]["name"]
    await world.lan.send_document("doc-1", file_name="invoice.pdf")  # attached to the case
    async with serving(world) as site:
        shown = (await site.get(f"cases/{case_id}", reader.telegram_id)).json()
    assert [e["what"] for e in shown["evidence"]] != []
    assert shown["evidence_said"] == EVIDENCE_HINT[language].format(case=case_id)
