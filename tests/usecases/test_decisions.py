"""Supervisors' decisions: who may decide, who is asked and told, comments."""

from __future__ import annotations

from flows.outcomes import Notify, ShowCase
from flows.policy import Policy
from flows.procedures import ASKING_STATES, PROCEDURES
from tests.usecases.office import KHOA, Office, Person, notified, refusal, said
from tests.usecases.walks import asking_approval, complaint


def test_the_states_that_may_ask_for_an_approval_mid_step_are_those_whose_forms_ask_one() -> None:
    asking = {
        str(state)
        for p in PROCEDURES.values()
        for state in p.flow.all_states()
        if any(f.kind == "approval" for f in p.form(state, Policy()))
    }
    assert asking == set(ASKING_STATES) == {"termination_conversation"}


async def test_a_supervisor_cannot_decide_on_their_own_case_but_another_may(
    office: Office, minh: Person
) -> None:
    khoa = await office.register(KHOA, "Khoa", "supervisor")
    case_id, outcomes = await asking_approval(minh, await office.customer("Mai"))
    assert notified(outcomes) == [("Khoa", "approval_request")]
    assert await refusal(minh.decide(case_id, "y")) == "approval.not_own"
    await khoa.decide(case_id, "y")
    assert office.case(case_id).state == "follow_up"


async def test_a_supervisor_who_asked_on_someones_case_cannot_decide_it_and_both_are_told(
    office: Office, lan: Person, minh: Person
) -> None:
    khoa = await office.register(KHOA, "Khoa", "supervisor")
    case_id = await complaint(lan, await office.customer("Mai"), "compensate")
    await minh.press("refund", case_id)
    asked = await minh.type("2tr")  # Minh enters the offer on Lan's case
    assert office.case(case_id).draft["_asked_by"] == minh.id
    assert notified(asked) == [("Lan", "worked_on"), ("Khoa", "approval_request")]
    assert [r.recipient_id for r in office.reminders("approval_pending")] == [khoa.id]
    assert await refusal(minh.decide(case_id, "y")) == "approval.not_own"
    told = await khoa.decide(case_id, "y")
    assert notified(told) == [("Lan", "decision"), ("Minh", "decision")]


async def test_staff_cannot_decide(office: Office, lan: Person, hoa: Person) -> None:
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    assert await refusal(hoa.decide(case_id, "y")) == "error.supervisors_only"
    assert office.case(case_id).state == "awaiting_approval"


async def test_a_decision_drawn_for_an_earlier_version_or_unknown_changes_nothing(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    version = office.case(case_id).version
    assert await refusal(minh.decide(case_id, "y", version - 1)) == "approval.already_decided"
    assert await refusal(minh.decide(case_id, "maybe")) == "approval.already_decided"
    assert await refusal(minh.decide(case_id, "l")) == "approval.already_decided"  # reviews only
    assert office.case(case_id).state == "awaiting_approval"
    await minh.decide(case_id, "y")
    assert await refusal(minh.decide(case_id, "n", version)) == "approval.already_decided"


async def test_a_case_that_waits_for_no_decision_cannot_be_decided(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"))
    assert await refusal(minh.decide(case_id, "y")) == "approval.already_decided"


async def test_a_lone_supervisor_who_asks_is_told_nobody_else_can_decide(
    office: Office, minh: Person
) -> None:
    case_id, outcomes = await asking_approval(minh, await office.customer("Mai"))
    assert said(outcomes) == ["approval.nobody_else"]
    assert office.reminders("approval_pending") == []
    assert office.case(case_id).state == "awaiting_approval"


async def test_the_decision_is_announced_as_what_it_decides(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    outcomes = await minh.decide(case_id, "y")
    assert said(outcomes) == ["approval.recorded.compensation.approved"]
    (notice,) = [o for o in outcomes if isinstance(o, Notify)]
    assert notice.params == {"verdict": "approved", "by": "Minh", "subject": "compensation"}
    approved = office.last_event(case_id, "approved")
    assert (approved.actor_id, approved.step) == (minh.id, "awaiting_approval")


async def test_a_comment_on_a_decision_is_logged_and_passed_on_to_the_owner(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    await minh.decide(case_id, "n")
    assert minh.row.expecting == "approval_comment"
    outcomes = await minh.type("Offer a voucher instead")
    assert said(outcomes) == ["approval.comment_saved"]
    assert notified(outcomes) == [("Lan", "approval_comment")]
    comment = office.last_event(case_id, "approval_comment")
    assert (comment.actor_id, comment.data) == (minh.id, {"text": "Offer a voucher instead"})
    assert minh.row.expecting is None


async def test_a_decision_without_a_comment_asks_for_nothing_more(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    await minh.decide(case_id, "y")
    assert said(await minh.do(lambda w: w.decisions.skip_comment(w.actor))) == [
        "approval.no_comment"
    ]
    assert minh.row.expecting is None
    assert "approval_comment" not in office.logged(case_id)


async def test_supervisors_who_left_are_neither_asked_nor_reminded(
    office: Office, lan: Person, minh: Person
) -> None:
    await office.register(KHOA, "Khoa", "supervisor")
    await office.system(lambda w: w.people.deactivate(KHOA))
    _, outcomes = await asking_approval(lan, await office.customer("Mai"))
    assert notified(outcomes) == [("Minh", "approval_request")]
    assert [r.recipient_id for r in office.reminders("approval_pending")] == [minh.id]


async def test_an_owner_who_left_is_not_told_the_decision_but_the_decider_is_told_it_waits(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    await office.system(lambda w: w.people.deactivate(lan.telegram_id))
    assert notified(await minh.decide(case_id, "y")) == [("Minh", "left_waiting")]


async def test_a_supervisor_opening_a_case_that_waits_for_them_sees_the_request(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    (request,) = await minh.do(lambda w: w.desk.open_case(w.actor, case_id))
    assert isinstance(request, Notify)
    assert (request.recipient.name, request.kind) == ("Minh", "approval_request")
    assert request.params == {
        "asked_by": "Lan",
        "asker_left": False,
        "type": "refund",
        "value": 2_000_000,
        "given": 0,
        "limit": 500_000,  # the staff limit it was asked above, and the limit now
        "limit_now": 500_000,
    }
    (card,) = await lan.do(lambda w: w.desk.open_case(w.actor, case_id))
    assert isinstance(card, ShowCase)
