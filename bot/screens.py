"""What each chat shows, as far as this process knows: where a card can be edited in place.

A case's card is edited in place, step after step, while the chat still shows it: the
bot has sent nothing in that chat since, and what the person typed under it would still
leave it on a phone's screen. Each step done while a message is the card is kept at the
top of that message, so the chat still reads as a log. When the card must move down (a
reply, a list or a timeline came after it, or it scrolled away), it is sent anew and the
old message keeps only the steps it logged. A step the case steps back to is marked taken
back where its summary is shown (struck through, to be done again); done again, its new
summary replaces that one on the card, and says it was done again. A process that does not
know a card (after a restart) sends it anew too, whatever was pressed on it (the old
message stays as it is, the steps it logs included, without its buttons; a step just done is
logged on the new card), and
so does a message whose answer is the very card the chat shows already (the same text
typed again, a command sent twice): Telegram refuses an edit that changes nothing, and the
person would see no answer at all.
A card drawn in another language than the reader's now (they switched with /language
since) is not edited either: one message reads in one language. A case that ends (cancelled,
or closed by what was done on another case) has its card drawn as ended where it stands, in
whatever chat it is (`Delivery._end_card`): how it ended, and no buttons that look alive;
where the message is not known here, only its buttons go. So do the prompts of the case's
side actions (a note, a reason, a file) this process sent: their ▶ Carry on with this case
no longer leads to a case to carry on with. One sent before a restart, or under a timeline,
says so when pressed, shows the card as it ended and loses the button (`Desk.open_case`).

Other messages whose buttons hold only while their case stands as it did (`Bound`: the list
of people to hand a case to, a timeline's 🔁 Hand over, a reminder's answers) lose those
buttons as soon as this process sees the case move on (`Screens.outdated`): handed over by
them or by anyone, a step taken, ended, the wait a reminder was about set again. One it does
not know (a restart) says so when pressed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from math import ceil

from bot.callbacks import decode
from bot.render.keyboards import Keyboard
from flows.model import Case
from flows.newest import Newest
from flows.procedures import procedure_of

#: A phone shows about this many lines of chat; a typed message takes its lines and one
#: more for the bubble around it.
LINES_IN_VIEW = 24
CHARACTERS_PER_LINE = 36
#: How many prompts of a case's side actions are remembered in one chat (the latest).
PROMPTS_KEPT = 5
#: How many messages bound to one case are remembered (the latest).
BOUND_KEPT = 10


def lines_of(text: str | None) -> int:
    """How many lines a typed message takes on a phone's screen (0 for none)."""
    if not text:
        return 0
    return 1 + sum(max(1, ceil(len(line) / CHARACTERS_PER_LINE)) for line in text.split("\n"))


@dataclass(frozen=True, slots=True)
class Logged:
    """A step's summary on a card message: as it reads while it stands, and as it reads once
    the case stepped back to that step (taken back, to be done again), in the language it was
    drawn in."""

    step: str
    text: str
    taken_back: str
    stands: bool = True

    @property
    def shown(self) -> str:
        """How the summary reads now."""
        return self.text if self.stands else self.taken_back


def logged(log: list[Logged], taken_back: str | None, done: Logged | None) -> list[Logged]:
    """The summaries a card message logs after a step back (`taken_back`: the latest summary
    of the step stepped back to no longer stands) or a step done (`done`: it replaces that
    step's summary taken back, if the message shows one, and comes last)."""
    entries = list(log)
    if taken_back is not None:
        at = _latest(entries, taken_back, stands=True)
        if at is not None:
            entries[at] = Logged(taken_back, entries[at].text, entries[at].taken_back, False)
    if done is not None:
        at = _latest(entries, done.step, stands=False)
        if at is not None:
            del entries[at]
        entries.append(done)
    return entries


def _latest(entries: list[Logged], step: str, stands: bool) -> int | None:
    return next(
        (
            n
            for n in reversed(range(len(entries)))
            if entries[n].step == step and entries[n].stands == stands
        ),
        None,
    )


@dataclass
class CardOnScreen:
    """One card message: the steps it logs, the lines typed under it since, the language it
    is written in (None: not known), the message the card moved down from, if any (what
    it logs is still on screen higher up), and the case's version it shows (None: not
    known, or it no longer is the card)."""

    log: list[Logged] = field(default_factory=list)
    below: int = 0
    locale: str | None = None
    earlier: int | None = None
    version: int | None = None


