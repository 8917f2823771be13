"""Who may do what: every command and every button of a case, against every role.

The case belongs to Lan (staff). The roles: an unknown Telegram user, Lan herself, Bernd
(other staff), Minh (supervisor) and An (admin). Unknown users get only the polite refusal
and nothing of theirs is stored; other staff can neither read nor change Lan's case by any
path; supervisors and admins see everything and decide; staff cannot decide; and nobody
decides on their own case.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import pytest

from flows.people import People
from flows.procedures.complaint import Step
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import World
from tests.bot.walk import compensate, open_case, walk_to_compensate

pytestmark = pytest.mark.asyncio

ADMIN = 4001
CUSTOMER = "Nguyễn Thị Hương"
COMPLAINT = "Giao hàng trễ 3 ngày"
FILE_NAME = "receipt.pdf"  # a file of the case: resent only to who may read the case
REFUSAL = "only for registered staff"
ROLES = ("unknown", "owner", "other staff", "supervisor", "admin")
TABLES = ("staff", "cases", "case_events", "customers", "invites", "reminders")


@dataclass
class Scene:
    """One role about to do one thing to Lan's case."""

    world: World
    person: Person
    role: str
    case_id: int
    version: int
    counts: dict[str, int] = field(default_factory=dict)
    processed: int = 0
    answers: int = 0
    messages: int = 0

    @property
    def data(self) -> dict[str, int]:
        return {"c": self.case_id, "v": self.version}

    def answer(self) -> str:
        """The toast this action got, or else the text of the messages it got."""
        api = self.world.api
        new_answers = api.answers[self.answers :]
        toast = " ".join(a.get("text") or "" for a in new_answers)
        shown = " ".join(m.plain_text for m in self.person.messages[self.messages :])
        return f"{toast} {shown}".strip()

    def toast(self) -> str:
        return " ".join(a.get("text") or "" for a in self.world.api.answers[self.answers :])

    async def state(self) -> tuple[str, int, int]:
        case = await self.world.case(self.case_id)
        return case.state, case.version, len(await self.world.events(self.case_id))


Check = Callable[[Scene], Awaitable[None]]


@dataclass(frozen=True)
class Action:
    """Something a person may try: how, on which kind of case, and what success looks like."""

    setup: str  # step1 | note_question | step2 | approval | follow_up | evidence
    perform: Callable[[Scene], Awaitable[object]]
    succeeded: Check
    kind: str = "button"  # command | button | decision


def press(template: str) -> Callable[[Scene], Awaitable[object]]:
    async def perform(scene: Scene) -> object:
        return await scene.person.press_data(template.format(**scene.data))

    return perform


def send(template: str) -> Callable[[Scene], Awaitable[object]]:
    async def perform(scene: Scene) -> object:
        return await scene.person.send(template.format(**scene.data))

    return perform


def says(*fragments: str) -> Check:
    async def check(scene: Scene) -> None:
        answer = scene.answer()
        for fragment in fragments:
            assert fragment.format(**scene.data) in answer, answer

    return check


def lands_in(state: str, *, event: str | None = None) -> Check:
    async def check(scene: Scene) -> None:
        now_state, version, _events = await scene.state()
        assert now_state == state
        assert version > scene.version
        if event is not None:
            assert (await scene.world.events(scene.case_id))[-1].kind == event

    return check


async def shows_the_card(scene: Scene) -> None:
    """The case's card, at its step: sent anew, or (pressed on the card) left in place."""
    card = scene.person.api.last_with_buttons(scene.person.chat_id)
    assert card is not None
    assert f"Case #{scene.case_id} · {CUSTOMER}" in card.plain_text
    assert "Step 1 of 5" in card.plain_text


async def recorded_calm(scene: Scene) -> None:
    case = await scene.world.case(scene.case_id)
    assert (case.state, case.draft.get("reaction")) == (Step.apologise, "calm")
    assert case.version == scene.version + 1


def opened(kind: str) -> Check:
    async def check(scene: Scene) -> None:
        assert await scene.world.count("cases") == scene.counts["cases"] + 1
        async with SqlUnitOfWork(scene.world.services.sessions) as uow:
            newest = await uow.cases.get(scene.counts["cases"] + 1)
            me = await uow.staff.by_telegram_id(scene.person.telegram_id)
        assert newest is not None
        assert me is not None
        assert (newest.kind, newest.owner_id) == (kind, me.id)

    return check


def invited(role: str) -> Check:
    async def check(scene: Scene) -> None:
        assert await scene.world.count("invites") == scene.counts["invites"] + 1
        assert "start=" in scene.person.last_text
        assert f"a new {role}" in scene.person.last_text

    return check


