"""Thin handlers: read the update, pick the use case, let the runtime do the rest."""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Message, MessageEntity, MessageOriginUser, Update
from telegram.constants import ChatType

from bot import callbacks as cb
from bot.context import Context
from bot.delivery import Delivery, quietly
from bot.runtime import (
    DATABASE_TROUBLE,
    FROM_A_REMINDER,
    GOING,
    ON_A_CARD,
    Minding,
    UseCase,
    Work,
    in_reach_again,
    minding_what_waits,
    run,
)
from flows.case_filter import parse_words
from flows.desk import is_id
from flows.errors import Refused
from flows.formats import quoted
from flows.model import FILE_KINDS, CaseKind
from flows.outcomes import Label, Menu, Outcome, Say, Toast
from flows.oversight import CUSTOMER_TEXTS
from flows.parsing import InvalidInput
from flows.people import People, role_named
from flows.procedures.check_in import HEARD, heard_wavering
from flows.scripts import LOCALES, Scripts
from storage.uow import SqlUnitOfWork

log = logging.getLogger("bot.handlers")


async def start(update: Update, context: Context) -> None:
    """Show the menu, or register a newcomer who opened an invite link."""
    if context.args:
        await _redeem(update, context, context.args[0])
        return

    await run(update, context, lambda work: _menu(work, []))


async def _redeem(update: Update, context: Context, code: str) -> None:
    services = context.bot_data.services
    user = update.effective_user
    assert user is not None
    renderer = services.renderer(None, user)
    try:
        async with SqlUnitOfWork(services.sessions, update.update_id, services.bot_id) as uow:
            if not await uow.claim_update():
                return
            known = await uow.staff.by_telegram_id(user.id)
            if known is not None and known.active:  # one who left comes back by the invite
                outcomes: list[Outcome] = [Say("invite.already_registered"), Menu(known)]
                if known.unreachable:
                    await in_reach_again(uow, known, services.clock())
                    await uow.commit()
                renderer = services.renderer(known, user)
            else:
                people = People(uow, services.policy, services.clock)
                try:
                    person = await people.redeem(
                        code[:64], user.id, user.full_name, renderer.locale
                    )
                except Refused as err:
                    log.info("invite refused for user=%s", user.id)
                    await refuse_stranger_with(update, renderer.t(err.key))
                    return
                await uow.commit()
                renderer = services.renderer(person, user)
                outcomes = [Say("invite.welcome", {"name": person.name}), Menu(person)]
    except DATABASE_TROUBLE as err:  # the link stays valid: opening it again works
        log.warning("database trouble redeeming an invite: %s", type(err).__name__)
        await refuse_stranger_with(update, renderer.t("error.try_again"))
        return
    await Delivery.answering(update, context, services, renderer).show(outcomes)


async def refuse_stranger_with(update: Update, text: str) -> None:
    """Answer someone unregistered with one message."""
    if isinstance(message := update.effective_message, Message):
        await quietly(lambda: message.reply_text(text))


CommandAct = Callable[[Work, list[str]], Awaitable[list[Outcome]]]


async def _menu(work: Work, args: list[str]) -> list[Outcome]:
    return [Menu(work.actor)]


async def _customer(work: Work, args: list[str]) -> list[Outcome]:
    query = " ".join(args)
    if not query.strip():
        return [Say("customer.usage")]
    return await work.oversight.find_customer(work.actor, query)


#: A whole number as typed, signed or not, however long: a case number that may be none.
WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
#: Most digits of a case number that is none said back (`/case 99999…`).
SAID_BACK = 20


async def _show_case(work: Work, args: list[str]) -> list[Outcome]:
    arg = (args or [""])[0].lstrip("#")
    if is_id(arg):
        return await work.lists.timeline(work.actor, int(arg))
    if WHOLE_NUMBER.fullmatch(arg):  # a number, just none a case could have: said so
        said = arg if len(arg) <= SAID_BACK else arg[:SAID_BACK] + "…"
        return [Say("error.no_such_case", {"case": said})]
    return [Say("error.case_usage")]


