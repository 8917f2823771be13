"""Forgetting a customer: personal data goes, figures stay, and the log says who asked."""

from __future__ import annotations

import pytest

from flows.forgetting import ForgetRefused, Forgotten
from flows.forms import WAITING_SINCE
from flows.model import Incident
from tests.usecases.office import KHOA, TUAN, Office, Person, Work, said
from tests.usecases.walks import complaint


async def forget(office: Office, customer_id: int, by: int | None = None) -> Forgotten:
    return await office.system(lambda w: w.forgetting.forget(customer_id, by))


async def a_customer_with_a_history(office: Office, lan: Person) -> tuple[int, int]:
    """Mai, flagged at risk by hand, with a complaint full of free text, an incident, reminders."""
    mai = await office.customer("Phạm Thị Mai", phone="0912345678", title="chi", given_name="Mai")
    await lan.do(lambda w: w.oversight.flag_at_risk(w.actor, mai))
    await lan.type("Her husband complained about us at the market")
    case_id = await complaint(lan, mai, "compensate")
    await lan.side("note")
    await lan.type("Chị Mai gọi lúc 9h, số nhà 12 Lê Lợi")
    await lan.side("incident")
    await lan.press("threats")
    await lan.press("today")
    await lan.type("Dọa đăng lên mạng")
    await lan.press("voucher")
    await lan.type("200k")
    await lan.press("tomorrow")
    return mai, case_id


async def test_forgetting_removes_what_identifies_the_customer_and_keeps_the_figures(
    office: Office, lan: Person, minh: Person
) -> None:
    mai, case_id = await a_customer_with_a_history(office, lan)
    done = await forget(office, mai, minh.telegram_id)
    customer = office.customer_row(mai)
    assert (customer.name, customer.search_key, customer.phone) == (
        f"forgotten #{mai}",
        f"forgotten #{mai}",
        None,
    )
    assert (customer.title, customer.given_name, customer.at_risk_reason) == (None, None, None)
    assert customer.status == "at_risk"  # a figure, not a secret
    case = office.case(case_id)
    assert (case.summary, case.compensation_total) == (None, 200_000)
    assert list(case.draft) == [WAITING_SINCE]  # its reminder's buttons still answer it
    events = {e.kind: e.data for e in office.events(case_id)}
    assert events["note"] == {"redacted": True}
    assert events["open"] == {
        "customer": mai,
        "category": "delay",
        "severity": "medium",
        "to": "apologise",
        "redacted": True,
    }
    assert events["compensated"] == {"type": "voucher", "value": 200_000, "to": "follow_up"}
    redacted = [e for e in office.events(case_id) if e.data.get("redacted")]
    assert [e.kind for e in redacted] == [
        "open",
        "apologised",  # its note, even left empty
        "fixed",
        "empathised",
        "note",
        "incident",
    ]
    assert events["forgotten"] == {"by": "staff", "events_redacted": 6}
    assert office.last_event(case_id, "forgotten").actor_id == minh.id
    assert [i.note for i in office.db.rows(Incident)] == ["—"]
    assert (done.cases, done.events_redacted, done.incidents_redacted, done.already) == (
        [case_id],
        6,
        1,
        False,
    )


async def test_a_case_still_at_intake_that_chose_the_customer_is_forgotten_too(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    case_id = await lan.new()
    await lan.press(str(mai))
    await lan.type("She shouted at the cashier")  # the summary, not yet logged
    done = await forget(office, mai)
    case = office.case(case_id)
    draft = {"customer": mai}  # the customer chosen stays chosen; what was typed goes
    assert (case.state, case.customer_id, case.draft, case.summary) == ("intake", mai, draft, None)
    assert done.cases == [case_id]
    assert office.last_event(case_id, "forgotten").data == {"by": "shell", "events_redacted": 0}
    # The card Lan was answering has changed under her: her next text is not filed under
    # the question asked now, and she is asked it afresh.
    assert said(await lan.type("Other")) == ["input.question_moved_keep"]
    await lan.type("Lost her wallet in the shop")  # the intake goes on: the summary again
    await lan.press("other")
    await lan.press("low")
    assert office.case(case_id).summary == "Lost her wallet in the shop"
    assert all("cashier" not in str(e.data) for e in office.events(case_id))


async def test_the_reminders_of_a_forgotten_customer_lose_what_they_said(
    office: Office, lan: Person
) -> None:
    mai, case_id = await a_customer_with_a_history(office, lan)
    await lan.press("unreachable", case_id)
    await lan.press("in_1h", case_id)

    async def gave_up(w: Work) -> None:
        (due,) = office.reminders("follow_up_due", case_id)[-1:]
        await w.reminding.gave_up(due, "Forbidden", False)

    await office.system(gave_up)
    (notice,) = office.reminders("delivery_problem", case_id)
    assert notice.payload["who"] == "Lan"
    await forget(office, mai)
    (redacted,) = office.reminders("delivery_problem", case_id)
    assert redacted.payload == {"about": "follow_up_due", "redacted": True}


async def test_forgetting_again_changes_nothing(office: Office, lan: Person) -> None:
    mai, case_id = await a_customer_with_a_history(office, lan)
    await forget(office, mai)
    logged = office.logged(case_id)
    again = await forget(office, mai)
    assert (again.already, again.cases, again.events_redacted) == (True, [], 0)
    assert office.logged(case_id) == logged


async def test_only_an_active_supervisor_or_admin_may_ask_and_only_for_a_customer(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai", phone="0912345678")
    await office.register(KHOA, "Khoa", "supervisor")
    await office.system(lambda w: w.people.deactivate(KHOA))
    for asking in (lan.telegram_id, KHOA, 4242):  # staff, someone who left, a stranger
        with pytest.raises(ForgetRefused, match=str(asking)):
            await forget(office, mai, asking)
    assert office.customer_row(mai).phone == "0912345678"
    admin = await office.register(TUAN, "Tuấn", "admin")
    assert (await forget(office, mai, admin.telegram_id)).already is False
    with pytest.raises(ForgetRefused, match="no customer #999"):
        await forget(office, 999, admin.telegram_id)
