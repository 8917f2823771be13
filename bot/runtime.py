"""Run one use case per update, exactly once, then show the outcomes.

Parse → use case in one unit of work → commit (with the update id) → render and send.
Refusals, stale buttons, lost races and database trouble each get a polite answer.
"""

from __future__ import annotations

import contextlib
import hmac
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from telegram import Message, MessageEntity, Update

from bot import callbacks as cb
from bot.context import Context
from bot.delivery import Delivery, drop_buttons, quietly
from bot.request_copies import redraw_pressed
from bot.services import Doubt, Services
from flows.casework import Focus
from flows.decisions import Decisions
from flows.desk import Desk
from flows.errors import HandedAway, Refused, Stale
from flows.handover import HandOver
from flows.lists import Lists
from flows.model import Staff
from flows.outcomes import KEEP_NOTE, Outcome, Say, Toast
from flows.oversight import CUSTOMER_TEXTS, Oversight
from flows.parsing import InvalidInput
from flows.people import People
from flows.reminding import OWNER_WORK
from storage.uow import SqlUnitOfWork

log = logging.getLogger("bot.updates")

#: What a database that is busy, restarting or unreachable raises: the person may try again.
DATABASE_TROUBLE = (OperationalError, DBAPIError, OSError)
#: Refusals of a verdict pressed on a copy of a request that is not the presser's to decide
#: (any more: decided, theirs now, or they are no longer a supervisor): the copy is redrawn
#: to say what became of it, or why it is not theirs (`redraw_pressed`).
REQUEST_GONE = ("approval.already_decided", "approval.not_own", "error.supervisors_only")


@dataclass
class Work:
    """What a use case gets: the actor and the use-case objects over one unit of work."""

    actor: Staff
    uow: SqlUnitOfWork
    services: Services
    bot_username: str = ""  # for links that open the bot (invites)
    desk: Desk = field(init=False)
    people: People = field(init=False)
    oversight: Oversight = field(init=False)
    handover: HandOver = field(init=False)

    def __post_init__(self) -> None:
        policy, clock = self.services.policy, self.services.clock
        self.desk = Desk(self.uow, policy, clock)
        self.handover = HandOver(self.uow, policy, clock)
        self.people = People(self.uow, policy, clock)
        self.oversight = Oversight(self.uow, policy, clock)

    @property
    def decisions(self) -> Decisions:
        """Deciding what waits for a supervisor."""
        return self.desk.decisions

    @property
    def lists(self) -> Lists:
        """Timelines and lists of cases."""
        return self.desk.lists


UseCase = Callable[[Work], Awaitable[list[Outcome]]]


@dataclass(frozen=True)
class Minding:
    """What is said, after an update that answers something else, of what was waiting for
    the person's typing (`minding_what_waits`)."""

    ask_again: bool = True  # still waiting: asked again below the answer
    own_question: bool = True  # a case's own question, left for another case: said so
    way_back: bool = False  # the case it was asked on, opened again: nothing said


#: A command typed: what waits is asked again, or said to be set aside.
COMMAND = Minding()
#: A button that takes the person to a case (opened from a list, a record, a menu).
GOING = Minding(ask_again=False, way_back=True)
#: A button that acts on something (an answer or a side action on a case's card, a
#: reminder's, a verdict, a customer's record's question): a note, a reason, a file, a
#: comment or a question about a customer left for it is said to be set aside.
ON_A_CARD = Minding(ask_again=False, own_question=False)
#: A reminder's answer: it came unasked, in the middle of other work. Where it takes the
#: person's typing to its case (reopened, asking what was done), a case's question left for
#: it is said to stay where it was, with the way back (`Desk._typing_kept`).
FROM_A_REMINDER = Minding(ask_again=False)


def minding_what_waits(use_case: UseCase, minding: Minding = COMMAND) -> UseCase:
    """`use_case` (a command, or a button) with a word on what was waiting for the person's
    typing: left for something else, it is said above the answer to be set aside, with
    what was not done and how to get back to it; still waiting, it is asked again below
    the answer (`Minding`), as the next message answers it. Before, /new typed while a
    cancel's reason was asked dropped the cancel unsaid."""

    async def minded(work: Work) -> list[Outcome]:
        actor, before = work.actor, Focus.of(work.actor)
        try:
            answered = await use_case(work)
        except (Refused, InvalidInput) as err:  # nothing done: what waits, waits on
            if before.expecting is None or not minding.ask_again or Focus.of(actor) != before:
                raise
            raise RefusedWhileAsked(err, await _asked_again(work, before)) from err
        if before.expecting is None:
            return answered
        if Focus.of(actor) != before:
            aside = await work.desk.set_aside(
                actor, before, own_question=minding.own_question, way_back=minding.way_back
            )
            return [*aside, *answered]
        if not minding.ask_again:
            return answered
        return [*answered, *await _asked_again(work, before)]

    return minded


