"""Customers' cards, flagging at risk, forms of address, and what supervisors look at."""

from __future__ import annotations

from dataclasses import replace

from flows.outcomes import CustomerCard, Outcome, ShowCases, StaffOverview
from tests.usecases.office import KHOA, Office, Person, refusal, said
from tests.usecases.test_review import approved
from tests.usecases.walks import asking_approval, complaint, review


def card_of(outcomes: list[Outcome]) -> CustomerCard:
    (card,) = [o for o in outcomes if isinstance(o, CustomerCard)]
    return card


async def test_a_customer_is_found_by_name_or_phone_and_shown_on_a_card(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Phạm Thị Mai", phone="0912345678")
    await office.customer("Phạm Văn Đức")

    async def find(query: str) -> list[Outcome]:
        return await lan.do(lambda w: w.oversight.find_customer(w.actor, query))

    card = card_of(await find("mai"))
    assert card.customer is not None
    assert card.customer.id == mai
    assert card_of(await find("0912 345")).customer is not None
    several = card_of(await find("pham"))
    assert (several.customer, [c.name for c in several.matches]) == (
        None,
        ["Phạm Thị Mai", "Phạm Văn Đức"],
    )
    assert said(await find("nobody")) == ["customer.none"]


async def test_the_card_shows_the_record_and_the_rung_of_an_open_review(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai", yearly_value=30_000_000)
    first = await complaint(lan, mai, "compensate")
    await lan.press("voucher")
    await lan.type("300k")
    await review(lan, mai, "renegotiate")
    card = card_of(await lan.do(lambda w: w.oversight.card(w.actor, mai)))
    assert card.record is not None
    assert (card.record.complaints, card.record.compensation) == (1, {"VND": 300_000})
    assert card.record.open_cases == [first, first + 1]
    assert card.rung == "renegotiate"
    assert await refusal(lan.do(lambda w: w.oversight.card(w.actor, 999))) == "customer.gone"


async def test_flagging_at_risk_by_hand_asks_why_and_keeps_the_reason_who_and_when(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    asked = await lan.do(lambda w: w.oversight.flag_at_risk(w.actor, mai))
    assert said(asked) == ["customer.at_risk_why"]
    assert (lan.row.expecting, lan.row.expecting_customer_id) == ("at_risk_reason", mai)
    outcomes = await lan.type("A competitor opened next door")
    customer = office.customer_row(mai)
    assert customer.status == "at_risk"
    assert customer.at_risk_reason == "A competitor opened next door"
    assert (customer.at_risk_by, customer.at_risk_since) == (lan.id, office.clock())
    card = card_of(outcomes)
    assert card.flagged_by is not None
    assert card.flagged_by.name == "Lan"
    assert (lan.row.expecting, lan.row.expecting_customer_id) == (None, None)


async def test_an_empty_or_overlong_reason_is_refused_and_the_question_stays(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    await lan.do(lambda w: w.oversight.flag_at_risk(w.actor, mai))
    assert await refusal(lan.type("  ")) == "error.empty"
    assert await refusal(lan.type("x" * 1001)) == "error.too_long"
    assert office.customer_row(mai).status == "active"
    assert lan.row.expecting == "at_risk_reason"


async def test_a_customer_flagged_meanwhile_keeps_the_first_reason(
    office: Office, lan: Person, hoa: Person
) -> None:
    mai = await office.customer("Mai")
    for person in (lan, hoa):
        await person.do(lambda w: w.oversight.flag_at_risk(w.actor, mai))
    await hoa.type("Her son moved to another city")
    outcomes = await lan.type("Prices went up")
    assert said(outcomes) == ["customer.already_at_risk"]
    customer = office.customer_row(mai)
    assert (customer.at_risk_reason, customer.at_risk_by) == (
        "Her son moved to another city",
        hoa.id,
    )


async def test_a_customer_who_left_cannot_be_flagged_at_risk(office: Office, lan: Person) -> None:
    gone = await office.customer("Gone", status="defected")
    outcomes = await lan.do(lambda w: w.oversight.flag_at_risk(w.actor, gone))
    assert said(outcomes) == ["customer.not_active"]
    assert lan.row.expecting is None


async def test_opening_a_case_after_the_question_takes_text_for_the_case_again(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    await lan.do(lambda w: w.oversight.flag_at_risk(w.actor, mai))
    case_id = await lan.new("complaint", mai)
    await lan.type("Delivered late")
    assert office.case(case_id).draft["summary"] == "Delivered late"
    assert office.customer_row(mai).status == "active"


async def test_how_a_customer_is_addressed_is_changed_by_typing_a_title_and_a_name(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Phạm Thị Mai")

    async def address(typed: str) -> tuple[str | None, str | None]:
        await lan.do(lambda w: w.oversight.ask_address(w.actor, mai))
        assert lan.row.expecting == "customer_address"
        assert said(await lan.type(typed)) == ["customer.address_saved"]
        customer = office.customer_row(mai)
        return customer.title, customer.given_name

    assert await address("chị Mai") == ("chi", "Mai")
    assert await address("Thị Mai") == ("chi", "Thị Mai")  # the title stays
    assert await address("quý khách") == ("quy_khach", "Thị Mai")
    assert lan.row.expecting is None


async def test_customers_at_risk_are_listed_most_valuable_first(
    office: Office, lan: Person
) -> None:
    for name, value in (("Small", 1_000_000), ("Large", 90_000_000), ("Calm", None)):
        await office.customer(name, status="at_risk" if value else "active", yearly_value=value)
    (listing,) = await lan.do(lambda w: w.oversight.at_risk(w.actor))
    assert isinstance(listing, CustomerCard)
    assert [c.name for c in listing.matches] == ["Large", "Small"]


async def test_approvals_list_what_waits_oldest_first_for_supervisors_only(
    office: Office, lan: Person, minh: Person
) -> None:
    mai = await office.customer("Mai")
    awaiting = await review(lan, mai, "awaiting_decision")
    office.clock.advance(hours=1)
    compensation, _ = await asking_approval(lan, mai)
    await complaint(lan, mai)
    (listing,) = await minh.do(lambda w: w.oversight.approvals(w.actor))
    assert isinstance(listing, ShowCases)
    assert [c.id for c, _ in listing.cases] == [awaiting, compensation]
    assert await refusal(lan.do(lambda w: w.oversight.approvals(w.actor))) == (
        "error.supervisors_only"
    )


async def test_the_staff_overview_puts_who_turned_customers_around_first(
    office: Office, lan: Person, hoa: Person, minh: Person
) -> None:
    await office.register(KHOA, "Khoa", "supervisor")
    await office.system(lambda w: w.people.deactivate(KHOA))  # left, with no case: not listed
    mai = await office.customer("Mai")
    await complaint(lan, mai)
    turned = await complaint(hoa, mai, "awaiting_follow_up")
    await hoa.press("satisfied", turned)
    (overview,) = await minh.do(lambda w: w.oversight.staff_overview(w.actor))
    assert isinstance(overview, StaffOverview)
    assert [(p.name, figures) for p, figures in overview.rows] == [
        ("Hòa", {"open": 0, "overdue": 0, "turned_around": 1}),
        ("Lan", {"open": 1, "overdue": 0, "turned_around": 0}),
        ("Minh", {"open": 0, "overdue": 0, "turned_around": 0}),
    ]
    assert await refusal(lan.do(lambda w: w.oversight.staff_overview(w.actor))) == (
        "error.supervisors_only"
    )


async def test_a_request_is_listed_behind_more_termination_conversations_than_a_list_shows(
    office: Office, lan: Person, minh: Person
) -> None:
    office.policy = replace(office.policy, list_limit=1)
    talking = [await approved(lan, minh, await office.customer(name)) for name in ("An", "Bảo")]
    office.clock.advance(hours=1)  # older, at a step that may ask for approval, asking nothing
    compensation, _ = await asking_approval(lan, await office.customer("Mai"))
    (listing,) = await minh.do(lambda w: w.oversight.approvals(w.actor))
    assert isinstance(listing, ShowCases)
    assert ([c.id for c, _ in listing.cases], listing.more) == ([compensation], False)
    assert office.case(talking[0]).state == "termination_conversation"
