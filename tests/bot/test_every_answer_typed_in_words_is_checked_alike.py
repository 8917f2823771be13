"""Every answer typed in words — on every step of every procedure, in an incident's note, as
a new customer's name, as a reason or a form of address — is checked alike, in both
languages: nothing, no words at all (an emoji, a lone number, punctuation) and one character
over its limit are refused, nothing is saved, and the question stays open.

Before, a win-back offer of "👍" or "5" was recorded (so was any answer in words), and a new
customer's name was said to take up to 1,000 characters but refused past 120.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot import callbacks as cb
from flows.forms import WORDED, Field, next_field
from flows.incidents import INCIDENT_FORM
from flows.model import Case
from flows.policy import Policy
from flows.procedures import PROCEDURES, procedure_of
from flows.procedures.base import TEXT_ACTIONS
from flows.procedures.review import REASONS
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.test_review_conversation import add_customer
from tests.bot.walk import case_number

pytestmark = pytest.mark.asyncio

#: What each reader is told for each kind of refusal; the limit as each writes it.
REFUSED = {
    "lan": {"empty": "is empty", "no_words": "no words", "too_long": "the limit is {limit:,}"},
    "hoa": {
        "empty": "Tin nhắn này chưa có nội dung",
        "no_words": "chưa có chữ nào",
        "too_long": "giới hạn là {limit:,}",
    },
}
LIMIT_SAID = {"lan": "up to {limit:,} characters", "hoa": "tối đa {limit:,} ký tự"}
#: Nothing, then what has no words, then one character over the limit.
WORDLESS = ("👍", "5", "!!!", "200.000", "🙏🙏 …")
#: The option a walk picks where the first would not reach every question in words.
PICKED = {
    "type": ("none",),  # no compensation: asks why
    "status": ("fixed_now",),
    "rung_outcome": ("not_resolved",),
    "reasons": REASONS,
    "goodwill": ("other_goodwill",),  # another kind: asks what it is
    "alternative": ("own_alternative",),
    "result": ("defected",),
    "standing": ("stays",),
}
#: What the walks type where a question is not in words.
TYPED = {
    "money": "100k",
    "when": "mai 9h",
    "past_date": "hôm qua",
    "future_date": "31/03/2027",
    "phone": "0903 123 456",
}
#: Questions about a customer, asked from the customer's record.
CUSTOMER_QUESTIONS = ("customer_address", "at_risk_reason")


def worded_fields() -> set[str]:
    """Every question answered in words, in every procedure and side form."""
    policy = Policy()
    forms = [p.form(s, policy) for p in PROCEDURES.values() for s in p.flow.all_states()]
    return {f.name for form in (*forms, INCIDENT_FORM) for f in form if f.kind in WORDED}


class Walk:
    """One reader walking cases through, trying every question in words with what must be
    refused before answering it."""

    def __init__(self, world: World, who: str) -> None:
        self.world, self.who = world, who
        self.person: Person = getattr(world, who)
        self.policy: Policy = world.services.policy
        self.tried: set[str] = set()

    async def expecting(self) -> str | None:
        async with SqlUnitOfWork(self.world.services.sessions) as uow:
            staff = await uow.staff.by_telegram_id(self.person.telegram_id)
        assert staff is not None
        return staff.expecting

    def field(self, case: Case) -> Field | None:
        if case.draft.get("_side") == "incident":
            return next_field(INCIDENT_FORM, case.draft)
        context = {"customer": case.customer_id} if case.customer_id else {}
        form = procedure_of(case).form(case.state, self.policy)
        return next_field(form, {**context, **case.draft})

    async def refused(self, name: str, limit: int, case_id: int | None) -> None:
        """Send what must be refused for the question `name`; check nothing moved."""
        before = (await self.world.case(case_id)).version if case_id else None
        said = REFUSED[self.who]
        tries = [(" \u200b ", "empty"), *((w, "no_words") for w in WORDLESS)]
        for typed, why in [*tries, ("x" * (limit + 1), "too_long")]:
            await self.person.send(typed)
            assert said[why].format(limit=limit).replace(",", self.sep) in self.person.last_text
            if case_id:
                assert (await self.world.case(case_id)).version == before, (name, typed)
        self.tried.add(name)

    @property
    def sep(self) -> str:
        return "." if self.who == "hoa" else ","

    async def answer_in_words(self, name: str, limit: int, case_id: int | None) -> None:
        await self.refused(name, limit, case_id)
        await self.person.send("Khách muốn giao hàng đúng hẹn")

    async def through(self, case_id: int, until: str | None = None) -> None:
        """Answer the case's questions until it ends, waits, or reaches `until`."""
        while (case := await self.world.case(case_id)).state != until:
            field = self.field(case)
            if field is None or field.kind == "approval":
                return
            await self.answer(case, field)

    async def answer(self, case: Case, field: Field) -> None:
        cid = case.id or 0
        if field.kind in WORDED:
            limit = self.policy.words_limit(field.kind)
            said = LIMIT_SAID[self.who].format(limit=limit).replace(",", self.sep)
            assert said in self.person.last_text, (field.name, self.person.last_text)
            await self.answer_in_words(field.name, limit, cid)
        elif field.kind == "multi":
            for option in PICKED.get(field.name, field.options[:1]):
                await self.choose(cid, option)
            await self.choose(cid, "done")
        elif field.kind == "choice" or (field.kind != "customer" and field.options):
            await self.choose(cid, PICKED.get(field.name, field.options)[0])
        else:
            await self.person.send(TYPED[field.kind])

    async def choose(self, case_id: int, option: str) -> None:
        version = (await self.world.case(case_id)).version
        await self.person.press_data(cb.case_button(case_id, version, cb.CHOOSE, option))

    async def act(self, case_id: int, action: str) -> None:
        version = (await self.world.case(case_id)).version
        await self.person.press_data(cb.case_button(case_id, version, cb.ACT, action))
        expecting = await self.expecting()
        assert expecting == action, (action, expecting)
        await self.answer_in_words(action, self.policy.text_limit, case_id)

    async def about_customer(self, customer_id: int, action: str, question: str) -> None:
        await self.person.press_data(cb.customer_button(customer_id, action))
        assert await self.expecting() == question
        limit = self.policy.words_limit("name" if question == "customer_address" else "text")
        await self.answer_in_words(question, limit, None)

    async def opened(self, command: str, customer: str | None = None) -> int:
        await self.person.send(command)
        case_id = case_number(self.person.last_text)
        if customer is not None:
            await self.person.send(customer)
            await self.person.press(customer)
        return case_id


