"""A careless crowd in the chat: two members of staff (one reading Vietnamese, one English),
two supervisors (one of each) and a stranger press any button left in their chat — the card,
older cards, notices, request copies, by index so that stale ones are pressed too — type
answers that fit, nonsense, overlong text, HTML, emoji and blanks, send every command (for
anyone's case too), photos and documents, let time pass and the reminders go out, and restart
the bot (its process memory dropped, the database kept), through the real bot and the Bot
API stand-in of tests/bot.

After every step: no error escaped and no update went unanswered; every message fits
Telegram's 4,096 characters, every button's data its 64 bytes and every label the phone's row
(words.md); the stranger is only ever refused; no member of staff is shown what another typed
on a case unless it was handed to them; every case's timeline only grows; every text typed is
saved somewhere or quoted back; every reply reads in the reader's chosen language.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import shutil
import tempfile
from collections.abc import Awaitable, Iterator
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, rule
from sqlalchemy import text

from bot.app import build_application, offline
from bot.render.sizes import LABEL_BUDGET, visible_length
from bot.scheduler import Scheduler
from bot.services import Services
from flows.model import CaseEvent, Customer
from flows.parsing import search_key
from flows.people import People
from flows.scripts import Scripts, plain
from standin.errors import NOT_MODIFIED, Reply
from standin.inprocess import FakeBotApi, Person
from standin.messages import MAX_CALLBACK_DATA_BYTES, MAX_TEXT_LENGTH, SentMessage
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import settings_for
from tests.bot.test_review_conversation import climb_to_decision
from tests.conftest import Clock

T = TypeVar("T")

START = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Ho Chi Minh City
SCRIPTS = Scripts.load()
#: Who plays: Telegram id, first name, role (None: not registered), language.
CAST = {
    "lan": (1001, "Lan", "staff", "en"),
    "hoa": (1002, "Hòa", "staff", "vi"),
    "minh": (2001, "Minh", "supervisor", "en"),
    "thao": (2003, "Thảo", "supervisor", "vi"),
    "stranger": (9999, "Eve", None, "en"),
}
STAFF = ("lan", "hoa")
CUSTOMERS = (("Trần Văn Hùng", "individual"), ("Công ty Hải Đăng", "business"))
#: Answers that fit some question, typed as they are.
FITTING = (
    "Trần Văn Hùng",
    "Công ty Hải Đăng",
    "tran van",
    "Nguyễn Thị Mai",
    "0903 123 456",
    "2019",
    "3tr",
    "200k",
    "2tr",
    "30/11 10:00",
    "25/12/2026",
    "in a week",
    "14h",
)
#: Free texts, each made unique by a mark (`{m}`) so that it can be followed.
MARKED = (
    "Re-delivered by our van {m}",
    "Đã giao lại hàng cho khách {m}",
    "<b>bold</b> & <i>co</i> '; DROP TABLE cases;-- {m}",
    "😡🎂 {m} 🙏",
    "{m} " + "chữ rất dài " * 400,  # > 4,096 characters
    "asdf qwer {m}",
)
BLANKS = ("   ", "\n")
COMMANDS = (
    "/new",
    "/problem",
    "/exit",
    "/customer tran van",
    "/customer Hải Đăng",
    "/customer nobody",
    "/cases",
    "/case {n}",
    "/followups",
    "/log",
    "/language",
    "/help",
    "/atrisk",
    "/start",
    "/menu",
)
#: The buttons that answer a question: a choice, a skip, a customer, a decision.
CHOICE = re.compile(r"k:\d+:\d+:[csdfxh](:.*)?|u:\d+:[a-z]+")
#: What a question asks (the start of its prompt, in either language) -> its key.
PROMPTS = {
    plain(text).split("{")[0][:40]: key
    for locale in ("en", "vi")
    for key, text in SCRIPTS.texts[locale].items()
    if key.startswith("field.") and key.endswith(".prompt") and len(text) > 12
}
#: Answers that fit a question asked for a value of some kind, by the question.
VALUES = {
    "customer": ("Trần Văn Hùng", "Hải Đăng", "0903"),
    "new_name": ("Nguyễn Thị Mai", "Công ty <b>Sao</b> & co"),
    "new_phone": ("0903 123 456",),
    "new_since": ("2019", "3/2021"),
    "new_yearly_value": ("3tr", "50000000"),
    "value": ("200k", "2tr", "0"),
    "goodwill_value": ("200k", "2tr"),
    "promised_at": ("30/11 14:30", "25/12/2026 10:00"),
    "due": ("30/11 10:00", "in a week"),
    "next_due": ("1/12 10:00",),
    "renewal_date": ("25/12/2026",),
    "incident_date": ("20/11/2026",),
    "caution_until": ("31/12/2026",),
}
#: The buttons that leave a case where it stands: side actions, its timeline, its files.
ASIDE = re.compile(r"k:\d+:\d+:[ate](:.*)?")
MARK = re.compile(r"mk\d+x")
#: What a reply says when what was typed was not saved (and may not quote it: too long…),
#: or why it could not be read (not a phone number, not a date…).
NOT_SAVED = re.compile(
    "|".join(
        [r"not saved|nothing (?:has been|was) saved|chưa được lưu|chưa có gì được lưu|chưa lưu"]
        + [
            re.escape(plain(text).split("{")[0][:30])
            for locale in ("en", "vi")
            for key, text in SCRIPTS.texts[locale].items()
            if key.startswith("error.") and len(plain(text).split("{")[0]) >= 12
        ]
    )
)


def fragments(locale: str, other: str, least: int) -> re.Pattern[str]:
    """The words only `locale`'s scripts say: the literal parts of its texts (between
    placeholders, tags and line breaks) of at least `least` characters that no text of
    `other` holds, as one pattern."""
    theirs = "\n".join(plain(t) for t in SCRIPTS.texts[other].values())
    found: set[str] = set()
    for template in SCRIPTS.texts[locale].values():
        for part in re.split(r"\{[^}]*\}|\n", plain(template)):
            part = part.strip(" .,:;!?()“”\"'·—-")
            if len(part) >= least and " " in part and part not in theirs:
                found.add(part)
    return re.compile("|".join(re.escape(f) for f in sorted(found, key=len, reverse=True)))


#: What the scripts say only in one language: a reply to a reader of the other shows none.
ONLY_IN = {"vi": fragments("vi", "en", 14), "en": fragments("en", "vi", 18)}
REFUSAL = plain(SCRIPTS.get("en", "access.unknown"))


#: Refusals the bot takes in its stride: an edit that changes nothing. Nobody in the crowd
#: deletes a message, so an edit of one gone is of a card the bot itself took away: a place
#: it should no longer hold.
TOLERATED = (NOT_MODIFIED,)


class Recording(FakeBotApi):
    """The stand-in, noting every call Telegram refused (too long, bad button data…)."""

    def __init__(self) -> None:
        super().__init__()
        self.refused: list[str] = []

    def answer(self, method: str, params: dict[str, Any]) -> Reply:
        reply = super().answer(method, params)
        body = json.loads(reply[1])
        if not body["ok"] and body["description"] not in TOLERATED:
            where = (params.get("chat_id"), params.get("message_id"))
            self.refused.append(f"{method} {where}: {body['description']}")
        return reply


class Errors(logging.Handler):
    """The errors logged while the crowd plays."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.seen: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.seen.append(f"{record.name}: {record.getMessage()}")