async def _invite(work: Work, args: list[str]) -> list[Outcome]:
    role = role_named([w[:32] for w in args[:4]])
    made = await work.people.invite(work.actor, role)
    link = f"https://t.me/{work.bot_username}?start={made.code}"
    hours = work.services.policy.invite_hours
    return [Say("invite.created", {"link": link, "role": Label(role), "hours": hours})]


def _opens(kind: str) -> CommandAct:
    """Open a case; words after the command ("/new Nguyen Thi Huong", "/new 0903123456")
    search for its customer, as if typed at its first question."""

    async def act(work: Work, args: list[str]) -> list[Outcome]:
        opened = await work.desk.open(work.actor, kind)
        words = " ".join(args)
        if not words.strip() or await work.desk.asked_kind(work.actor) != "customer":
            return opened
        try:
            return await work.desk.text(work.actor, words)
        except InvalidInput as err:  # the case is open all the same; the words are refused
            return [Say(err.key, err.params), *opened]

    return act


def _says(key: str, offer: str | None = None) -> CommandAct:
    async def act(work: Work, args: list[str]) -> list[Outcome]:
        return [Say(key, offer=offer)]

    return act


#: Every command: what it does, given the person's work and the command's words.
COMMANDS: dict[str, CommandAct] = {
    "menu": _menu,
    "new": _opens(CaseKind.complaint),
    "problem": _opens(CaseKind.problem_review),
    "exit": _opens(CaseKind.exit_interview),
    "customer": _customer,
    "atrisk": lambda work, args: work.oversight.at_risk(work.actor),
    "approvals": lambda work, args: work.oversight.approvals(work.actor),
    "staff": lambda work, args: work.oversight.staff_overview(work.actor),
    "cases": lambda work, args: work.lists.cases(
        work.actor, parse_words([w[:60] for w in args[:12]], work.lists.today(work.actor))
    ),
    "case": _show_case,
    "followups": lambda work, args: work.lists.follow_ups(work.actor),
    "language": _says("language.ask", offer="languages"),
    "invite": _invite,
    "help": lambda work, args: _says("help.overseer" if work.actor.oversees else "help.staff")(
        work, args
    ),
}


def command(
    act: CommandAct,
) -> Callable[[Update, Context], Coroutine[Any, Any, None]]:
    """Make a command handler: the words are read only once the person is known."""

    async def handle(update: Update, context: Context) -> None:
        args = list(context.args or [])
        await run(update, context, lambda work: act(work, args))

    handle.__doc__ = act.__doc__
    return handle


unknown_command = command(_says("error.unknown_command"))


async def _asked_again(
    work: Work, told: str | None = None, typed: str | None = None
) -> list[Outcome]:
    """Whatever waits for the person's typing asked again, still open, after a message that
    cannot answer it (`told`: what to say of it, quoting what was `typed`, if it was text) —
    a question about a customer, a case's own question, a note or a reason, a comment on a
    decision."""
    if work.actor.expecting in CUSTOMER_TEXTS:
        return await work.oversight.not_typed(work.actor, told, typed)
    return await work.desk.not_usable(work.actor, told, typed)


#: A kind of message the bot cannot take (a sticker, a voice message…): said so, and what
#: waits asked again.
unsupported = command(lambda work, _args: _asked_again(work))


async def edited(update: Update, context: Context) -> None:
    """A message changed after it was sent: the change is not read (what it said first was
    taken, or refused); the person is told so rather than left to think it was saved, the
    words it now holds quoted back, and what waits is asked again, as after a sticker."""
    message = update.edited_message
    typed = (message.text or message.caption) if message is not None else None
    told = "input.edit_not_read_typed" if typed else "input.edit_not_read"
    await run(update, context, lambda work: _asked_again(work, told, typed or None))


async def text(update: Update, context: Context) -> None:
    """Take typed text as the answer to the last question."""
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    await run(update, context, _answering(message, context.bot.id, message.text))


