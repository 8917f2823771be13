"""Exit interviews and check-ins, and what they do to the customer's standing."""

from __future__ import annotations

import pytest

from tests.usecases.office import Office, Person, refusal

AT_RISK = {"status": "at_risk", "at_risk_reason": "Talks of leaving", "at_risk_by": 1}


async def interview(lan: Person, customer_id: int, result: str) -> int:
    case_id = await lan.new("exit_interview", customer_id)
    for reason in ("competitor_offer", "price_quality", "done"):
        await lan.press(reason)
    await lan.type("Another shop offered 20% less; our last delivery was late")
    await lan.type("Offered a year of free delivery")
    await lan.press(result)
    return case_id


async def check_in(lan: Person, customer_id: int, standing: str) -> int:
    case_id = await lan.new("check_in", customer_id)
    await lan.type("Close to home, and they know her")
    await lan.press("needs_partly_met")
    await lan.type("Open on Sundays")
    await lan.skip()  # what others do better: optional
    await lan.press(standing)
    return case_id


async def test_an_exit_interview_records_why_the_customer_left_and_they_defect(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    case_id = await interview(lan, mai, "defected")
    case = office.case(case_id)
    assert (case.state, case.resolution) == ("defected", "defected")
    assert case.closed_at == office.clock()
    assert office.customer_row(mai).status == "defected"
    answered = office.last_event(case_id, "answered")
    assert answered.data["exit_reasons"] == ["price_quality", "competitor_offer"]  # as listed
    assert office.last_event(case_id, "defected").data["reasons"] == [
        "price_quality",
        "competitor_offer",
    ]


async def test_an_exit_interview_needs_at_least_one_reason_ticked(
    office: Office, lan: Person
) -> None:
    case_id = await lan.new("exit_interview", await office.customer("Mai"))
    assert await refusal(lan.press("done")) == "error.pick_one"
    await lan.press("everything")
    await lan.press("everything")  # ticked twice: unticked
    assert await refusal(lan.press("done")) == "error.pick_one"
    assert office.case(case_id).state == "interview"


async def test_a_customer_won_back_is_active_again_and_no_longer_flagged(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai", **AT_RISK)
    case_id = await interview(lan, mai, "won_back")
    assert office.case(case_id).resolution == "won_back"
    customer = office.customer_row(mai)
    assert customer.status == "active"
    # a later flag, by hand or automatic, must not show this one's reason and flagger
    assert (customer.at_risk_reason, customer.at_risk_by) == (None, None)


async def test_a_customer_who_defects_keeps_the_story_of_the_flag(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai", **AT_RISK)
    await interview(lan, mai, "defected")
    customer = office.customer_row(mai)
    assert (customer.status, customer.at_risk_reason) == ("defected", "Talks of leaving")


@pytest.mark.parametrize(
    ("status", "opens"),
    [
        ("active", ("complaint", "problem_review", "check_in", "exit_interview")),
        ("at_risk", ("complaint", "problem_review", "check_in", "exit_interview")),
        ("defected", ("complaint", "exit_interview")),
        ("terminated", ("complaint",)),
    ],
)
async def test_what_opens_for_a_customer_depends_on_where_they_stand(
    office: Office, lan: Person, status: str, opens: tuple[str, ...]
) -> None:
    customer = await office.customer("Mai", status=status)
    for kind in ("complaint", "problem_review", "check_in", "exit_interview"):
        if kind in opens:
            assert office.case(await lan.new(kind, customer)).customer_id == customer
        else:
            assert await refusal(lan.new(kind, customer)) == f"customer.refused.{kind}"


async def test_a_customer_who_left_and_is_won_back_in_a_second_interview_is_active(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai", status="defected")
    await interview(lan, mai, "won_back")
    assert office.customer_row(mai).status == "active"


async def test_a_check_in_where_the_customer_stays_lifts_the_at_risk_flag(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai", **AT_RISK)
    case_id = await check_in(lan, mai, "stays")
    customer = office.customer_row(mai)
    assert customer.status == "active"
    assert (customer.at_risk_since, customer.at_risk_reason, customer.at_risk_by) == (
        None,
        None,
        None,
    )
    case = office.case(case_id)
    assert (case.state, case.resolution) == ("checked_in", "stays")
    heard = office.last_event(case_id, "heard").data
    assert (heard["why_us"], heard["needs"], heard["others_better"]) == (
        "Close to home, and they know her",
        "needs_partly_met",
        None,
    )


@pytest.mark.parametrize("standing", ["undecided", "leaving"])
async def test_a_check_in_where_the_customer_hesitates_keeps_the_flag(
    office: Office, lan: Person, standing: str
) -> None:
    mai = await office.customer("Mai", **AT_RISK)
    case_id = await check_in(lan, mai, standing)
    assert office.customer_row(mai).status == "at_risk"
    assert office.customer_row(mai).at_risk_reason == "Talks of leaving"
    assert office.case(case_id).resolution == standing


async def test_a_check_in_with_a_customer_who_was_not_at_risk_leaves_them_active(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    await check_in(lan, mai, "stays")
    assert office.customer_row(mai).status == "active"