ACTIONS: dict[str, Action] = {
    "/start": Action("step1", send("/start"), says("Hello", "pick up an open case"), "command"),
    "/new": Action("step1", send("/new"), opened("complaint"), "command"),
    "/problem": Action("step1", send("/problem"), opened("problem_review"), "command"),
    "/cases": Action("step1", send("/cases"), says("#{c} · " + CUSTOMER), "command"),
    "/followups": Action("follow_up", send("/followups"), says("#{c} · " + CUSTOMER), "command"),
    "/case N": Action(
        "step1", send("/case {c}"), says("Timeline", CUSTOMER, COMPLAINT), "command"
    ),
    "/language": Action("step1", send("/language"), says("Which language"), "command"),
    "/invite": Action("step1", send("/invite"), invited("staff"), "command"),
    "/invite admin": Action("step1", send("/invite admin"), invited("admin"), "command"),
    "/help": Action(
        "step1", send("/help"), says("What I can do", "Approval requests reach you"), "command"
    ),
    "choose": Action("step1", press("k:{c}:{v}:c:calm"), recorded_calm),
    "skip": Action("note_question", press("k:{c}:{v}:s"), lands_in(Step.fix, event="apologised")),
    "act note": Action("step1", press("k:{c}:{v}:a:note"), says("Type your note for case #{c}")),
    "act evidence": Action(
        "step1", press("k:{c}:{v}:a:evidence"), says("Send a photo, a document, a voice")
    ),
    "act escalate": Action(
        "step1", press("k:{c}:{v}:a:escalate_reason"), says("Why are you escalating")
    ),
    "act cancel": Action("step1", press("k:{c}:{v}:a:cancel_reason"), says("Why cancel case")),
    "act pause": Action("step1", press("k:{c}:{v}:a:pause"), says("Case #{c} is paused")),
    "act back": Action("step2", press("k:{c}:{v}:a:back"), lands_in(Step.apologise, event="back")),
    "open": Action("step1", press("k:{c}:0:o"), shows_the_card),
    "timeline": Action("step1", press("k:{c}:0:t"), says("Timeline", CUSTOMER, COMPLAINT)),
    "files": Action("evidence", press("k:{c}:0:e"), says("#{c} · " + FILE_NAME)),
    "decide y": Action(
        "approval", press("k:{c}:{v}:d:y"), lands_in(Step.follow_up, event="approved"), "decision"
    ),
    "decide n": Action(
        "approval",
        press("k:{c}:{v}:d:n"),
        lands_in(Step.compensate, event="declined"),
        "decision",
    ),
    "decide l": Action(
        "approval", press("k:{c}:{v}:d:l"), says("already been decided"), "decision"
    ),
}

#: Where the general rule (below) does not say it all: (action, role) -> outcome.
EXCEPTIONS: dict[tuple[str, str], str] = {
    ("/cases", "other staff"): "does not list the case",
    ("/followups", "other staff"): "does not list the case",
    ("/invite", "owner"): "may not invite",
    ("/invite", "other staff"): "may not invite",
    ("/invite admin", "owner"): "may not invite",
    ("/invite admin", "other staff"): "may not invite",
    ("/invite admin", "supervisor"): "may not invite",
    ("/help", "owner"): "staff help",
    ("/help", "other staff"): "staff help",
}


def outcome(action: str, role: str) -> str:
    """The expected outcome of `role` doing `action` on Lan's case."""
    if role == "unknown":
        return "refused as unknown"
    if (action, role) in EXCEPTIONS:
        return EXCEPTIONS[(action, role)]
    kind = ACTIONS[action].kind
    if kind == "decision" and role in ("owner", "other staff"):
        return "supervisors only"
    if role == "other staff" and kind == "button":
        return "no such case"
    if action == "/case N" and role == "other staff":
        return "no such case"
    return "allowed"


MATRIX = [
    pytest.param(
        action, role, outcome(action, role), id=f"{role} {action} {outcome(action, role)}"
    )
    for action in ACTIONS
    for role in ROLES
]


async def reach(world: World, setup: str) -> int:
    """Lan's case at the step the action needs."""
    case_id = await open_case(world.lan, CUSTOMER, COMPLAINT)
    if setup in ("note_question", "step2"):
        await world.lan.press("Calm")
    if setup == "step2":
        await world.lan.press("Skip")
    if setup in ("approval", "follow_up"):
        await walk_to_compensate(world.lan)
    if setup == "approval":
        await compensate(world.lan, "Refund", "2tr")
    if setup == "follow_up":
        await compensate(world.lan, "Voucher", "200k")
        await world.lan.press("Tomorrow")
    if setup == "evidence":
        await world.lan.press("📎 Attach evidence")
        await world.lan.send_document(file_name=FILE_NAME)
    return case_id


async def register_admin(world: World) -> Person:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(ADMIN, "An", "admin", "en")
        await uow.commit()
    return Person(world.app, world.api, ADMIN, "An", "en")


async def counts(world: World) -> dict[str, int]:
    return {table: await world.count(table) for table in TABLES}


