"""Send what a use case decided to show: replies, case cards edited in place, notices."""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot import callbacks as cb
from bot.context import Context
from bot.lean_bot import LeanBot
from bot.render import MESSAGE_LIMIT, Rendered, Renderer, shown_units, split_message
from bot.render.cards import PROMPT
from bot.render.keyboards import Keyboard, for_ptb
from bot.render.notices import DECISIONS
from bot.render.sizes import ANSWER_LIMIT, CAPTION_LIMIT, fit, within_units
from bot.screens import Bound, CardOnScreen, Logged, lines_of, logged
from bot.services import Services
from flows.casework import WORKED_ON
from flows.forms import asked_version
from flows.handover import AWAY, HANDED_TO_YOU
from flows.model import Case, Staff
from flows.outcomes import (
    KEEP_NOTE,
    KEEP_NOTE_OR_CARRY_ON,
    ButtonSpent,
    CaseEnded,
    CaseView,
    CustomerCard,
    Menu,
    Notify,
    Outcome,
    PickOwner,
    Say,
    SendFiles,
    ShowCase,
    ShowCases,
    ShowTimeline,
    StaffOverview,
    Toast,
)
from flows.scripts import plain
from storage.request_copies import Sent
from storage.uow import SqlUnitOfWork

log = logging.getLogger("bot.delivery")
T = TypeVar("T")
#: Where a message is: its chat and its id.
Place = tuple[int, int]

#: How many messages up, at most, the card's earlier messages are looked through for a
#: step's summary to mark taken back.
EARLIER_CARDS = 5
MAX_FLOOD_WAIT = 30.0  # seconds a reply may wait for Telegram's flood limit
QUESTION = "\n\n" + PROMPT  # where a card's question starts (`CardScreens.card`)
#: Notices that someone else moved a case on for its reader (a verdict on their request, the
#: request withdrawn, a step done, the case handed away from them): the card of it in their
#: chat is drawn where the case stands now (`Delivery._card_moved_on`).
MOVED_ON = frozenset(
    {"decision", WORKED_ON, "request_withdrawn_yours", "request_withdrawn_asked", *AWAY}
)
#: What an edit in place came to (`Delivery._edit_card`).
EDITED, UNCHANGED, FAILED = "edited", "unchanged", "failed"


