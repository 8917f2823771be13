"""Redraw the copies of a request for a decision once it no longer waits.

A request goes to every supervisor who may decide, and its reminders carry the same verdict
buttons; where each copy went is stored (`storage.request_copies`), and the transaction
that ends the request marks them. The process that committed it redraws them right after
its answer, in a task of its own (`Redrawing`: `bot.runtime`, the Mini App); the reminder
tick of any instance takes over a copy whose lease ran out (a crash, Telegram unreachable
twice). Each copy then says who decided
what, or that nothing waits any more, with the case a tap away and no verdict buttons.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Collection
from datetime import timedelta

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.delivery import again_once
from bot.render import Rendered
from bot.render.keyboards import for_ptb
from bot.services import Services
from flows.casework import CaseWork
from flows.decisions import GONE, Decisions
from flows.model import Case
from flows.outcomes import CaseView
from flows.procedures import request_waiting
from storage.request_copies import DEMOTED, LEFT, TAKEN, UNPLACED, RequestCopy
from storage.uow import SqlUnitOfWork

log = logging.getLogger("bot.request_copies")

#: Telegram takes about one message a second in one chat, at 30 a second in all: a chat's
#: copies are edited that far apart (this / `calls_per_second` seconds: one at Telegram's pace).
CHATS_AT_ONCE = 30


class Redrawing:
    """Copies redrawn in tasks of their own: the update or the page that ended a request
    is answered and done, and no chat's lane waits a second a copy for Telegram's pace."""

    def __init__(self, bot: Bot, services: Services) -> None:
        self.bot = bot
        self.services = services
        self._tasks: set[asyncio.Task[int]] = set()

    def start(self, case_ids: Collection[int]) -> None:
        """Redraw the copies of these cases' requests in the background (none: nothing)."""
        if not case_ids:
            return
        task = asyncio.create_task(redraw(self.bot, self.services, case_ids), name="redraw")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def wait(self) -> None:
        """Wait until the redraws started so far are done (tests, and a clean stop)."""
        while self._tasks:
            await asyncio.gather(*self._tasks)


async def redraw(bot: Bot, services: Services, case_ids: Collection[int] | None = None) -> int:
    """Redraw the copies of requests that no longer wait: those of `case_ids` (just ended
    here), or with None any a process let go of; return how many are done with. Whatever
    fails is left to a later tick: what was decided stands, and was answered already."""
    if case_ids is not None and not case_ids:
        return 0
    try:
        return await _redraw(bot, services, case_ids)
    except Exception as err:
        log.warning("could not redraw copies of requests: %s", type(err).__name__)
        return 0


async def _redraw(bot: Bot, services: Services, case_ids: Collection[int] | None) -> int:
    now, settings = services.clock(), services.settings
    lease = timedelta(seconds=settings.reminders.lease_seconds)
    async with SqlUnitOfWork(services.sessions) as uow:
        claimed = await uow.copies.claim(case_ids, now, now + lease, settings.reminders.batch_size)
        # Case by case, so two instances hold the cases' rows in one order.
        marked = sorted((c for c in claimed if c.ended in NOT_THEIRS), key=lambda c: c.case_id)
        theirs = [copy.id for copy in marked if await _theirs_again(uow, copy)]
        await uow.copies.keep_waiting(theirs)
        copies = [copy for copy in claimed if copy.id not in theirs]
        views: dict[int, CaseView] = {}  # a case's view, drawn once for all its copies
        drawn = [(copy, await _draw(uow, services, copy, views)) for copy in copies]
        await uow.commit()
    gap = CHATS_AT_ONCE / settings.telegram.calls_per_second
    done: list[int] = []
    edited: dict[int, float] = {}
    for copy, rendered in drawn:
        wait = edited.get(copy.chat_id, -gap) + gap - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        edited[copy.chat_id] = time.monotonic()
        if await _edit(bot, copy, rendered):
            done.append(copy.id)
    if done:
        async with SqlUnitOfWork(services.sessions) as uow:
            await uow.copies.forget(done)
            await uow.commit()
    return len(done)


#: Marks that say a request is not its reader's to decide, while it may still wait.
NOT_THEIRS = (TAKEN, DEMOTED, LEFT)


async def _theirs_again(uow: SqlUnitOfWork, copy: RequestCopy) -> bool:
    """Tell whether a copy marked as no longer its reader's to decide is theirs again by its
    redraw (made a supervisor again, active again, the case handed away from them): its
    request still waits as asked, and they may decide it now. A copy is redrawn for who its
    reader is then, not for what they were when it was marked."""
    if await uow.copies.waiting_at(copy.case_id) != copy.asked_at:
        return False
    reader = await uow.staff.get(copy.recipient_id)
    case = await uow.cases.get(copy.case_id)
    return reader is not None and case is not None and CaseWork.may_decide(reader, case)


