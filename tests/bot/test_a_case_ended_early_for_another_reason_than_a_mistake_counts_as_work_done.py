"""A case is ended before its last step in one of two ways, a press each, and only a mistake
is left out of the figures: ✖ Cancel (mistake) — a duplicate, the wrong customer — counts in
no figure, while ⏹ End early — the customer withdrew the complaint or could not be reached,
the case went to another team — is work done, counted as any case that ended: "Opened ·
closed", the complaints that ended (not satisfied), the customer's record and the at-risk
rule, in /report and the Mini App alike, whoever ends it (its owner, or a supervisor, who
tells the owner), in both languages. Before, every cancel counted as a mistake: a complaint
the customer withdrew vanished from the figures and lifted the at-risk flag it had raised."""

from __future__ import annotations

import pytest

from bot.report_commands import add_report_handlers
from standin.inprocess import Person
from tests.bot.conftest import World, staff_and_supervisor
from tests.bot.miniapp_site import serving
from tests.bot.test_a_complaint_cancelled_as_a_mistake_is_no_complaint_in_the_figures import (
    CUSTOMER,
    closed_satisfied,
    share,
)
from tests.bot.test_a_complaint_cancelled_as_a_mistake_lifts_the_at_risk_flag_it_raised import (
    cancel,
    status,
)
from tests.bot.walk import case_number, open_case, words

pytestmark = pytest.mark.asyncio

GIVEN = {"vi": "200.000 VND", "en": "200,000 VND"}


async def end_early(person: Person, case_id: int, reason: str) -> None:
    """End a case early from its timeline, as its owner or a supervisor carrying it on."""
    await person.send(f"/case {case_id}")
    await person.press(words(person, "button.carry_on"))
    await person.press(words(person, "button.end_reason"))
    assert words(person, "ask.end_reason", case=case_id) in person.last_text
    await person.send(reason)


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_a_case_ended_early_counts_where_one_cancelled_as_a_mistake_does_not(
    world: World, locale: str
) -> None:
    add_report_handlers(world.app)
    person, reader = await staff_and_supervisor(world, locale)
    await closed_satisfied(person)
    withdrawn = await open_case(person, CUSTOMER, existing=True)  # two: flagged at risk
    assert await status(world, withdrawn) == "at_risk"
    await end_early(person, withdrawn, "Khách rút khiếu nại")
    said = words(person, "case.ended_early", case=withdrawn)
    assert any(said in m.plain_text for m in person.messages[-3:])
    assert (await world.case(withdrawn)).state == "cancelled"
    assert await status(world, withdrawn) == "at_risk"  # a complaint made: the flag stays
    duplicate = await open_case(person, CUSTOMER, existing=True)
    await cancel(person, duplicate)

    await person.send(f"/customer {CUSTOMER}")
    await person.press(words(person, "button.new_check_in"))
    check_in = case_number(person.last_text)
    why = "Gọi ba lần không được"
    await end_early(reader, check_in, why)  # a supervisor ends it
    by = reader.first_name
    told = words(person, "notify.case_ended_early", by=by, case=check_in, reason=why)
    assert any(told in m.plain_text for m in person.messages[-3:])

    await reader.send(f"/case {withdrawn}")
    assert words(reader, "event.ended_early") in reader.last_text
    await reader.send(f"/customer {CUSTOMER}")
    given = GIVEN[locale]
    record = words(reader, "record.complaints", complaints=2, reopens=0, compensation=given)
    assert record in reader.last_text

    await reader.send("/report week")
    await world.work_done()
    report = reader.messages[-2].plain_text
    assert words(reader, "report.opened_closed", opened=3, closed=3) in report
    assert words(reader, "report.ended_heading", count=2) in report
    satisfied = share(reader, 1, 2, "50%")
    assert words(reader, "report.satisfied", share=satisfied) in report
    async with serving(world) as site:
        shown = (await site.get("report?period=week", reader.chat_id)).json()
    tiles = {t["label"]: t["value"] for t in shown["tiles"]}
    opened, closed, satisfied_tile = (
        words(reader, f"miniapp.tile_{k}") for k in ("opened", "closed", "satisfied")
    )
    assert (tiles[opened], tiles[closed], tiles[satisfied_tile]) == ("3", "3", satisfied)
    # Lists name each ending as its card does: "ended early" is not "cancelled".
    early, cancelled = (
        words(reader, "step.ended_early.short"),
        words(reader, "step.cancelled.short"),
    )
    await reader.send("/cases closed")
    rows = {case_number(label): label for label in reader.buttons if label.startswith("#")}
    assert rows[withdrawn].endswith(f" · {early}")
    assert rows[duplicate].endswith(f" · {cancelled}")
    customer_id = (await world.case(withdrawn)).customer_id
    async with serving(world) as site:
        log = (await site.post("cases", {"status": "c"}, reader.chat_id)).json()
        record = (await site.get(f"customers/{customer_id}", reader.chat_id)).json()
    for listed in (log["rows"], record["cases"]):
        states = {row["id"]: row["state"] for row in listed}
        assert (states[withdrawn], states[duplicate]) == (early, cancelled)