class Delivery:
    """Show outcomes to the person who acted, and notices to others."""

    def __init__(
        self,
        bot: LeanBot,
        services: Services,
        renderer: Renderer,
        chat_id: int,
        query: CallbackQuery | None = None,
        in_group: bool = False,
        typed: str | None = None,
    ) -> None:
        self.bot = bot
        self.services = services
        self.r = renderer
        self.chat_id = chat_id
        self.query = query
        self.in_group = in_group
        self.typed = typed  # what the person typed, under the card they answer
        self.toast: tuple[str, bool] | None = None
        self.sent_privately = self.blocked = False
        #: Where requests for a decision went, each with its row noted before it was sent.
        self.requests_sent: list[tuple[int | None, Sent]] = []
        self.expected: dict[tuple[int, int], int] = {}  # those rows, by case and reader
        self.unsent: list[int] = []  # rows of copies that could not be sent
        self.cards_drawn: set[int] = set()  # cases whose card this update's outcomes draw
        self.redrawn: set[int] = set()  # messages of this chat that show what was drawn now
        #: Where the cards of the cases that notices say moved on stood as this update began:
        #: where each was drawn last, and in its owner's chat.
        self.stood: dict[int, set[Place]] = {}
        self.left: set[Place] = set()  # cards of other chats left unfollowed (`_leave`)
        self.followed: set[Place] = set()  # owners' cards drawn anew in their chat (`_follow`)

    @classmethod
    def answering(
        cls,
        update: Update,
        context: Context,
        services: Services,
        renderer: Renderer,
    ) -> Delivery:
        """Answer an update in its chat; a button pressed in a group, privately."""
        chat, user = update.effective_chat, update.effective_user
        # A button pressed in a group (the supervisors' chat) is answered privately: what it
        # shows is for the person who pressed it, not for everyone in the group.
        in_group = chat is not None and chat.type != ChatType.PRIVATE
        chat_id = user.id if in_group and user else (chat.id if chat else 0)
        message = update.message
        typed = message.text or message.caption or "" if message is not None else None
        query = update.callback_query
        return cls(context.bot, services, renderer, chat_id, query, in_group, typed)

    async def show(self, outcomes: list[Outcome]) -> None:
        """Show each outcome in order, then settle the button press if there was one.

        Plain notices right before a case's card are folded into the card, above its
        question, where the card is edited in place (one message less).
        """
        notices: list[str] = []
        await self._expect_requests(outcomes)
        self.cards_drawn = {o.view.case.id or 0 for o in outcomes if isinstance(o, ShowCase)}
        self.stood = {
            o.view.case.id or 0: self._places(o.view.case)
            for o in outcomes
            if isinstance(o, Notify) and (o.kind in MOVED_ON or o.kind == HANDED_TO_YOU)
        }
        for outcome, following in zip(outcomes, [*outcomes[1:], None], strict=False):
            if (
                isinstance(outcome, Say)
                and outcome.offer is None
                and isinstance(following, ShowCase | Say)
            ):
                notices.append(self.r.t(outcome.key, **outcome.params))
                continue
            if isinstance(outcome, ShowCase):
                await self._card(outcome, notices)
                notices = []
                continue
            for notice in notices:  # not followed by a card after all
                await self.send(Rendered(notice))
            notices = []
            await self._one(outcome)
        if self.query:
            if self.toast and shown_units(self.toast[0]) > ANSWER_LIMIT:
                # Telegram refuses a longer notification, and nothing at all would show:
                # the answer comes as a message instead (a long name can make it so long).
                await self.send(Rendered(self.toast[0]))
                self.toast = None
            if self.in_group and self.toast is None and (self.sent_privately or self.blocked):
                key = "group.start_private_chat" if self.blocked else "group.sent_privately"
                self.toast = (self.r.t(key), self.blocked)
            text, alert = self.toast or (None, False)
            query = self.query
            await quietly(lambda: query.answer(plain(text) if text else None, show_alert=alert))
        await self._note_requests()
        await self._outdate(outcomes)
        if any(isinstance(o, Say) and o.key in ANSWERED for o in outcomes):
            await self._offers_gone()

    async def _one(self, outcome: Outcome) -> None:
        r = self.r
        if isinstance(outcome, Toast):
            self.toast = (r.t(outcome.key, **outcome.params), outcome.alert)
        elif isinstance(outcome, Say):
            await self._say(outcome)
        elif isinstance(outcome, ShowCase):
            await self._card(outcome)
        elif isinstance(outcome, CaseEnded):
            await self._end_card(outcome)
        elif isinstance(outcome, ButtonSpent):
            await self._spend_pressed()
        elif isinstance(outcome, Notify):
            await self._notify(outcome)
        elif isinstance(outcome, ShowTimeline):
            parts = r.timeline(outcome)
            for n, part in enumerate(parts, start=1):
                last = n == len(parts)
                rendered = Rendered(part, r.timeline_buttons(outcome) if last else None)
                self._bind(outcome.view.case, rendered, await self.send(rendered))
        elif isinstance(outcome, SendFiles):
            await self._send_files(outcome)
        elif isinstance(outcome, ShowCases):
            await self._in_place(r.cases(outcome), outcome.turned)
        elif isinstance(outcome, Menu):
            await self.send(r.menu(outcome.person))
        elif isinstance(outcome, CustomerCard):
            await self.send(r.customer_card(outcome))
        elif isinstance(outcome, StaffOverview):
            await self._in_place(r.staff_overview(outcome), outcome.redrawn)
        elif isinstance(outcome, PickOwner):
            await self._pick_owner(outcome)

    async def _pick_owner(self, shown: PickOwner) -> None:
        """The people a case may be handed to: a page turned replaces the list pressed."""
        rendered = self.r.pick_owner(shown)
        self._bind(shown.view.case, rendered, await self._in_place(rendered, shown.turned))

    async def _in_place(self, rendered: Rendered, redrawn: bool) -> int | None:
        """Send a screen; one `redrawn` replaces the message whose button was pressed. Say
        which message shows it."""
        pressed = self.query.message if self.query else None
        if (
            redrawn
            and isinstance(pressed, Message)
            and pressed.chat.id == self.chat_id
            and await self._edit(pressed.message_id, rendered)
        ):
            return pressed.message_id
        return await self.send(rendered)

    def _bind(self, case: Case, rendered: Rendered, message_id: int | None) -> None:
        """Note a message whose buttons drawn for the case's version hold only while the case
        stands at it (`Bound`)."""
        if message_id is not None and isinstance(rendered.markup, Keyboard):
            bound = Bound(self.chat_id, message_id, rendered.markup, case.version)
            self.services.screens.bind(case.id or 0, bound)

    async def _outdate(self, outcomes: list[Outcome]) -> None:
        """Take from the messages bound to the cases these outcomes show the buttons that
        no longer hold, wherever they are (`Screens.outdated`)."""
        for case in {id(c): c for c in map(_case_shown, outcomes) if c is not None}.values():
            for bound in self.services.screens.outdated(case):
                await outdate(self.bot, bound)

    async def send(self, rendered: Rendered, chat_id: int | None = None) -> int | None:
        """Send an HTML message (split at line breaks if too long, buttons on the last part);
        return the last part's message id, None if it could not be sent."""
        *first, last = split_message(rendered.text)
        for part in first:
            await self._send_one(Rendered(part), chat_id)
        return await self._send_one(Rendered(last, rendered.markup), chat_id)

    async def _send_one(self, rendered: Rendered, chat_id: int | None) -> int | None:
        """Send one HTML message, once more after a flood wait or a transient failure (a
        timeout, a dropped connection, Telegram's 5xx); failures are logged."""
        to = chat_id or self.chat_id
        try:
            sent = await again_once(lambda: self.bot.send_html(to, rendered.text, rendered.markup))
        except Forbidden:
            self.blocked = self.blocked or chat_id is None  # never started a private chat
            return None
        except TelegramError as err:
            log.warning("send to chat failed: %s", type(err).__name__)
            return None
        self.sent_privately = self.sent_privately or chat_id is None
        return sent

    async def _send_files(self, shown: SendFiles) -> None:
        """Send a case's files again, each once more after a flood wait (a case's many
        photos meet Telegram's limit in one chat); say how many could not go."""
        missed = 0
        for kind, file_id, name, at in shown.files:
            caption = f"#{shown.case_id} · {name or plain(self.r.file_unnamed(kind, at))}"
            caption = within_units(caption, CAPTION_LIMIT)
            try:
                await self._send_file(kind, file_id, caption)
            except TelegramError as err:
                log.warning("could not resend evidence: %s", type(err).__name__)
                missed += 1
        if missed:
            params = {"count": missed, "total": len(shown.files), "case": shown.case_id}
            await self.send(Rendered(self.r.t("evidence.not_resent", **params)))

    async def _send_file(self, kind: str, file_id: str, caption: str) -> None:
        """Send one file again by its kind's own method (`FILE_KINDS`); a video note takes
        no caption, so what names it goes just before it."""
        bot, to = self.bot, self.chat_id
        if kind == "video_note":
            await again_once(partial(bot.send_message, to, caption))
            await again_once(partial(bot.send_video_note, to, file_id))
            return
        senders: dict[str, Callable[..., Awaitable[Message]]] = {
            "photo": bot.send_photo,
            "voice": bot.send_voice,
            "audio": bot.send_audio,
            "video": bot.send_video,
        }
        send = senders.get(kind, bot.send_document)
        await again_once(partial(send, to, file_id, caption=caption))

    async def _say(self, say: Say) -> None:
        text = self.r.t(say.key, **say.params)
        if say.offer == "languages":
            await self.send(self.r.languages())
            return
        if say.offer == "carry_on":
            case_id = int(say.params["case"])
            sent = await self.send(self.r.side_prompt(text, case_id))
            if sent is not None:
                self.services.screens.prompted(self.chat_id, case_id, sent)
            return
        if say.offer in (KEEP_NOTE, KEEP_NOTE_OR_CARRY_ON):
            case_id, kept = int(say.params["case"]), say.params["kept"]
            carry_on = say.offer == KEEP_NOTE_OR_CARRY_ON
            await self.send(self.r.keep_prompt(text, case_id, kept, carry_on))
            return
        if say.offer == "leave_question":
            await self.send(self.r.customer_prompt(text, int(say.params["customer"])))
            return
        if say.offer == "no_comment":
            if self.query and isinstance(self.query.message, Message) and not self.in_group:
                shown = self.query.message
                await quietly(lambda: shown.edit_reply_markup(None))
            await self._offers_gone()  # asked again below: one way to answer it
            sent = await self.send(self.r.comment_prompt(text))
            if sent is not None:
                self.services.screens.offered(self.chat_id, sent)
            return
        await self.send(Rendered(text))

    async def _card(self, shown: ShowCase, notices: Sequence[str] = ()) -> None:
        """Draw the case's card in this chat (`_draw_card`); the cards of it in other chats
        that this one leaves unfollowed say so (`_leave`), so that none keeps buttons drawn
        for a step the case may leave without them being told; its owner's card in another
        chat is drawn where the case stands, in place (`_follow`)."""
        view = shown.view
        left = self._left_elsewhere(view.case, view.owner.telegram_id)
        owners = self._owners_place(view.case)
        if not await self._draw_card(shown, notices):
            return
        for chat_id, message_id in left:
            await self._leave(view, chat_id, message_id)
        if owners[0] and owners[1] and (owners[0], owners[1]) not in left:
            await self._follow(view, owners[0], owners[1])

    def _left_elsewhere(self, case: Case, owner_chat: int) -> set[Place]:
        """The cards of a case in other chats that drawing it here leaves unfollowed (only
        the card drawn last and its owner's card are followed): the one drawn last, unless
        it is its owner's card there, and its owner's card where this chat is now its owner's
        (the case was handed over here)."""
        last, owners = self._place(case), self._owners_place(case)
        left = {last} if last != owners else set()
        if owner_chat == self.chat_id:
            left.add(owners)
        return {(c, m) for c, m in left if c and m and c != self.chat_id}

    async def _leave(self, view: CaseView, chat_id: int, message_id: int) -> None:
        """Leave a card of a case that is followed elsewhere now (drawn in another chat
        since, handed over): for a reader who may still act on the case (a supervisor), it
        is drawn as the case stands, without its question, saying it is carried on in
        another chat (it is not followed from now on), with only ▶ Carry on with this case;
        anyone else's loses its buttons. Where this process does not know what the message
        shows (after a restart), or it reads in another language, only its buttons change."""
        if (chat_id, message_id) in self.left:
            return
        self.left.add((chat_id, message_id))
        reader = await self._reader(chat_id)
        if reader is None or not (reader.oversees or reader.id == view.owner.id):
            await quietly(lambda: self.bot.edit_message_reply_markup(chat_id, message_id))
            return
        r = self.services.renderer(reader)
        markup = Keyboard([[r.carry_on(view.case.id or 0)]])
        known = self.services.screens.card(chat_id, message_id)
        if known is not None and known.locale in (None, r.locale):
            drawn = r.card(view).text
            head, question, _ = drawn.rpartition(QUESTION)  # nothing asked here
            card = head if question else drawn
            text = "\n\n".join(
                [*(e.shown for e in known.log), card, r.t("case.carried_on_elsewhere")]
            )
            rendered = Rendered(text, markup)
            fits = shown_units(rendered.text) <= MESSAGE_LIMIT
            if fits and await self._edit_card(message_id, rendered, chat_id) != FAILED:
                known.locale = r.locale
                return
        await quietly(
            lambda: self.bot.edit_message_reply_markup(
                chat_id, message_id, reply_markup=for_ptb(markup)
            )
        )

    async def _follow(self, view: CaseView, chat_id: int, message_id: int) -> None:
        """Draw its owner's card of a case, in their chat (not this one), where the case
        stands now, quietly, in place: whatever someone else did to it (a supervisor, a
        question answered within a step), no button on it answers as the case stood before."""
        owner, known = view.owner, self.services.screens.card(chat_id, message_id)
        if chat_id == self.chat_id or chat_id != owner.telegram_id or not owner.active:
            return
        if known is None or known.version == view.case.version:
            return  # not known here (a restart: a press on it shows the case), or as it stands
        if (chat_id, message_id) not in self.followed:
            self.followed.add((chat_id, message_id))
            await self._redraw(view, chat_id, message_id, self.services.renderer(owner))

    async def _reader(self, chat_id: int) -> Staff | None:
        """The active member of staff whose private chat this is, if any."""
        try:
            async with SqlUnitOfWork(self.services.sessions) as uow:
                reader = await uow.staff.by_telegram_id(chat_id)
        except Exception as err:  # the card is left as it is; a press on it says where it went
            log.warning("could not read who a card is for: %s", type(err).__name__)
            return None
        return reader if reader is not None and reader.active else None

    async def _draw_card(self, shown: ShowCase, notices: Sequence[str] = ()) -> bool:
        """Edit the case's card in place where the chat still shows it (bot.screens), with
        the step just done added to the steps it logs; else send it anew, and leave the
        old message showing only the steps it logged (all it showed, where this process
        does not know what it logs: after a restart). The card is always one message. Tell
        whether it is shown."""
        view, case = shown.view, shown.view.case
        chat_id, stored = self._place(case)
        moved_away = chat_id != self.chat_id  # drawn in another chat since (a supervisor's)
        if moved_away:  # the card pressed, or the owner's, kept while a supervisor drew it
            stored = self._pressed_card(case.id or 0) or self._owners_card_here(case)
        done = self._summary(shown)
        card = self.r.card(view)
        locale = self.r.locale
        shown_before = self._on_screen(stored)
        repeated = False  # the very answer the card shows already, to a message sent again
        if stored and shown_before is not None:
            log = logged(shown_before.log, shown.taken_back, done)
            rendered = _compose([entry.shown for entry in log], card, notices)
            edited = (
                await self._edit_card(stored, rendered)
                if shown_units(rendered.text) <= MESSAGE_LIMIT
                else FAILED
            )
            # Edited to the same text, a message's answer would not show at all: Telegram
            # changes nothing on screen. It comes as a new message instead (a press has its
            # answer in the pop-up, and the card it was pressed on is what the case shows).
            repeated = edited == UNCHANGED and self.typed is not None
            if edited == EDITED or (edited == UNCHANGED and not repeated):
                below = shown_before.below + lines_of(self.typed)
                earlier = shown_before.earlier
                on_screen = CardOnScreen(log, below, locale, earlier, case.version)
                self.services.screens.show(self.chat_id, stored, on_screen)
                if logged(shown_before.log, shown.taken_back, None) == shown_before.log:
                    await self._take_back_above(earlier, shown.taken_back)
                if moved_away and case.id is not None:  # the case's card is here again
                    await self._note_card(view, stored)
                return True
        if not repeated:
            for notice in notices:  # folded only where they save a message
                await self.send(Rendered(notice))
        # The owner's card moving down here is still the card in that chat, even where this
        # chat is no longer its owner's (handed away since): the place follows it, else it
        # would name a message taken away or left showing only steps, drawn over when the
        # case ends (a second ended card, above the one in view).
        owners_moves = stored is not None and self._owners_place(case) == (self.chat_id, stored)
        known = self.services.screens.card(self.chat_id, stored) if stored else None
        # The step just done is logged on the old message, with the steps it logs, where they
        # are known and read in the reader's language; else on the new card (the reader
        # switched language since, or this process does not know the old message: a restart).
        apart = stored is not None and (known is None or known.locale not in (None, locale))
        carried = [done] if done and apart else []
        folded = notices if repeated else ()  # as the card it moves down from showed them
        sent, carried = await self._send_card([e.text for e in carried], card, folded, carried)
        if sent is None:
            return False  # the old card, if any, stays: it is still the way back into the case
        earlier = stored if known is not None else None
        moved = CardOnScreen(carried, 0, locale, earlier, case.version)
        self.services.screens.show(self.chat_id, sent, moved)
        if stored and known is None:  # only once the new card is there
            # What it logs is not known here (the process restarted): it keeps all it shows;
            # only its buttons go.
            await quietly(lambda: self.bot.edit_message_reply_markup(self.chat_id, stored))
        elif stored and known is not None:
            kept = logged(known.log, shown.taken_back, None if carried else done)
            if kept:  # as much of it as one message holds
                self.services.screens.show(
                    self.chat_id,
                    stored,
                    CardOnScreen(kept, known.below, known.locale, known.earlier),
                )
                await self._edit(stored, _logged_only(kept))
            else:
                await self._retire(stored)
            if logged(known.log, shown.taken_back, None) == known.log:
                await self._take_back_above(known.earlier, shown.taken_back)
        if case.id is not None:
            await self._note_card(view, sent, owners_moves)
        return True

    async def _send_card(
        self, above: Sequence[str], card: Rendered, notices: Sequence[str], log: list[Logged]
    ) -> tuple[int | None, list[Logged]]:
        """Send a card as one message, with what it carries above it (`above`: the steps of
        `log`; notices) where all fits one message; else that goes first, in messages of its
        own: a card is edited in place later, and an edit reaches one message only (a card
        split in two would keep a stale first part). Return the card's message and the steps
        it logs."""
        composed = _compose(above, card, notices)
        if shown_units(composed.text) <= MESSAGE_LIMIT:
            return await self.send(composed), log
        for text in [*above, *notices]:
            await self.send(Rendered(text))
        return await self.send(card), []

    def _pressed_card(self, case_id: int) -> int | None:
        """The message pressed, if it is a card of the case in this chat (one of its step's
        own buttons: an answer, a skip, a side action), while the case's card is recorded in
        another chat (a supervisor drew it there since): it is answered as the card it is,
        not left behind with buttons that no longer answer."""
        query = self.query
        pressed = query.message if query else None
        data = cb.decode(query.data or "") if query else None
        if not isinstance(pressed, Message) or pressed.chat.id != self.chat_id or data is None:
            return None
        on_card = data.case_id == case_id and data.route in cb.CARD_ROUTES
        return pressed.message_id if on_card else None

    async def _end_card(self, ended: CaseEnded) -> None:
        """Draw the card of a case that has just ended as ended, where it stands, in whatever
        chat (the person who ended it, or its owner when a supervisor or another case ended
        it): how it ended, with no buttons left that look as if they still answered it
        (`_redraw`), in its reader's words (a supervisor's card too). A card this update draws
        anyway in this chat (a `ShowCase`) is left to that, and one drawn as ended is not
        left saying the case went on elsewhere (`_leave`). The prompts of its side actions
        (a note, a reason) lose their ▶ Carry on with this case, here and in the owner's
        chat."""
        view, case = ended.view, ended.view.case
        await self._end_prompts(case.id or 0, {self.chat_id, view.owner.telegram_id})
        for chat_id, message_id in self._places(case):  # drawn last, and in its owner's chat
            if chat_id == self.chat_id and (case.id or 0) in self.cards_drawn:
                continue
            self.left.add((chat_id, message_id))
            await self._redraw(view, chat_id, message_id, await self._renderer_in(chat_id, view))

    async def _renderer_in(self, chat_id: int, view: CaseView) -> Renderer | None:
        """The words of whoever reads a case's card in a chat and may act on it (this
        chat's reader, its owner, a supervisor); None for anyone else."""
        if chat_id == self.chat_id:
            return self.r
        owner = view.owner
        if chat_id == owner.telegram_id:
            return self.services.renderer(owner) if owner.active else None
        reader = await self._reader(chat_id)
        return self.services.renderer(reader) if reader is not None and reader.oversees else None

    async def _card_moved_on(self, note: Notify) -> None:
        """After a notice that someone else moved a case on (`MOVED_ON`), its card in the
        reader's chat, where it stood when this update began, is drawn where the case stands
        now, in place (`_redraw`): the notice rings below it, and no card above it still
        shows the step the case has left, with its buttons. A card of a case handed away
        from its reader is left (`_leave`): its owner's card is in another chat now."""
        reader, view = note.recipient, note.view
        if reader.telegram_id == self.chat_id:
            return  # this update's own chat: what it draws shows the case
        for chat_id, message_id in self.stood.get(view.case.id or 0, set()):
            if chat_id != reader.telegram_id:
                continue
            if note.kind in AWAY:
                await self._leave(view, chat_id, message_id)
            elif (chat_id, message_id) not in self.followed:
                renderer = self.services.renderer(reader)
                await self._redraw(view, chat_id, message_id, renderer)

    async def _handed_to(self, note: Notify, sent: int) -> None:
        """After a case is handed over to someone else than who acted: the notice that
        tells them, carrying its card, is its owner's card now; the cards of it that stood
        before (theirs from before, the former owner's, a supervisor's) are left (`_leave`):
        none keeps buttons drawn for the case as it stood before."""
        view, to = note.view, note.recipient.telegram_id
        for chat_id, message_id in self.stood.get(view.case.id or 0, set()):
            if chat_id == to:  # their own older card: the notice below carries the case now
                await quietly(partial(self.bot.edit_message_reply_markup, chat_id, message_id))
            else:
                await self._leave(view, chat_id, message_id)
        locale = self.services.locale_for(note.recipient)
        self.services.screens.show(to, sent, CardOnScreen([], 0, locale, None, view.case.version))
        await self._note_card(view, sent, owners_moves=True, chat_id=to)

    async def _redraw(
        self, view: CaseView, chat_id: int, message_id: int, renderer: Renderer | None
    ) -> None:
        """Draw a case's card again in place, in whatever chat, as the case stands now (in
        `renderer`'s words), below the steps the message logs. Where this process does not
        know what the message shows (after a restart), it reads in another language than its
        reader's now, or nobody there may act on the case (`renderer` None), only its
        buttons go."""
        known = self.services.screens.card(chat_id, message_id)
        if renderer is not None and known is not None and known.locale in (None, renderer.locale):
            log = [entry.shown for entry in known.log]
            rendered = _compose(log, renderer.card(view), ())
            fits = shown_units(rendered.text) <= MESSAGE_LIMIT
            if fits and await self._edit_card(message_id, rendered, chat_id) != FAILED:
                known.locale, known.version = renderer.locale, view.case.version
                return
        await quietly(lambda: self.bot.edit_message_reply_markup(chat_id, message_id))

    def _place(self, case: Case) -> tuple[int | None, int | None]:
        """Where a case's card is: as this process last noted it, else as the case records."""
        return self.services.cards.where(case.id or 0) or (
            case.card_chat_id,
            case.card_message_id,
        )

    def _owners_place(self, case: Case) -> tuple[int | None, int | None]:
        """Where a case's card is in its owner's chat (the latest drawn there), as this
        process last noted it, else as the case records."""
        return self.services.cards.owners(case.id or 0) or (
            case.owner_card_chat_id,
            case.owner_card_message_id,
        )

    def _places(self, case: Case) -> set[Place]:
        """Where a case's card was drawn last, and where in its owner's chat (one place where
        the owner drew it last; none before any card was drawn)."""
        return {
            (chat_id, message_id)
            for chat_id, message_id in (self._place(case), self._owners_place(case))
            if chat_id and message_id
        }

    def _owners_card_here(self, case: Case) -> int | None:
        """The case's card in this chat, if this is where its owner's card is."""
        chat_id, message_id = self._owners_place(case)
        return message_id if chat_id == self.chat_id else None

    async def _spend_pressed(self) -> None:
        """Take the button pressed off its message; the message's other buttons stay."""
        query = self.query
        if query is not None and isinstance(query.message, Message):
            await drop_buttons(query.message, lambda b: b.callback_data == query.data)

    async def _offers_gone(self) -> None:
        """Drop the buttons of the offers this chat was shown for what waited for its
        typing (`Screens.offered`): it was answered, or is asked again."""
        for message_id in self.services.screens.offers_gone(self.chat_id):
            await quietly(partial(self.bot.edit_message_reply_markup, self.chat_id, message_id))

    async def _end_prompts(self, case_id: int, chats: set[int]) -> None:
        """Drop the buttons of the prompts sent for a case that has ended, in `chats`."""
        for chat_id in chats:
            for message_id in self.services.screens.prompts_gone(chat_id, case_id):
                await quietly(partial(self.bot.edit_message_reply_markup, chat_id, message_id))

    async def _note_card(
        self,
        view: CaseView,
        message_id: int,
        owners_moves: bool = False,
        chat_id: int | None = None,
    ) -> None:
        """Note where a case's card went, in this chat or `chat_id`'s (and, in its owner's
        chat or where the owner's card moved down from, `owners_moves`, that it is theirs):
        on SQLite (one process) the next
        update's own transaction writes it; on PostgreSQL, which several instances may
        share, it is written at once, so that the others know."""
        cards, case_id = self.services.cards, view.case.id or 0
        chat_id = chat_id or self.chat_id
        owners = owners_moves or chat_id == view.owner.telegram_id
        if cards.deferred:
            cards.note(case_id, chat_id, message_id, owners)
            return
        try:
            async with SqlUnitOfWork(self.services.sessions) as uow:
                here = {case_id: (chat_id, message_id)}
                await uow.cases.remember_cards(here, here if owners else {})
                await uow.commit()
        except Exception as err:  # the card still works; only in-place editing is lost
            log.warning("could not note the card of case %s: %s", case_id, type(err).__name__)

    async def _take_back_above(self, message_id: int | None, step: str | None) -> None:
        """Mark the summary of the step stepped back to as taken back on the message the card
        moved down from, or the one before that (the latest that shows one)."""
        screens = self.services.screens
        for _ in range(EARLIER_CARDS):
            known = screens.card(self.chat_id, message_id) if message_id and step else None
            if known is None or message_id is None:
                return
            kept = logged(known.log, step, None)
            if kept != known.log:
                screens.show(self.chat_id, message_id, dataclasses.replace(known, log=kept))
                await self._edit(message_id, _logged_only(kept))
                return
            message_id = known.earlier

    def _summary(self, shown: ShowCase) -> Logged | None:
        """The summary of the step just done, if one was: as it stands, and as it reads if
        the case steps back to that step."""
        step = shown.done_step
        if not step:
            return None
        view, record = shown.view, shown.done_record
        return Logged(
            step,
            self.r.done(view, step, record, redone=shown.redone),
            self.r.done(view, step, record, taken_back=True),
        )

    def _on_screen(self, stored: int | None) -> CardOnScreen | None:
        """The card as shown, if it may be edited in place now; None if not (whatever was
        pressed on a card this process does not know: it stays as it shows)."""
        if not stored:
            return None
        pressed = self.query.message if self.query else None
        if isinstance(pressed, Message):
            if pressed.chat.id != self.chat_id or pressed.message_id != stored:
                return None  # pressed elsewhere (a list, a notice): the card comes to them
            shown = self.services.screens.card(self.chat_id, stored)
            if shown is None:
                return None  # what it logs is unknown here (a restart): it stays; move on
        else:
            shown = self.services.screens.in_view(self.chat_id, stored, self.typed)
        if shown is not None and shown.locale not in (None, self.r.locale):
            return None  # drawn in the language the reader had before: a new card, in theirs
        return shown

    async def _retire(self, message_id: int) -> None:
        """Remove a card that a newer one replaces; if Telegram refuses, drop its buttons."""
        try:
            await again_once(lambda: self.bot.delete_message(self.chat_id, message_id))
        except TelegramError:
            await quietly(lambda: self.bot.edit_message_reply_markup(self.chat_id, message_id))

    async def _edit(self, message_id: int, rendered: Rendered) -> bool:
        """Edit a message in place; tell whether it now shows `rendered`."""
        return await self._edit_card(message_id, rendered) != FAILED

    async def _edit_card(
        self, message_id: int, rendered: Rendered, chat_id: int | None = None
    ) -> str:
        """Edit a message in place (in this chat, or `chat_id`'s): EDITED, UNCHANGED (it
        showed `rendered` already: Telegram answers "message is not modified", and nothing
        changes on screen) or FAILED."""
        to = chat_id or self.chat_id
        try:
            await again_once(
                lambda: self.bot.edit_html(to, message_id, rendered.text, rendered.markup)
            )
        except BadRequest as err:
            if "not modified" not in err.message.lower():
                return FAILED
            shown = UNCHANGED
        except TelegramError as err:
            log.warning("could not edit a card: %s", type(err).__name__)
            return FAILED
        else:
            shown = EDITED
        if to == self.chat_id:
            self.redrawn.add(message_id)
        return shown

    async def _notify(self, note: Notify) -> None:
        if not note.recipient.active:
            return  # no customer data for someone who has left
        r = self.services.renderer(note.recipient)
        rendered = r.handed_to_you(note) if note.kind == HANDED_TO_YOU else r.notify(note)
        to, case = note.recipient.telegram_id, note.view.case
        sent = await self.send(rendered, chat_id=to)
        if note.kind in MOVED_ON:
            await self._card_moved_on(note)
        if note.kind == HANDED_TO_YOU and sent is not None:
            await self._handed_to(note, sent)
        if note.kind in DECISIONS and case.id and note.recipient.id:
            noted = self.expected.pop((case.id, note.recipient.id), None)
            if sent is None:
                self.unsent += [noted] if noted is not None else []
            else:
                copy = (case.id, asked_version(case), note.recipient.id, to, sent)
                self.requests_sent.append((noted, copy))

    async def _expect_requests(self, outcomes: list[Outcome]) -> None:
        """Note, before any is sent, the copies of requests for a decision these outcomes
        send (`SqlRequestCopyRepository.expect`): held by this update until their places
        are noted (`_note_requests`), and known to be in their chats even if this process
        dies before that."""
        asked = [
            o
            for o in outcomes
            if isinstance(o, Notify) and o.kind in DECISIONS and o.recipient.active
        ]
        if not asked:
            return
        lease = timedelta(seconds=self.services.settings.reminders.lease_seconds)
        held = self.services.clock() + lease
        try:
            async with SqlUnitOfWork(self.services.sessions) as uow:
                for note in asked:
                    case, reader = note.view.case, note.recipient
                    if case.id and reader.id:
                        at = asked_version(case)
                        noted = await uow.copies.expect(
                            case.id, at, reader.id, reader.telegram_id, held
                        )
                        self.expected[case.id, reader.id] = noted
                await uow.commit()
        except Exception as err:  # the requests go all the same; their places noted after
            self.expected = {}
            log.warning("could not note requests about to go: %s", type(err).__name__)

    async def _note_requests(self) -> None:
        """Remember where requests for a decision went, so that each copy is redrawn once
        the request no longer waits (`bot.request_copies`); forget those noted before
        sending that could not be sent."""
        sent, self.requests_sent = self.requests_sent, []
        unsent, self.unsent = self.unsent, []
        if not sent and not unsent:
            return
        try:
            async with SqlUnitOfWork(self.services.sessions) as uow:
                for noted, copy in sent:
                    if noted is None or not await uow.copies.place(noted, copy[-1]):
                        await uow.copies.add(*copy)
                await uow.copies.forget(unsent)
                await uow.commit()
        except Exception as err:  # the requests work; only their copies stay as they are
            log.warning("could not note where requests went: %s", type(err).__name__)


