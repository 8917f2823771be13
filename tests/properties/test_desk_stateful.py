"""Random presses and texts on one complaint, through the real Desk use cases on SQLite.

A hypothesis rule-based machine plays a staff member (and a supervisor) doing anything the
bot accepts — pressing the current question's buttons, stale and forged ones, side actions,
typed text of every kind, evidence, decisions, answers to reminders — each as one unit of
work committed only when the use case succeeds, exactly as `bot/runtime.py` does. After every
action the stored case must still make sense: its events are numbered 1..n without gaps or
duplicates, earlier events never change, the state is one of the complaint flow's, and
replaying the recorded triggers reproduces the state and every recorded destination.
"""

from __future__ import annotations

import asyncio
import atexit
import shutil
import tempfile
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import text

from flows.desk import FOLLOW_UP_ANSWERS, Desk
from flows.errors import Refused
from flows.model import CaseKind, Staff
from flows.outcomes import CaseView
from flows.parsing import InvalidInput
from flows.people import People
from flows.policy import Policy
from flows.procedures.complaint import COMPLAINT, Step, promise_number
from storage.engine import create_engine, session_factory
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWork

LAN, MINH = 1001, 2001
POLICY = Policy()
LIMIT = POLICY.staff_compensation_limit
START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Ho Chi Minh City
TRIGGERS = {str(t["trigger"]) for t in COMPLAINT.transitions}

#: Typed texts: answers of every kind, amounts around the limit, and nonsense.
TEXTS = (
    "Mai Phạm",
    "nguyen",
    "0903 123 456",
    "2019",
    "3tr",
    f"{LIMIT}",
    f"{LIMIT + 1}",
    f"{LIMIT - 1}",
    "500k",
    "1,5tr",
    "0",
    "-5000",
    "lots",
    "25/12",
    "30/11/2026 14:30",
    "01/01/2020",
    "14h",
    "   ",
    "x" * 1001,
    "<b>bold</b> & '; DROP TABLE cases;--",
    "😡🎂 Giao hàng trễ",
)
#: Values typed when answering the current question on purpose, by its kind.
ANSWERS = {
    "text": ("Re-delivered by van", "<i>she</i> & co"),
    "name": ("Nguyễn Thị Mai", "<b>Tâm</b> & co"),
    "money": ("0", "200k", f"{LIMIT}", f"{LIMIT + 1}", "2tr"),
    "when": ("30/11 10:00", "in a week", "14h", "25/12/2026"),
    "past_date": ("2019", "01/02/2020"),
    "phone": ("0903 123 456",),
}
VERBS = (
    "back",
    "pause",
    "note",
    "evidence",
    "escalate_reason",
    "cancel_reason",
    "incident",
    "straight",
    "skip_reason",
    "bogus",
)
GARBAGE_VALUES = ("", "zzz", "999999", "new", "calm", "done", "today", "in_1h", "voucher")

_template: Path | None = None


def migrated_template() -> Path:
    """A migrated SQLite file with Lan (staff) and Minh (supervisor), built once per run."""
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="desk-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "template.sqlite3"

        async def build() -> None:
            engine = create_engine(f"sqlite+aiosqlite:///{path}")
            await upgrade(engine)
            async with SqlUnitOfWork(session_factory(engine)) as uow:
                people = People(uow, POLICY, lambda: START)
                await people.register(LAN, "Lan", "staff", "en")
                await people.register(MINH, "Minh", "supervisor", "en")
                await uow.commit()
            await engine.dispose()

        asyncio.run(build())
        _template = path
    return _template


