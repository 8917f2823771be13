"""Every button of every procedure, pressed at least once, in both languages.

A crawler opens cases of each kind and walks them: at each card it presses a button it has
not pressed yet in that state (or else moves the case forward sensibly), types what typed
questions need, lets a supervisor decide what waits for a decision and answers the
reminders' buttons too. It stops when every button it has seen has been pressed. Nothing
may answer "technical problem", log a warning or an error, or send a message Telegram would
refuse. A path only one button reaches is where defects hide; this walks them all.

Every screen reached is also read as its reader would (`tests.bot.reading`): no sentence of
the other language, no key name, placeholder, code, "None" or ISO timestamp, numbers and days
the reader's way, labels that fit their row, no button twice, no button on the current card
answering "out of date". The first screen of each kind is pressed by others too: another
member of staff and an unknown user (both reading the crawl's language) and a forged button
(the owner's, aimed at another staff member's case) change nothing and are answered in the
presser's words; a supervisor reads its timeline. So are a reminder's buttons, and a
request's verdicts pressed by anyone but a supervisor (its owner too); so are the buttons
of the screens outside any case, by an unknown user, and the supervisor's own by another
member of staff.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import func, select, table

from bot.callbacks import customer_button
from flows.desk import Desk
from flows.model import Case, Customer
from flows.outcomes import CaseView
from flows.parsing import search_key
from flows.people import People
from flows.procedures import PROCEDURES, procedure_of
from standin.inprocess import Person
from standin.messages import Button, SentMessage
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import (
    BERND,
    HOA,
    LAN,
    MINH,
    STRANGER,
    THAO,
    World,
    make_world,
    registered_thao,
    settings_for,
    supervisor_reading,
)
from tests.bot.reading import defects_of_text, read_all
from tests.bot.walk import words
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

ENTRIES = {"complaint": "/new", "problem_review": "/problem", "exit_interview": "/exit"}
#: Procedures opened from a customer's card, by the card's button of that name: the
#: check-in only there, the others there too, with the customer already chosen.
CARD_ENTRIES = {
    "check_in": "checkin",
    "complaint from the card": "complaint",
    "problem_review from the card": "review",
    "exit_interview from the card": "exit",
}
KINDS = [*ENTRIES, *CARD_ENTRIES]
TECHNICAL = ("technical problem", "trục trặc kỹ thuật")
#: Moving forward when every button here was pressed: the choice that climbs or goes on.
FORWARD = {
    "rung_outcome": "not_resolved",
    "caution": "will_not_change",
    "outcome": "satisfied",
    "result": "defected",
    "status": "in_progress",
}
#: Typed answers that every question of a kind accepts.
TYPED = {
    "text": "Đã trao đổi kỹ với khách",
    "name": "Phạm Thị Thu",
    "money": "200k",  # within the staff limit; every other case asks above it (`ABOVE`)
    "past_date": "01/03/2019",  # a day: an incident's date is one (a start may be a year)
    "future_date": "31/03/2027",
    "when": "28/11 10:00",
}
COMMENT = "Đồng ý, nhưng lần sau báo sớm hơn"  # a supervisor's comment on a decision
ABOVE = "2.000.000"  # over the staff limit: the request waits for the supervisor
CASE_BUTTON = re.compile(r"k:(\d+):(\d+):([a-z]):?(\w*)")
#: A second account of the supervisor's name, registered by the crawl of screens.
SECOND_ACCOUNT = 3001
BUDGET = 800  # updates per procedure and language: a full crawl needs 100 to 330


@dataclass
class Crawl:
    """What one crawl has seen and pressed."""

    world: World
    person: Person
    supervisor: Person
    kind: str
    seen: set[tuple[str, ...]] = field(default_factory=set)
    pressed: set[tuple[str, ...]] = field(default_factory=set)
    updates: int = 0
    runs: int = 0
    #: Which question an answer led to, to go back where answers are still untried.
    leads: dict[tuple[str, str], str] = field(default_factory=dict)
    answered: tuple[str, str] | None = None
    phones: int = 0  # customers added so far, each given a phone of their own
    #: The steps the walked cases stood at: every step of the procedure must be one.
    reached: set[str] = field(default_factory=set)
    #: Who else presses the card's buttons (`try_as_others`), and the screens they tried.
    others: tuple[Person, ...] = ()
    neighbour_case: int = 0  # a case of another member of staff, for forged buttons
    tried_by_others: set[tuple[str, ...]] = field(default_factory=set)

    @property
    def untried(self) -> set[tuple[str, ...]]:
        return self.seen - self.pressed

    @property
    def unreached(self) -> set[str]:
        """The procedure's steps no walked case stood at yet (its buttons unseen)."""
        steps = PROCEDURES[self.kind.split()[0]].flow.states if self.kind in KINDS else {}
        return set(steps) - self.reached


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """SQLite only: a button takes the same path on either engine, and this walk is long."""
    return f"sqlite+aiosqlite:///{tmp_path / 'crawl.sqlite3'}"