async def _asked_again(work: Work, before: Focus) -> list[Outcome]:
    """What waits for the person's typing, asked again below an answer to something else."""
    asking = work.oversight if before.expecting in CUSTOMER_TEXTS else work.desk
    return await asking.asked_again(work.actor)


class RefusedWhileAsked(Exception):
    """A command refused while a question waits for the person's typing: the refusal, and
    the question asked again below it (the refusal changed nothing, so it still waits)."""

    def __init__(self, refused: Refused | InvalidInput, asked: list[Outcome]) -> None:
        super().__init__(refused.key)
        self.refused, self.asked = refused, asked


def _typed_command(update: Update) -> bool:
    """Tell whether the update is a command typed in a message (/new, /cases, /help…), as
    Telegram marks one: text that only starts with a slash answers what waits."""
    entities = update.message.entities if update.message is not None else ()
    return any(e.type == MessageEntity.BOT_COMMAND and e.offset == 0 for e in entities)


async def run(
    update: Update, context: Context, use_case: UseCase, case_id: int | None = None
) -> None:
    """Handle one update from a registered person: check, act, commit once, show.

    `case_id` names the case the update is about (a button's), if it names one: it is
    loaded with the person, as is otherwise the case whose question they are answering.
    """
    services = context.bot_data.services
    user = update.effective_user
    if user is None:
        return
    started = time.perf_counter()
    renderer = services.renderer(None, user)
    outcomes: list[Outcome] = []
    status = "ok"
    ended: list[int] = []  # cases whose requests' copies this update marked to be redrawn
    decided: tuple[int, int, int, int] | None = None  # a request's copy a verdict was pressed on
    handed_away = False  # a button of a case pressed by someone it was handed away from
    stale = False  # a button of a case pressed out of date
    came_back = False  # someone who had blocked the bot wrote, not yet recorded
    try:
        async with SqlUnitOfWork(
            services.sessions, update.update_id, services.bot_id, services.cards
        ) as uow:
            if not await uow.claim_update():
                status = "duplicate"
                if update.update_id in services.answered:  # answered by this very process
                    await _settle_query(update)
                    return
                again, outcomes = await _answer_again(uow, update, services)
                if again is None:
                    await _settle_query(update)
                    return
                status = "duplicate_answered_again"
                renderer = services.renderer(again, user)
                raise _AnsweredAgain
            actor = await uow.actor(user.id, case_id)
            if actor is None or not actor.active:
                status = "unknown_user"
                await refuse_stranger(update, services)
                return
            if actor.unreachable:  # kept even if what they sent is refused (`_back_in_reach`)
                came_back = True
                await in_reach_again(uow, actor, services.clock())
            if actor.locale is None:  # remember Telegram's language for later notices
                actor.locale = services.locale_for(None, user)
            if (named := services.own_name(actor, user)) is not None:  # read to customers
                actor.name = named
            renderer = services.renderer(actor, user)
            work = Work(actor, uow, services, context.bot.username)
            retyped = await _retyped_after_doubt(uow, update, services)
            answering = actor.expecting_case_id  # the case a text typed now goes to
            twice_in = None if retyped else await _sent_twice(uow, update, services, actor)
            twice = twice_in is not None
            if retyped or twice:
                outcomes = await work.desk.already_saved(actor, twice=twice, case_id=twice_in)
            else:
                act = minding_what_waits(use_case) if _typed_command(update) else use_case
                outcomes = await act(work)
            await _keep_filed(uow, update, services, actor, answering, work.desk.filed_text)
            status = await _commit(uow, services, update)
            came_back = False  # recorded with the update
            ended = uow.ended_requests
            decided = _request_pressed(update)  # the copy a verdict was just given on
            if status.startswith("ok") and work.desk.filed_text:  # saved
                _remember(update, services, services.last_saved, answering)
            status = "retyped_after_doubt" if retyped else "sent_twice" if twice else status
            renderer = services.renderer(actor, user)  # the use case may change the language
    except _AnsweredAgain:
        pass
    except _NotSure:
        status = "db_error_unsure"
        outcomes = [Say("input.not_sure")]
        _remember(update, services, services.in_doubt)
    except (Refused, InvalidInput, RefusedWhileAsked) as caught:
        err, asked = (
            (caught.refused, caught.asked)
            if isinstance(caught, RefusedWhileAsked)
            else (caught, [])
        )
        status = f"refused:{err.key}"
        outcomes = [
            Toast(err.key, err.params) if update.callback_query else Say(err.key, err.params),
            *asked,
        ]
        if isinstance(err, Stale):
            outcomes += await _card_left_behind(update, services, err.case_id)
            stale = True
        handed_away = isinstance(err, HandedAway) and update.callback_query is not None
        decided = _request_pressed(update) if err.key in REQUEST_GONE else None
    except StaleDataError:
        status = "lost_race"
        outcomes = [Toast("error.moved_on") if update.callback_query else Say("error.moved_on")]
    except DATABASE_TROUBLE as err:
        status = "db_error"
        log.warning("database trouble on update %s: %s", update.update_id, type(err).__name__)
        outcomes = [Say("error.try_again")]
    finally:
        log.info(
            "update=%s user=%s case=%s status=%s ms=%.1f",
            update.update_id,
            user.id,
            _case_of(outcomes),
            _refusal_in(outcomes) if status == "ok" else status,
            (time.perf_counter() - started) * 1000,
        )
    if came_back:
        await _back_in_reach(services, user.id)
    delivery = Delivery.answering(update, context, services, renderer)
    await delivery.show(outcomes)
    query = update.callback_query
    pressed = query.message if query is not None else None
    if isinstance(pressed, Message):
        shown = pressed
        if handed_away:
            await quietly(lambda: shown.edit_reply_markup(None))  # nothing on it answers now
        elif stale and shown.message_id not in delivery.redrawn:  # not the card drawn anew
            await _out_of_date_dropped(shown, query.data or "" if query else "")
    if decided is not None:  # what became of the request, on the copy pressed (recorded or not)
        await redraw_pressed(context.bot, services, *decided)
    services.answered[update.update_id] = True
    context.bot_data.redrawing.start(ended)  # the other supervisors' copies, after the answer


