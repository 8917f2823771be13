"""Copies of requests for a supervisor's decision: where each went, and which to redraw.

Whatever ends a request — a verdict in the chat or on the Mini App's page, a step back, a
cancelled case, a reminder's effects, the shell — changes its case's state or draft, and
every change is flushed through the session. `note_ended_requests` (a `before_flush`
listener) compares each changed case's request before and after, and the unit of work marks
the copies of a request that stopped waiting in the same transaction (`end`): nothing is
lost to a crash, whichever process or path made the change. A request that waits on while
its case changes hands (`flows.handover`) is no longer for whoever owns the case or asked
for it now to decide: their copies are marked the same way (`TAKEN`); so are the copies of a
supervisor who may decide nothing any more, made staff or gone (`DEMOTED`, `LEFT`: the
command line, an invite). The process that committed redraws them at once, if it reaches
Telegram; a tick of any instance takes over a copy nobody holds (the command line's, or
one whose lease ran out). A copy is redrawn for who its reader is by then, not for what
marked it: one whose reader may decide its request again (made a supervisor again, the case
handed on) has its mark cleared, and waits on with its verdict buttons (`keep_waiting`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import instance_state

from flows.decisions import GONE, VERDICTS
from flows.forms import ASKED_BY
from flows.model import OVERSEEING, Case, CaseEvent, Staff
from flows.procedures import procedure_of, request_waiting
from storage import tables
from storage.leases import unheld_ids

C = tables.request_copies.c

#: Where a copy went: case, the version it was asked at, recipient, chat, message.
Sent = tuple[int, int, int, int, int]
#: The message of a copy noted before it is sent (`expect`) until its place is known
#: (`place`): one whose sender died in between never learns it, and is told what became
#: of its request in a message of its own (`bot.request_copies`), or placed when pressed.
UNPLACED = 0

#: How a copy ended whose reader owns the case, or asked for the decision, now (handed the
#: case while the request waits): the request waits on, for someone else to decide.
TAKEN = "taken"
#: How the copies of a supervisor made staff since, or gone, ended: not theirs to decide.
DEMOTED, LEFT = "demoted", "left"
#: Where a unit's session keeps, until its commit, the cases whose request stopped waiting…
_ENDED = "requests_ended"
#: … the cases whose request waits on for other deciders (`TAKEN`)…
_TAKEN = "requests_taken"
#: … the verdicts logged in it, by case…
_VERDICTS = "verdicts_logged"
#: … and the supervisors who may decide nothing any more, with why (`DEMOTED`, `LEFT`).
_UNABLE = "deciders_gone"


@dataclass(frozen=True)
class RequestCopy:
    """One copy of a request as sent, and how the request ended."""

    id: int
    case_id: int
    asked_at: int  # the version of the request it asks (its buttons carry it)
    recipient_id: int
    chat_id: int
    message_id: int
    ended: str | None
    ended_by: int | None


#: A copy's columns, in `RequestCopy`'s order.
_COPY = (C.id, C.case_id, C.asked_at, C.recipient_id, C.chat_id, C.message_id, C.ended, C.ended_by)


def note_ended_requests(session: Session, _context: Any, _instances: Any) -> None:
    """Before a flush: note each case whose request stops waiting in it, or waits on for
    others than its new owner or asker to decide, each verdict, and each supervisor who
    may decide nothing any more."""
    for added in session.new:
        if isinstance(added, CaseEvent) and added.kind in VERDICTS.values():
            session.info.setdefault(_VERDICTS, {})[added.case_id] = added
    for changed in session.dirty:
        if isinstance(changed, Case) and changed.id is not None:
            state, draft, version, owner = _before(
                changed, "state", "draft", "version", "owner_id"
            )
            before = request_waiting(state, draft, version)
            after = request_waiting(changed.state, changed.draft, changed.version)
            if before is not None and before != after:
                session.info.setdefault(_ENDED, {})[changed.id] = changed
            elif after is not None and _barred(changed) - {owner, draft.get(ASKED_BY)}:
                session.info.setdefault(_TAKEN, {})[changed.id] = changed
        elif isinstance(changed, Staff) and changed.id is not None:
            unable = _no_longer_deciding(changed)
            if unable is not None:
                session.info.setdefault(_UNABLE, {})[changed.id] = unable


def _no_longer_deciding(person: Staff) -> str | None:
    """Why a person who could decide on requests when loaded may not now (`LEFT`: no longer
    active; `DEMOTED`: no longer a supervisor), or None."""
    role, active = _before(person, "role", "active")
    if not (active and role in OVERSEEING):
        return None
    if not person.active:
        return LEFT
    return None if person.oversees else DEMOTED


def _barred(case: Case) -> set[Any]:
    """Who may not decide the request a case waits on: its owner and whoever asked."""
    return {case.owner_id, case.draft.get(ASKED_BY)}


def _before(row: Case | Staff, *names: str) -> tuple[Any, ...]:
    """The values a case's (or person's) attributes had when loaded (or last flushed)."""
    attrs = instance_state(row).attrs
    values = []
    for name in names:
        replaced: Sequence[Any] = attrs[name].history.deleted
        values.append(replaced[0] if replaced else getattr(row, name))
    return tuple(values)


def _ended_how(case: Case, verdict: CaseEvent | None) -> tuple[str, int | None]:
    subject = procedure_of(case).subject(verdict.step) if verdict is not None else None
    if verdict is None or subject is None:
        return GONE, None
    return f"{verdict.kind}:{subject}", verdict.actor_id


class SqlRequestCopyRepository:
    """The request_copies table."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def end_noted(self) -> list[int]:
        """Mark the copies of every request noted as ended since the unit began (the session
        flushed first); return the cases that have copies to redraw."""
        await self.session.flush()
        info = self.session.info
        ended: Mapping[int, Case] = info.pop(_ENDED, {})
        taken: Mapping[int, Case] = info.pop(_TAKEN, {})
        verdicts: Mapping[int, CaseEvent] = info.pop(_VERDICTS, {})
        unable: Mapping[int, str] = info.pop(_UNABLE, {})
        marked = [case_id for case_id, case in taken.items() if await self._end_taken(case)]
        for person_id, why in unable.items():
            marked += await self._end_theirs(person_id, why)
        for case_id, case in ended.items():
            waiting = request_waiting(case.state, case.draft, case.version)
            how, by = _ended_how(case, verdicts.get(case_id))
            stale = update(tables.request_copies).where(C.case_id == case_id, C.ended.is_(None))
            if waiting is not None:  # asked again since (put off): the older copies are stale
                stale = stale.where(C.asked_at != waiting)
            done = await self.session.execute(stale.values(ended=how, ended_by=by))
            if cast("CursorResult[Any]", done).rowcount:
                marked.append(case_id)
        return list(dict.fromkeys(marked))

    async def _end_taken(self, case: Case) -> bool:
        """Mark the copies of a case's waiting request sent to whoever may no longer decide
        it (its owner, its asker: `TAKEN`); tell whether there were any."""
        barred = [p for p in _barred(case) if p is not None]
        done = await self.session.execute(
            update(tables.request_copies)
            .where(C.case_id == case.id, C.ended.is_(None), C.recipient_id.in_(barred))
            .values(ended=TAKEN, ended_by=None)
        )
        return bool(cast("CursorResult[Any]", done).rowcount)

    async def _end_theirs(self, person_id: int, why: str) -> list[int]:
        """Mark the copies of waiting requests sent to a person who may decide nothing any
        more (`why`); return the cases they were of."""
        done = await self.session.execute(
            update(tables.request_copies)
            .where(C.recipient_id == person_id, C.ended.is_(None))
            .values(ended=why, ended_by=None)
            .returning(C.case_id)
        )
        return list(dict.fromkeys(done.scalars()))

    def forget_noted(self) -> None:
        """Drop what was noted for a unit rolled back."""
        for noted in (_ENDED, _TAKEN, _VERDICTS, _UNABLE):
            self.session.info.pop(noted, None)

    async def add(
        self, case_id: int, asked_at: int, recipient_id: int, chat_id: int, message_id: int
    ) -> bool:
        """Remember where a copy of the request asked at `asked_at` went; tell whether the
        request still waits. The case's row is held while it is read (PostgreSQL): a
        decision committing meanwhile either sees this row or is seen by it."""
        waits, _ = await self._note(case_id, asked_at, recipient_id, chat_id, message_id, None)
        return waits

    async def expect(
        self, case_id: int, asked_at: int, recipient_id: int, chat_id: int, held: datetime
    ) -> int:
        """Note a copy about to be sent, its place not known yet (`UNPLACED`), held by its
        sender until `held` (no redraw takes it meanwhile); return its id. Noted before it
        is sent, a copy whose sender dies before learning its place is still known to be in
        that chat: once its request ends, its reader is told what became of it."""
        _, noted = await self._note(case_id, asked_at, recipient_id, chat_id, UNPLACED, held)
        return noted

    async def _note(
        self,
        case_id: int,
        asked_at: int,
        recipient_id: int,
        chat_id: int,
        message_id: int,
        held: datetime | None,
    ) -> tuple[bool, int]:
        """Write a copy down (ended already if its request no longer waits): whether the
        request still waits, and the copy's id."""
        waits = await self.waiting_at(case_id) == asked_at
        done = await self.session.execute(
            insert(tables.request_copies)
            .values(
                case_id=case_id,
                asked_at=asked_at,
                recipient_id=recipient_id,
                chat_id=chat_id,
                message_id=message_id,
                ended=None if waits else GONE,
                lease_until=held,
            )
            .returning(C.id)
        )
        return waits, int(done.scalar_one())

    async def place(self, copy_id: int, message_id: int) -> bool:
        """Note where a copy noted before it was sent went, and let it go (a redraw may take
        it); tell whether it was still known (a sender slower than its hold may find it
        taken over and told already)."""
        done = await self.session.execute(
            update(tables.request_copies)
            .where(C.id == copy_id)
            .values(message_id=message_id, lease_until=None)
        )
        return bool(cast("CursorResult[Any]", done).rowcount)

    async def unplaced(self, chat_id: int, case_id: int) -> RequestCopy | None:
        """A copy of a request on the case sent to this chat whose place is not known."""
        row = (
            await self.session.execute(
                select(*_COPY)
                .where(C.chat_id == chat_id, C.case_id == case_id, C.message_id == UNPLACED)
                .order_by(C.id)
            )
        ).first()
        return RequestCopy(*row) if row is not None else None

    async def waiting_at(self, case_id: int) -> int | None:
        """The version the request a case waits on was asked at (None: none waits), its row
        held while it is read (PostgreSQL): a decision committing meanwhile either sees what
        this unit writes of the case's copies, or is seen by it."""
        cases = tables.cases.c
        row = (
            await self.session.execute(
                select(cases.state, cases.draft, cases.version)
                .where(cases.id == case_id)
                .with_for_update()
            )
        ).one_or_none()
        return None if row is None else request_waiting(row.state, row.draft, row.version)

    async def keep_waiting(self, ids: Collection[int]) -> None:
        """Clear the marks of copies whose reader may decide their request again (made a
        supervisor again, the case handed away from them, before the redraw): they wait with
        their request, their verdict buttons live, and end with it."""
        if ids:
            await self.session.execute(
                update(tables.request_copies)
                .where(C.id.in_(ids))
                .values(ended=None, ended_by=None, lease_until=None)
            )

    async def claim(
        self,
        case_ids: Collection[int] | None,
        now: datetime,
        lease_until: datetime,
        limit: int,
    ) -> list[RequestCopy]:
        """Take up to `limit` copies to redraw (of these cases, or any) that nobody holds."""
        due = (
            select(C.id)
            .where(C.ended.is_not(None), or_(C.lease_until.is_(None), C.lease_until < now))
            .order_by(C.id)
            .limit(limit)
        )
        if case_ids is not None:
            due = due.where(C.case_id.in_(case_ids))
        ids = await unheld_ids(self.session, due)
        if not ids:
            return []
        await self.session.execute(
            update(tables.request_copies).where(C.id.in_(ids)).values(lease_until=lease_until)
        )
        rows = await self.session.execute(select(*_COPY).where(C.id.in_(ids)))
        return [RequestCopy(*row) for row in rows]

    async def at(self, chat_id: int, message_id: int) -> RequestCopy | None:
        """The copy of a request sent as this message, if it is still known (not redrawn
        yet), with how its request ended (None while it waits)."""
        row = (
            await self.session.execute(
                select(*_COPY).where(C.chat_id == chat_id, C.message_id == message_id)
            )
        ).first()
        return RequestCopy(*row) if row is not None else None

    async def forget(self, ids: Collection[int]) -> None:
        """Drop the rows of copies redrawn (or gone from their chat)."""
        if ids:
            await self.session.execute(delete(tables.request_copies).where(C.id.in_(ids)))