def _logged_only(log: Sequence[Logged]) -> Rendered:
    """A message that no longer is the card: the steps it logged, as much as it holds."""
    return Rendered(fit("\n\n".join(entry.shown for entry in log).split("\n"), []))


def _compose(log: Sequence[str], card: Rendered, notices: Sequence[str]) -> Rendered:
    """The steps a card message logs, then the card, with notices above its question."""
    text = card.text
    if notices:
        head, question, rest = text.rpartition(QUESTION)
        note = "\n".join(notices)
        text = f"{head}\n\n{note}{question}{rest}" if question else f"{text}\n\n{note}"
    return Rendered("\n\n".join([*log, text]), card.markup)


#: Seconds before a call that failed on its way (a timeout, a reset, a 5xx) is made again.
TRANSIENT_PAUSE = 0.5


async def again_once(call: Callable[[], Awaitable[T]]) -> T:
    """Make a Telegram call; made once more after a flood wait or a transient failure.

    A reply lost to one dropped connection or one 502 is no longer lost: the change behind
    it is committed already, and the person would otherwise see nothing of it. Refusals
    (400, 403) are not transient and are raised at once, as is a second failure.
    """
    try:
        return await call()
    except RetryAfter as err:
        await asyncio.sleep(min(_seconds(err.retry_after), MAX_FLOOD_WAIT))
    except NetworkError as err:
        if isinstance(err, BadRequest):
            raise
        await asyncio.sleep(TRANSIENT_PAUSE)
    return await call()