@pytest.mark.parametrize(("action", "role", "expected"), MATRIX)
async def test_every_role_may_do_exactly_what_its_role_allows(
    world: World, action: str, role: str, expected: str
) -> None:
    admin = await register_admin(world)
    people = {
        "unknown": world.stranger,
        "owner": world.lan,
        "other staff": world.bernd,
        "supervisor": world.minh,
        "admin": admin,
    }
    spec = ACTIONS[action]
    case_id = await reach(world, spec.setup)
    person = people[role]
    scene = Scene(world, person, role, case_id, (await world.case(case_id)).version)
    scene.counts = await counts(world)
    scene.processed = await world.count("processed_updates")
    scene.answers, scene.messages = len(world.api.answers), len(person.messages)
    before = await scene.state()

    await spec.perform(scene)

    answer = scene.answer()
    assert "technical problem" not in answer
    if spec.kind != "command":
        assert len(world.api.answers) == scene.answers + 1  # every press is answered once
    if expected == "allowed":
        await spec.succeeded(scene)
        return
    assert await scene.state() == before  # whatever was refused changed nothing
    if expected == "refused as unknown":
        assert REFUSAL in answer
        assert CUSTOMER not in answer
        assert await counts(world) == scene.counts
        assert await world.count("processed_updates") == scene.processed
        assert len(person.messages) == scene.messages + (1 if spec.kind == "command" else 0)
    elif expected == "no such case":
        assert f"There is no case #{case_id}" in answer
        assert CUSTOMER not in answer
        assert COMPLAINT not in answer
        assert FILE_NAME not in answer
    elif expected == "does not list the case":
        assert f"#{case_id}" not in answer
        assert CUSTOMER not in answer
    elif expected == "supervisors only":
        assert "Only supervisors can do that" in scene.toast()
    elif expected == "may not invite":
        assert "You are not allowed to invite" in answer
        assert await world.count("invites") == scene.counts["invites"]
    elif expected == "staff help":
        assert "What I can do" in answer
        assert "Approval requests reach you" not in answer
    else:  # pragma: no cover - a typo in the table
        pytest.fail(f"unknown outcome {expected!r}")


async def test_other_staff_never_see_the_owners_customer_or_complaint_by_any_path(
    world: World,
) -> None:
    case_id = await reach(world, "approval")
    version = (await world.case(case_id)).version
    bernd = world.bernd
    for action in ACTIONS.values():
        await action.perform(Scene(world, bernd, "other staff", case_id, version))
    for data in ("k:{c}:0:f:satisfied", "k:{c}:{v}:x:done", "k:{c}:{v}:c:new", "k:{c}:0:o"):
        await bernd.press_data(data.format(c=case_id, v=version))
    seen = " ".join(m.plain_text for m in bernd.messages)
    seen += " ".join(a.get("text") or "" for a in world.api.answers)
    assert CUSTOMER not in seen
    assert COMPLAINT not in seen
    case = await world.case(case_id)
    assert (case.state, case.version) == (Step.awaiting_approval, version)


@pytest.mark.parametrize("owner_role", ["supervisor", "admin"])
@pytest.mark.parametrize("verdict", ["y", "n"])
async def test_nobody_may_decide_on_their_own_case_but_another_overseer_may(
    world: World, owner_role: str, verdict: str
) -> None:
    admin = await register_admin(world)
    owner, other = (world.minh, admin) if owner_role == "supervisor" else (admin, world.minh)
    case_id = await open_case(owner, CUSTOMER, COMPLAINT)
    await walk_to_compensate(owner)
    await compensate(owner, "Refund", "2tr")
    case = await world.case(case_id)
    assert case.state == Step.awaiting_approval
    assert "Approval needed" in other.last_text  # the request goes to the other overseer
    assert not any("Approval needed" in m.plain_text for m in owner.messages)
    await owner.press_data(f"k:{case_id}:{case.version}:d:{verdict}")
    assert "cannot decide on a request you made" in world.api.answers[-1]["text"]
    assert (await world.case(case_id)).version == case.version
    await other.press(
        "Approve" if verdict == "y" else "Decline", other.api.last_with_buttons(other.chat_id)
    )
    expected = Step.follow_up if verdict == "y" else Step.compensate
    assert (await world.case(case_id)).state == expected


async def test_an_overseer_alone_gets_told_that_nobody_can_approve_their_own_request(
    world: World,
) -> None:
    case_id = await open_case(world.minh, CUSTOMER, COMPLAINT)
    await walk_to_compensate(world.minh)
    await compensate(world.minh, "Refund", "2tr")
    assert (await world.case(case_id)).state == Step.awaiting_approval
    texts = [m.plain_text for m in world.minh.messages]
    assert not any("Approval needed" in t for t in texts)
    version = (await world.case(case_id)).version
    await world.minh.press_data(f"k:{case_id}:{version}:d:y")
    assert "request you made" in world.api.answers[-1]["text"]
    assert (await world.case(case_id)).state == Step.awaiting_approval
