"""A command typed while the bot waits for someone's typing never drops what waits without a
word: a command that leaves it waiting (/cases, /help, /customer…) is answered, and what
waits is asked again below the answer, with its way back; one that takes the person to
another case (/new, /problem, a case pressed in a list) says above its answer what was set
aside, what was not done, and how to get back to it — a restart in between too.

Before, /new typed while the reason to cancel a case was asked dropped the cancel silently:
the case stayed open, and nobody was told the cancel was not done.
"""

from __future__ import annotations

import pytest

from flows.procedures.complaint import Step
from flows.procedures.review import Rung
from flows.scripts import LOCALES
from standin.inprocess import Person
from tests.bot.conftest import World, restarted, staff_and_supervisor
from tests.bot.test_review_conversation import add_customer, open_review
from tests.bot.walk import (
    asking_approval,
    case_number,
    label,
    open_case,
    walk_to_compensate,
    walk_to_fix,
)
from tests.bot.walk import words as said

pytestmark = pytest.mark.asyncio

#: The side actions that ask for typing, and what each would have logged.
SIDE_QUESTIONS = {
    "note": "note",
    "escalate_reason": "escalated",
    "cancel_reason": "cancel",
    "end_reason": "cancel",  # an early end is logged as a cancel that says so
}
#: Commands that leave what waits waiting: answered, or refused for what they were given
#: (`/case 99999`, a day that does not exist): nothing done either way.
STAYING = (
    "/cases",
    "/help",
    "/customer Hương",
    "/followups",
    "/language",
    "/no_such_command",
    "/case 99999",
    "/report 31/02/2026",
)
#: Commands that open another case.
OPENING = ("/new", "/problem", "/exit")


async def person_in(world: World, locale: str) -> Person:
    return (await staff_and_supervisor(world, locale))[0]


async def asked_for(person: Person, action: str) -> int:
    """A complaint at its fix, its side action pressed: the bot waits for its text."""
    case_id = await open_case(person)
    await walk_to_fix(person)
    await person.press(said(person, f"button.{action}"))
    return case_id


def before_last(person: Person) -> str:
    return person.messages[-2].plain_text


def lately(person: Person) -> str:
    """The last few messages, as shown: a notice before a card edited in place is folded
    into the card, above its question."""
    return "\n".join(m.plain_text for m in person.messages[-3:])


@pytest.mark.parametrize("command", OPENING)
@pytest.mark.parametrize("action", list(SIDE_QUESTIONS))
@pytest.mark.parametrize("locale", LOCALES)
async def test_a_case_opened_while_a_side_question_waits_says_what_was_not_done(
    world: World, locale: str, action: str, command: str
) -> None:
    person = await person_in(world, locale)
    case_id = await asked_for(person, action)
    await person.send(command)
    assert said(person, f"aside.{action}", case=case_id) == before_last(person)
    assert case_number(person.last_text) == case_id + 1  # and the new case, below it
    case = await world.case(case_id)
    assert (case.state, case.resolution) == (Step.fix, None)
    assert SIDE_QUESTIONS[action] not in [e.kind for e in await world.events(case_id)]


@pytest.mark.parametrize("command", OPENING)
@pytest.mark.parametrize("locale", LOCALES)
async def test_a_case_opened_while_a_file_is_asked_says_none_was_attached(
    world: World, locale: str, command: str
) -> None:
    person = await person_in(world, locale)
    case_id = await asked_for(person, "evidence")
    await person.send(command)
    assert said(person, "aside.evidence", case=case_id) == before_last(person)
    assert "evidence" not in [e.kind for e in await world.events(case_id)]


@pytest.mark.parametrize("command", STAYING)
@pytest.mark.parametrize("action", list(SIDE_QUESTIONS))
@pytest.mark.parametrize("locale", LOCALES)
async def test_a_command_that_leaves_a_side_question_waiting_asks_it_again_below_its_answer(
    world: World, locale: str, action: str, command: str
) -> None:
    person = await person_in(world, locale)
    case_id = await asked_for(person, action)
    await person.send(command)
    assert person.last_text == said(person, f"ask.{action}", case=case_id)
    assert person.buttons == [said(person, "button.carry_on")]
    await person.send("Khách gọi lại lần hai")  # the answer typed next is taken
    assert SIDE_QUESTIONS[action] in [e.kind for e in await world.events(case_id)]


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_case_opened_while_its_own_question_waits_says_where_it_stays_and_the_way_back(
    world: World, locale: str
) -> None:
    person = await person_in(world, locale)
    case_id = await open_case(person)
    await walk_to_compensate(person)
    await person.press(label(person, "Voucher"))  # the card asks how much
    await person.send("/new")
    assert said(person, "aside.field", case=case_id) == before_last(person)
    await person.send(f"/case {case_id}")
    await person.press(said(person, "button.carry_on"))
    await person.send("200k")  # the amount, as asked before
    case = await world.case(case_id)
    assert (case.compensation_type, case.compensation_value) == ("voucher", 200_000)


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_rungs_skip_left_for_another_case_is_said_not_done(
    world: World, locale: str
) -> None:
    person = await person_in(world, locale)
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(person, "Lê Văn Tám")
    await person.press(said(person, "button.skip_reason"))
    await person.send("/new")
    assert said(person, "aside.skip_reason", case=case_id) == before_last(person)
    assert (await world.case(case_id)).state == Rung.reassess


#: A customer's record's buttons that ask a question about them, and the question.
ABOUT_A_CUSTOMER = {
    "at_risk_reason": ("button.flag_at_risk", "customer.at_risk_why"),
    "customer_address": ("button.rename", "customer.ask_address"),
}