async def in_reach_again(uow: SqlUnitOfWork, actor: Staff, now: datetime) -> None:
    """Someone who had blocked the bot wrote to it: messages reach them again, and the work
    that could not reach them is sent again."""
    actor.unreachable = False
    await uow.reminders.send_again_to(actor.id or 0, OWNER_WORK, now)


async def _back_in_reach(services: Services, telegram_id: int) -> None:
    """Record on its own that someone who had blocked the bot wrote again, when what they
    sent was not saved (refused, out of date, a lost race): writing at all is what says
    they are back (database trouble: their next update tries again)."""
    with contextlib.suppress(*DATABASE_TROUBLE):
        async with SqlUnitOfWork(services.sessions) as uow:
            actor = await uow.staff.by_telegram_id(telegram_id)
            if actor is not None and actor.unreachable:
                await in_reach_again(uow, actor, services.clock())
                await uow.commit()


class _AnsweredAgain(Exception):
    """A redelivered update whose answer is being sent again: skip the use case."""


class _NotSure(Exception):
    """The commit failed and the database could not say whether it had gone through."""


async def _commit(uow: SqlUnitOfWork, services: Services, update: Update) -> str:
    """Commit; if the answer is lost on the way, look the update up before saying anything."""
    try:
        await uow.commit()
    except DATABASE_TROUBLE as err:
        with contextlib.suppress(*DATABASE_TROUBLE):
            await uow.rollback()  # let go of whatever the failed transaction still holds
        try:
            async with SqlUnitOfWork(
                services.sessions, update.update_id, services.bot_id
            ) as check:
                saved = await check.already_processed()
        except DATABASE_TROUBLE:
            raise _NotSure from err
        if not saved:
            raise
        log.warning("update %s: commit answer lost, but it was saved", update.update_id)
        return "ok_after_lost_commit_answer"
    return "ok"


#: How long a typed answer in doubt is remembered, waiting to be typed again.
DOUBT_SECONDS = 600
#: How soon the same text again is taken for a double send (a tap on a slow connection,
#: or retyped while the confirmation was on its way), not a second answer.
TWICE_SECONDS = 60


def _typed(update: Update) -> str | None:
    """The text of a typed message (not a command)."""
    message = update.message
    text = message.text if message is not None else None
    return text if text and not text.startswith("/") else None


