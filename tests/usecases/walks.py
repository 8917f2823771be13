"""Walks through the procedures to where a test starts, answering as staff would."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from flows.outcomes import Outcome
from tests.usecases.office import Person

Answer = Callable[[Person], Awaitable[object]]


def pressing(value: str) -> Answer:
    return lambda person: person.press(value)


def typing(text: str) -> Answer:
    return lambda person: person.type(text)


def skipping(person: Person) -> Awaitable[object]:
    return person.skip()


#: How each step of a complaint is answered on a walk.
COMPLAINT: dict[str, tuple[Answer, ...]] = {
    "intake": (typing("Delivered two days late"), pressing("delay"), pressing("medium")),
    "apologise": (pressing("upset"), skipping),
    "fix": (typing("Re-delivered by van"), pressing("fixed_now")),
    "empathise": (typing("It was for her son's birthday"),),
    "compensate": (pressing("voucher"), typing("200k")),
    "follow_up": (pressing("tomorrow"),),
}

_RUNG = (typing("Called them: they knew our services"), pressing("not_resolved"))

#: How each rung of a problem review is answered on a walk: none resolves it, and the last
#: one asks for a decision on the grounds of abuse and unprofitability.
REVIEW: dict[str, tuple[Answer, ...]] = {
    "reassess": _RUNG,
    "educate": _RUNG,
    "renegotiate": _RUNG,
    "migrate": (
        *_RUNG,
        pressing("unprofitable"),
        pressing("abuses_staff"),
        pressing("done"),
        typing("Called Lan names twice"),  # the notes come in the order of the reasons
        typing("Costs three times what they bring"),
        pressing("uncivil"),
        pressing("done"),
    ),
}

#: The moves of the termination conversation after its preparation, goodwill within the limit.
CONVERSATION: tuple[Answer, ...] = (
    typing("Thanked them for four years with us"),
    typing("Things have not gone smoothly between us"),
    pressing("refund_last_period"),
    typing("300k"),
    typing("They accepted the refund"),
    typing("We are sorry we could not do better"),
    pressing("own_alternative"),
    typing("A smaller local firm"),
    typing("They will look at it"),
)


Answers = dict[str, tuple[Answer, ...]]


async def walk(person: Person, case_id: int, until: str, answers: Answers) -> None:
    """Answer the case's steps until it reaches `until`."""
    while (state := person.office.case(case_id).state) != until:
        for answer in answers[state]:
            await answer(person)


async def complaint(person: Person, customer_id: int, until: str = "apologise") -> int:
    """Open a complaint for the customer and walk it to `until`; return its number."""
    case_id = await person.new("complaint", customer_id)
    await walk(person, case_id, until, COMPLAINT)
    return case_id


async def review(person: Person, customer_id: int, until: str = "reassess") -> int:
    """Open a problem review for the customer and climb it to `until`; return its number."""
    case_id = await person.new("problem_review", customer_id)
    await walk(person, case_id, until, REVIEW)
    return case_id


async def answer_all(person: Person, answers: tuple[Answer, ...]) -> None:
    for answer in answers:
        await answer(person)


async def asking_approval(
    person: Person, customer_id: int, amount: str = "2tr"
) -> tuple[int, list[Outcome]]:
    """A complaint whose refund of `amount` is offered (above the limit: it waits for a
    supervisor); return its number and what the offer brought."""
    case_id = await complaint(person, customer_id, "compensate")
    await person.press("refund")
    return case_id, await person.type(amount)


async def promising_fix(person: Person, customer_id: int, when: str = "in_2h") -> int:
    """A complaint whose fix is in progress, promised for `when`."""
    case_id = await complaint(person, customer_id, "fix")
    await person.type("Technician on the way")
    await person.press("in_progress")
    await person.press(when)
    return case_id


async def waiting_on_rung(person: Person, customer_id: int, until: str = "in_a_week") -> int:
    """A review that waits on its first rung until `until`."""
    case_id = await review(person, customer_id)
    await person.type("Offered a trial of the new plan")
    await person.press("wait")
    await person.press(until)
    return case_id