#: The buttons a newcomer sees while a question waits for typing (its skip, its way back,
#: the case's side actions, the menu's and a customer record's): their names typed instead
#: of pressed are never the answer.
NAMED_BUTTONS = (
    "skip",
    "new_customer",
    "carry_on",
    "keep_note",
    "no_comment",
    "leave_question",
    "drop_incident",
    "note",
    "evidence",
    "incident",
    "escalate_reason",
    "pause",
    "cancel_reason",
    "end_reason",
    "back",
    "skip_reason",
    "straight",
    "withdraw",
    "to_rung",
    "resend_evidence",
    "new_case",
    "my_cases",
    "language",
    "new_review",
    "new_exit",
    "new_check_in",
    "flag_at_risk",
    "rename",
    "open_case",
    "timeline",
    "hand_over",
    "take_it_myself",
)


def _words_of(text: str) -> str:
    """The words of a text, without its signs (emoji, arrows, marks) or its case."""
    return " ".join("".join(c if c.isalnum() else " " for c in text).casefold().split())


@functools.lru_cache(maxsize=4)  # one wording per running bot: worked out once, not per answer
def _button_names(scripts: Scripts) -> frozenset[str]:
    """The words of every `NAMED_BUTTONS` label, in every language."""
    return frozenset(
        _words_of(scripts.get(locale, f"button.{key}"))
        for locale in LOCALES
        for key in NAMED_BUTTONS
    )


def _names_a_button(scripts: Scripts, raw: str) -> bool:
    """Whether `raw` is only the name of a button offered beside a question, in either
    language (a person may type the old name just after switching)."""
    typed = _words_of(raw)
    return bool(typed) and typed in _button_names(scripts)


def _answering(message: Message, bot_id: int, raw: str) -> UseCase:
    """Take `raw` as the answer to the last question (unless `_for_the_case_asking`); a
    button's name typed while something waits is refused, and what waits asked again; a
    forwarded message answers only where someone else's words may (`Desk.text`), and one of
    the bot's own forwarded back answers nothing (`_bots_own`)."""

    forwarded = message.forward_origin is not None  # someone else's words, not the person's
    own = _bots_own(message, bot_id)

    async def act(work: Work) -> list[Outcome]:
        if own:
            return await _asked_again(work, OWN_MESSAGE)
        if work.actor.expecting is not None and _names_a_button(work.services.scripts, raw):
            return await _asked_again(work, "input.label_typed", raw)
        if work.actor.expecting in CUSTOMER_TEXTS:
            return await work.oversight.text(work.actor, raw, forwarded)
        return await work.desk.text(work.actor, raw, forwarded)

    return _for_the_case_asking(message, bot_id, act, raw)


#: What is said of a message of the bot's own forwarded back to it (`_bots_own`).
OWN_MESSAGE = "input.own_message_forwarded"


def _bots_own(message: Message, bot_id: int) -> bool:
    """Whether the message is one of the bot's own, forwarded back to it (a card, a refusal
    quoting what was typed, a file it sent again): its words, or its file, answer nothing —
    not the customer's words, not a note, not a search, not evidence."""
    origin = message.forward_origin
    return isinstance(origin, MessageOriginUser) and origin.sender_user.id == bot_id


def _for_the_case_asking(
    message: Message, bot_id: int, act: UseCase, typed: str | None = None
) -> UseCase:
    """Run `act` on what the message brings (text, a photo…) unless the message replies to
    a card of another case than the one asking: then say so, changing nothing, and quote
    back what was `typed` (text), so that it can be sent again where it belongs."""
    replied = _case_replied_to(message, bot_id)

    async def checked(work: Work) -> list[Outcome]:
        current = work.actor.expecting_case_id
        if replied is not None and current is not None and replied != current:
            told = "input.other_case" if typed is None else "input.other_case_typed"
            return [Say(told, {"case": replied, "current": current, **quoted(typed)})]
        return await act(work)

    return checked


