"""The problem-customer review: the ladder, its decision, and the termination conversation."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from unittest.mock import ANY

from flows.case_filter import FilterWords
from flows.forms import asked_version
from flows.model import Incident
from flows.outcomes import Notify, Say, ShowCases
from tests.fakes.uow import FakeUnitOfWork
from tests.usecases.office import Office, Person, notified, refusal, said, shown
from tests.usecases.walks import CONVERSATION, answer_all, complaint, review, waiting_on_rung

MAY_2021 = date(2021, 5, 1)  # five and a half years before the clock: long-standing


async def approved(lan: Person, minh: Person, customer_id: int) -> int:
    """A review climbed to the end and approved by Minh: the conversation begins."""
    case_id = await review(lan, customer_id, "awaiting_decision")
    await minh.decide(case_id, "y")
    return case_id


async def at_goodwill(lan: Person, minh: Person, customer_id: int) -> int:
    """An approved termination of an individual, its conversation up to the goodwill offer."""
    case_id = await approved(lan, minh, customer_id)
    await lan.press("ready")
    await answer_all(lan, CONVERSATION[:3])
    return case_id


async def document(office: Office, customer_id: int, kind: str) -> None:
    async def add(uow: FakeUnitOfWork) -> None:
        uow.incidents.add(Incident(customer_id, kind, date(2026, 11, 2), "In front of the team"))

    await office.unit(add)


async def test_a_review_shows_the_customers_record_but_not_itself_among_their_open_cases(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai", since=date(2024, 11, 23), yearly_value=12_000_000)
    earlier = await complaint(lan, mai)
    outcomes = await lan.do(lambda w: w.desk.open(w.actor, "problem_review", mai))
    record = shown(outcomes).view.record
    assert record is not None
    assert (record.complaints, record.yearly_value) == (1, 12_000_000)
    assert record.open_cases == [earlier]
    assert record.lifetime_value == 24_000_000  # 2 years of 12tr: about 24tr
    assert office.logged(lan.row.expecting_case_id or 0) == ["opened", "customer_chosen"]


async def test_a_review_dates_the_first_and_the_last_complaint_the_customer_made(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    first = office.clock()
    await complaint(lan, mai)
    office.clock.advance(days=42)
    await complaint(lan, mai)
    office.clock.advance(days=3)
    await lan.new("complaint", mai)  # still at its intake: not counted, as in the count
    outcomes = await lan.do(lambda w: w.desk.open(w.actor, "problem_review", mai))
    record = shown(outcomes).view.record
    assert record is not None
    assert record.complaints == 2
    assert record.complaints_between == (first, first + timedelta(days=42))


async def test_a_resolved_rung_closes_the_review_with_the_customer_retained(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    case_id = await review(lan, mai)
    await lan.type("Met her: our new pricing confused her")
    await lan.press("resolved")
    case = office.case(case_id)
    assert (case.state, case.resolution) == ("retained", "retained")
    assert case.closed_at == office.clock()
    assert office.customer_row(mai).status == "active"


async def test_a_rung_not_resolved_climbs_to_the_next_with_what_was_tried(
    office: Office, lan: Person
) -> None:
    case_id = await review(lan, await office.customer("Mai"))
    await lan.type("Walked her through the catalogue")
    await lan.press("not_resolved")
    assert office.case(case_id).state == "educate"
    climbed = office.last_event(case_id, "next")
    assert (climbed.step, climbed.data["rung_action"], climbed.data["to"]) == (
        "reassess",
        "Walked her through the catalogue",
        "educate",
    )


async def test_skipping_a_rung_needs_a_reason_and_the_last_rung_cannot_be_skipped(
    office: Office, lan: Person
) -> None:
    case_id = await review(lan, await office.customer("Mai"))
    await lan.side("skip_reason")
    assert await refusal(lan.type("")) == "error.empty"
    assert office.case(case_id).state == "reassess"
    await lan.type("She knows our range well")
    skipped = office.last_event(case_id, "skip")
    assert (skipped.step, skipped.data) == (
        "reassess",
        {"reason": "She knows our range well", "to": "educate"},
    )
    await review(lan, await office.customer("Thu"), "migrate")  # another customer's review
    assert await refusal(lan.side("skip_reason")) == "error.not_now"


async def test_wait_and_see_stays_on_the_rung_and_comes_back_to_it_later(
    office: Office, lan: Person
) -> None:
    case_id = await waiting_on_rung(lan, await office.customer("Mai"))
    case = office.case(case_id)
    (check,) = office.reminders("ladder_check")
    assert (case.state, case.draft) == (
        "reassess",
        {"_waiting_since": check.payload["waiting_since"], "_waiting_until": ANY},
    )
    assert datetime.fromisoformat(case.draft["_waiting_until"]) == check.due_at  # on the card
    assert (check.recipient_id, check.case_id, check.payload["state"]) == (
        lan.id,
        case_id,
        "reassess",
    )
    assert check.due_at == datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # in a week, at nine


async def test_a_long_standing_customer_brings_the_caution_first(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai", since=MAY_2021)
    case_id = await review(lan, mai)
    assert await office.asks(case_id) == "caution"
    await lan.press("may_change")
    await lan.press("in_2_weeks")
    assert office.case(case_id).state == "reassess"
    assert office.last_event(case_id, "wait").data["caution"] == "may_change"
    assert len(office.reminders("ladder_check")) == 1
    assert await office.asks(case_id) == "rung_action"  # asked once: the rung goes on


async def test_a_customer_of_less_than_five_years_gets_no_caution(
    office: Office, lan: Person
) -> None:
    case_id = await review(lan, await office.customer("Mai", since=date(2022, 1, 1)))
    assert await office.asks(case_id) == "rung_action"


async def test_going_straight_to_a_decision_needs_documented_abuse_or_unethical_conduct(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    case_id = await review(lan, mai)
    await document(office, mai, "late_payment")
    assert await refusal(lan.side("straight")) == "review.no_grounds"
    await document(office, mai, "abuse_of_staff")
    await lan.side("straight")
    assert await office.asks(case_id) == "reasons"
    for answer in ("abuses_staff", "done"):
        await lan.press(answer)
    await lan.type("Shouted at Lan in front of customers")
    outcomes = await lan.press("done")  # no client type ticked: optional
    case = office.case(case_id)
    assert case.state == "awaiting_decision"
    assert office.last_event(case_id, "straight_to_decision").step == "reassess"
    assert notified(outcomes) == [("Minh", "decision_request")]


async def test_going_straight_to_a_decision_keeps_the_situation_its_documented_grounds_show(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    case_id = await review(lan, mai)
    await document(office, mai, "unethical_proposal")
    await lan.side("straight")
    await lan.press("unprofitable")
    assert await refusal(lan.press("done")) == "review.grounds_not_ticked"
    await lan.press("abuses_staff")  # not what was documented: still refused
    assert await refusal(lan.press("done")) == "review.grounds_not_ticked"
    assert await office.asks(case_id) == "reasons"
    await lan.press("unethical")
    await lan.press("done")
    assert office.case(case_id).draft["reasons"] == ["abuses_staff", "unprofitable", "unethical"]


async def test_a_review_not_resolved_on_the_last_rung_asks_for_a_decision_with_its_grounds(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id = await review(lan, await office.customer("Mai"), "migrate")
    await lan.type("Proposed prepaid billing")
    await lan.press("not_resolved")
    assert await office.asks(case_id) == "reasons"
    await lan.press("unprofitable")
    await lan.press("trivial_complaints")
    await lan.press("unprofitable")  # ticked again: unticked
    await lan.press("done")
    await lan.type("Five complaints about nothing")
    await lan.press("uncivil")
    outcomes = await lan.press("done")
    assert office.case(case_id).state == "awaiting_decision"
    (request,) = [o for o in outcomes if isinstance(o, Notify)]
    assert request.params["reasons"] == {"trivial_complaints": "Five complaints about nothing"}
    assert request.params["types"] == ["uncivil"]
    ladder = [kind for _, kind, _ in request.params["ladder"]]
    assert ladder == ["next", "next", "next", "request_decision"]
    assert request.params["asked_by"] == "Lan"
    assert [r.recipient_id for r in office.reminders("approval_pending")] == [minh.id]


async def test_a_declined_termination_returns_the_review_to_the_last_rung(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id = await review(lan, await office.customer("Mai"), "awaiting_decision")
    outcomes = await minh.decide(case_id, "n")
    case = office.case(case_id)
    assert (case.state, case.draft) == ("migrate", {})
    assert said(outcomes) == ["approval.recorded.termination.declined"]
    assert notified(outcomes) == [("Lan", "decision")]


async def test_later_keeps_the_review_waiting_for_the_same_supervisors(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id = await review(lan, await office.customer("Mai"), "awaiting_decision")
    await minh.decide(case_id, "l")
    case = office.case(case_id)
    assert (case.state, case.draft["_asked_by"]) == ("awaiting_decision", lan.id)
    assert office.last_event(case_id, "later").actor_id == minh.id


async def test_an_approved_termination_opens_the_conversation_for_the_customers_kind(
    office: Office, lan: Person, minh: Person
) -> None:
    person = await approved(lan, minh, await office.customer("Mai"))
    company = await approved(lan, minh, await office.customer("Hòa Bình Co", kind="business"))
    assert office.case(person).state == "termination_conversation"
    assert await office.asks(person) == "prepared"  # by phone or in person
    assert await office.asks(company) == "renewal_date"  # notice before the renewal


async def test_a_business_renewal_date_plans_the_notice_months_before_it(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id = await approved(lan, minh, await office.customer("Hòa Bình Co", kind="business"))
    outcomes = await lan.type("31/08/2027")
    assert said(outcomes) == ["review.notice_date"]
    (notice,) = office.reminders("termination_notice")
    assert notice.payload == {"notice": "2027-05-31"}  # three months before
    assert notice.due_at == datetime(2027, 5, 31, 2, 0, tzinfo=UTC)
    assert office.last_event(case_id, "move_prepare").data == {"renewal_date": "2027-08-31"}


async def test_a_renewal_too_near_for_the_notice_months_says_so_and_reminds_at_once(
    office: Office, lan: Person, minh: Person
) -> None:
    await approved(lan, minh, await office.customer("Hòa Bình Co", kind="business"))
    today = office.clock().date()
    renewal = today + timedelta(weeks=7)  # three months' notice would have been in the past
    outcomes = await lan.type(f"{renewal:%d/%m/%Y}")
    assert said(outcomes) == ["review.notice_late"]
    (notice,) = office.reminders("termination_notice")
    assert notice.due_at <= office.clock() + timedelta(days=1)  # today, or the next open day


async def test_each_move_of_the_conversation_is_logged_when_it_is_made(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id = await at_goodwill(lan, minh, await office.customer("Mai"))
    logged = ["approved", "move_prepare", "move_appreciate", "move_frame"]
    assert office.logged(case_id)[-4:] == logged  # the goodwill move is under way
    await answer_all(lan, CONVERSATION[3:])
    moves = [e.kind for e in office.events(case_id) if e.kind.startswith("move_")]
    assert moves == [
        "move_prepare",
        "move_appreciate",
        "move_frame",
        "move_goodwill",
        "move_apologise",
        "move_alternatives",
    ]
    assert office.last_event(case_id, "move_goodwill").data == {
        "goodwill": "refund_last_period",
        "goodwill_value": 300_000,
        "goodwill_response": "They accepted the refund",
    }


async def test_goodwill_above_the_limit_waits_for_a_supervisor_in_the_conversation(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id = await at_goodwill(lan, minh, await office.customer("Mai"))
    outcomes = await lan.type("2tr")
    assert await office.asks(case_id) == "goodwill_approval"
    assert notified(outcomes) == [("Minh", "goodwill_approval_request")]
    typed = await lan.type("Go on, she agreed on the phone")
    assert said(typed) == ["approval.waiting_keep"]
    [token] = [o.params["kept"] for o in typed if isinstance(o, Say)]
    kept = await lan.do(lambda w: w.desk.keep_refused(w.actor, case_id, token))
    assert said(kept) == ["note.saved"]  # the whole text, as a note; the request still waits
    assert office.last_event(case_id, "note").data == {"text": "Go on, she agreed on the phone"}
    assert await office.asks(case_id) == "goodwill_approval"
    assert said(await minh.decide(case_id, "n")) == ["approval.recorded.goodwill.declined"]
    assert await office.asks(case_id) == "goodwill"  # proposed afresh
    await lan.press("cancel_final_invoice")
    await lan.type("2tr")
    await minh.decide(case_id, "y")
    assert await office.asks(case_id) == "goodwill_response"
    assert office.case(case_id).state == "termination_conversation"


async def test_goodwill_waiting_for_approval_is_listed_in_approvals_until_decided(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id = await at_goodwill(lan, minh, await office.customer("Mai"))

    async def listed() -> list[int]:
        (shown,) = await minh.do(lambda w: w.oversight.approvals(w.actor))
        assert isinstance(shown, ShowCases)
        return [case.id or 0 for case, _ in shown.cases]

    assert await listed() == []  # in the conversation, nothing asked yet
    await lan.type("2tr")
    assert await listed() == [case_id]
    await minh.decide(case_id, "y")
    assert await listed() == []


async def test_every_list_of_what_waits_for_a_decision_lists_a_goodwill_offer_asked_for(
    office: Office, lan: Person, minh: Person
) -> None:
    waiting = await review(lan, await office.customer("Hà"), "awaiting_decision")
    case_id = await at_goodwill(lan, minh, await office.customer("Mai"))

    async def lists() -> tuple[list[int], list[int]]:
        (approvals,) = await minh.do(lambda w: w.oversight.approvals(w.actor))
        (awaiting,) = await minh.do(lambda w: w.lists.cases(w.actor, FilterWords(status="a")))
        assert isinstance(approvals, ShowCases)
        assert isinstance(awaiting, ShowCases)
        listed = sorted(c.id or 0 for c, _ in approvals.cases)
        return listed, [c.id or 0 for c, _ in awaiting.cases]

    assert await lists() == ([waiting], [waiting])  # in the conversation, nothing asked yet
    await lan.type("2tr")
    assert await lists() == ([waiting, case_id], [case_id, waiting])  # /cases: newest first
    await minh.decide(case_id, "y")
    assert await lists() == ([waiting], [waiting])


async def test_a_goodwill_offer_still_waits_and_is_decided_while_an_incident_is_written(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id = await at_goodwill(lan, minh, await office.customer("Mai"))
    await lan.type("2tr")
    await lan.side("incident")
    assert await office.asks(case_id) == "incident_kind"

    async def approvals() -> list[int]:
        (shown,) = await minh.do(lambda w: w.oversight.approvals(w.actor))
        assert isinstance(shown, ShowCases)
        return [case.id or 0 for case, _ in shown.cases]

    assert await approvals() == [case_id]
    asked = asked_version(office.case(case_id))  # the request's buttons carry it
    assert said(await minh.decide(case_id, "y", asked)) == ["approval.recorded.goodwill.approved"]
    assert office.case(case_id).draft["goodwill_approval"] == "approved"
    assert await office.asks(case_id) == "incident_kind"  # the incident goes on
    assert await approvals() == []


async def test_concluding_terminates_the_customer_and_closes_their_open_complaints(
    office: Office, lan: Person, minh: Person
) -> None:
    mai = await office.customer("Mai")
    open_complaint = await complaint(lan, mai, "fix")
    case_id = await approved(lan, minh, mai)
    await lan.press("ready")
    await answer_all(lan, CONVERSATION)
    review_case, closed = office.case(case_id), office.case(open_complaint)
    assert (review_case.state, review_case.resolution) == ("terminated", "terminated")
    assert office.customer_row(mai).status == "terminated"
    assert (closed.state, closed.resolution, closed.closed_at) == (
        "cancelled",
        "customer_terminated",
        office.clock(),
    )
    assert office.last_event(open_complaint, "cancel").data == {
        "terminated_by": case_id,
        "to": "cancelled",
    }
    assert office.last_event(case_id, "concluded").data == {"to": "terminated"}


async def test_a_review_cannot_be_decided_by_staff_or_by_whoever_asked(
    office: Office, lan: Person, hoa: Person, minh: Person
) -> None:
    case_id = await review(lan, await office.customer("Mai"), "awaiting_decision")
    assert await refusal(hoa.decide(case_id, "y")) == "error.supervisors_only"
    assert await refusal(lan.decide(case_id, "y")) == "error.supervisors_only"
    stale = office.case(case_id).version - 1
    assert await refusal(minh.decide(case_id, "y", stale)) == "approval.already_decided"
    assert office.case(case_id).state == "awaiting_decision"


async def test_a_review_needs_a_customer_who_is_still_ours(office: Office, lan: Person) -> None:
    gone = await office.customer("Gone", status="defected")
    assert await refusal(lan.new("problem_review", gone)) == "customer.refused.problem_review"
    case_id = await lan.new("problem_review")
    assert await refusal(lan.press(str(gone))) == "customer.refused.problem_review"
    assert office.case(case_id).customer_id is None


async def test_a_new_customer_is_added_as_soon_as_the_review_has_their_details(
    office: Office, lan: Person
) -> None:
    case_id = await lan.new("problem_review")
    await lan.press("new")
    await lan.type("Công ty Hòa Bình")
    await lan.skip()
    await lan.press("business")
    await lan.type("2018")
    await lan.type("40tr")
    case = office.case(case_id)
    company = office.customer_row(case.customer_id or 0)
    assert (company.name, company.kind) == ("Công ty Hòa Bình", "business")
    assert company.yearly_value == 40_000_000
    assert company.title is None
    assert await office.asks(case_id) == "caution"  # customer since 2018: long-standing
    assert office.case(case_id).draft == {"long_standing": True}


async def test_wait_and_see_never_lands_on_a_closed_day(office: Office, lan: Person) -> None:
    office.clock.advance(days=4)  # Friday 27 November: in a month is a Sunday
    case_id = await waiting_on_rung(lan, await office.customer("Mai"), "in_a_month")
    (check,) = office.reminders("ladder_check", case_id)
    assert check.due_at == datetime(2026, 12, 28, 2, 0, tzinfo=UTC)  # Monday, 09:00


async def test_a_review_of_a_customer_who_left_meanwhile_is_refused_and_keeps_how_they_left(
    office: Office, lan: Person, minh: Person
) -> None:
    mai = await office.customer("Mai")
    case_id = await approved(lan, minh, mai)
    await office.unit(lambda uow: _defect(uow, mai))  # left, outside any exit interview
    await lan.press("ready", case_id)
    await answer_all(lan, CONVERSATION[:-1])
    assert await refusal(lan.type("They will look at it")) == "customer.refused.problem_review"
    assert office.case(case_id).state == "termination_conversation"
    assert office.customer_row(mai).status == "defected"


async def test_a_second_review_of_a_customer_is_refused_while_the_first_is_open(
    office: Office, lan: Person, minh: Person
) -> None:
    mai = await office.customer("Mai")
    first = await approved(lan, minh, mai)
    assert await refusal(review(lan, mai)) == "review.already_open"
    assert office.case(first).state == "termination_conversation"


async def _defect(uow: FakeUnitOfWork, customer_id: int) -> None:
    customer = await uow.customers.get(customer_id)
    assert customer is not None
    customer.status = "defected"


async def test_a_check_in_left_open_is_closed_when_the_review_concludes(
    office: Office, lan: Person, minh: Person
) -> None:
    mai = await office.customer("Mai")
    check_in = await lan.new("check_in", mai)
    case_id = await approved(lan, minh, mai)
    await lan.press("ready", case_id)
    await answer_all(lan, CONVERSATION)
    assert office.case(case_id).state == "terminated"
    ended = office.case(check_in)
    assert (ended.state, ended.resolution) == ("cancelled", "customer_terminated")


async def test_a_notice_date_on_a_sunday_is_brought_forward_to_the_saturday(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id = await approved(lan, minh, await office.customer("Hòa Bình Co", kind="business"))
    await lan.type("27/03/2027")  # three months before is Sunday 27 December
    (notice,) = office.reminders("termination_notice", case_id)
    assert notice.payload == {"notice": "2026-12-26"}
    assert notice.due_at == datetime(2026, 12, 26, 2, 0, tzinfo=UTC)