async def walk_everything(world: World, who: str) -> Walk:
    walk = Walk(world, who)
    customer = await add_customer(world, "Trần Văn Hùng")
    complaint = await walk.opened("/new")
    await walk.person.send("Nguyễn Thị Hương")
    await walk.choose(complaint, "new")
    await walk.through(complaint, until="fix")
    version = (await world.case(complaint)).version
    await walk.person.press_data(cb.case_button(complaint, version, cb.ACT, "incident"))
    await walk.through(complaint, until="empathise")
    await walk.act(complaint, "escalate_reason")
    await walk.through(complaint, until="follow_up")
    await walk.act(complaint, "cancel_reason")
    await walk.person.press_data(cb.customer_button(customer, "checkin"))
    await walk.through(case_number(walk.person.last_text))
    await walk.person.press_data(cb.customer_button(customer, "checkin"))  # unreachable
    await walk.act(case_number(walk.person.last_text), "end_reason")
    await walk.about_customer(customer, "rename", "customer_address")
    await walk.about_customer(customer, "atrisk", "at_risk_reason")
    await add_customer(world, "Phạm Thị Lan")
    await walk.through(await walk.opened("/exit", "Phạm Thị Lan"))
    review = await walk.opened("/problem", "Trần Văn Hùng")
    await walk.act(review, "skip_reason")
    await walk.through(review)
    await world.minh.press("Approve")
    await walk.person.press_data(cb.case_button(review, 0, cb.OPEN))
    await walk.through(review)
    assert (await world.case(review)).state == "terminated"
    return walk


@pytest.mark.parametrize("who", ["lan", "hoa"])
async def test_every_answer_in_words_refuses_nothing_no_words_and_too_much_alike(
    world: World, who: str
) -> None:
    walk = await walk_everything(world, who)
    asked: set[Any] = {*TEXT_ACTIONS, *CUSTOMER_QUESTIONS} - {"note"}
    assert walk.tried == worded_fields() | asked