@pytest.mark.parametrize("question", list(ABOUT_A_CUSTOMER))
@pytest.mark.parametrize("locale", LOCALES)
async def test_a_question_about_a_customer_is_asked_again_after_a_command_or_said_set_aside(
    world: World, locale: str, question: str
) -> None:
    person = await person_in(world, locale)
    await add_customer(world, "Trần Văn Hùng")
    button, asked = ABOUT_A_CUSTOMER[question]
    await person.send("/customer tran van hung")
    await person.press(said(person, button))
    await person.send("/help")
    assert person.last_text == said(person, asked, name="Trần Văn Hùng")
    await person.send("/new")
    assert said(person, f"aside.{question}", name="Trần Văn Hùng") == before_last(person)
    await person.send("/customer tran van hung")
    assert said(person, "customer.status.at_risk") not in person.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_supervisors_comment_is_asked_again_after_a_command_or_said_left_out(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    case_id = await asking_approval(person)
    await supervisor.press(label(supervisor, "Approve"))
    await supervisor.send("/approvals")
    assert said(supervisor, "approval.comment_waits", case=case_id) in supervisor.last_text
    assert said(supervisor, "approval.ask_comment") in supervisor.last_text
    assert supervisor.buttons == [said(supervisor, "button.no_comment")]
    await supervisor.send("/new")
    said_aside = said(supervisor, "aside.approval_comment", case=case_id)
    assert said_aside == before_last(supervisor)


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_case_pressed_in_the_list_while_a_cancel_waits_says_the_cancel_was_not_done(
    world: World, locale: str
) -> None:
    person = await person_in(world, locale)
    other = await open_case(person, "Phạm Văn Đồng")
    case_id = await asked_for(person, "cancel_reason")
    await person.send("/cases")  # the list, then the reason asked again below it
    listed = person.messages[-2]
    pressed = next(b for b in listed.button_labels if b.startswith(f"#{other} "))
    await person.press(pressed, listed)
    assert said(person, "aside.cancel_reason", case=case_id) in lately(person)
    assert (await world.case(case_id)).resolution is None


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_cancel_asked_before_a_restart_is_said_not_done_after_it(
    world: World, database_url: str, locale: str
) -> None:
    person = await person_in(world, locale)
    case_id = await asked_for(person, "cancel_reason")
    async with restarted(world, database_url):
        await person.send("/new")
        assert said(person, "aside.cancel_reason", case=case_id) == before_last(person)
    assert (await world.case(case_id)).resolution is None


@pytest.mark.parametrize("action", list(SIDE_QUESTIONS))
@pytest.mark.parametrize("locale", LOCALES)
async def test_an_answer_pressed_on_the_card_above_a_side_question_says_what_was_not_done(
    world: World, locale: str, action: str
) -> None:
    person = await person_in(world, locale)
    case_id = await open_case(person)  # its card asks how the customer is, with buttons
    await person.press(said(person, f"button.{action}"))
    await person.press(label(person, "Calm"))  # on the card above the prompt
    assert said(person, f"aside.{action}", case=case_id) in lately(person)
    assert (await world.case(case_id)).draft.get("reaction") == "calm"
    assert SIDE_QUESTIONS[action] not in [e.kind for e in await world.events(case_id)]


@pytest.mark.parametrize("action", list(SIDE_QUESTIONS))
@pytest.mark.parametrize("locale", LOCALES)
async def test_the_way_back_from_a_side_question_says_nothing_was_set_aside(
    world: World, locale: str, action: str
) -> None:
    person = await person_in(world, locale)
    case_id = await asked_for(person, action)
    await person.press(said(person, "button.carry_on"))
    assert said(person, f"aside.{action}", case=case_id) not in lately(person)


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_note_that_starts_with_a_slash_is_saved_as_typed_and_nothing_is_set_aside(
    world: World, locale: str
) -> None:
    person = await person_in(world, locale)
    case_id = await asked_for(person, "note")
    await person.send("/ giao lại lúc 5 giờ chiều")  # no command: the note itself
    notes = [e.data["text"] for e in await world.events(case_id) if e.kind == "note"]
    assert notes == ["/ giao lại lúc 5 giờ chiều"]
    assert said(person, "aside.note", case=case_id) not in lately(person)


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_question_about_the_customer_asked_while_a_cancel_waits_says_it_was_not_done(
    world: World, locale: str
) -> None:
    person = await person_in(world, locale)
    case_id = await asked_for(person, "cancel_reason")
    await person.send("/customer Hương")  # the record, then the reason asked again
    record = person.messages[-2]
    await person.press(said(person, "button.flag_at_risk"), record)
    assert said(person, "aside.cancel_reason", case=case_id) == before_last(person)
    assert said(person, "customer.at_risk_why", name="Nguyễn Thị Hương") == person.last_text
    assert (await world.case(case_id)).resolution is None


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_verdict_on_another_request_says_the_comment_awaited_was_left_out(
    world: World, locale: str
) -> None:
    person, supervisor = await staff_and_supervisor(world, locale)
    first = await asking_approval(person)
    second = await asking_approval(person, customer="Phạm Văn Đồng")
    approve = label(supervisor, "Approve")
    await supervisor.press(approve)  # the newest request: the second
    older = next(
        m
        for m in reversed(supervisor.messages)
        if f"#{first}" in m.plain_text and approve in str(m.button_labels)
    )
    await supervisor.press(approve, older)
    said_aside = said(supervisor, "aside.approval_comment", case=second)
    assert said_aside in lately(supervisor)
