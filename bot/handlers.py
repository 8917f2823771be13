"""Thin handlers: read the update, pick the use case, let the runtime do the rest."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot import callbacks as cb
from bot.delivery import Delivery, quietly
from bot.runtime import DATABASE_TROUBLE, Work, run
from bot.services import services_of
from flows.case_filter import decode, parse_words
from flows.desk import is_id
from flows.errors import Refused
from flows.outcomes import Label, Menu, Outcome, Say, Toast
from flows.oversight import CUSTOMER_TEXTS, Oversight
from flows.people import People, role_named
from storage.uow import SqlUnitOfWork

log = logging.getLogger("bot.handlers")


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show the menu, or register a newcomer who opened an invite link."""
    if context.args:
        await _redeem(update, context, context.args[0])
        return

    async def menu(work: Work) -> list[Outcome]:
        return [Menu(work.actor)]

    await run(update, context, menu)


async def _redeem(update: Update, context: ContextTypes.DEFAULT_TYPE, code: str) -> None:
    services = services_of(context)
    user = update.effective_user
    assert user is not None
    renderer = services.renderer(None, user)
    try:
        async with SqlUnitOfWork(services.sessions, update.update_id, services.bot_id) as uow:
            if not await uow.claim_update():
                return
            known = await uow.staff.by_telegram_id(user.id)
            if known is not None:
                outcomes: list[Outcome] = [Say("invite.already_registered"), Menu(known)]
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
    if isinstance(update.effective_message, Message):
        await quietly(update.effective_message.reply_text(text))