async def redraw_pressed(
    bot: Bot, services: Services, chat_id: int, message_id: int, case_id: int, version: int
) -> None:
    """Redraw, at once, a copy of a request whose verdict button was pressed, once the
    request no longer waits — decided by this very press, or before it (by someone else,
    put off, withdrawn, its case ended): the supervisor sees what became of it, as every copy
    shows it once redrawn, instead of a pop-up above buttons that still look alive (the
    copy's redraw may still be on its way, or have failed). A copy not known is drawn from
    the case's log: redrawn already, or never recorded (the process died between sending it
    and writing down where it went; a send that timed out and was made again, which Telegram
    had delivered the first time). One of a request that still waits, pressed by whoever
    owns its case or asked for it now (handed the case meanwhile), says it waits for another
    supervisor (`TAKEN`). One pressed by someone who is no longer a supervisor (made staff
    since, before the tick redrew it) is redrawn as the tick would, saying why it is not
    theirs; staff have no other copy to redraw."""
    try:
        async with SqlUnitOfWork(services.sessions) as uow:
            case = await uow.cases.get(case_id)
            reader = await uow.staff.by_telegram_id(chat_id)
            if case is None or reader is None or reader.id is None:
                return
            waits = request_waiting(case.state, case.draft, case.version) == version
            if waits and CaseWork.may_decide(reader, case):
                return  # it still waits: the button pressed was not a verdict it takes
            copy = await uow.copies.at(chat_id, message_id) or await _placed(
                uow, chat_id, message_id, case_id
            )
            if copy is None or copy.case_id != case_id or copy.ended is None:
                if not reader.oversees:
                    return  # none of theirs known: a forged press, its toast says enough
                ended, by = (TAKEN, None) if waits else await _ended(uow, services, case)
                copy = RequestCopy(0, case_id, version, reader.id, chat_id, message_id, ended, by)
            rendered = await _draw(uow, services, copy, {})
            if copy.id and await _edit(bot, copy, rendered):
                await uow.copies.forget([copy.id])
                await uow.commit()
                return
        if not copy.id:
            await _edit(bot, copy, rendered)
    except Exception as err:  # the pop-up said it already; only the copy stays as it is
        log.warning("could not redraw a pressed request: %s", type(err).__name__)


async def _placed(
    uow: SqlUnitOfWork, chat_id: int, message_id: int, case_id: int
) -> RequestCopy | None:
    """The copy of a request on the case sent to this chat whose place was never noted (its
    sender died first), now known to be the message pressed: placed there, so that it is
    redrawn in place rather than told of in a message of its own."""
    copy = await uow.copies.unplaced(chat_id, case_id)
    if copy is None:
        return None
    await uow.copies.place(copy.id, message_id)
    return dataclasses.replace(copy, message_id=message_id)


async def _ended(uow: SqlUnitOfWork, services: Services, case: Case) -> tuple[str, int | None]:
    """How the latest request on a case ended, as the Mini App says it too."""
    return await Decisions(uow, services.policy, services.clock).how_it_ended(case)


async def _draw(
    uow: SqlUnitOfWork, services: Services, copy: RequestCopy, views: dict[int, CaseView]
) -> Rendered:
    """A copy as its reader sees it now: in their language, the case left out for someone
    who has left or may no longer see it (a supervisor made staff since)."""
    reader = await uow.staff.get(copy.recipient_id)
    decider = await uow.staff.get(copy.ended_by) if copy.ended_by is not None else None
    view = None
    if reader is not None and reader.active:
        case = await uow.cases.get(copy.case_id)
        if case is not None and (reader.oversees or case.owner_id == reader.id):
            if copy.case_id not in views:
                work = CaseWork(uow, services.policy, services.clock)
                views[copy.case_id] = await work.view(case)
            view = views[copy.case_id]
    mine = decider is not None and decider.id == copy.recipient_id
    by = decider.name if decider is not None else ""
    return services.renderer(reader).request_closed(
        copy.case_id, copy.ended or GONE, by, mine, view
    )


async def _edit(bot: Bot, copy: RequestCopy, rendered: Rendered) -> bool:
    """Edit a copy in place; True when done with it (redrawn, or no longer there to edit:
    deleted, too old, the bot blocked), False to try again once its lease runs out. A copy
    whose place was never noted (`UNPLACED`: its sender died before learning it) cannot be
    edited: what became of its request is said in a message of its own below it."""
    try:
        if copy.message_id == UNPLACED:
            await again_once(
                lambda: bot.send_message(
                    copy.chat_id,
                    rendered.text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=for_ptb(rendered.markup),
                    disable_web_page_preview=True,
                )
            )
            log.info("request copy %s had no place: told in a message of its own", copy.id)
            return True
        await again_once(
            lambda: bot.edit_message_text(
                rendered.text,
                chat_id=copy.chat_id,
                message_id=copy.message_id,
                parse_mode=ParseMode.HTML,
                reply_markup=for_ptb(rendered.markup),
                disable_web_page_preview=True,
            )
        )
    except BadRequest as err:
        if "not modified" not in err.message.lower():
            log.info("request copy %s left as it is: %s", copy.id, err.message)
    except Forbidden:
        log.info("request copy %s left as it is: the bot is blocked", copy.id)
    except TelegramError as err:
        log.warning("could not redraw request copy %s: %s", copy.id, type(err).__name__)
        return False
    return True
