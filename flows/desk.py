"""Working a case: opening it, answering its questions, its side actions, reminders' answers.

Every procedure goes through the same steps here; what differs lives in its own module
(`flows.procedures.*`) and is reached through its `Procedure` and `Hooks`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flows.address import customer_search
from flows.casework import CaseWork, Clock, Focus
from flows.decisions import Decisions
from flows.errors import Refused, Stale
from flows.formats import QUOTED, one_line, quoted
from flows.forms import (
    SINCE,
    Draft,
    Field,
    asks_own_account,
    begin_wait,
    new_customer,
    side_form,
    waiting_version,
    without_side_form,
)
from flows.incidents import drop_incident, incident_complete, open_incident, record_incident
from flows.lists import Lists
from flows.model import Case, Customer, Expecting, Staff
from flows.outcomes import (
    CARRY_ON,
    KEEP_NOTE,
    KEEP_NOTE_OR_CARRY_ON,
    ButtonSpent,
    CaseEnded,
    Label,
    Local,
    Notify,
    Outcome,
    Phrase,
    Say,
    ShowCase,
    Toast,
)
from flows.oversight import CUSTOMER_TEXTS
from flows.parsing import (
    FILE_NAME_LIMIT,
    FURTHEST_RENEWAL,
    QUICK_TIMES,
    RENEWAL_WRONG_SIDE,
    InvalidInput,
    Reading,
    clean_name,
    clean_text,
    clean_words,
    file_name,
    optional_text,
    parse_money,
    parse_past_date,
    parse_phone,
    parse_since,
    read_day_ahead,
    read_when,
    shows_anything,
)
from flows.policy import Policy
from flows.ports import UnitOfWork
from flows.procedures import PROCEDURES, procedure_of, waits_for_decision
from flows.procedures.base import ACTION_TRIGGERS, PROMPTS, TEXT_ACTIONS
from flows.procedures.complaint import (
    CUSTOMER_TIMES,
    ENDED_EARLY,
    MISTAKEN,
    Step,
    promise_number,
)

#: Reminder buttons for a follow-up: answer -> (outcome, when to try again).
FOLLOW_UP_ANSWERS: dict[str, tuple[str, str | None]] = {
    "satisfied": ("satisfied", None),
    "still_unhappy": ("still_unhappy", None),
    "later_1h": ("unreachable", "in_1h"),
    "later_tomorrow": ("unreachable", "tomorrow"),
}


#: The steps the case stepped back to that are still to be done again, latest last: each,
#: once done, is summed up as done again (what it recorded before no longer stands).
REDOING = "_redoing"
#: Every side action any procedure offers.
SIDE_ACTIONS = frozenset(n for p in PROCEDURES.values() for row in p.side_actions for n in row)
#: Side actions that say themselves why they are not possible now (no customer to document
#: an incident about; no grounds, or a caution to answer first, to decide now).
OWN_REFUSALS = frozenset({"incident", "straight"})
#: Side actions that add to a case whatever step it is at (a note, a file, an incident about
#: the customer, a word to supervisors, a pause): pressed on a card drawn before, they act on
#: the case as it stands now, if its card offers them now. Every other button of a case is
#: out of date once the case has moved on.
ANY_STEP = frozenset({"note", "evidence", "incident", "escalate_reason", "pause"})
#: What waits for the person's typing that is their own account, whatever the case asks:
#: a reason of theirs, a comment on their decision (a note may be anyone's words).
OWN_ACCOUNTS = frozenset(
    {
        Expecting.escalate_reason,
        Expecting.cancel_reason,
        Expecting.end_reason,
        Expecting.skip_reason,
        Expecting.approval_comment,
    }
)
#: How each way of ending a case early ends it: as opened by mistake (in no figure), or for
#: another reason (counted as work done); and the words that say it (`case.*`, `notify.*`).
ENDINGS: dict[str, str] = {Expecting.cancel_reason: MISTAKEN, Expecting.end_reason: ENDED_EARLY}
ENDED_SAID = {MISTAKEN: "cancelled", ENDED_EARLY: "ended_early"}
#: Under this key and a person's id, `Case.filed` keeps the text of theirs last refused on
#: the case, whole, to be filed as a note with one press (`Desk.keep_refused`): [the token
#: its button carries, the text, when], and once filed, the token alone (pressed again:
#: kept once). Forgetting the case's customer drops it, with the rest of `filed`.
KEPT = "refused:"
#: Tokens tell one refused text from the next (a button of one replaced says so): in the
#: version place of a case's button, a 31-bit number.
KEPT_TOKENS = 2**31 - 1
#: What is said of words the bot could not take that are offered to be kept as a note
#: (a message edited: its new words), besides the refusals that quote text typed.
KEEPABLE = frozenset({"input.edit_not_read_typed"})
#: On a paused case's draft: who paused it, until someone works on it again (`_resume`).
PAUSED = "_paused"


def is_id(text: str) -> bool:
    """Tell whether text is a database id: ASCII digits within 32 bits."""
    return text.isascii() and text.isdigit() and len(text) <= 10 and int(text) < 2**31


#: How much of a day or a time typed is quoted back with the default picked for it.
QUOTED_WHEN = 60
#: Words from which an answer that could not be read is taken for a sentence written, not a
#: slip in a date, an amount or a phone: quoted back, to be kept as a note (`Desk._unread`).
WRITTEN = 4


def _read_as(raw: str, read: Reading, when: Local | date) -> list[Outcome]:
    """Say which day or time was picked for words that leave it open ("tuần sau": the
    Monday of next week), quoting them, so a wrong guess is seen at once; nothing for words
    that say it themselves."""
    if read.default is None:
        return []
    day = when.at.astimezone(when.zone).date() if isinstance(when, Local) else when
    eve = day - timedelta(days=1)  # a midnight's: the day whose night it ends
    said = {"typed": one_line(raw, QUOTED_WHEN), "when": when, "day": day, "eve": eve}
    typed = {"day_typed": f"{day:%d/%m}", "eve_typed": f"{eve:%d/%m}"}
    return [Say(f"time.read_as.{read.default}", said | typed)]


class Desk(CaseWork):
    """The procedures as use cases over one unit of work."""

    def __init__(self, uow: UnitOfWork, policy: Policy, clock: Clock) -> None:
        super().__init__(uow, policy, clock)
        self.decisions = Decisions(uow, policy, clock)
        self.lists = Lists(uow, policy, clock)
        #: Whether the text handled was filed into a case (an answer, a note, a reason).
        self.filed_text = False

    # ---------------------------------------------------------------- opening

    async def open(self, actor: Staff, kind: str, customer_id: int | None = None) -> list[Outcome]:
        """Open a case of a procedure at its first state; ask who the customer is unless
        the case is opened from their card."""
        customer = await self.uow.customers.get(customer_id) if customer_id else None
        if customer is not None:
            self.check_may_open(customer, kind)
        untouched = await self._untouched_opening(actor, kind, customer)
        if untouched is not None:  # pressed again: the same empty case, not another
            if customer is not None and untouched.customer_id is None:
                return [await self.attach_customer(actor, untouched, customer)]
            return [await self.show(actor, untouched)]
        flow, now = PROCEDURES[kind].flow, self.clock()
        case = await self.uow.cases.add(
            Case(
                kind=kind,
                owner_id=actor.id or 0,
                opened_at=now,
                updated_at=now,
                state=str(flow.initial),
                currency=self.policy.currency,
            )
        )
        self.log(case, actor, "opened", {})
        if customer is not None:
            return [await self.attach_customer(actor, case, customer)]
        return [await self.show(actor, case)]

    async def _untouched_opening(
        self, actor: Staff, kind: str, customer: Customer | None = None
    ) -> Case | None:
        """The case of this kind the person has just opened and recorded nothing in yet:
        with no customer, or with this `customer`, opened from their card (the card's button
        pressed again — a double tap, or a retry after the answer was lost — is the same
        case, not a second one)."""
        focused = actor.expecting_case_id
        case = await self.uow.cases.get(focused) if focused is not None else None
        if case is None or case.owner_id != actor.id or case.kind != kind:
            return None
        if case.state != PROCEDURES[kind].flow.initial:
            return None
        if case.customer_id is None:
            return case if case.events_count <= 1 and not case.draft else None
        if customer is None or case.customer_id != customer.id or case.events_count > 2:
            return None
        return case if case.draft in ({}, {"customer": customer.id}) else None

    async def open_case(self, actor: Staff, case_id: int, carry_on: bool = False) -> list[Outcome]:
        """Resume a case at its step; to a supervisor who may decide it, show the request.
        Whatever a side action was waiting for (a note, a reason) is left: the next message
        answers the case as shown, or nothing where it shows no question. A case that has
        ended shows its timeline; pressed as ▶ Carry on with this case (`carry_on`: under a
        prompt or a timeline shown before it ended, which the process that ended it may not
        have known of, after a restart), it is said to have ended, its card shows how, and
        the button goes."""
        case = await self.load(actor, case_id)
        self.focus(actor, None, None)
        if self.ended(case) and carry_on:
            said = Toast("error.nothing_to_carry_on", {"case": case_id})
            return [said, ShowCase(view=await self.view(case)), ButtonSpent()]
        if self.ended(case):
            return await self.lists.timeline(actor, case_id)
        decisions = self.decisions
        if decisions.may_decide(actor, case) and waits_for_decision(case):
            kind, params = await decisions.request_facts(case)
            return [Notify(actor, kind, await self.view(case), params)]
        self._resume(actor, case)
        return [await self.show(actor, case)]

    async def current_card(
        self, actor: Staff, case_id: int, ended_too: bool = False
    ) -> list[Outcome]:
        """The case's card as it stands, changing nothing but that it was drawn for them (an
        answer sent again: what they type into it next answers the question it shows, not
        refused as meant for an older one); one that has ended, only if `ended_too` (it says
        how it ended, with no buttons to answer)."""
        try:
            case = await self.load(actor, case_id)
        except Refused:
            return []
        if self.ended(case) and not ended_too:
            return []
        self.shown_again(actor, case)
        return [ShowCase(view=await self.view(case))]

    async def already_saved(
        self, actor: Staff, twice: bool = False, case_id: int | None = None
    ) -> list[Outcome]:
        """Confirm an answer typed again after its saving was in doubt (or sent `twice` in
        a row): it was saved, once (into `case_id`, default the case asking them now)."""
        case_id = case_id if case_id is not None else actor.expecting_case_id
        shown = await self.current_card(actor, case_id) if case_id else []
        said = "input.sent_twice" if twice else "input.already_saved"
        return [Say(said if shown else f"{said}_done", {"case": case_id}), *shown]

    # -------------------------------------------------------------- answering

    async def text(self, actor: Staff, raw: str, forwarded: bool = False) -> list[Outcome]:
        """Take typed text as whatever the person was last asked for; a message `forwarded`
        from someone else only where it may be someone else's words (`_forwarded`)."""
        if not shows_anything(raw) and await self._asks_no_typing(actor):
            return await self.not_usable(actor)  # nothing to quote back, nor to keep
        if actor.expecting is None or actor.expecting_case_id is None:
            raise Refused("error.not_expecting_text", text=one_line(raw, QUOTED))
        if self.comment_no_longer_theirs(actor):
            return self.comment_not_theirs(actor, raw)
        case = await self.load(actor, actor.expecting_case_id)
        if self.ended(case) and actor.expecting != Expecting.approval_comment:
            return self._ended_meanwhile(actor, case, raw)
        refused = self._refusal_before_resuming(actor, case, raw)
        if refused is not None:  # nothing worked on: a paused case stays paused
            return [refused]
        if actor.expecting != Expecting.approval_comment:
            self._resume(actor, case)
        if forwarded and self._asks_own_account(actor, case):
            return await self._forwarded(actor, case, raw)
        if actor.expecting in TEXT_ACTIONS:
            self.filed_text = True
            return await self._text_action(actor, case, actor.expecting, raw)
        if actor.expecting == Expecting.approval_comment:
            return await self.decisions.comment(actor, case, raw)
        field = self.field(case)
        assert field is not None  # `_refusal_before_resuming` refused text for no question
        if self.asked_another(actor, case):
            return await self._question_moved(actor, case, raw)
        if field.kind == "customer":
            return await self._search_customers(actor, case, raw)
        if field.kind in ("choice", "multi"):  # quoted back, to be kept as a note if meant so
            return [
                self.refused_text(actor, case, "error.use_buttons", raw),
                await self.show(actor, case),
            ]
        owner = await self.calendar(case)
        tz = self.tz(owner)
        try:
            if field.kind == "when":
                read = read_when(raw, self.clock(), tz, self.policy.default_hour)
            elif field.kind == "future_date":
                read = read_day_ahead(raw, self.clock(), tz, FURTHEST_RENEWAL, RENEWAL_WRONG_SIDE)
            else:
                value = self._parse(owner, case, field, raw)
        except InvalidInput as err:
            return [self._unread(actor, case, raw, err)]
        self.filed_text = True
        if field.kind == "when":
            when, moved = self.agreed(owner, read.at, told=field.name in CUSTOMER_TIMES)
            self.not_before_the_fix(owner, case, field.name, when)
            filled = await self._fill(actor, case, field, when.isoformat())
            return [*_read_as(raw, read, Local(read.at, tz)), *moved, *filled]
        if field.kind == "future_date":
            filled = await self._fill(actor, case, field, read.at.date().isoformat())
            return [*_read_as(raw, read, read.at.date()), *filled]
        return await self._fill(actor, case, field, value)

    def _unread(self, actor: Staff, case: Case, raw: str, err: InvalidInput) -> Say:
        """An answer typed that could not be read (a sentence where a date, an amount or a
        phone is asked): words that read as a sentence (`WRITTEN`) are quoted back as not
        saved, with why, and kept to be filed as a note with one press (`refused_text`) —
        often they were meant for the case, typed before the question they answer; a short
        slip ("32/13") is refused as it was, saying how to write the answer."""
        if len(raw.split()) < WRITTEN or set(err.params) & {"text", "typed"}:
            raise err  # nothing else to quote, or quoted already (another currency)
        return self.refused_text(actor, case, "error.unread", raw, why=Phrase(err.key, err.params))

    def _refusal_before_resuming(self, actor: Staff, case: Case, raw: str) -> Say | None:
        """The refusal of a text typed where the case asks for no typing now (a file is
        waited for, its card asks nothing, or waits for a supervisor's approval): quoted back,
        kept to be filed as a note with one press (`refused_text`); nothing else is done."""
        if actor.expecting == Expecting.evidence:
            return self.refused_text(actor, case, "error.send_file", raw, carry_on=True)
        if actor.expecting in (*TEXT_ACTIONS, Expecting.approval_comment):
            return None
        field = self.field(case)
        if field is None:
            return self.refused_text(actor, case, "error.use_buttons_now", raw)
        if field.kind == "approval" and not self.asked_another(actor, case):
            return self.refused_text(actor, case, "approval.waiting", raw)
        return None

    def refused_text(
        self, actor: Staff, case: Case, key: str, raw: str, carry_on: bool = False, **more: Any
    ) -> Say:
        """Refuse text `raw` typed into `case`, quoting it back in `key`'s words; where the
        case can still take it as a note from them (open, a note offered on its card, within
        a note's limits), the whole text is kept on the case (`Case.filed`, under `KEPT`: the
        latest one refused per person, a newer one replacing it) and the refusal offers to
        file it as a note with one press (`keep_refused`), in `key`'s words that say so
        (`<key>_keep`) rather than asking to type it again; `carry_on`: with the way back to
        the case beside it, where no card follows (a file is waited for); `more`: what else
        the refusal says (why an answer could not be read)."""
        said = {"case": case.id, "text": one_line(raw, QUOTED), **more}
        if self.ended(case) or not procedure_of(case).offers(case, "note"):
            return Say(key, said)
        try:
            clean_text(raw, self.policy.text_limit)
        except InvalidInput:  # no note would take it (over a note's limit): retyped shorter
            return Say(key, said)
        who = f"{KEPT}{actor.id}"
        before = case.filed.get(who)
        token = int(self.clock().timestamp() * 1000) % KEPT_TOKENS
        if before and before[0] == str(token):  # two refused within a millisecond
            token = (token + 1) % KEPT_TOKENS
        case.filed = {**case.filed, who: [str(token), raw, self.clock().isoformat()]}
        offer = KEEP_NOTE_OR_CARRY_ON if carry_on else KEEP_NOTE
        return Say(f"{key}_keep", {**said, "kept": token}, offer=offer)

    async def keep_refused(self, actor: Staff, case_id: int, token: int) -> list[Outcome]:
        """File as a note the text of theirs last refused on the case (`refused_text`), as
        📝 Add a note and typing it would (the same event, limits and timeline entry),
        leaving the case where it was: its card still stands, the question it asks and what
        waits for their typing unchanged. Pressed again, it was kept once; for a text
        replaced by a newer one, a case ended since, a text kept by someone else (only who
        typed it may keep it) or no longer kept (its customer forgotten), said so, nothing
        changed."""
        case = await self.load(actor, case_id)
        said = {"case": case.id}
        if self.ended(case):
            return [Toast("kept.case_ended", said), ButtonSpent()]
        who = f"{KEPT}{actor.id}"
        entry = case.filed.get(who)
        if not entry or entry[0] != str(token):
            typed_by_another = any(
                kept[:1] == [str(token)]
                for person, kept in case.filed.items()
                if person.startswith(KEPT) and person != who
            )
            gone = "kept.not_yours" if typed_by_another else "kept.gone"
            return [Toast("kept.replaced" if entry else gone, said, alert=True), ButtonSpent()]
        if len(entry) < 2:  # pressed again: kept once
            return [Toast("kept.already", said), ButtonSpent()]
        text = clean_text(entry[1], self.policy.text_limit)
        self._resume(actor, case)
        self.log(case, actor, "note", {"text": text})
        case.filed = {**case.filed, who: [entry[0]]}  # the text goes; its token says: kept
        return [Say("note.saved", said), ButtonSpent()]

    async def _asks_no_typing(self, actor: Staff) -> bool:
        """Tell whether nothing waits for the person's typing now (nothing at all, a case's
        buttons, a file): a text there is refused, quoted back."""
        if actor.expecting in (*TEXT_ACTIONS, Expecting.approval_comment):
            return False
        if actor.expecting == Expecting.evidence or actor.expecting is None:
            return True
        return await self.asked_kind(actor) in (None, "choice", "multi", "approval")

    async def not_usable(
        self, actor: Staff, told: str | None = None, typed: str | None = None
    ) -> list[Outcome]:
        """Refuse a message that cannot answer what waits for the person's typing (a sticker,
        a voice message, a location, a poll…; or a message edited, a button's name typed,
        `told` its own words): nothing is saved, and what waits is asked again, still open,
        with its buttons — the case's own question on its card; a note, a reason or a file
        with its prompt and its way back; a comment on a decision with its "No comment".
        With nothing waiting, the kinds of message the bot takes are said. Text that was
        `typed` is quoted back in `told`'s words (`{text}`), so nothing typed is lost from
        view."""
        expecting, case_id = actor.expecting, actor.expecting_case_id
        if self.comment_no_longer_theirs(actor):
            return self.comment_not_theirs(actor, typed)
        said_back = quoted(typed)
        if expecting == Expecting.approval_comment:
            return [Say(told or "approval.comment_not_typed", said_back, offer="no_comment")]
        if expecting is None or case_id is None:
            return [Say(told or "error.unsupported_message", said_back)]
        case = await self.load(actor, case_id)
        if self.ended(case):
            return self._ended_meanwhile(actor, case, typed)
        said = Say(told or "input.not_usable", {"case": case.id, **said_back})
        if typed is not None and told in KEEPABLE:  # words of theirs: kept, to be filed
            said = self.refused_text(actor, case, told, typed)
        if expecting in TEXT_ACTIONS or expecting == Expecting.evidence:
            return [said, Say(f"ask.{expecting}", {"case": case.id}, offer=CARRY_ON)]
        if self.field(case) is None and told not in KEEPABLE:  # a card that asks nothing now
            return [Say(told or "error.unsupported_message", said_back)]  # (waiting on someone)
        if self.field(case) is None:
            return [said]
        return [said, await self.show(actor, case)]

    @staticmethod
    def comment_no_longer_theirs(actor: Staff) -> bool:
        """Tell whether a comment on a decision waits for someone who no longer oversees
        (made staff since they decided: `People.register` keeps it for this)."""
        return actor.expecting == Expecting.approval_comment and not actor.oversees

    def comment_not_theirs(self, actor: Staff, raw: str | None = None) -> list[Outcome]:
        """Refuse a comment on a decision from someone made staff since they took it: said
        plainly why (they are no longer a supervisor; the decision stands), what they typed
        (`raw`) quoted back so that nothing is lost unsaid, and nothing waits any more.
        Before, they read the generic "nothing waits for your text"."""
        case_id = actor.expecting_case_id
        self.focus(actor, None, None)
        if raw is None:  # a photo, a sticker, a file…
            return [Say("approval.comment_not_supervisor_sent", {"case": case_id})]
        return [Say("approval.comment_not_supervisor", {"case": case_id, **quoted(raw)})]

    def _asks_own_account(self, actor: Staff, case: Case) -> bool:
        """Tell whether what waits for the person's typing is their own account: a reason,
        a comment on a decision, or a question of the case such as what they did to fix it
        (`asks_own_account`), not what the customer said."""
        if actor.expecting != Expecting.field:
            return actor.expecting in OWN_ACCOUNTS
        return not self.asked_another(actor, case) and asks_own_account(self.field(case))

    async def _forwarded(self, actor: Staff, case: Case, raw: str) -> list[Outcome]:
        """A message forwarded where the person's own account is asked: never saved as that
        answer. It is kept on the case as a note (on a comment on a decision, nothing is
        kept: the case may have ended since), and the question is asked again."""
        if actor.expecting == Expecting.approval_comment:
            return await self.not_usable(actor, "input.forwarded_not_kept", raw)
        self.log(case, actor, "note", {"text": clean_text(raw, self.policy.text_limit)})
        self.touch(case)
        self.filed_text = True
        return await self.not_usable(actor, "input.forwarded_kept")

    async def asked_again(self, actor: Staff) -> list[Outcome]:
        """What waits for the person's typing about a case, asked again below the answer to
        something else (a command): a note, a reason or a file with its prompt and its way
        back; a comment on a decision with its "Nothing to add". A case's own question is
        asked by its card, which still stands; nothing is asked of a case that has ended."""
        expecting, case_id = actor.expecting, actor.expecting_case_id
        if self.comment_no_longer_theirs(actor):  # moved on: the decision stands without one
            self.focus(actor, None, None)
            return [Say("aside.approval_comment", {"case": case_id})]
        if expecting == Expecting.approval_comment:
            return [Say("approval.comment_waits", {"case": case_id}, offer="no_comment")]
        if case_id is None or expecting not in (*TEXT_ACTIONS, Expecting.evidence):
            return []
        case = await self.uow.cases.get(case_id)
        if case is None or self.ended(case):
            return []
        return [Say(f"ask.{expecting}", {"case": case.id}, offer=CARRY_ON)]

    async def set_aside(
        self, actor: Staff, before: Focus, *, own_question: bool = True, way_back: bool = False
    ) -> list[Outcome]:
        """Say what waited for the person's typing (`before`) and was left for something
        else they asked for (a command, another case, another button): what was not done,
        and how to get back to it. A case's own question is said to be left only when the
        person goes to another case (and `own_question`): it stays on its card. Nothing is
        said of a question still waiting, of a case that asks nothing now, nor (`way_back`)
        when the case it was asked on is opened again, its way back; of a case that has ended
        (the answer pressed closed it), a note, a reason or a file asked for is said never to
        be added (`left.*`), its case's question nothing."""
        now = Focus.of(actor)
        if before.expecting is None or now == before:
            return []
        if way_back and now == Focus(Expecting.field, before.case_id, None):
            return []
        if before.expecting in CUSTOMER_TEXTS:
            customer = await self.uow.customers.get(before.customer_id or 0)
            if customer is None or customer.forgotten:
                return []
            return [Say(f"aside.{before.expecting}", {"name": customer})]
        own = before.expecting == Expecting.field
        if before.case_id is None or (own and (not own_question or before.case_id == now.case_id)):
            return []
        case = await self.uow.cases.get(before.case_id)
        if case is not None and self.ended(case) and before.expecting in PROMPTS:
            return [Say(f"left.{before.expecting}", {"case": case.id})]
        if case is None or self.ended(case) or (own and self.field(case) is None):
            return []
        return [Say(f"aside.{before.expecting}", {"case": case.id})]

    async def _question_moved(self, actor: Staff, case: Case, raw: str) -> list[Outcome]:
        """Keep a text typed for a question someone else has since answered (the case moved
        on meanwhile) out of the case: say so, quoting it (kept, to be filed as a note with
        one press), and ask the current question."""
        return [
            self.refused_text(actor, case, "input.question_moved", raw),
            await self.show(actor, case),
        ]

    def _parse(self, owner: Staff, case: Case, field: Field, raw: str) -> Any:
        """Read a typed answer; dates on the calendar of the case's `owner`, amounts in the
        case's currency."""
        now = self.clock()
        if field.kind == "money":
            amount = parse_money(
                raw, self.policy.max_amount, case.currency or self.policy.currency
            )
            if field.offer and not amount:
                raise _nothing_offered(field)
            return amount
        if field.kind == "phone":
            return parse_phone(raw)
        if field.name == SINCE:  # kept as said: a year, a month or a day
            return parse_since(raw, now.astimezone(self.tz(owner)).date())
        if field.kind == "past_date":
            return parse_past_date(raw, now.astimezone(self.tz(owner)).date()).isoformat()
        limit = self.policy.words_limit(field.kind)
        return clean_words(raw, limit, one_line=field.kind == "name")

    async def _search_customers(self, actor: Staff, case: Case, raw: str) -> list[Outcome]:
        query = clean_name(raw, self.policy.name_limit)
        matches = await self.uow.customers.search(
            customer_search(query, self.policy.name_limit), self.policy.search_results
        )
        shown = await self.show(actor, case)
        shown.view.matches = matches
        return [shown] if matches else [Say("intake.no_match", {"query": query}), shown]

    async def choose(self, actor: Staff, case_id: int, version: int, value: str) -> list[Outcome]:
        """Take a button answer for the case's current question."""
        case = await self.load(actor, case_id, version)
        field = self.field(case)
        if field is None:
            raise Stale(case_id, case.state)
        self._resume(actor, case)
        if field.kind == "customer":
            return await self._pick_customer(actor, case, field, value)
        if is_id(value) and case.draft.get("customer") == "new":
            return await self._on_record_after_all(actor, case, int(value))
        if field.kind == "multi":
            return await self._toggle(actor, case, field, value)
        if field.kind == "past_date" and value == "today":
            today = self.clock().astimezone(self.tz(await self.calendar(case))).date()
            return await self._fill(actor, case, field, today.isoformat())
        if field.kind == "when" and value in field.options:
            owner = await self.calendar(case)
            quick = self.quick_time(owner, value)
            when, moved = self.after_the_fix(owner, case, field.name, quick)
            return [*moved, *await self._fill(actor, case, field, when.isoformat())]
        if field.offer and value in field.options:  # nothing offered after all: said so
            return await self._fill(actor, case, self._choice_of(case, value), value)
        if field.kind != "choice" or value not in field.options:
            raise Stale(case_id, case.state)
        return await self._fill(actor, case, field, value)

    def _choice_of(self, case: Case, option: str) -> Field:
        """The choice of the case's step that `option` answers."""
        form = procedure_of(case).form(case.state, self.policy)
        return next(f for f in form if f.kind == "choice" and option in f.options)

    async def _pick_customer(
        self, actor: Staff, case: Case, field: Field, value: str
    ) -> list[Outcome]:
        if value == "new":
            return await self._fill(actor, case, field, "new")
        customer = await self.uow.customers.get(int(value)) if is_id(value) else None
        if customer is None:
            raise Stale(case.id or 0, case.state)
        return [await self.attach_customer(actor, case, customer)]

    async def _on_record_after_all(
        self, actor: Staff, case: Case, customer_id: int
    ) -> list[Outcome]:
        """The customer being added is one on record after all (offered when the phone
        typed was theirs): the case is about them, and the details typed for a new one go."""
        offered = await self.sharing(case.draft.get("new_phone"))
        customer = next((c for c in offered if c.id == customer_id), None)
        if customer is None:  # not one the phone typed brought up (a forged button)
            raise Stale(case.id or 0, case.state)
        case.draft = _without_new_customer(case.draft)  # attach_customer checks the status
        return [await self.attach_customer(actor, case, customer)]

    async def _toggle(self, actor: Staff, case: Case, field: Field, value: str) -> list[Outcome]:
        """Tick or untick one option of a multiple choice; "done" records the ticked ones."""
        key = f"_pick_{field.name}"
        picked = list(case.draft.get(key, []))
        if value == "done":
            if not picked and not field.optional:
                raise Refused("error.pick_one")
            case.draft = {k: v for k, v in case.draft.items() if k != key}
            return await self._fill(actor, case, field, [o for o in field.options if o in picked])
        if value not in field.options:
            raise Stale(case.id or 0, case.state)
        if value in picked:
            picked = [o for o in picked if o != value]
        elif value in field.alone:
            picked = [value]
        else:
            picked = [*(o for o in picked if o not in field.alone), value]
        case.draft = {**case.draft, key: picked}
        self.touch(case)
        return [await self.show(actor, case)]

    async def skip(self, actor: Staff, case_id: int, version: int) -> list[Outcome]:
        """Leave an optional question unanswered."""
        case = await self.load(actor, case_id, version)
        field = self.field(case)
        if field is None or not field.optional:
            raise Stale(case_id, case.state)
        self._resume(actor, case)
        return await self._fill(actor, case, field, None)

    async def _fill(self, actor: Staff, case: Case, field: Field, value: Any) -> list[Outcome]:
        case.draft = {**case.draft, field.name: value}
        self.touch(case)
        spec = procedure_of(case)
        if spec.adds_customer_at_once and self._new_customer_complete(case):
            customer = await self.add_customer(actor, case.draft)
            case.draft = _without_new_customer(case.draft)
            return [await self.attach_customer(actor, case, customer, added=True)]
        outcomes = await spec.hooks.filled(self, actor, case, field, value)
        if incident_complete(case):
            return [*outcomes, *await record_incident(self, actor, case)]
        following = self.field(case)
        if following is None:
            return [*outcomes, *await self._complete(actor, case)]
        if following.kind == "approval":
            outcomes += await self.decisions.request(case, actor)
        shown = await self.show(actor, case)
        if field.kind == "phone" and (sharing := await self.sharing(value)):
            shown.view.matches = sharing  # the same customer, perhaps, spelt another way
            outcomes.append(Say("intake.phone_on_record", {"phone": value}))
        return [*outcomes, shown]

    def _new_customer_complete(self, case: Case) -> bool:
        """Tell whether a customer being added has all their details."""
        if case.draft.get("customer") != "new":
            return False
        following = self.field(case)
        return following is None or not following.name.startswith("new_")

    async def _complete(self, actor: Staff, case: Case) -> list[Outcome]:
        await self.check_still_open(case)  # the customer may have left, or been let go
        # An incident being written beside the step (the step completed from a reminder)
        # is neither the step's record nor lost with it: it stays open on the case.
        written, own = side_form(case.draft), without_side_form(case.draft)
        step, draft = case.state, {k: v for k, v in own.items() if not k.startswith("_")}
        redoing = list(case.draft.get(REDOING, []))
        spec = procedure_of(case)
        trigger = spec.trigger(step, draft)
        spec.flow.fire(case, trigger, **spec.hooks.guard_data(case, draft, self.policy))
        ended = spec.flow.is_final(case.state)
        case.draft = {} if ended else written
        logged = await spec.hooks.completed(self, actor, case, trigger, draft)
        if rest := [s for s in redoing if s != step]:  # stepped back further: still to redo
            case.draft = {**case.draft, REDOING: rest}
        self.log(case, actor, trigger, {**logged, "to": case.state}, step)
        await spec.hooks.after_step(self, actor, case, trigger)
        shown = await self.show(
            actor, case, done_step=step, done_record=draft, redone=step in redoing
        )
        # An end reached here is drawn on the card in this chat (`shown`); a card of the
        # case left in another chat (its owner's, the case worked by a supervisor) ends too.
        # An incident being documented beside the last step ends with the case, said so.
        lost = [Say("left.incident", {"case": case.id})] if ended and written else []
        outcomes: list[Outcome] = [
            *([CaseEnded(shown.view)] if ended else []),
            shown,
            *lost,
            *self.told(),  # whom the step's consequences concern (`tell`)
            *self.owner_told(actor, shown.view),  # a supervisor did it: the owner learns
        ]
        if case.state in spec.decisions:
            outcomes += await self.decisions.request(case, actor)
        return outcomes

    async def asked_kind(self, actor: Staff) -> str | None:
        """The kind of answer the person's next text gives ("customer", "phone", "money"…),
        or None when it answers no question of a case (a note, a reason, nothing)."""
        if actor.expecting != Expecting.field or actor.expecting_case_id is None:
            return None
        case = await self.load(actor, actor.expecting_case_id)
        field = None if self.ended(case) else self.field(case)
        return field.kind if field is not None else None

    # ------------------------------------------------------------ side actions

    async def action(self, actor: Staff, case_id: int, version: int, verb: str) -> list[Outcome]:
        """Handle the buttons every step carries: note, evidence, back, escalate, pause,
        cancel — and a procedure's own (skip a rung, go straight to a decision)."""
        case = await self.load(actor, case_id, None if verb in ANY_STEP else version)
        spec = procedure_of(case)
        if self.ended(case):
            raise Stale(case_id, case.state)
        trigger = ACTION_TRIGGERS.get(verb)
        if trigger is not None and not spec.flow.may(case, trigger):
            refusal = "error.cannot_go_back" if verb == "back" else "error.not_now"
            raise Refused(refusal, case=case.id)
        if verb in SIDE_ACTIONS and not spec.offers(case, verb) and verb not in OWN_REFUSALS:
            raise Stale(case_id, case.state)  # not on the card as it stands (forged, or old)
        if verb == "pause":
            return self._pause(actor, case)
        self._resume(actor, case)
        if verb == "back":
            return await self._back(actor, case)
        if verb == "incident":
            return await open_incident(self, actor, case)
        if verb == "drop_incident":
            return await drop_incident(self, actor, case)
        if verb in TEXT_ACTIONS or verb == Expecting.evidence:
            self.focus(actor, case, verb)
            ask = Say(f"ask.{verb}", {"case": case.id}, offer=CARRY_ON)
            if verb in ENDINGS and new_customer(case.draft):  # what ending it drops (`cancel`)
                return [Say("ask.unrecorded_customer", {"case": case.id}), ask]
            return [ask]
        handled = await spec.hooks.side_action(self, actor, case, verb)
        if handled is not None:
            return handled
        if verb in SIDE_ACTIONS:  # another procedure's (going straight to a decision)
            raise Refused("error.not_now", case=case.id)
        raise Stale(case_id, case.state)

    def _pause(self, actor: Staff, case: Case) -> list[Outcome]:
        """Leave the case at its step, on its timeline too, until someone works on it again
        (`_resume`); pressed again meanwhile, it was paused once."""
        self.focus(actor, None, None)
        if PAUSED not in case.draft:
            case.draft = {**case.draft, PAUSED: actor.id}
            self.log(case, actor, "paused", {})
        return [Say("case.paused", {"case": case.id})]

    def _resume(self, actor: Staff, case: Case) -> None:
        """Log that a paused case is worked on again (opened, answered, a side action), before
        what is done on it; the buttons drawn before stay as they were."""
        if PAUSED in case.draft:
            case.draft = {k: v for k, v in case.draft.items() if k != PAUSED}
            self.log(case, actor, "resumed", {})

    async def _back(self, actor: Staff, case: Case) -> list[Outcome]:
        step = case.state
        spec = procedure_of(case)
        asked = await self.asked(case)
        redoing = list(case.draft.get(REDOING, []))
        left = self.unfinished(case)  # what was entered at the step left
        spec.flow.fire(case, "back")
        case.draft = {REDOING: [*redoing, case.state]}
        undone = spec.hooks.stepped_back(case, step)  # may note on the draft what stands
        self.touch(case)
        self.log(case, actor, "back", {"to": case.state, **undone, **left}, step)
        shown = await self.show(actor, case, taken_back=case.state)
        told = self.owner_told(actor, shown.view)
        return [shown, *await self.withdrawn(case, actor, asked), *told]

    async def _text_action(self, actor: Staff, case: Case, verb: str, raw: str) -> list[Outcome]:
        clean = clean_text if verb == Expecting.note else clean_words  # a reason is said in words
        text = clean(raw, self.policy.text_limit)
        spec = procedure_of(case)
        outcomes: list[Outcome] = []
        if verb == Expecting.note:
            self.log(case, actor, "note", {"text": text})
            outcomes.append(Say("note.saved", {"case": case.id}))
        elif verb == Expecting.escalate_reason:
            self.log(case, actor, "escalated", {"reason": text})
            told = await self.decisions.tell_overseers(case, actor, "escalation", {"reason": text})
            if any(isinstance(o, Notify) for o in told):
                outcomes += [Say("escalate.sent", {"case": case.id}), *told]
            else:  # nobody but them oversees (a lone supervisor): said as it is
                outcomes.append(Say("escalate.nobody", {"case": case.id}))
        elif verb in ENDINGS:
            return await self._cancel(actor, case, text, ENDINGS[verb])
        else:
            handled = await spec.hooks.text_action(self, actor, case, verb, text)
            if handled is None:
                raise Refused("error.not_expecting_text", text=one_line(raw, QUOTED))
            return handled
        self.touch(case)
        return [*outcomes, await self.show(actor, case)]

    async def _cancel(
        self, actor: Staff, case: Case, reason: str, resolution: str
    ) -> list[Outcome]:
        """End the case before its last step with the reason given, as a mistake or not
        (`resolution`; what its owner types into it next is answered as `_ended_meanwhile`)."""
        said = ENDED_SAID[resolution]
        why = {"reason": reason, **({ENDED_EARLY: True} if resolution == ENDED_EARLY else {})}
        told = await self.end_case(actor, case, resolution, why, (f"case_{said}", why))
        self.focus(actor, None, None)
        return [Say(f"case.{said}", {"case": case.id}), *told]

    def _ended_meanwhile(self, actor: Staff, case: Case, raw: str | None = None) -> list[Outcome]:
        """Say that the case being typed into has ended (someone else closed or cancelled it)
        and stop asking for it: what was sent is not added to it; typed (`raw`), it is quoted
        back, so it can be kept elsewhere."""
        self.focus(actor, None, None)
        if raw is None:
            return [Say("error.case_ended", {"case": case.id})]
        return [Say("error.case_ended_typed", {"case": case.id, "text": one_line(raw, QUOTED)})]

    async def evidence(
        self,
        actor: Staff,
        file_id: str,
        kind: str,
        name: str | None,
        caption: str | None = None,
        unique: str | None = None,
    ) -> list[Outcome]:
        """Attach a photo or document to the case the person is working on, with the words
        written under it (checked as any typed text: too long, and nothing is saved).

        The same file (Telegram's `unique` id, the same whatever its file_id) sent again
        right after it was attached — a double send, or sent again because the confirmation
        never arrived — is confirmed, not attached twice."""
        if self.comment_no_longer_theirs(actor):
            return self.comment_not_theirs(actor)
        if actor.expecting == Expecting.approval_comment:  # typed: the comment still waits
            return [Say("approval.comment_not_typed", offer="no_comment")]
        if actor.expecting_case_id is None:
            raise Refused("error.evidence_without_case")
        case = await self.load(actor, actor.expecting_case_id)
        if self.ended(case):
            return self._ended_meanwhile(actor, case)
        self._resume(actor, case)
        data = {"file_id": file_id, "kind": kind, "name": file_name(name, FILE_NAME_LIMIT)}
        words = optional_text(caption, self.policy.text_limit)
        if words is not None:
            data["caption"] = words
        if unique is not None:
            data["unique"] = unique
            if await self._just_attached(actor, case, unique):
                return [
                    Say("evidence.already_saved", {"case": case.id}),
                    await self.show(actor, case),
                ]
        self.log(case, actor, "evidence", data)
        self.touch(case)
        asked = actor.expecting if actor.expecting in TEXT_ACTIONS else None
        shown = await self.show(actor, case)
        if asked is None:
            return [Say("evidence.saved", {"case": case.id}), shown]
        # A photo sent before the reason or note asked for: the question still stands.
        self.focus(actor, case, asked)
        return [
            Say("evidence.saved", {"case": case.id}),
            shown,
            Say(f"ask.{asked}", {"case": case.id}, offer=CARRY_ON),
        ]

    async def _just_attached(self, actor: Staff, case: Case, unique: str) -> bool:
        """Tell whether the case's latest event is this person attaching this very file."""
        events = await self.uow.events.for_case(case.id or 0) if case.id else []
        last = events[-1] if events else None
        return (
            last is not None
            and last.kind == "evidence"
            and last.actor_id == actor.id
            and last.data.get("unique") == unique
        )

    # ------------------------------------------------------- answers to reminders

    async def answer_follow_up(
        self, actor: Staff, case_id: int, version: int, answer: str
    ) -> list[Outcome]:
        """Record a follow-up outcome straight from its reminder (whose buttons still work
        after a note: they carry the version the follow-up was set at)."""
        case = await self.load(actor, case_id)
        stale = version != waiting_version(case) or answer not in FOLLOW_UP_ANSWERS
        if stale or case.state != Step.awaiting_follow_up:
            raise Stale(case_id, case.state)
        before = Focus.of(actor)  # what they may be typing for meanwhile (another case)
        self._resume(actor, case)
        outcome, later = FOLLOW_UP_ANSWERS[answer]
        draft: dict[str, Any] = {"outcome": outcome}
        moved: list[Outcome] = []
        if later:
            owner = await self.calendar(case)
            when, moved = self.after_the_fix(
                owner, case, "next_due", self.quick_time(owner, later)
            )
            draft["next_due"] = when.isoformat()
        case.draft = {**draft, **side_form(case.draft)}  # an incident being written stays
        self.touch(case)
        completed = await self._complete(actor, case)
        return [*moved, *completed, *self._typing_kept(actor, case, before)]

    def _typing_kept(self, actor: Staff, case: Case, before: Focus) -> list[Outcome]:
        """A reminder's answer pressed in the middle of other work (`before`: a question of
        another case, a note, a reason being typed) takes the person's typing only where the
        reminder's case now asks something typed (reopened: what was done to fix it), the
        work left said then to stay where it was (`set_aside`). Otherwise — the case closed,
        or waiting again on a button — what they type next still goes where it was meant,
        and they are told so. Before, the work in hand was dropped without a word: the text
        typed for it was refused as expected nowhere, or as an answer to the buttons."""
        if before.expecting is None or before.case_id == case.id:
            return []
        field = None if self.ended(case) else self.field(case)
        if field is not None and field.kind not in ("choice", "multi", "approval"):
            return []  # its card asks for typing now: the typing goes there
        actor.expecting, actor.expecting_case_id = before.expecting, before.case_id
        actor.expecting_customer_id = before.customer_id
        if before.case_id is None:
            return [Say("reminder.kept_focus_task")]
        return [Say("reminder.kept_focus", {"case": before.case_id})]

    async def answer_fix(
        self, actor: Staff, case_id: int, version: int, answer: str
    ) -> list[Outcome]:
        """Confirm a promised fix is done, or promise a new time, from its reminder: while
        the promise it was sent for stands (`version` is the number of the event that made
        it), whatever else was done on the case since."""
        case = await self.load(actor, case_id)
        standing = promise_number(await self.uow.events.for_case(case_id))
        if self.ended(case) or case.promised_fix_at is None or version != standing:
            raise Stale(case_id, case.state)
        if answer == "done":
            case.promised_fix_at = None
            self.log(case, actor, "fix_done", {})
            self.touch(case)
            return [Say("fix.confirmed", {"case": case.id})]
        if answer not in QUICK_TIMES:
            raise Stale(case_id, case.state)
        owner = await self.calendar(case)
        promised, moved = self.quick_time(owner, answer)
        case.promised_fix_at = promised
        self.log(case, actor, "fix_rescheduled", {"promised_at": promised.isoformat()})
        self.touch(case)
        await procedure_of(case).hooks.after_step(self, actor, case, "fixed")
        rebooked = await self._follow_up_after_the_fix(owner, actor, case)
        return [*moved, Say("fix.rescheduled", {"case": case.id, "when": promised}), *rebooked]

    async def _follow_up_after_the_fix(
        self, owner: Staff, actor: Staff, case: Case
    ) -> list[Outcome]:
        """A follow-up booked for no later than a fix promised anew moves after it, as one
        booked then would (`after_the_fix`), with its reminder and a word to tell the customer
        the new time: it asks whether the fix worked."""
        booked = case.follow_up_due_at
        if case.state != Step.awaiting_follow_up or booked is None:
            return []
        when, said = self.after_the_fix(owner, case, "due", (booked, []))
        if when == booked:
            return []
        case.follow_up_due_at, case.overdue_since = when, None
        begin_wait(case)  # the follow-up's reminder and buttons are for the new time
        await procedure_of(case).hooks.after_step(self, actor, case, "scheduled")
        return said


def _without_new_customer(draft: Draft) -> Draft:
    """A draft without the details typed for a customer to add (they are on record now)."""
    return {k: v for k, v in draft.items() if k != "customer" and not k.startswith("new_")}


def _nothing_offered(field: Field) -> InvalidInput:
    """Refuse an offer worth nothing, saying what to do instead with a button its card has:
    the choice that offers nothing (*No compensation*), where there is one; else ⚠ Escalate
    (a goodwill gesture, a catalogue without it: every offer in it is worth something)."""
    if field.options:
        return InvalidInput("error.nothing_offered_instead", option=Label(field.options[0]))
    return InvalidInput("error.nothing_offered")