@pytest.fixture
async def world(database_url: str, clock: Clock) -> AsyncIterator[World]:
    settings = settings_for(
        database_url,
        reviews={"partners": [{"vi": "Công ty Sao Mai", "en": "Sao Mai Company"}]},
        complaints={"at_risk_complaints": 3},
    )
    async for w in make_world(settings, clock):
        await registered_thao(w)
        yield w


@pytest.fixture
def warnings(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    caplog.set_level(logging.INFO)
    return caplog.records


async def view_of(world: World, case_id: int) -> CaseView:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        desk = Desk(uow, world.services.policy, world.clock)
        case = await uow.cases.get(case_id)
        assert case is not None
        return await desk.view(case)


def key_of(case: Case, where: str, data: str) -> tuple[str, ...]:
    """What a button is, whatever case and version it was drawn for.

    A card's button is the same whichever question the card asks (a side action), or is
    told apart by its option; a request's or a reminder's are kept apart by `where`.
    """
    match = CASE_BUTTON.fullmatch(data)
    if match and match[3] == "c" and where not in ("request", "reminder"):
        return (case.kind, where, match[3], match[4])  # an answer: the same in any step
    where = where if where in ("request", "reminder") else "card"
    if match:
        return (case.kind, case.state, where, match[3], match[4])
    return (case.kind, case.state, where, data.split(":")[0], data.split(":")[-1])


def card_of(person: Person, case_id: int) -> SentMessage | None:
    """The latest message with buttons about this case in the person's chat."""
    for message in reversed(person.messages):
        if message.buttons and f"#{case_id}" in message.plain_text:
            return message
    return None


#: What people typed and their names: a reader takes them as written, in any language.
#: Names in a language's own words ("Tiếng Việt" on an English reader's language button)
#: and a name given as an example ("Ms Mai or Mr Hùng") are proper names too.
PEOPLES_WORDS = (
    *TYPED.values(), "Khách thử", "Khách hỏi thăm", "Lý do thử", COMMENT, "Nguyễn Thị Hương",
    "Nguyễn Văn Đức", "Hương", "Nguyễn", "Đức", "Hòa", "Thảo", "Tâm", "Tư", "Hùng", "Tiếng Việt",
    "Công ty Sao Mai",
)  # fmt: skip


def assert_read_right(world: World, skip: list[range] | None = None) -> None:
    """Every screen the crawl reached reads right to its reader (`tests.bot.reading`), but
    for the calls in `skip` (a reader trying another language and coming back)."""
    languages = {LAN: "en", BERND: "en", MINH: "en", STRANGER: "en", HOA: "vi", THAO: "vi"}
    languages |= {TAM: "vi", TU: "vi"}
    found = read_all(world.api, languages, PEOPLES_WORDS, skip or [])
    assert not found, "\n".join(found)


def check(crawl: Crawl, warnings: list[logging.LogRecord]) -> None:
    for person in (crawl.person, crawl.supervisor):
        for message in person.messages[-4:]:
            assert not any(t in message.plain_text for t in TECHNICAL), message.plain_text
    loud = [r for r in warnings if r.levelno >= logging.WARNING]
    assert not loud, [r.getMessage() for r in loud]


async def press(crawl: Crawl, person: Person, message: SentMessage, data: str) -> None:
    crawl.updates += 1
    answers = len(crawl.world.api.answers)
    await person.press(data, message)
    case_id = case_of(data)
    if not case_id or person is not crawl.person:
        return
    if message.message_id == await crawl.world.card_message_id(case_id):  # the current card
        said = [str(a.get("text") or "") for a in crawl.world.api.answers[answers:]]
        stale = words(person, "error.stale", case=case_of(data))
        assert stale not in said, f"{data} on the current card of #{case_of(data)} is out of date"


def case_of(data: str) -> int:
    """The case a button is about (0 when it is about none)."""
    match = CASE_BUTTON.fullmatch(data)
    return int(match[1]) if match else 0


#: The tables a press may write to: a refused press changes none of them.
TABLES = ("staff", "invites", "customers", "cases", "case_events", "reminders", "incidents")


async def footprint(world: World, case_id: int) -> tuple[int, ...]:
    """The case's version and the rows of every table: what a refused press leaves alone."""
    counts = [select(func.count()).select_from(table(name)).scalar_subquery() for name in TABLES]
    async with SqlUnitOfWork(world.services.sessions) as uow:
        row = (await uow.session.execute(select(*counts))).one()
        case = await uow.cases.get(case_id) if case_id else None
    return (case.version if case else 0, *row)


async def try_as_others(crawl: Crawl, case: Case, where: str, buttons: list[str]) -> None:
    """The first time the crawl shows a screen of its kind, another member of staff and an
    unknown user press its buttons (each side action, one answer), and its owner presses
    them with the case id changed to another staff member's case: each is refused in the
    presser's words, changing nothing. A supervisor reads its timeline, changing nothing."""
    screen_kind = (case.kind, str(case.state), where)
    if screen_kind in crawl.tried_by_others or not crawl.others:
        return
    crawl.tried_by_others.add(screen_kind)
    world, case_id = crawl.world, case.id or 0
    neighbour = await world.case(crawl.neighbour_case)
    sample = {_sampled(data): data for data in reversed(buttons) if CASE_BUTTON.fullmatch(data)}
    for data in sample.values():
        forged = f"k:{neighbour.id}:{neighbour.version}:{data.split(':', 3)[3]}"
        for other in crawl.others:
            await assert_changes_nothing(world, other, data, case_id)
        await assert_changes_nothing(world, crawl.person, forged, crawl.neighbour_case)
        if data.endswith(":t"):
            await assert_changes_nothing(world, crawl.supervisor, data, case_id)


async def try_verdicts_as_others(crawl: Crawl, case: Case, verdicts: list[str]) -> None:
    """The first request of each step: its verdicts pressed by the case's owner, another
    member of staff and an unknown user change nothing, each told so in their words."""
    screen_kind = (case.kind, str(case.state), "request")
    if screen_kind in crawl.tried_by_others or not crawl.others:
        return
    crawl.tried_by_others.add(screen_kind)
    for data in verdicts:
        for presser in (crawl.person, *crawl.others):
            await assert_changes_nothing(crawl.world, presser, data, case.id or 0)


def _sampled(data: str) -> str:
    """What a button is tried as: a side action by its name, any other by its verb."""
    verb = data.split(":")[3]
    return data.rsplit(":", 1)[-1] if verb == "a" else verb


async def assert_changes_nothing(
    world: World, presser: Person, data: str, case_id: int = 0
) -> None:
    """`presser` pressing `data` changes nothing (the case's version, any table's rows) and
    is told so in their own language (or shown what their role may see, as a page of cases
    follows its reader's role)."""
    before = await footprint(world, case_id)
    answers, calls = len(world.api.answers), len(world.api.calls)
    await presser.press_data(data)
    assert await footprint(world, case_id) == before, f"{presser.first_name}: {data} changed"
    said = " ".join(str(a.get("text") or "") for a in world.api.answers[answers:])
    said += " ".join(str(c.params.get("text") or "") for c in world.api.calls[calls:]
                     if str(c.params.get("chat_id")) == str(presser.chat_id))  # fmt: skip
    assert said.strip(), f"{presser.first_name} pressing {data} was told nothing"
    assert not defects_of_text(said, presser.language_code, PEOPLES_WORDS), said


async def send(crawl: Crawl, person: Person, text: str) -> None:
    crawl.updates += 1
    await person.send(text)


async def screen(crawl: Crawl, person: Person, text: str) -> SentMessage:
    """Send a command; return its own answer, the first message it brought (a question
    still waiting is asked again below it)."""
    before = len(person.messages)
    await send(crawl, person, text)
    return person.messages[before]


async def decide(crawl: Crawl, case: Case, view: CaseView) -> None:
    """A supervisor answers the request waiting for them: a verdict not yet pressed first."""
    sup = crawl.supervisor
    request = latest_request(sup, case.id or 0)
    if request is None:  # put off earlier: the supervisor opens it from /approvals
        await send(crawl, sup, "/approvals")
        listing = sup.api.last(sup.chat_id)
        await press(crawl, sup, listing, f"k:{case.id}:0:o")
        request = latest_request(sup, case.id or 0)
    assert request is not None, "the request did not reach the supervisor"
    buttons = [b.callback_data or "" for row in request.buttons for b in row]
    verdicts = [d for d in buttons if CASE_BUTTON.fullmatch(d) and d.split(":")[3] == "d"]
    for data in buttons:
        crawl.seen.add(key_of(case, "request", data))
    await try_verdicts_as_others(crawl, case, verdicts)
    fresh = [d for d in verdicts if key_of(case, "request", d) not in crawl.pressed]
    timeline = [d for d in buttons if d not in verdicts]
    if timeline and key_of(case, "request", timeline[0]) not in crawl.pressed:
        crawl.pressed.add(key_of(case, "request", timeline[0]))
        await press(crawl, sup, request, timeline[0])
    choice = (fresh or [d for d in verdicts if d.endswith(":y")])[0]
    crawl.pressed.add(key_of(case, "request", choice))
    await press(crawl, sup, request, choice)
    offer = sup.api.last_with_buttons(sup.chat_id)
    if offer is not None and offer.buttons[0][0].callback_data == "m:nocomment":
        if ("comment", "typed") in crawl.pressed:
            await press(crawl, sup, offer, "m:nocomment")
        else:
            crawl.pressed.add(("comment", "typed"))
            await send(crawl, sup, COMMENT)


def latest_request(person: Person, case_id: int) -> SentMessage | None:
    """The latest message with decision buttons for the case in the person's chat."""
    pattern = re.compile(rf"k:{case_id}:\d+:d:\w")
    for message in reversed(person.messages):
        if any(pattern.fullmatch(b.callback_data or "") for row in message.buttons for b in row):
            return message
    return None


async def answer_reminder(crawl: Crawl, case: Case) -> bool:
    """Let a reminder come due and press one of its buttons not pressed yet; tell if any."""
    world, person = crawl.world, crawl.person
    due = case.follow_up_due_at or case.promised_fix_at
    if due is None:
        return False
    world.clock.now = max(world.clock.now, due)
    await world.scheduler.tick()
    reminder = card_of(person, case.id or 0)
    if reminder is None or ("⏰" not in reminder.plain_text and "🔔" not in reminder.plain_text):
        return False
    buttons = [b.callback_data or "" for row in reminder.buttons for b in row]
    for data in buttons:
        crawl.seen.add(key_of(case, "reminder", data))
    await try_as_others(crawl, case, "reminder", buttons)
    fresh = [d for d in buttons if key_of(case, "reminder", d) not in crawl.pressed]
    if not fresh:
        return False
    crawl.pressed.add(key_of(case, "reminder", fresh[0]))
    await press(crawl, person, reminder, fresh[0])
    return True


async def answer_field(crawl: Crawl, view: CaseView, card: SentMessage) -> None:
    """Move the case on: the forward choice, or what a typed question needs."""
    question, person = view.field, crawl.person
    assert question is not None
    buttons = [b.callback_data or "" for row in card.buttons for b in row]
    answers = [d for d in buttons if ":c:" in d]
    if question.kind == "customer":
        await send(crawl, person, f"Khách thử {crawl.runs}")
        await press(crawl, person, person.api.last(person.chat_id), _ending(buttons, ":c:new"))
    elif question.kind == "multi":
        if not view.case.draft.get(f"_pick_{question.name}"):
            first = next(d for d in answers if not d.endswith(":c:done"))
            await press(crawl, person, card, first)
            card = person.api.find_message(person.chat_id, card.message_id) or card
        ticked = [b.callback_data or "" for row in card.buttons for b in row]
        done = _ending(ticked, ":c:done")
        crawl.pressed.add(key_of(view.case, question.name, done))
        await press(crawl, person, card, done)
    elif question.kind in ("choice",) or (question.kind == "when" and answers):
        chosen = forward_choice(crawl, question.name, answers)
        await press(crawl, person, card, chosen)
        crawl.answered = (question.name, chosen.rsplit(":", 1)[-1])
    elif question.kind == "approval":
        await decide(crawl, view.case, view)
        await reopen(crawl, view.case.id or 0)
    elif question.kind == "phone":  # each customer added is someone else (a phone of their own)
        crawl.phones += 1
        await send(crawl, person, f"0903 {crawl.phones:06d}")
    elif question.kind == "money" and crawl.runs % 2 == 0:
        await send(crawl, person, ABOVE)
    else:
        await send(crawl, person, TYPED[question.kind])


def forward_choice(crawl: Crawl, name: str, answers: list[str]) -> str:
    """The answer that leads to a question with answers untried, else the one that goes on."""
    untried_fields = {k[1] for k in crawl.untried}
    for data in answers:
        if crawl.leads.get((name, data.rsplit(":", 1)[-1])) in untried_fields:
            return data
    wanted = FORWARD.get(name)
    return next((d for d in answers if wanted and d.endswith(f":{wanted}")), answers[0])


def _ending(buttons: list[str], suffix: str) -> str:
    return next(d for d in buttons if d.endswith(suffix))


async def after_side_action(crawl: Crawl, data: str, case_id: int) -> None:
    """Give a side action what it asked for: text, a photo, or the case opened again."""
    person, action = crawl.person, data.rsplit(":", 1)[-1]
    if action in ("note", "escalate_reason", "cancel_reason", "end_reason", "skip_reason"):
        await send(crawl, person, f"Lý do thử {crawl.updates}")
    elif action == "evidence":
        crawl.updates += 1
        await person.send_photo()
    elif action == "pause":
        await send(crawl, person, "/cases")
        listing = person.api.last(person.chat_id)
        opens = [b.callback_data for row in listing.buttons for b in row
                 if (b.callback_data or "").startswith(f"k:{case_id}:")]  # fmt: skip
        await press(crawl, person, listing, str(opens[0]))


#: Side actions that end the walk of a case or send it back: pressed last.
LAST = (":a:cancel_reason", ":a:end_reason", ":a:back", ":a:pause")


async def walk_one_case(crawl: Crawl, warnings: list[logging.LogRecord]) -> None:
    """Open a case and walk it until it ends, pressing what has not been pressed."""
    world, person = crawl.world, crawl.person
    crawl.runs += 1
    case_id = await open_case(crawl)
    for _ in range(120):
        check(crawl, warnings)
        view = await view_of(world, case_id)
        case = view.case
        crawl.reached.add(str(case.state))
        if procedure_of(case).flow.is_final(case.state) or crawl.updates > BUDGET:
            return
        if case.state in procedure_of(case).decisions:
            await decide(crawl, case, view)
            await reopen(crawl, case_id)
            continue
        if case.state == "awaiting_follow_up" and await answer_reminder(crawl, case):
            continue
        # Where the bot last sent the card: written by its next update, known to it already.
        _, card_id = world.services.cards.where(case_id) or (0, case.card_message_id)
        card = person.api.find_message(person.chat_id, card_id or 0)
        assert card is not None, f"case #{case_id} at {case.state} has no card"
        assert not card.deleted, f"the card of case #{case_id} was deleted"
        where = view.field.name if view.field else "-"
        if crawl.answered is not None:
            crawl.leads[crawl.answered] = where
            crawl.answered = None
        buttons = [b.callback_data or "" for row in card.buttons for b in row]
        for data in buttons:
            crawl.seen.add(key_of(case, where, data))
        await try_as_others(crawl, case, where, buttons)
        data = next_press(crawl, view, buttons)
        if data is not None:
            crawl.pressed.add(key_of(case, where, data))
            await press(crawl, person, card, data)
            if ":c:" in data:
                crawl.answered = (where, data.rsplit(":", 1)[-1])
            await after_side_action(crawl, data, case_id)
        elif view.field is not None:
            await answer_field(crawl, view, card)
        else:
            await reopen(crawl, case_id)


async def add_customer(world: World, name: str) -> int:
    """A customer on file, as if opened with a case before."""
    async with SqlUnitOfWork(world.services.sessions) as uow:
        customer = Customer(name=name, search_key=search_key(name), yearly_value=9_000_000)
        customer_id = (await uow.customers.add(customer)).id or 0
        await uow.commit()
    return customer_id


async def open_case(crawl: Crawl) -> int:
    """Open a case of the crawl's kind, by its command or from a customer's card."""
    person = crawl.person
    if crawl.kind in ENTRIES:
        await send(crawl, person, ENTRIES[crawl.kind])
    else:
        name = f"Khách hỏi thăm {crawl.runs}"
        customer_id = await add_customer(crawl.world, name)
        await send(crawl, person, f"/customer {name}")
        card = person.api.last(person.chat_id)
        await press(crawl, person, card, customer_button(customer_id, CARD_ENTRIES[crawl.kind]))
    return int(re.search(r"#(\d+)", person.last_text)[1])  # type: ignore[index]


def next_press(crawl: Crawl, view: CaseView, buttons: list[str]) -> str | None:
    """The button worth pressing now: an answer not given yet, an action not tried yet, a
    way back to a step whose answers are not all given; None to move the case forward."""
    case = view.case
    where = view.field.name if view.field else "-"
    fresh = [d for d in buttons if key_of(case, where, d) not in crawl.pressed]
    answers = [d for d in fresh if ":c:" in d and not d.endswith(":c:done")]
    if answers:
        return answers[0]
    now = [d for d in fresh if not d.endswith(LAST) and not d.endswith(":c:done")]
    if now:
        return now[0]
    back = next((d for d in buttons if d.endswith(":a:back")), None)
    if back and untried_before(crawl, case):
        return back
    incident = next((d for d in buttons if d.endswith(":a:incident")), None)
    if incident and any(k[1] == "incident_kind" for k in crawl.untried):
        return incident
    return fresh[0] if fresh and not fresh[0].endswith(":c:done") else None


def untried_before(crawl: Crawl, case: Case) -> bool:
    """Tell whether the step "back" returns to still has answers not given."""
    spec = procedure_of(case)
    target = next(
        (t["dest"] for t in spec.flow.transitions
         if t["trigger"] == "back" and str(case.state) in [str(x) for x in _sources(t)]),
        None,
    )  # fmt: skip
    if target is None:
        return False
    names = {f.name for f in spec.form(str(target), crawl.world.services.policy)}
    return any(k[0] == case.kind and k[1] in names for k in crawl.untried)


def _sources(transition: dict[str, object]) -> list[object]:
    source = transition["source"]
    return list(source) if isinstance(source, list | tuple) else [source]


async def reopen(crawl: Crawl, case_id: int) -> None:
    """Open the case again from its latest button (a notice's Open, or /cases)."""
    person = crawl.person
    for message in reversed(person.messages):
        for row in message.buttons:
            for button in row:
                if button.callback_data == f"k:{case_id}:0:o":
                    await press(crawl, person, message, button.callback_data)
                    return


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_every_button_of_every_procedure_is_pressed_in_both_languages(
    world: World, warnings: list[logging.LogRecord], kind: str, locale: str
) -> None:
    person = world.lan if locale == "en" else world.hoa
    supervisor = supervisor_reading(world, locale)
    crawl = Crawl(world, person, supervisor, kind)
    crawl.others = await others_reading(world, locale)
    crawl.neighbour_case = await neighbours_case(world)
    while crawl.updates <= BUDGET:
        await walk_one_case(crawl, warnings)
        if crawl.runs > 2 and not crawl.untried and not crawl.unreached:
            break
    check(crawl, warnings)
    assert not crawl.unreached, sorted(crawl.unreached)
    assert not crawl.untried, sorted(crawl.untried)
    assert len(crawl.pressed) > 20  # a real walk, not an empty one
    assert_read_right(world)


#: Another member of staff and an unknown user who read Vietnamese.
TAM, TU = 1004, 9998
READERS = ((TAM, "Tâm"), (TU, "Tư"))


async def others_reading(world: World, locale: str) -> tuple[Person, ...]:
    """Another member of staff (not the owner, not a supervisor) and an unknown Telegram
    user, both reading `locale`."""
    if locale == "en":
        return world.bernd, world.stranger
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(TAM, "Tâm", "staff", "vi")
        await uow.commit()
    staff, stranger = (Person(world.app, world.api, who, name, "vi") for who, name in READERS)
    return staff, stranger


async def neighbours_case(world: World) -> int:
    """A case Bernd, another member of staff, opened: forged buttons aim at it."""
    await world.bernd.send("/new")
    return int(re.search(r"#(\d+)", world.bernd.last_text)[1])  # type: ignore[index]


#: Screens outside any one case, with buttons of their own.
SCREENS = ("/start", "/cases", "/cases closed", "/followups", "/language", "/approvals",
           "/atrisk", "/customer Hương", "/customer Nguyễn", "/staff")  # fmt: skip


def _buttons(message: SentMessage) -> list[Button]:
    return [button for row in message.buttons for button in row]


async def buttons_of_screens(person: Person) -> set[str]:
    """The data of every button on the screens a member of staff may open."""
    found: set[str] = set()
    for command in SCREENS:
        before = len(person.messages)
        await person.send(command)
        found |= {b.callback_data or "" for m in person.messages[before:] for b in _buttons(m)}
    return found


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_every_button_of_every_screen_answers_in_both_languages(
    world: World, warnings: list[logging.LogRecord], locale: str
) -> None:
    supervisor = supervisor_reading(world, locale)
    person = world.lan if locale == "en" else world.hoa
    # Something to list and open: two customers (a search finds both), a case of each.
    for someone, name in ((person, "Nguyễn Thị Hương"), (supervisor, "Nguyễn Văn Đức")):
        customer_id = await add_customer(world, name)
        await someone.send(f"/customer {name}")
        card = someone.api.last(someone.chat_id)
        await someone.press(customer_button(customer_id, "complaint"), card)
    async with SqlUnitOfWork(world.services.sessions) as uow:  # /staff offers to remove it
        await People(uow, world.services.policy, world.clock).register(
            SECOND_ACCOUNT, "Minh" if locale == "en" else "Thảo"
        )
        await uow.commit()
    crawl = Crawl(world, person, supervisor, "screens")
    staff_may = await buttons_of_screens(person)
    other_staff, stranger = await others_reading(world, locale)
    pressed: list[str] = []
    elsewhere: list[range] = []  # a reader trying another language and coming back
    for someone in (person, supervisor):
        for command in SCREENS:
            shown = await screen(crawl, someone, command)
            for data in [b.callback_data or "" for row in shown.buttons for b in row]:
                await assert_changes_nothing(world, stranger, data, case_of(data))
                if data not in staff_may:  # a supervisor's own: refused to other staff
                    await assert_changes_nothing(world, other_staff, data, case_of(data))
                fresh = await screen(crawl, someone, command)  # each button on a fresh screen
                start = len(world.api.calls)
                await press(crawl, someone, fresh, data)
                if data.startswith("l:"):
                    await someone.press_data(f"l:{someone.language_code}")
                    elsewhere.append(range(start, len(world.api.calls)))
                pressed.append(data)
                check(crawl, warnings)
    assert len(pressed) > 30
    assert any(data.endswith(":card") for data in pressed)  # a customer picked from a list
    assert any(data.startswith("s:") for data in pressed)  # an extra account removed (/staff)
    assert_read_right(world, elsewhere)