class ComplaintDesk(RuleBasedStateMachine):
    """One complaint, pressed and typed at at random."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="desk-"))
        database = self.dir / "bot.sqlite3"
        shutil.copy(migrated_template(), database)
        self.loop = asyncio.new_event_loop()
        self.engine = create_engine(f"sqlite+aiosqlite:///{database}")
        self.sessions = session_factory(engine=self.engine)
        self.now = START
        self.case_id = 0
        self.seen: list[tuple[int, str, str]] = []
        self.refusals = 0

    # ------------------------------------------------------------- plumbing

    def act(self, who: int, use_case: Callable[[Desk, Staff], Awaitable[Any]]) -> bool:
        """Run one use case in its own unit of work; commit only if it succeeds."""

        async def once() -> bool:
            async with SqlUnitOfWork(self.sessions) as uow:
                actor = await uow.staff.by_telegram_id(who)
                assert actor is not None
                desk = Desk(uow, POLICY, lambda: self.now)
                try:
                    await use_case(desk, actor)
                except (Refused, InvalidInput):
                    self.refusals += 1
                    return False
                await uow.commit()
                return True

        return self.loop.run_until_complete(once())

    def view(self) -> CaseView:
        async def read() -> CaseView:
            async with SqlUnitOfWork(self.sessions) as uow:
                desk = Desk(uow, POLICY, lambda: self.now)
                case = await uow.cases.get(self.case_id)
                assert case is not None
                return await desk.view(case)

        return self.loop.run_until_complete(read())

    def options(self, view: CaseView) -> list[str]:
        field = view.field
        if field is None:
            return []
        extra = {"customer": ["new"], "multi": ["done"], "past_date": ["today"]}
        return [*field.options, *extra.get(field.kind, [])]

    def teardown(self) -> None:
        self.loop.run_until_complete(self.engine.dispose())
        self.loop.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    # ---------------------------------------------------------------- rules

    @initialize(through_intake=st.integers(0, 3))
    def open_a_case(self, through_intake: int) -> None:
        """Open a case; most runs first take it through intake, so that the steps get walked."""

        async def new(desk: Desk, actor: Staff) -> None:
            (shown,) = await desk.open(actor, CaseKind.complaint)
            self.case_id = shown.view.case.id  # type: ignore[union-attr]

        assert self.act(LAN, new)
        if through_intake:
            for pick in range(12):
                if self.view().case.state != Step.intake:
                    break
                self.answer_the_next_questions_sensibly([pick])
            assert self.view().case.state == Step.apologise

    @rule(pick=st.integers(0, 31))
    def press_a_button_of_the_current_question(self, pick: int) -> None:
        view = self.view()
        options = self.options(view)
        if not options:
            return
        value, version = options[pick % len(options)], view.case.version
        self.act(LAN, lambda d, a: d.choose(a, self.case_id, version, value))

    @rule(pick=st.integers(0, 31), shift=st.sampled_from([-1, 1, 7]))
    def press_a_button_drawn_for_another_version(self, pick: int, shift: int) -> None:
        view = self.view()
        options = self.options(view) or ["calm"]
        value, version = options[pick % len(options)], view.case.version + shift
        assert not self.act(LAN, lambda d, a: d.choose(a, self.case_id, version, value))

    @rule(value=st.sampled_from(GARBAGE_VALUES))
    def press_a_forged_answer(self, value: str) -> None:
        version = self.view().case.version
        self.act(LAN, lambda d, a: d.choose(a, self.case_id, version, value))

    @rule()
    def skip_the_question(self) -> None:
        version = self.view().case.version
        self.act(LAN, lambda d, a: d.skip(a, self.case_id, version))

    @rule(verb=st.sampled_from(VERBS))
    def press_a_side_action(self, verb: str) -> None:
        version = self.view().case.version
        self.act(LAN, lambda d, a: d.action(a, self.case_id, version, verb))

    @rule(typed=st.sampled_from(TEXTS))
    def type_text(self, typed: str) -> None:
        self.act(LAN, lambda d, a: d.text(a, typed))

    @rule(picks=st.lists(st.integers(0, 7), min_size=1, max_size=8))
    def answer_the_next_questions_sensibly(self, picks: list[int]) -> None:
        """Answer a few questions in a row as staff would, so that walks get far."""
        self.act(LAN, lambda d, a: d.open_case(a, self.case_id))  # focus the case first
        for pick in picks:
            view = self.view()
            field = view.field
            if field is None:
                if view.case.state == Step.awaiting_approval:
                    self.a_supervisor_decides("y" if pick % 3 else "n", stale=False)
                elif view.case.state == Step.awaiting_follow_up:
                    answers = list(FOLLOW_UP_ANSWERS)
                    self.answer_a_follow_up_reminder(answers[pick % len(answers)])
                continue
            answers = ANSWERS.get(field.kind)
            if answers is None:
                self.press_a_button_of_the_current_question(pick)
                continue
            typed = answers[pick % len(answers)]
            self.act(LAN, lambda d, a, typed=typed: d.text(a, typed))

    @rule()
    def send_a_photo(self) -> None:
        self.act(LAN, lambda d, a: d.evidence(a, "photo-1", "photo", None))

    @rule(verdict=st.sampled_from(["y", "n", "l", "x"]), stale=st.booleans())
    def a_supervisor_decides(self, verdict: str, stale: bool) -> None:
        version = self.view().case.version - int(stale)
        self.act(MINH, lambda d, a: d.decisions.decide(a, self.case_id, version, verdict))

    @rule(typed=st.sampled_from(["Good call", "   ", "<b>ok</b>"]))
    def the_supervisor_types(self, typed: str) -> None:
        self.act(MINH, lambda d, a: d.text(a, typed))

    @rule(verdict=st.sampled_from(["y", "n"]))
    def the_owner_tries_to_decide(self, verdict: str) -> None:
        version = self.view().case.version
        decide = lambda d, a: d.decisions.decide(a, self.case_id, version, verdict)  # noqa: E731
        assert not self.act(LAN, decide)

    @rule(answer=st.sampled_from([*FOLLOW_UP_ANSWERS, "bogus"]))
    def answer_a_follow_up_reminder(self, answer: str) -> None:
        version = self.view().case.version
        self.act(LAN, lambda d, a: d.answer_follow_up(a, self.case_id, version, answer))

    @rule(answer=st.sampled_from(["done", "in_2h", "tomorrow", "bogus"]), stale=st.booleans())
    def answer_a_fix_reminder(self, answer: str, stale: bool) -> None:
        async def answer_fix(d: Desk, a: Staff) -> Any:
            promised = promise_number(await d.uow.events.for_case(self.case_id)) or 0
            return await d.answer_fix(a, self.case_id, promised - int(stale), answer)

        self.act(LAN, answer_fix)  # as the latest reminder's buttons, or an older one's

    @rule(hours=st.sampled_from([1, 5, 30]))
    def time_passes(self, hours: int) -> None:
        self.now += timedelta(hours=hours)

    # ----------------------------------------------------------- invariants

    @invariant()
    def the_log_is_contiguous_append_only_and_replays_to_the_state(self) -> None:
        if not self.case_id:
            return

        async def read() -> tuple[tuple[str, int, int], list[Any]]:
            async with self.engine.connect() as db:
                case = (
                    await db.execute(
                        text("SELECT state, version, events_count FROM cases WHERE id = :id"),
                        {"id": self.case_id},
                    )
                ).one()
                rows = (
                    await db.execute(
                        text(
                            "SELECT seq, step, kind, data FROM case_events"
                            " WHERE case_id = :id ORDER BY id"
                        ),
                        {"id": self.case_id},
                    )
                ).all()
            return (case[0], case[1], case[2]), list(rows)

        (state, _version, count), rows = self.loop.run_until_complete(read())
        seqs = [row[0] for row in rows]
        assert seqs == list(range(1, len(rows) + 1)), seqs
        assert count == len(rows)
        assert state in COMPLAINT.all_states()
        logged = [(row[0], row[2], str(row[3])) for row in rows]
        assert logged[: len(self.seen)] == self.seen  # nothing earlier changed or vanished
        self.seen = logged

        replayed = _Card(str(COMPLAINT.initial))
        given = offered = 0  # the limit applies to the case's total across offers
        for _seq, step, kind, data in rows:
            if kind not in TRIGGERS:
                continue
            recorded = data if isinstance(data, dict) else _json(data)
            assert step == replayed.state, (kind, step, replayed.state)
            offered = int(recorded.get("value") or 0) if kind == "compensated" else offered
            COMPLAINT.fire(replayed, kind, value=offered, given=given, limit=LIMIT)
            if (kind, replayed.state) in (
                ("compensated", Step.follow_up),
                ("approved", Step.follow_up),
            ):
                given += offered
            assert recorded.get("to", replayed.state) == replayed.state
        assert replayed.state == state
        assert self.view().case.compensation_total == given
        if state == Step.follow_up:
            assert any(r[2] == "approved" for r in rows) or given <= LIMIT


class _Card:
    def __init__(self, state: str) -> None:
        self.state = state


def _json(raw: Any) -> dict[str, Any]:
    import json

    loaded = json.loads(raw)
    assert isinstance(loaded, dict)
    return loaded


TestRandomPressesAndTextsKeepTheLogContiguousAndTheStateLegal = ComplaintDesk.TestCase
TestRandomPressesAndTextsKeepTheLogContiguousAndTheStateLegal.settings = settings(
    max_examples=20,
    stateful_step_count=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