def _remember(
    update: Update, services: Services, memory: dict[int, Doubt], case_id: int | None = None
) -> None:
    """Keep in mind a typed answer (whose saving could not be confirmed, or that was saved,
    into `case_id`)."""
    text, user = _typed(update), update.effective_user
    if text is not None and user is not None:
        memory[user.id] = Doubt(
            update.update_id, _digest(text, case_id, services), time.monotonic(), case_id
        )


def _digest(text: str, case_id: int | None, services: Services) -> str:
    """What a typed answer is known again by: its words and the case it went to, in a
    digest keyed with the bot's token (kept on the case too, `cases.filed`: nothing typed,
    a phone number or a name, can be tried against it without the token)."""
    key = services.settings.telegram.token.get_secret_value().encode()
    return hmac.new(key, f"{case_id}\n{text.strip()}".encode(), "sha256").hexdigest()[:32]


async def _sent_twice(
    uow: SqlUnitOfWork, update: Update, services: Services, actor: Staff
) -> int | None:
    """The case this text was already saved into, if it repeats the person's last answer
    saved, just sent, into the case it would go to now (or, when that answer closed the
    question and nothing is asked any more, into the case it went to): it is confirmed, not
    taken as the answer to the next question, nor refused as unexpected (sent once more,
    it is taken). The process remembers the last answer; the case keeps it too
    (`cases.filed`), for a repeat that comes after a restart."""
    text, user = _typed(update), update.effective_user
    last = services.last_saved.pop(user.id, None) if user else None
    case_id = actor.expecting_case_id
    if text is None:
        return None
    if last is not None:
        if time.monotonic() - last.at > TWICE_SECONDS:
            return None
        case_id = case_id if case_id is not None else last.case_id
        if case_id is None or _digest(text, case_id, services) != last.digest:
            return None
    case = await uow.cases.get(case_id) if case_id is not None else None
    if case is None:
        return None
    kept = case.filed.get(str(actor.id))
    if last is None and not (kept and _filed_just_now(kept, text, case.id or 0, services)):
        return None
    return case.id  # sent once more, it is taken: this update lets go of what was filed


def _filed_just_now(kept: list[str], text: str, case_id: int, services: Services) -> bool:
    digest, at = kept
    recent = services.clock() - datetime.fromisoformat(at) <= timedelta(seconds=TWICE_SECONDS)
    return recent and hmac.compare_digest(digest, _digest(text, case_id, services))


async def _keep_filed(
    uow: SqlUnitOfWork,
    update: Update,
    services: Services,
    actor: Staff,
    case_id: int | None,
    filed: bool,
) -> None:
    """Keep on the case the person was answering what they just `filed` there (a keyed
    digest and the time); anything else they do lets go of what they filed before, so only
    a text sent twice *in a row* is taken for a double send (as the process's memory does).
    """
    case = await uow.cases.get(case_id) if case_id is not None else None
    text, who = _typed(update), str(actor.id)
    if case is None or (not filed and who not in case.filed):
        return
    others = {person: kept for person, kept in case.filed.items() if person != who}
    if filed and text is not None:
        others[who] = [_digest(text, case.id, services), services.clock().isoformat()]
    case.filed = others


async def _retyped_after_doubt(uow: SqlUnitOfWork, update: Update, services: Services) -> bool:
    """Tell whether this text repeats an answer whose saving was in doubt, and was saved.

    Someone told "not sure it was saved" types it again: if it was saved after all, the
    repeat is confirmed, never taken as the answer to the next question.
    """
    text, user = _typed(update), update.effective_user
    doubt = services.in_doubt.pop(user.id, None) if user else None
    if doubt is None or text is None or time.monotonic() - doubt.at > DOUBT_SECONDS:
        return False
    same = _digest(text, None, services) == doubt.digest
    return same and await uow.already_processed(doubt.update_id)


async def _answer_again(
    uow: SqlUnitOfWork, update: Update, services: Services
) -> tuple[Staff | None, list[Outcome]]:
    """Send the current card again, once, for an update handled before its answer was seen.

    Returns the person and what to show them, or (None, []) when there is nothing to send.
    """
    nothing: tuple[Staff | None, list[Outcome]] = (None, [])
    user, query = update.effective_user, update.callback_query
    actor = await uow.staff.by_telegram_id(user.id) if user else None
    if actor is None or not actor.active:
        return nothing
    pressed = cb.decode(query.data or "") if query else None
    case_id = pressed.case_id if pressed and pressed.case_id else actor.expecting_case_id
    if case_id is None:
        return nothing
    outcomes = await Desk(uow, services.policy, services.clock).current_card(actor, case_id)
    if not outcomes or not await uow.claim_reshow():
        return nothing
    await uow.commit()
    return actor, outcomes