_template: Path | None = None


async def _fill(url: str, clock: Clock) -> None:
    """Migrate, register the cast and add the customers."""
    app = build_application(settings_for(url), request=FakeBotApi(), clock=clock)
    async with offline(app) as services, SqlUnitOfWork(services.sessions) as uow:
        people = People(uow, services.policy, clock)
        for telegram_id, name, role, language in CAST.values():
            if role is not None:
                await people.register(telegram_id, name, role, language)
        for name, kind in CUSTOMERS:
            await uow.customers.add(
                Customer(
                    name=name,
                    search_key=search_key(name),
                    kind=kind,
                    yearly_value=12_000_000,
                    since=date(2024, 1, 1),
                )
            )
        await uow.commit()


def template(loop: asyncio.AbstractEventLoop) -> Path:
    """A database with the cast and the customers, built once per run."""
    global _template
    if _template is None:
        folder = Path(tempfile.mkdtemp(prefix="crowd-template-"))
        path = folder / "template.sqlite3"
        loop.run_until_complete(_fill(f"sqlite+aiosqlite:///{path}", Clock(START)))
        _template = path
    return _template


@dataclass(frozen=True)
class Typed:
    """A text someone typed with a mark."""

    person: str
    mark: str


@dataclass
class Seen:
    """What the checks remember between steps."""

    #: chat -> message id -> the text and buttons last checked.
    shown: dict[int, dict[int, tuple[str, str]]] = field(default_factory=dict)
    #: case -> its events as first seen.
    timelines: dict[int, list[tuple[Any, ...]]] = field(default_factory=dict)
    #: case -> everyone who owned it.
    owners: dict[int, set[int]] = field(default_factory=dict)
    typed: list[Typed] = field(default_factory=list)