async def new_case(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open a complaint case."""

    async def act(work: Work) -> list[Outcome]:
        return await work.desk.new_case(work.actor)

    await run(update, context, act)


async def new_review(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open a problem-customer review."""

    async def act(work: Work) -> list[Outcome]:
        return await work.desk.new_review(work.actor)

    await run(update, context, act)


async def new_exit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Open an exit interview."""

    async def act(work: Work) -> list[Outcome]:
        return await work.desk.new_exit_interview(work.actor)

    await run(update, context, act)


async def customer(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show a customer's card: /customer <name or phone>."""
    query = " ".join(context.args or [])

    async def act(work: Work) -> list[Outcome]:
        if not query.strip():
            return [Say("customer.usage")]
        return await oversight(work).find_customer(work.actor, query)

    await run(update, context, act)


async def at_risk(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List customers at risk, most valuable first."""

    async def act(work: Work) -> list[Outcome]:
        return await oversight(work).at_risk(work.actor)

    await run(update, context, act)


async def approvals(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List what waits for a supervisor's decision."""

    async def act(work: Work) -> list[Outcome]:
        return await oversight(work).approvals(work.actor)

    await run(update, context, act)


async def staff_overview(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show each staff member's load and the customers they turned around."""

    async def act(work: Work) -> list[Outcome]:
        return await oversight(work).staff_overview(work.actor)

    await run(update, context, act)


def oversight(work: Work) -> Oversight:
    """Build the supervisors' use cases over the update's unit of work."""
    return Oversight(work.uow, work.services.policy, work.services.clock)


async def list_cases(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List cases: /cases [open|closed|overdue|approval] [complaint|review|exit] [@staff]
    [customer] [YYYY-MM-DD [YYYY-MM-DD]]."""
    args = [w[:60] for w in (context.args or [])[:12]]

    async def act(work: Work) -> list[Outcome]:
        return await work.desk.list_cases(work.actor, parse_words(args))

    await run(update, context, act)


async def follow_ups(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """List agreed follow-ups, soonest first."""

    async def act(work: Work) -> list[Outcome]:
        return await work.desk.list_follow_ups(work.actor)

    await run(update, context, act)


async def show_case(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Show a case's timeline: /case 123."""
    arg = (context.args or [""])[0].lstrip("#")

    async def act(work: Work) -> list[Outcome]:
        if not is_id(arg):
            return [Say("error.case_usage")]
        return await work.desk.timeline(work.actor, int(arg))

    await run(update, context, act)


async def language(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ask which language to use."""

    async def act(work: Work) -> list[Outcome]:
        return [Say("language.ask", offer="languages")]

    await run(update, context, act)


async def invite(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Create a one-time invite link: /invite [staff|supervisor|admin], in either language."""
    role = role_named([w[:32] for w in (context.args or [])[:4]])

    async def act(work: Work) -> list[Outcome]:
        made = await work.people.invite(work.actor, role)
        link = f"https://t.me/{context.bot.username}?start={made.code}"
        return [
            Say(
                "invite.created",
                {"link": link, "role": Label(role), "hours": work.services.policy.invite_hours},
            )
        ]

    await run(update, context, act)


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Explain the commands."""

    async def act(work: Work) -> list[Outcome]:
        key = "help.overseer" if work.actor.oversees else "help.staff"
        return [Say(key)]

    await run(update, context, act)


async def unknown_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer a command the bot does not know."""

    async def act(work: Work) -> list[Outcome]:
        return [Say("error.unknown_command")]

    await run(update, context, act)


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Take typed text as the answer to the last question."""
    message = update.effective_message
    assert message is not None
    assert message.text is not None
    raw = message.text

    async def act(work: Work) -> list[Outcome]:
        if work.actor.expecting in CUSTOMER_TEXTS:
            return await oversight(work).text(work.actor, raw)
        return await work.desk.text(work.actor, raw)

    await run(update, context, act)


async def evidence(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Attach a photo or document to the current case."""
    message = update.effective_message
    assert message is not None
    if message.photo:
        file_id, kind, name = message.photo[-1].file_id, "photo", None
    else:
        assert message.document is not None
        file_id, kind, name = message.document.file_id, "document", message.document.file_name

    async def act(work: Work) -> list[Outcome]:
        return await work.desk.evidence(work.actor, file_id, kind, name)

    await run(update, context, act)


async def unsupported(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Say politely that stickers, voice, locations and the like are not used."""

    async def act(work: Work) -> list[Outcome]:
        return [Say("error.unsupported_message")]

    await run(update, context, act)


async def group_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Answer commands in groups with a pointer to the private chat; ignore the rest."""
    message = update.effective_message
    if message is None or update.effective_chat is None:
        return
    if update.effective_chat.type == ChatType.PRIVATE or not (message.text or "").startswith("/"):
        return
    services = services_of(context)
    await quietly(
        message.reply_text(services.renderer(None, update.effective_user).t("error.private_only"))
    )


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Route a button press by its callback data."""
    query = update.callback_query
    assert query is not None
    data = query.data or ""
    pressed = cb.parse_case_button(data)

    async def act(work: Work) -> list[Outcome]:
        desk, actor = work.desk, work.actor
        if pressed is not None:
            return await _case_button(work, pressed)
        about = cb.parse_customer_button(data)
        if about is not None:
            return await _customer_button(work, *about)
        if data == cb.MENU_NEW:
            return await desk.new_case(actor)
        if data == cb.MENU_PROBLEM:
            return await desk.new_review(actor)
        if data == cb.MENU_CASES:
            return await desk.list_cases(actor)
        page = decode(data)
        if page is not None:
            return await desk.list_cases(actor, page)
        if data == cb.MENU_LANGUAGE:
            return [Say("language.ask", offer="languages")]
        if data == cb.NO_COMMENT:
            return await desk.skip_comment(actor)
        if data in cb.LANGUAGE_BUTTONS:
            People.set_language(actor, data.removeprefix(cb.LANGUAGE_PREFIX))
            return [Say("language.set"), Menu(actor)]
        return [Toast("error.bad_button", alert=True)]

    await run(update, context, act)


async def _customer_button(work: Work, customer_id: int, action: str) -> list[Outcome]:
    desk, actor = work.desk, work.actor
    if action == "complaint":
        return await desk.new_case(actor, customer_id)
    if action == "review":
        return await desk.new_review(actor, customer_id)
    if action == "exit":
        return await desk.new_exit_interview(actor, customer_id)
    if action == "checkin":
        return await desk.new_check_in(actor, customer_id)
    if action == "atrisk":
        return await oversight(work).flag_at_risk(actor, customer_id)
    if action == "rename":
        return await oversight(work).ask_address(actor, customer_id)
    return await oversight(work).card(actor, customer_id)


async def _case_button(work: Work, pressed: cb.CaseButton) -> list[Outcome]:
    desk, actor = work.desk, work.actor
    case_id, version, arg = pressed.case_id, pressed.version, pressed.arg
    if pressed.verb == cb.CHOOSE:
        return await desk.choose(actor, case_id, version, arg)
    if pressed.verb == cb.SKIP:
        return await desk.skip(actor, case_id, version)
    if pressed.verb == cb.ACT:
        return await desk.action(actor, case_id, version, arg)
    if pressed.verb == cb.OPEN:
        return await desk.open_case(actor, case_id)
    if pressed.verb == cb.TIMELINE:
        return await desk.timeline(actor, case_id)
    if pressed.verb == cb.FOLLOW_UP:
        return await desk.answer_follow_up(actor, case_id, version, arg)
    if pressed.verb == cb.EVIDENCE:
        return await desk.evidence_files(actor, case_id)
    if pressed.verb == cb.FIX:
        return await desk.answer_fix(actor, case_id, version, arg)
    return await desk.decide(actor, case_id, version, arg)
