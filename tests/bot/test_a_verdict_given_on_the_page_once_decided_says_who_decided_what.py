"""A supervisor who decides on the Mini App's page a request someone else has decided already
(in the chat or on another page, while theirs stood open) is told plainly who decided what, in
their own language — as their copy in the chat says it once redrawn — and nothing is recorded
twice: no second verdict on the timeline, no second notice to the owner. A decision given
twice by the same supervisor (two pages open) says it was theirs; a request withdrawn or put
off meanwhile says so.

Before, the page answered only "This request has already been decided, or the case has moved
on.", naming nobody, above verdict buttons that still looked alive.
"""

from __future__ import annotations

import pytest

from tests.bot.conftest import MINH, World
from tests.bot.miniapp_site import serving
from tests.bot.test_requests_no_longer_waiting import THU, asked_both
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review

pytestmark = pytest.mark.asyncio

#: What the page tells the one who pressed too late, by who decided first and how.
NOTHING_LEFT = {"en": "Nothing is left for you to decide.", "vi": "Bạn không cần quyết định nữa."}
SAID = {
    ("thu", "y"): f"☑️ Case #{{case}}: Thu approved the compensation. {NOTHING_LEFT['en']}",
    ("thu", "n"): f"☑️ Case #{{case}}: Thu declined the compensation. {NOTHING_LEFT['en']}",
    ("minh", "y"): f"☑️ Hồ sơ #{{case}}: Minh đã duyệt khoản đền bù. {NOTHING_LEFT['vi']}",
    ("minh", "n"): f"☑️ Hồ sơ #{{case}}: Minh đã từ chối khoản đền bù. {NOTHING_LEFT['vi']}",
}


@pytest.mark.parametrize("verdict", ["y", "n"])
@pytest.mark.parametrize("first", ["thu", "minh"])
async def test_a_verdict_given_on_the_page_after_another_says_who_decided_what(
    world: World, first: str, verdict: str
) -> None:
    thu, case_id, minh_copy, thu_copy = await asked_both(world)  # Minh: English; Thu: Vietnamese
    if first == "thu":
        winner, copy, late_id = thu, thu_copy, MINH
        label = {"y": "Duyệt", "n": "Từ chối"}[verdict]
    else:
        winner, copy, late_id = world.minh, minh_copy, THU
        label = {"y": "Approve", "n": "Decline"}[verdict]
    async with serving(world) as site:
        shown = (await site.get(f"cases/{case_id}", late_id)).json()
        assert shown["request"]["may_decide"]
        told_before = len(world.lan.messages)
        await winner.press(label, copy)  # decided in the chat while the page stands open
        told = len(world.lan.messages)
        assert told > told_before
        late = await site.post(
            f"cases/{case_id}/decision",
            {"version": shown["request"]["version"], "verdict": "y", "comment": "Fine by me"},
            late_id,
        )
    assert late.status_code == 409
    other = "Minh" if first == "thu" else "Thu"
    message = late.json()["message"]
    assert message == SAID[(first, verdict)].format(case=case_id)
    assert other not in message  # the one who pressed late is not named as deciding
    events = await world.events(case_id)
    assert [e.kind for e in events].count("approved" if verdict == "y" else "declined") == 1
    assert not [e for e in events if e.kind == "approval_comment"]
    assert len(world.lan.messages) == told  # the owner is told once, by the first decision


async def test_a_verdict_given_twice_by_the_same_supervisor_says_it_was_theirs(
    world: World,
) -> None:
    _, case_id, _, _ = await asked_both(world)
    async with serving(world) as site:
        shown = (await site.get(f"cases/{case_id}", MINH)).json()
        body = {"version": shown["request"]["version"], "verdict": "y", "comment": None}
        first = await site.post(f"cases/{case_id}/decision", body, MINH)
        again = await site.post(f"cases/{case_id}/decision", body, MINH)  # a second page
    assert first.status_code == 200
    assert again.status_code == 409
    assert again.json()["message"] == f"✅ You approved the compensation for case #{case_id}."
    assert [e.kind for e in await world.events(case_id)].count("approved") == 1


async def test_a_verdict_given_on_the_page_after_the_request_was_put_off_says_who_put_it_off(
    world: World,
) -> None:
    thu, _, _, _ = await asked_both(world)
    await add_customer(world, "Công ty Minh Phát", "business")
    case_id = await open_review(world.lan, "Công ty Minh Phát")
    await climb_to_decision(world.lan)
    async with serving(world) as site:
        shown = (await site.get(f"cases/{case_id}", MINH)).json()
        await thu.press("Để sau", thu.last)  # put off in the chat: asked again, anew
        late = await site.post(
            f"cases/{case_id}/decision",
            {"version": shown["request"]["version"], "verdict": "n", "comment": None},
            MINH,
        )
    assert late.status_code == 409
    assert late.json()["message"].startswith(f"☑️ Case #{case_id}: Thu put the decision off.")