class CrowdInTheChat(RuleBasedStateMachine):
    """The cast, walking the chat at random."""

    def __init__(self) -> None:
        super().__init__()
        self.loop = asyncio.new_event_loop()
        self.folder = Path(tempfile.mkdtemp(prefix="crowd-"))
        database = self.folder / "chat.sqlite3"
        shutil.copy(template(self.loop), database)
        self.url = f"sqlite+aiosqlite:///{database}"
        self.clock = Clock(START)
        self.api = Recording()
        self.errors = Errors()
        logging.getLogger().addHandler(self.errors)
        self.stack = AsyncExitStack()
        self.services = self.run(self._start())
        self.people = {
            who: Person(self.app, self.api, telegram_id, name, language)
            for who, (telegram_id, name, _role, language) in CAST.items()
        }
        self.seen = Seen()
        self.marks = 0

    def run(self, work: Awaitable[T]) -> T:
        return self.loop.run_until_complete(work)  # type: ignore[arg-type]

    async def _start(self) -> Services:
        self.app = build_application(settings_for(self.url), request=self.api, clock=self.clock)
        return await self.stack.enter_async_context(offline(self.app))

    async def _work_done(self) -> None:
        """Wait for the work begun off the lane (reports, redrawn request copies)."""
        await self.app.bot_data.heavy.wait()
        await self.app.bot_data.redrawing.wait()

    def teardown(self) -> None:
        self.run(self.stack.aclose())
        self.loop.close()
        logging.getLogger().removeHandler(self.errors)
        shutil.rmtree(self.folder, ignore_errors=True)

    # ------------------------------------------------------------------ rules

    @rule(who=st.sampled_from(list(CAST)), index=st.integers(0, 1_000))
    def press(self, who: str, index: int) -> None:
        """Press any button showing in the chat, however old its message."""
        person = self.people[who]
        buttons = [
            (message, button.callback_data)
            for message in person.messages
            if not message.deleted
            for row in message.buttons
            for button in row
            if button.callback_data
        ]
        if not buttons:
            return
        message, data = buttons[index % len(buttons)]
        self._pressed(who, str(data), message)

    @rule(who=st.sampled_from(list(CAST)), index=st.integers(0, 1_000), times=st.integers(1, 9))
    def answer_the_questions(self, who: str, index: int, times: int) -> None:
        """Answer what the newest card asks, `times` questions in a row, as a careful person
        would: with one of its choices, else with a value of the kind asked."""
        for turn in range(times):
            self._answer(who, index + turn)

    def _answer(self, who: str, index: int) -> None:
        person = self.people[who]
        card = self.api.last_with_buttons(person.chat_id)
        choices = [
            str(b.callback_data)
            for row in (card.buttons if card else [])
            for b in row
            if CHOICE.fullmatch(str(b.callback_data))
        ]
        if card is not None and choices:
            self._pressed(who, choices[index % len(choices)], card)
            return
        asked = next((f for p, f in PROMPTS.items() if card and p in card.plain_text), "")
        answers = VALUES.get(asked.removeprefix("field.").rsplit(".", 1)[0])
        if answers:
            self._said(who, lambda person: person.send(answers[index % len(answers)]))
        else:
            self.type_a_text(who, MARKED[index % len(MARKED)])

    @rule(who=st.sampled_from(list(CAST)), index=st.integers(0, 1_000))
    def go_on(self, who: str, index: int) -> None:
        """Press a button of the newest message that has any, one that moves things on
        (an answer, a decision, a customer, a menu entry) rather than a side action."""
        person = self.people[who]
        message = self.api.last_with_buttons(person.chat_id)
        if message is None:
            return
        data = [str(b.callback_data) for row in message.buttons for b in row if b.callback_data]
        onwards = [d for d in data if not ASIDE.fullmatch(d)] or data
        self._pressed(who, onwards[index % len(onwards)], message)

    @rule(who=st.sampled_from(list(CAST)), of=st.sampled_from(list(CAST)), index=st.integers())
    def press_someone_elses(self, who: str, of: str, index: int) -> None:
        """Press a button seen in someone else's chat (a forged or forwarded press)."""
        buttons = [
            str(button.callback_data)
            for message in self.people[of].messages
            for row in message.buttons
            for button in row
            if button.callback_data
        ]
        if buttons:
            self._pressed(who, buttons[index % len(buttons)], None)

    @rule(who=st.sampled_from(["lan", "hoa"]), customer=st.sampled_from(CUSTOMERS))
    def climb_a_review_to_its_decision(self, who: str, customer: tuple[str, str]) -> None:
        """Walk a problem review up its ladder to the request for a decision, as a careful
        person would, so that the crowd meets termination requests, verdicts and goodbyes:
        random presses alone seldom climb that far. Where the crowd has got in the way (the
        customer already under review, a button gone), the walk stops there."""
        person, name = self.people[who], customer[0]
        with contextlib.suppress(LookupError):
            self.run(self._climb(person, name))
        self._check()

    async def _climb(self, person: Person, customer: str) -> None:
        await person.send("/problem")
        await person.send(customer)
        await person.press(customer)
        await climb_to_decision(person)

    @rule(who=st.sampled_from(list(CAST)), answer=st.sampled_from(FITTING))
    def type_an_answer(self, who: str, answer: str) -> None:
        self._said(who, lambda person: person.send(answer))

    @rule(who=st.sampled_from(list(CAST)), said=st.sampled_from(MARKED))
    def type_a_text(self, who: str, said: str) -> None:
        """Type a free text, marked so that it can be followed."""
        self.marks += 1
        mark = f"mk{self.marks}x"
        replies = self._said(who, lambda person: person.send(said.format(m=mark)))
        if who != "stranger":  # refused whatever they type
            self.seen.typed.append(Typed(who, mark))
            told = mark in replies or NOT_SAVED.search(replies) is not None
            assert told or mark in self.run(self._stored()), (
                f"{who}'s {mark} was neither saved nor said not to be: {replies[-800:]!r}"
            )

    @rule(who=st.sampled_from(list(CAST)), blank=st.sampled_from(BLANKS))
    def type_a_blank(self, who: str, blank: str) -> None:
        self._said(who, lambda person: person.send(blank))

    @rule(who=st.sampled_from(list(CAST)), command=st.sampled_from(COMMANDS), n=st.integers(0, 9))
    def send_a_command(self, who: str, command: str, n: int) -> None:
        self._said(who, lambda person: person.send(command.format(n=n)))

    @rule(who=st.sampled_from(list(CAST)), photo=st.booleans())
    def send_a_file(self, who: str, photo: bool) -> None:
        self._said(who, lambda person: person.send_photo() if photo else person.send_document())

    @rule(hours=st.sampled_from((1, 5, 26, 24 * 8)))
    def time_passes(self, hours: int) -> None:
        """Time passes and the reminders due go out."""
        self.clock.advance(hours=hours)
        self.run(Scheduler(self.app.bot, self.services).tick())
        self._check()

    @rule()
    def restart(self) -> None:
        """The bot starts anew on the same database: nothing of its memory is kept."""
        self.run(self._work_done())
        self.run(self.stack.aclose())
        self.stack = AsyncExitStack()
        self.services = self.run(self._start())
        for person in self.people.values():
            person.application = self.app

    # ------------------------------------------------------------------ steps

    def _pressed(self, who: str, data: str, message: SentMessage | None) -> None:
        person = self.people[who]
        calls = len(self.api.calls)
        update_id = self.run(
            person.press(data, message) if message is not None else person.press_data(data, None)
        )
        answered = [
            c
            for c in self.api.calls[calls:]
            if c.method == "answerCallbackQuery"
            and c.params.get("callback_query_id") == f"cbq-{update_id}"
        ]
        assert answered, f"{who}'s press of {data} was not answered"
        toast = str(answered[0].params.get("text") or "")
        if who == "stranger":
            assert toast in ("", REFUSAL), toast
        else:
            self._in_language(toast, self.run(self._locales())[person.telegram_id])
        self._check()

    def _said(self, who: str, send: Any) -> str:
        """Send something; return the replies drawn in the person's chat because of it."""
        person = self.people[who]
        calls = len(self.api.calls)
        self.run(send(person))
        replies = [
            c
            for c in self.api.calls[calls:]
            if str(c.params.get("chat_id")) == str(person.chat_id)
            and c.method.startswith(("send", "edit"))
            and c.method != "sendChatAction"
        ]
        assert replies, f"{who} was not answered"
        return self._check()[who]

    # ------------------------------------------------------------------ checks

    def _check(self) -> dict[str, str]:
        """Check every invariant; return what each chat was shown since the last check."""
        self.run(self._work_done())
        assert not self.errors.seen, self.errors.seen
        assert not self.api.refused, self.api.refused
        locales = self.run(self._locales())
        cases = self.run(self._cases())
        for case_id, owner in cases:
            self.seen.owners.setdefault(case_id, set()).add(owner)
        shown: dict[str, str] = {}
        for who, person in self.people.items():
            changed = list(self._changed(person))
            shown[who] = "\n".join(m.plain_text for m in changed)
            for message in changed:
                self._fits(message)
                if who == "stranger":
                    assert message.plain_text == REFUSAL, message.plain_text
                    continue
                said = message.plain_text + "\n" + "\n".join(message.button_labels)
                self._in_language(said, locales[person.telegram_id])
                if who in STAFF:
                    self._only_their_own(who, message)
        self.run(self._timelines_only_grow())
        return shown

    def _changed(self, person: Person) -> Iterator[SentMessage]:
        """The messages of a chat drawn or rewritten since the last check (an older card
        whose buttons were only taken away keeps the words of when it was drawn)."""
        shown = self.seen.shown.setdefault(person.chat_id, {})
        for message in person.messages:
            now = (message.plain_text, repr(message.buttons))
            before = shown.get(message.message_id)
            shown[message.message_id] = now
            if before is None or before[0] != now[0] or (now[1] != before[1] and now[1] != "[]"):
                yield message

    @staticmethod
    def _fits(message: SentMessage) -> None:
        assert len(message.plain_text.encode("utf-16-le")) // 2 <= MAX_TEXT_LENGTH
        for row in message.buttons:
            assert 1 <= len(row) <= 4, [b.text for b in row]
            for button in row:
                assert len((button.callback_data or "").encode()) <= MAX_CALLBACK_DATA_BYTES
                assert visible_length(button.text) <= LABEL_BUDGET[len(row)], (
                    button.text,
                    len(row),
                )

    @staticmethod
    def _in_language(said: str, locale: str) -> None:
        other = "en" if locale == "vi" else "vi"
        shown = MARK.sub("", said)
        leak = ONLY_IN[other].search(shown)
        assert leak is None, f"{leak and leak[0]!r} to a {locale} reader: {shown[:600]!r}"

    def _only_their_own(self, who: str, message: SentMessage) -> None:
        """A member of staff sees what another member of staff typed only on a case that was
        theirs at some time (handed to them), or where it went on the customer's record."""
        reader = CAST[who][0]
        mine = {case for case, owners in self.seen.owners.items() if reader in owners}
        for typed in self.seen.typed:
            if typed.person in STAFF and typed.person != who and typed.mark in message.plain_text:
                assert self._may_read(typed.mark, mine), (
                    f"{who} reads {typed.person}'s {typed.mark}: {message.plain_text[:600]!r}"
                )

    def _may_read(self, mark: str, cases: set[int]) -> bool:
        return self.run(self._on_cases_or_customers(mark, cases))

    async def _on_cases_or_customers(self, mark: str, cases: set[int]) -> bool:
        async with SqlUnitOfWork(self.services.sessions) as uow:
            # A customer's name and the incidents documented on their record are the
            # customer's, shared by whoever serves them.
            for shared in ("SELECT * FROM customers", "SELECT * FROM incidents"):
                if mark in repr(list(await uow.session.execute(text(shared)))):
                    return True
            for case_id in cases:
                events = await uow.events.for_case(case_id)
                case = await uow.cases.get(case_id)
                if mark in repr([e.data for e in events]) + repr(case and case.draft):
                    return True
        return False

    async def _locales(self) -> dict[int, str]:
        async with SqlUnitOfWork(self.services.sessions) as uow:
            rows = await uow.session.execute(text("SELECT telegram_id, locale FROM staff"))
            return {int(tid): str(locale or "en") for tid, locale in rows}

    async def _cases(self) -> list[tuple[int, int]]:
        async with SqlUnitOfWork(self.services.sessions) as uow:
            rows = await uow.session.execute(
                text("SELECT c.id, s.telegram_id FROM cases c JOIN staff s ON s.id = c.owner_id")
            )
            return [(int(a), int(b)) for a, b in rows]

    async def _stored(self) -> str:
        """Everything the database holds, as text: where a typed text may be saved."""
        async with SqlUnitOfWork(self.services.sessions) as uow:
            tables = await uow.session.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'table'")
            )
            held = []
            for (table,) in list(tables):
                rows = await uow.session.execute(text(f'SELECT * FROM "{table}"'))
                held.append(repr(list(rows)))
            return "\n".join(held)

    async def _timelines_only_grow(self) -> None:
        async with SqlUnitOfWork(self.services.sessions) as uow:
            ids = [int(i) for (i,) in await uow.session.execute(text("SELECT id FROM cases"))]
            for case_id in ids:
                events = [_entry(e) for e in await uow.events.for_case(case_id)]
                assert [e[0] for e in events] == list(range(1, len(events) + 1)), events
                before = self.seen.timelines.get(case_id, [])
                assert events[: len(before)] == before, (case_id, before, events)
                self.seen.timelines[case_id] = events


def _entry(event: CaseEvent) -> tuple[Any, ...]:
    return (event.seq, event.at, event.actor_id, event.step, event.kind, repr(event.data))


CrowdInTheChat.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=50,
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_a_careless_crowd_walking_the_chat_is_always_answered_soundly = CrowdInTheChat.TestCase