@dataclass(frozen=True)
class Bound:
    """A message whose buttons about a case hold only while the case stands as it did when
    they were drawn: at that `version` (None: any), while `still` says so of it (a
    reminder's answers: while the reminder still matters), not ended. Its buttons drawn for
    no version (▶ Carry on, a list's Open) hold whatever happens."""

    chat_id: int
    message_id: int
    markup: Keyboard
    version: int | None = None
    still: Callable[[Case], bool] | None = None

    def holds(self, case: Case) -> bool:
        """Tell whether the buttons still mean what they did for the case as it is now."""
        if procedure_of(case).flow.is_final(case.state):
            return False
        same_version = self.version is None or self.version == case.version
        return same_version and (self.still is None or self.still(case))

    def may_go(self) -> bool:
        """Tell whether any of its buttons may stop holding (one drawn for a version)."""
        rows = self.markup.inline_keyboard
        return any(not _outlives(b.callback_data) for row in rows for b in row)

    def kept(self) -> Keyboard | None:
        """The buttons that outlive the case's move: those drawn for no version."""
        rows = [
            [b for b in row if _outlives(b.callback_data)] for row in self.markup.inline_keyboard
        ]
        return Keyboard([row for row in rows if row]) if any(rows) else None


def _outlives(data: str) -> bool:
    pressed = decode(data)
    return pressed is None or not pressed.case_id or not pressed.version


class Screens:
    """The bot's latest message in each chat, and the card messages it knows."""

    def __init__(self, kept: int = 10_000) -> None:
        self._latest: Newest[int, int] = Newest(kept)
        self._cards: Newest[tuple[int, int], CardOnScreen] = Newest(kept)
        self._prompts: Newest[tuple[int, int], list[int]] = Newest(kept)
        self._bound: Newest[int, list[Bound]] = Newest(kept)
        self._offers: Newest[int, list[int]] = Newest(kept)

    def sent(self, chat_id: int, message_id: int) -> None:
        """Note a message the bot has just sent in a chat."""
        self._latest[chat_id] = message_id

    def latest(self, chat_id: int) -> int | None:
        """The bot's latest message in a chat, if this process sent it."""
        return self._latest.get(chat_id)

    def card(self, chat_id: int, message_id: int) -> CardOnScreen | None:
        """What a card message shows, if this process drew it."""
        return self._cards.get((chat_id, message_id))

    def show(self, chat_id: int, message_id: int, card: CardOnScreen) -> None:
        """Note what a card message shows now."""
        self._cards[chat_id, message_id] = card

    def prompted(self, chat_id: int, case_id: int, message_id: int) -> None:
        """Note a side action's prompt sent in a chat for a case (with its way back)."""
        shown = self._prompts.get((chat_id, case_id), [])
        self._prompts[chat_id, case_id] = [*shown[-(PROMPTS_KEPT - 1) :], message_id]

    def offered(self, chat_id: int, message_id: int) -> None:
        """Note a message in a chat whose button answers what waits for the person's typing
        (a supervisor's comment: "Nothing to add")."""
        self._offers[chat_id] = [*self._offers.get(chat_id, [])[-(PROMPTS_KEPT - 1) :], message_id]

    def offers_gone(self, chat_id: int) -> list[int]:
        """The messages noted by `offered` in a chat, forgotten (what they answered was
        answered, or is asked again below)."""
        return self._offers.pop(chat_id, [])

    def bind(self, case_id: int, bound: Bound) -> None:
        """Note a message whose buttons hold only while the case stands as it did (drawn
        again in place: what it shows now replaces what it showed; nothing that may stop
        holding: nothing to note)."""
        others = [
            b
            for b in self._bound.get(case_id, [])
            if (b.chat_id, b.message_id) != (bound.chat_id, bound.message_id)
        ]
        self._bound[case_id] = [*others[-(BOUND_KEPT - 1) :], *([bound] if bound.may_go() else [])]

    def outdated(self, case: Case) -> list[Bound]:
        """The messages bound to the case whose buttons no longer hold, forgotten."""
        bound = self._bound.get(case.id or 0, [])
        gone = [b for b in bound if not b.holds(case)]
        if gone:
            self._bound[case.id or 0] = [b for b in bound if b not in gone]
        return gone

    def prompts_gone(self, chat_id: int, case_id: int) -> list[int]:
        """The prompts sent in a chat for a case, forgotten (the case has ended)."""
        return self._prompts.pop((chat_id, case_id), [])

    def in_view(self, chat_id: int, message_id: int, typed: str | None) -> CardOnScreen | None:
        """The card, if the chat still shows it below what was typed now; else None."""
        card = self.card(chat_id, message_id)
        if card is None or self.latest(chat_id) != message_id:
            return None
        return card if card.below + lines_of(typed) <= LINES_IN_VIEW else None