def _seconds(wait: float | timedelta) -> float:
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


async def quietly(call: Callable[[], Awaitable[Any]]) -> None:
    """Make a Telegram call whose failure should not stop the update (edits, answers), once
    more after a transient failure (`again_once`)."""
    try:
        await again_once(call)
    except (BadRequest, Forbidden) as err:
        log.debug("telegram declined: %s", err)
    except TelegramError as err:
        log.warning("telegram call failed: %s", type(err).__name__)


#: What says a supervisor's comment no longer waits: typed, or left out.
ANSWERED = frozenset({"approval.comment_saved", "approval.no_comment"})


def _case_shown(outcome: Outcome) -> Case | None:
    """The case an outcome shows as it stands now, if it shows one."""
    if isinstance(outcome, ShowCase | CaseEnded | Notify | ShowTimeline | PickOwner):
        return outcome.view.case
    return None


async def outdate(bot: LeanBot, bound: Bound) -> None:
    """Take off a bound message the buttons that no longer hold; the others stay."""
    markup = for_ptb(bound.kept())
    await quietly(
        partial(
            bot.edit_message_reply_markup, bound.chat_id, bound.message_id, reply_markup=markup
        )
    )


async def drop_buttons(message: Message, gone: Callable[[InlineKeyboardButton], bool]) -> None:
    """Take the buttons `gone` names off a message; its other buttons stay (none left: no
    keyboard). A message that has none of them is left as it is."""
    rows = message.reply_markup.inline_keyboard if message.reply_markup else ()
    kept = [[b for b in row if not gone(b)] for row in rows]
    if kept == [list(row) for row in rows]:
        return
    markup = InlineKeyboardMarkup([row for row in kept if row]) if any(kept) else None
    await quietly(lambda: message.edit_reply_markup(markup))