async def _out_of_date_dropped(pressed: Message, data: str) -> None:
    """Take off the message pressed the buttons drawn for the case at the version of the one
    pressed out of date (a reminder's answers, a timeline's or a picker's hand-over, an old
    card's): pressed again they could only say so, each time bringing the card once more.
    Its other buttons (the timeline, the case opened) stay."""
    drawn_for = data.split(":")[:3]  # k:<case>:<version>
    await drop_buttons(pressed, lambda b: str(b.callback_data).split(":")[:3] == drawn_for)


async def _card_left_behind(update: Update, services: Services, case_id: int) -> list[Outcome]:
    """The case's current card, when a stale button was pressed in the chat of the case's
    card: the person may have nothing current of it on screen (the answer that should have
    redrawn the card was lost: its sending failed after the commit, or the process died
    before it; the card they see may be an older one, or drawn again after a restart), so
    they are shown where the case stands instead of being left with buttons that only say
    "out of date". A case that has ended shows its card too, saying how it ended: the
    buttons pressed were those of a card left from before its end. Every kind of button
    out of date is answered so. Pressed in another chat than the card's, the notice alone,
    but on a card of the case, or by its owner: the card left behind when someone else
    (its owner, a supervisor) carried the case on in their own chat, redrawn where it
    stands now, to carry on from there."""
    query, user = update.callback_query, update.effective_user
    pressed = query.message if query else None
    if query is None or pressed is None or user is None:
        return []
    data = cb.decode(query.data or "")
    on_card = data is not None and data.route in cb.CARD_ROUTES
    try:
        async with SqlUnitOfWork(services.sessions) as uow:
            actor = await uow.staff.by_telegram_id(user.id)
            case = await uow.cases.get(case_id)
            if actor is None or not actor.active or case is None:
                return []
            chat_id, _ = services.cards.where(case_id) or (
                case.card_chat_id,
                case.card_message_id,
            )
            if chat_id is None and case.owner_id != actor.id:
                return []  # no card drawn yet: it is the owner's to see
            elsewhere = chat_id is not None and chat_id != pressed.chat.id
            if elsewhere and case.owner_id != actor.id and not on_card:
                return []  # a supervisor's stale request or notice: the notice alone
            desk = Desk(uow, services.policy, services.clock)
            shown = await desk.current_card(actor, case_id, ended_too=True)
            with contextlib.suppress(StaleDataError, *DATABASE_TROUBLE):
                await uow.commit()  # the question drawn for them (else only that is lost)
            return shown
    except DATABASE_TROUBLE:
        return []


def _request_pressed(update: Update) -> tuple[int, int, int, int] | None:
    """The copy of a request whose verdict button was pressed (its chat, message, case and
    the version it was asked at), if a verdict button was pressed on one."""
    query = update.callback_query
    pressed = cb.decode(query.data or "") if query else None
    message = query.message if query else None
    if pressed is None or pressed.route != "decide" or message is None:
        return None
    return message.chat.id, message.message_id, pressed.case_id, pressed.version


def _refusal_in(outcomes: list[Outcome]) -> str:
    """How the log names an update answered with nothing but a refusal's pop-up, returned
    rather than raised (a forged or malformed button, one with nothing left to do): what
    was refused, as a raised refusal is named — and a text refused, kept to be filed as a
    note with one press (`KEEP_NOTE`); else "ok"."""
    kept = [o.key for o in outcomes if isinstance(o, Say) and o.offer == KEEP_NOTE]
    if kept:
        return f"refused:{kept[0]}"
    toasts = [o for o in outcomes if isinstance(o, Toast)]
    if len(toasts) == 1 and toasts[0].key.startswith("error."):
        return f"refused:{toasts[0].key}"
    return "ok"


def _case_of(outcomes: list[Outcome]) -> int | str:
    for outcome in outcomes:
        view = getattr(outcome, "view", None)
        if view is not None and view.case.id is not None:
            return int(view.case.id)
    return "-"


async def refuse_stranger(update: Update, services: Services) -> None:
    """Tell an unregistered person, once per message, that they cannot use the bot."""
    text = services.renderer(None, update.effective_user).t("access.unknown")
    if update.callback_query:
        query = update.callback_query
        await quietly(lambda: query.answer(text, show_alert=True))
    elif isinstance(message := update.effective_message, Message):
        await quietly(lambda: message.reply_text(text))


async def _settle_query(update: Update) -> None:
    if update.callback_query:
        query = update.callback_query
        await quietly(lambda: query.answer())
