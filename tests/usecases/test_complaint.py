"""The complaint: intake, the five steps in order, their rules, and the side actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flows.forms import waiting_version
from flows.model import Customer, Incident
from flows.outcomes import ShowCase, ShowTimeline
from flows.procedures.complaint import promise_number
from tests.usecases.office import Office, Person, notified, refusal, said, shown
from tests.usecases.walks import COMPLAINT, asking_approval, complaint, promising_fix, walk

LIMIT = 500_000


async def test_a_complaint_walks_the_five_steps_in_order_and_closes_when_the_customer_is_satisfied(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Phạm Thị Mai")
    case_id = await complaint(lan, mai, "awaiting_follow_up")
    await lan.press("satisfied")
    case = office.case(case_id)
    assert office.logged(case_id) == [
        "opened",
        "open",
        "apologised",
        "fixed",
        "empathised",
        "compensated",
        "scheduled",
        "satisfied",
    ]
    assert [e.data["to"] for e in office.events(case_id)[1:]] == [
        "apologise",
        "fix",
        "empathise",
        "compensate",
        "follow_up",
        "awaiting_follow_up",
        "closed",
    ]
    assert (case.state, case.resolution, case.closed_at) == ("closed", "resolved", office.clock())
    assert case.follow_up_due_at is None
    assert lan.row.expecting is None  # nothing more to answer on a closed case


async def test_no_step_can_be_answered_before_its_turn(office: Office, lan: Person) -> None:
    case_id = await complaint(lan, await office.customer("Mai"))
    for later in ("fixed_now", "voucher", "tomorrow", "satisfied"):
        assert await refusal(lan.press(later)) == "error.stale"
    assert office.case(case_id).state == "apologise"
    assert office.logged(case_id) == ["opened", "open"]


async def test_a_new_customer_is_registered_at_intake_with_the_title_typed_before_the_name(
    office: Office, lan: Person
) -> None:
    case_id = await lan.new()
    assert await office.asks(case_id) == "customer"
    assert said(await lan.type("nguyen")) == ["intake.no_match"]
    await lan.press("new")
    for answer in ("chị Nguyễn Thị Mai", "0912 345 678"):
        await lan.type(answer)
    await lan.press("individual")
    for answer in ("2019", "5tr", "Delivered two days late"):
        await lan.type(answer)
    assert office.db.rows(Customer) == []  # a complaint adds the customer with its intake
    await lan.press("delay")
    await lan.press("high")
    (mai,) = office.db.rows(Customer)
    assert (mai.name, mai.title, mai.phone) == ("Nguyễn Thị Mai", "chi", "0912345678")
    assert (mai.search_key, mai.since, mai.yearly_value) == (
        "nguyen thi mai",
        date(2019, 1, 1),
        5_000_000,
    )
    assert mai.created_by == lan.id
    case = office.case(case_id)
    assert (case.customer_id, case.summary, case.category, case.severity, case.state) == (
        mai.id,
        "Delivered two days late",
        "delay",
        "high",
        "apologise",
    )


async def test_an_existing_customer_is_found_without_diacritics_or_by_phone_and_chosen(
    office: Office, lan: Person
) -> None:
    huong = await office.customer("Nguyễn Thị Hương", phone="0903123456")
    await office.customer("Trần Văn Đức")
    case_id = await lan.new()
    for query in ("huong", "0903 123"):
        matches = shown(await lan.type(query)).view.matches
        assert [c.name for c in matches] == ["Nguyễn Thị Hương"]
    await lan.press(str(huong))
    assert office.case(case_id).draft == {"customer": huong}
    assert await office.asks(case_id) == "summary"
    assert await refusal(lan.press("424242")) == "error.stale"  # not a customer: out of date


async def test_text_where_a_button_is_expected_asks_again_and_changes_nothing(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"))
    before = office.case(case_id)
    outcomes = await lan.type("calm")
    assert said(outcomes) == ["error.use_buttons_keep"]  # kept, to be filed as a note
    asked = shown(outcomes).view.field
    assert asked is not None
    assert asked.name == "reaction"
    after = office.case(case_id)
    assert (after.version, after.draft, after.events_count) == (before.version, {}, 2)


async def test_a_button_drawn_for_an_earlier_version_changes_nothing(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"))
    drawn_at = office.case(case_id).version
    await lan.press("calm")
    assert await refusal(lan.press("angry", version=drawn_at)) == "error.stale"
    assert await refusal(lan.side("back", version=drawn_at)) == "error.stale"
    assert office.case(case_id).draft == {"reaction": "calm"}


async def test_compensation_up_to_the_limit_is_given_at_once(office: Office, lan: Person) -> None:
    case_id, outcomes = await asking_approval(lan, await office.customer("Mai"), "500.000")
    case = office.case(case_id)
    assert (case.state, case.compensation_type, case.compensation_total) == (
        "follow_up",
        "refund",
        LIMIT,
    )
    assert notified(outcomes) == []
    assert office.reminders("approval_pending") == []


async def test_compensation_above_the_limit_waits_for_a_supervisor_who_is_asked_and_reminded(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, outcomes = await asking_approval(lan, await office.customer("Mai"), "500001")
    case = office.case(case_id)
    assert (case.state, case.compensation_value, case.compensation_total) == (
        "awaiting_approval",
        LIMIT + 1,
        0,  # not given until approved
    )
    assert notified(outcomes) == [("Minh", "approval_request")]
    (reminder,) = office.reminders("approval_pending")
    assert (reminder.recipient_id, reminder.payload) == (minh.id, {"version": case.version})
    assert reminder.due_at == office.clock() + timedelta(hours=4)
    assert said(await lan.type("please")) == ["error.use_buttons_now_keep"]


async def test_the_limit_applies_to_the_total_given_on_the_case_across_reopens(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "compensate")
    await lan.press("voucher")
    await lan.type("400k")
    await walk(lan, case_id, "awaiting_follow_up", COMPLAINT)
    await lan.press("still_unhappy")
    await walk(lan, case_id, "compensate", COMPLAINT)
    await lan.press("voucher")
    await lan.type("200k")  # under the limit alone, above it with what was given before
    case = office.case(case_id)
    assert (case.state, case.compensation_total, case.reopen_count) == (
        "awaiting_approval",
        400_000,
        1,
    )


async def test_a_declined_compensation_returns_to_compensate_and_adds_nothing(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    outcomes = await minh.decide(case_id, "n")
    case = office.case(case_id)
    assert (case.state, case.compensation_type, case.compensation_value) == (
        "compensate",
        None,
        None,
    )
    assert case.compensation_total == 0
    declined = office.last_event(case_id, "declined")
    assert (declined.actor_id, declined.step, declined.data) == (
        minh.id,
        "awaiting_approval",
        {"to": "compensate"},
    )
    assert notified(outcomes) == [("Lan", "decision")]


async def test_an_approved_compensation_is_given_and_the_case_goes_on_to_follow_up(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    await minh.decide(case_id, "y")
    case = office.case(case_id)
    assert (case.state, case.compensation_total) == ("follow_up", 2_000_000)
    assert "_asked_by" not in case.draft


async def test_no_compensation_needs_a_reason_and_asks_nobody(office: Office, lan: Person) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "compensate")
    await lan.press("none")
    assert await office.asks(case_id) == "reason"
    outcomes = await lan.type("She only wanted an apology")
    case = office.case(case_id)
    assert (case.state, case.compensation_type) == ("follow_up", "none")
    assert case.compensation_total == 0
    assert notified(outcomes) == []


async def test_going_back_is_a_new_event_that_drops_the_half_filled_step(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "fix")
    await lan.type("Re-delivered by van")  # half of the fix step
    await lan.side("back")
    case = office.case(case_id)
    # Nothing of the fix is kept on the case; the step gone back to is marked as to be done
    # again. What was typed at the step left is kept on the event that left it.
    assert (case.state, case.draft) == ("apologise", {"_redoing": ["apologise"]})
    back = office.last_event(case_id, "back")
    unfinished = {"action": "Re-delivered by van"}
    assert (back.step, back.data) == ("fix", {"to": "apologise", "unfinished": unfinished})
    assert office.logged(case_id) == ["opened", "open", "apologised", "back"]


async def test_there_is_no_going_back_from_the_first_step(office: Office, lan: Person) -> None:
    case_id = await complaint(lan, await office.customer("Mai"))
    assert await refusal(lan.side("back")) == "error.cannot_go_back"
    assert office.case(case_id).state == "apologise"


async def test_cancelling_needs_a_reason_and_ends_the_case(office: Office, lan: Person) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "awaiting_follow_up")
    await lan.side("cancel_reason")
    assert await refusal(lan.type("   ")) == "error.empty"
    assert office.case(case_id).state == "awaiting_follow_up"
    assert said(await lan.type("Customer withdrew the complaint")) == ["case.cancelled"]
    case = office.case(case_id)
    assert (case.state, case.resolution, case.follow_up_due_at) == ("cancelled", "cancelled", None)
    cancel = office.last_event(case_id, "cancel")
    assert cancel.data == {"reason": "Customer withdrew the complaint", "to": "cancelled"}
    assert lan.row.expecting is None


async def test_a_customer_still_unhappy_reopens_the_case_at_fix(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "awaiting_follow_up")
    await lan.press("still_unhappy")
    case = office.case(case_id)
    assert (case.state, case.reopen_count, case.follow_up_due_at) == ("fix", 1, None)


async def test_a_customer_not_reached_gets_a_new_follow_up_and_a_new_reminder(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "awaiting_follow_up")
    await lan.press("unreachable")
    await lan.press("in_1h")
    case = office.case(case_id)
    in_an_hour = office.clock() + timedelta(hours=1)
    assert (case.state, case.follow_up_due_at) == ("awaiting_follow_up", in_an_hour)
    latest = office.reminders("follow_up_due")[-1]
    since = waiting_version(office.case(case_id))  # the new wait's: it replaces the first
    assert (latest.due_at, latest.payload) == (
        in_an_hour,
        {"target": in_an_hour.isoformat(), "waiting_since": since},
    )


async def test_agreeing_a_follow_up_reminds_the_owner_when_it_is_due(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "awaiting_follow_up")
    tomorrow_at_nine = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)  # 09:00 in Saigon
    assert office.case(case_id).follow_up_due_at == tomorrow_at_nine
    (reminder,) = office.reminders("follow_up_due")
    assert (reminder.recipient_id, reminder.case_id, reminder.due_at) == (
        lan.id,
        case_id,
        tomorrow_at_nine,
    )


async def test_a_follow_up_tomorrow_agreed_on_a_saturday_is_on_monday(
    office: Office, lan: Person
) -> None:
    office.clock.advance(days=5)  # Saturday 28 November
    case_id = await complaint(lan, await office.customer("Mai"), "awaiting_follow_up")
    assert office.case(case_id).follow_up_due_at == datetime(2026, 11, 30, 2, 0, tzinfo=UTC)


async def test_the_follow_up_is_answered_from_its_reminder(office: Office, lan: Person) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "awaiting_follow_up")
    version = office.case(case_id).version

    async def answer(reply: str, drawn_at: int = version) -> object:
        return await lan.do(lambda w: w.desk.answer_follow_up(w.actor, case_id, drawn_at, reply))

    assert await refusal(answer("bogus")) == "error.stale"
    await answer("later_tomorrow")
    assert office.case(case_id).follow_up_due_at == datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert await refusal(answer("satisfied")) == "error.stale"  # drawn before the change
    await answer("satisfied", office.case(case_id).version)
    assert (office.case(case_id).state, office.logged(case_id)[-2:]) == (
        "closed",
        ["unreachable", "satisfied"],
    )


async def test_a_fix_in_progress_is_reminded_at_the_promised_time(
    office: Office, lan: Person
) -> None:
    case_id = await promising_fix(lan, await office.customer("Mai"))
    in_two_hours = office.clock() + timedelta(hours=2)
    assert office.case(case_id).promised_fix_at == in_two_hours
    (reminder,) = office.reminders("fix_due")
    promise = office.last_event(case_id, "fixed").seq  # the promise it is for
    assert (reminder.due_at, reminder.payload) == (
        in_two_hours,
        {"target": in_two_hours.isoformat(), "waiting_since": promise},
    )


async def test_a_promised_fix_is_confirmed_or_promised_again_from_its_reminder(
    office: Office, lan: Person
) -> None:
    case_id = await promising_fix(lan, await office.customer("Mai"), "today_end")

    async def answer(reply: str, promise: int | None = None) -> list[str]:
        promise = promise or promise_number(office.events(case_id))  # the latest reminder's
        return said(await lan.do(lambda w: w.desk.answer_fix(w.actor, case_id, promise, reply)))

    first = promise_number(office.events(case_id))
    assert await answer("tomorrow") == ["fix.rescheduled"]
    assert await refusal(answer("done", first)) == "error.stale"  # promised again since
    tomorrow = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    assert office.case(case_id).promised_fix_at == tomorrow
    assert [r.payload["target"] for r in office.reminders("fix_due")][-1] == tomorrow.isoformat()
    assert await answer("done") == ["fix.confirmed"]
    assert office.case(case_id).promised_fix_at is None
    assert office.logged(case_id)[-2:] == ["fix_rescheduled", "fix_done"]
    assert await refusal(answer("done")) == "error.stale"  # nothing promised any more


async def test_notes_and_evidence_are_logged_at_the_step_without_moving_it(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "fix")
    await lan.side("note")
    assert said(await lan.type("She called back, calmer")) == ["note.saved"]
    await lan.side("evidence")
    assert said(await lan.type("here it is")) == ["error.send_file_keep"]
    await lan.send_file("AgADBAAD", "document", "receipt.pdf")
    case = office.case(case_id)
    assert case.state == "fix"
    note, evidence = office.events(case_id)[-2:]
    assert (note.kind, note.step) == ("note", "fix")
    assert note.data == {"text": "She called back, calmer"}
    assert evidence.data == {"file_id": "AgADBAAD", "kind": "document", "name": "receipt.pdf"}


async def test_a_note_over_the_limit_is_refused_and_nothing_is_saved(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"))
    await lan.side("note")
    assert await refusal(lan.type("x" * 1001)) == "error.too_long"
    assert office.logged(case_id) == ["opened", "open"]
    assert lan.row.expecting == "note"  # still asked: the next text is the note


async def test_amounts_that_are_negative_or_not_numbers_are_refused(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "compensate")
    await lan.press("voucher")
    assert await refusal(lan.type("-5000")) == "error.negative"
    assert await refusal(lan.type("lots")) == "error.not_a_number"
    assert office.case(case_id).draft == {"type": "voucher"}


async def test_a_follow_up_in_the_past_is_refused(office: Office, lan: Person) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "follow_up")
    assert await refusal(lan.type("01/01/2020")) == "error.date_in_past"
    assert office.case(case_id).state == "follow_up"


async def test_an_escalation_tells_the_supervisors_the_reason(office: Office, lan: Person) -> None:
    case_id = await complaint(lan, await office.customer("Mai"))
    await lan.side("escalate_reason")
    outcomes = await lan.type("She threatens to go to the press")
    assert said(outcomes) == ["escalate.sent"]
    assert notified(outcomes) == [("Minh", "escalation")]
    assert office.last_event(case_id, "escalated").data == {
        "reason": "She threatens to go to the press"
    }


async def test_a_paused_case_takes_no_text_until_it_is_opened_again(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"))
    assert said(await lan.side("pause")) == ["case.paused"]
    assert await refusal(lan.type("calm")) == "error.not_expecting_text"
    assert await refusal(lan.send_file("AgAD")) == "error.evidence_without_case"
    outcomes = await lan.do(lambda w: w.desk.open_case(w.actor, case_id))
    assert isinstance(outcomes[0], ShowCase)
    assert (lan.row.expecting, lan.row.expecting_case_id) == ("field", case_id)


async def test_an_ended_case_opens_as_its_timeline_and_its_card_is_not_drawn_again(
    office: Office, lan: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"), "awaiting_follow_up")
    await lan.press("satisfied")
    (timeline,) = await lan.do(lambda w: w.desk.open_case(w.actor, case_id))
    assert isinstance(timeline, ShowTimeline)
    assert await lan.do(lambda w: w.desk.current_card(w.actor, case_id)) == []
    assert await refusal(lan.side("note", case_id)) == "error.stale"


async def test_an_answer_typed_again_after_a_doubt_is_confirmed_with_the_current_card(
    office: Office, lan: Person, hoa: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"))
    outcomes = await lan.do(lambda w: w.desk.already_saved(w.actor))
    assert said(outcomes) == ["input.already_saved"]
    assert shown(outcomes).view.case.id == case_id
    assert await hoa.do(lambda w: w.desk.current_card(w.actor, case_id)) == []  # not hers


async def test_staff_cannot_see_or_act_on_another_staff_members_case(
    office: Office, lan: Person, hoa: Person, minh: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"))
    assert await refusal(hoa.press("calm", case_id)) == "error.no_such_case"
    assert await refusal(hoa.do(lambda w: w.lists.timeline(w.actor, case_id))) == (
        "error.no_such_case"
    )
    assert office.case(case_id).draft == {}
    await minh.press("calm", case_id)  # a supervisor may
    assert office.case(case_id).draft == {"reaction": "calm"}


async def test_an_incident_is_documented_beside_the_step_and_the_step_goes_on(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    case_id = await complaint(lan, mai)
    await lan.press("angry")
    await lan.side("incident")
    assert await office.asks(case_id) == "incident_kind"
    await lan.press("threats")
    await lan.press("today")
    await lan.type("Said she would wait outside the shop")
    (incident,) = office.db.rows(Incident)
    assert (incident.customer_id, incident.kind, incident.happened_on, incident.case_id) == (
        mai,
        "threats",
        date(2026, 11, 23),
        case_id,
    )
    assert office.last_event(case_id, "incident").data["incident_kind"] == "threats"
    assert office.case(case_id).draft == {"reaction": "angry"}  # back at the step's question
    assert await office.asks(case_id) == "note"


async def test_an_incident_needs_a_customer(office: Office, lan: Person) -> None:
    await lan.new()
    assert await refusal(lan.side("incident")) == "incident.no_customer"


async def test_the_second_complaint_within_the_window_flags_the_customer_at_risk(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    first = await complaint(lan, mai)
    assert office.customer_row(mai).status == "active"
    assert "at_risk" not in office.logged(first)
    office.clock.advance(days=89)
    second = await complaint(lan, mai)
    flagged = office.customer_row(mai)
    assert (flagged.status, flagged.at_risk_since) == ("at_risk", office.clock())
    assert (flagged.at_risk_reason, flagged.at_risk_by) == (None, None)  # flagged automatically
    assert office.last_event(second, "at_risk").data == {"complaints": 2, "days": 90}


async def test_complaints_further_apart_than_the_window_flag_nobody(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    await complaint(lan, mai)
    office.clock.advance(days=91)
    second = await complaint(lan, mai)
    assert office.customer_row(mai).status == "active"
    assert "at_risk" not in office.logged(second)