def _case_replied_to(message: Message, bot_id: int) -> int | None:
    """The case whose card (or notice) the message replies to: the one case its buttons
    name, if they name one."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != bot_id:
        return None
    rows = replied.reply_markup.inline_keyboard if replied.reply_markup else ()
    data = (b.callback_data for row in rows for b in row)
    pressed = (cb.decode(d) for d in data if isinstance(d, str))
    cases = {p.case_id for p in pressed if p is not None and p.case_id}
    return cases.pop() if len(cases) == 1 else None


#: The kinds of question a shared contact answers, its phone number taken as if typed.
PHONE_ANSWERS = ("phone", "customer")


async def contact(update: Update, context: Context) -> None:
    """Take a shared contact's phone number as the answer to a question about a phone or
    to the customer search; anywhere else it gets the answer other unusable messages get."""
    message = update.effective_message
    assert message is not None
    assert message.contact is not None
    answer = _answering(message, context.bot.id, message.contact.phone_number)

    async def act(work: Work) -> list[Outcome]:
        if await work.desk.asked_kind(work.actor) in PHONE_ANSWERS:
            return await answer(work)
        return await _asked_again(work)

    await run(update, context, act)


def _file_sent(message: Message) -> tuple[str, str, str | None, str]:
    """The file a message brings (`FILE_KINDS`): its id, kind, name (a document's, an audio
    file's or a video's, if it has one) and the id Telegram keeps it by whoever sends it."""
    if message.photo:
        return message.photo[-1].file_id, "photo", None, message.photo[-1].file_unique_id
    kind = next(k for k in FILE_KINDS if k != "photo" and getattr(message, k) is not None)
    file = getattr(message, kind)
    return file.file_id, kind, getattr(file, "file_name", None), file.file_unique_id


async def evidence(update: Update, context: Context) -> None:
    """Attach a file (a photo, a document, a voice message, an audio file, a video or a
    video note) to the current case."""
    message = update.effective_message
    assert message is not None
    file_id, kind, name, unique = _file_sent(message)

    own = _bots_own(message, context.bot.id)

    async def act(work: Work) -> list[Outcome]:
        if own:
            return await _asked_again(work, OWN_MESSAGE)
        if work.actor.expecting in CUSTOMER_TEXTS:  # typed, not attached to the case left
            return await work.oversight.not_typed(work.actor)
        return await work.desk.evidence(
            work.actor, file_id, kind, name, message.caption, unique=unique
        )

    typed = message.caption  # the words written under it, quoted back if refused
    await run(update, context, _for_the_case_asking(message, context.bot.id, act, typed))


async def group_message(update: Update, context: Context) -> None:
    """Answer a command meant for the bot that someone sends in a group with a pointer to the
    private chat; ignore the rest (another bot's commands, a text that only starts with a
    slash, a channel's post in the group), and say nothing in a channel or to a message
    without a sender."""
    message, chat = update.message, update.effective_chat
    if message is None or chat is None or update.effective_user is None:
        return
    if chat.type not in (ChatType.GROUP, ChatType.SUPERGROUP):
        return
    if message.sender_chat is not None and message.sender_chat.id != chat.id:
        return  # a channel speaking in the group, or its post copied there: nobody to point
    if not _command_for(message, context.bot.username):
        return
    services = context.bot_data.services
    refusal = services.renderer(None, update.effective_user).t("error.private_only")
    await quietly(lambda: message.reply_text(refusal))


def _command_for(message: Message, username: str) -> bool:
    """Whether a message opens with a command, as Telegram marks one, meant for the bot named
    `username`: named for no bot ("/new") or for this one ("/new@this_bot", in any case)."""
    for entity in message.entities:
        if entity.type == MessageEntity.BOT_COMMAND and entity.offset == 0:
            _, at, bot = message.parse_entity(entity).partition("@")
            return not at or bot.casefold() == username.casefold()
    return False


ButtonAct = Callable[[Work, cb.Pressed], Awaitable[list[Outcome]]]


async def _language(work: Work, pressed: cb.Pressed) -> list[Outcome]:
    People.set_language(work.actor, pressed.arg)
    return [Say("language.set"), Menu(work.actor)]


def _opens_for_customer(kind: str) -> ButtonAct:
    async def act(work: Work, pressed: cb.Pressed) -> list[Outcome]:
        return await work.desk.open(work.actor, kind, pressed.customer_id)

    return act


def _as_command(name: str) -> ButtonAct:
    """A menu button does what its command does when typed alone."""
    return lambda work, pressed: COMMANDS[name](work, [])


async def _flag_heard(work: Work, pressed: cb.Pressed) -> list[Outcome]:
    """Flag at risk, in one press, the customer a check-in heard undecided or thinking of
    leaving, with the check-in's answers as the reason (what the person was answering
    before the press is still what they answer after it)."""
    actor = work.actor
    case = await work.desk.load(actor, pressed.case_id, pressed.version)
    if not heard_wavering(case) or case.customer_id is None:
        raise Refused("error.not_now", case=case.id)
    events = await work.uow.events.for_case(case.id or 0)
    heard = next((e.data for e in reversed(events) if e.kind == HEARD), {})
    # What was typed, as typed: the card words the rest in each reader's own language.
    return await work.oversight.flag(
        actor, case.customer_id, str(heard.get("improve") or ""), case.id
    )


#: Every button: where its route leads (`bot.callbacks.decode` names the route).
BUTTONS: dict[str, ButtonAct] = {
    "choose": lambda w, p: w.desk.choose(w.actor, p.case_id, p.version, p.arg),
    "skip": lambda w, p: w.desk.skip(w.actor, p.case_id, p.version),
    "act": lambda w, p: w.desk.action(w.actor, p.case_id, p.version, p.arg),
    "open": lambda w, p: w.desk.open_case(w.actor, p.case_id, p.arg == cb.CARRY_ON),
    "timeline": lambda w, p: w.lists.timeline(w.actor, p.case_id),
    "decide": lambda w, p: w.decisions.decide(w.actor, p.case_id, p.version, p.arg),
    "follow_up": lambda w, p: w.desk.answer_follow_up(w.actor, p.case_id, p.version, p.arg),
    "fix": lambda w, p: w.desk.answer_fix(w.actor, p.case_id, p.version, p.arg),
    "evidence": lambda w, p: w.lists.evidence_files(w.actor, p.case_id),
    "flag": _flag_heard,
    "hand_over": lambda w, p: w.handover.pressed(w.actor, p.case_id, p.version, p.arg),
    "keep_note": lambda w, p: w.desk.keep_refused(w.actor, p.case_id, p.version),
    "customer.card": lambda w, p: w.oversight.leave_question(w.actor, p.customer_id),
    "customer.complaint": _opens_for_customer(CaseKind.complaint),
    "customer.review": _opens_for_customer(CaseKind.problem_review),
    "customer.exit": _opens_for_customer(CaseKind.exit_interview),
    "customer.checkin": _opens_for_customer(CaseKind.check_in),
    "customer.atrisk": lambda w, p: w.oversight.flag_at_risk(w.actor, p.customer_id),
    "customer.rename": lambda w, p: w.oversight.ask_address(w.actor, p.customer_id),
    **{f"menu.{name}": _as_command(name) for name in ("new", "problem", "cases", "language")},
    "no_comment": lambda w, p: w.decisions.skip_comment(w.actor),
    "language": _language,
    "page": lambda w, p: w.lists.cases(w.actor, p.page, turned=True),
    "staff.remove": lambda w, p: w.oversight.remove_account(w.actor, p.staff_id),
}


#: What is said of what waited for the person's typing after a button (`Minding`): those
#: that take them to a case; those of a case's card, a request or a customer's record, that
#: act on something else; a reminder's answers, that came in the middle of other work.
MINDING: dict[str, Minding] = {
    **dict.fromkeys(
        (
            "open",
            "hand_over",  # taken by the supervisor who pressed it: their case to carry on
            "menu.new",
            "menu.problem",
            "customer.complaint",
            "customer.review",
            "customer.exit",
            "customer.checkin",
        ),
        GOING,
    ),
    **dict.fromkeys(
        (
            "choose",
            "skip",
            "act",
            "decide",
            "customer.atrisk",
            "customer.rename",
        ),
        ON_A_CARD,
    ),
    **dict.fromkeys(("follow_up", "fix"), FROM_A_REMINDER),
}


async def button(update: Update, context: Context) -> None:
    """Route a button press by its callback data; forged or stale data changes nothing."""
    query = update.callback_query
    assert query is not None
    pressed = cb.decode(query.data or "")

    async def act(work: Work) -> list[Outcome]:
        if pressed is None:
            return [Toast("error.bad_button", alert=True)]
        return await BUTTONS[pressed.route](work, pressed)

    minding = MINDING.get(pressed.route) if pressed is not None else None
    minded = minding_what_waits(act, minding) if minding is not None else act
    await run(update, context, minded, pressed.case_id or None if pressed else None)
