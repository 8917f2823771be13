"""Who may use the bot: registration by invite or from the shell, roles and language."""

from __future__ import annotations

import secrets
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from flows.case_filter import CaseFilter
from flows.casework import CaseWork
from flows.errors import Refused
from flows.forms import ASKED_BY, asked_version
from flows.model import Case, Expecting, Invite, Reminder, Role, Staff
from flows.outcomes import Label
from flows.parsing import InvalidInput, clean_name, search_key, sight_key
from flows.policy import Policy
from flows.ports import UnitOfWork
from flows.reminders import Kind, iso

LOCALES = ("vi", "en")

#: What /invite understands as a role, in both languages — the codes and every name the bot
#: gives a role —, folded as `search_key` folds: Vietnamese with or without its marks.
ROLE_WORDS: dict[str, str] = {
    **{role: role for role in Role},
    "staff member": Role.staff,
    "administrator": Role.admin,
    "nhan vien": Role.staff,
    "quan ly": Role.supervisor,
    "quan tri vien": Role.admin,
}


def role_named(words: list[str]) -> str:
    """Read the role /invite asks for ("quản lý", "quan ly", "supervisor"); staff when none
    is given."""
    typed = unicodedata.normalize("NFC", " ".join(words).strip().lower())
    return ROLE_WORDS.get(search_key(typed), typed[:32]) if typed else Role.staff


#: How many waiting requests a role change looks through for one nobody may decide now.
WAITING_LOOKED_AT = 1000

#: Which roles each role may hand out by invite.
MAY_INVITE: dict[str, tuple[str, ...]] = {
    Role.supervisor: (Role.staff, Role.supervisor),
    Role.admin: (Role.staff, Role.supervisor, Role.admin),
}


class People:
    """Use cases about registered people."""

    def __init__(self, uow: UnitOfWork, policy: Policy, clock: Callable[[], datetime]) -> None:
        self.uow = uow
        self.policy = policy
        self.clock = clock

    async def register(
        self,
        telegram_id: int,
        name: str,
        role: str | None = None,
        locale: str | None = None,
        timezone: str | None = None,
    ) -> Staff:
        """Add a person (as staff unless `role` says otherwise), or update one already
        registered: their name, and the role and time zone given (those not given stay).

        A role that no longer oversees drops what the person was in the middle of typing (a
        case they may no longer open); a comment awaited on a decision they took stays
        remembered, so that what they type for it is refused saying why and quoted back
        (`Desk.comment_not_theirs`), never met with "nothing waits for your text". A
        promotion keeps it: all they could do before, they still may.
        """
        if role is not None and role not in Role.__members__:
            raise Refused("error.bad_role", role=role)
        name = clean_name(name, self.policy.name_limit)
        person = await self.uow.staff.by_telegram_id(telegram_id)
        if person is None:
            return await self.uow.staff.add(
                Staff(
                    telegram_id=telegram_id,
                    name=name,
                    role=role or Role.staff,
                    locale=locale,
                    timezone=timezone,
                    created_at=self.clock(),
                )
            )
        if role is not None and role != person.role:
            oversaw = person.oversees
            person.role = role
            if not person.oversees and person.expecting != Expecting.approval_comment:
                _let_go_of_focus(person)
            if oversaw and not person.oversees:
                await self.tell_who_waits_on_nobody()
        person.name, person.active = name, True
        person.timezone = timezone or person.timezone
        return person

    async def deactivate(self, telegram_id: int) -> Staff:
        """Stop a person from using the bot; their history and cases stay as they are.

        Their open cases have nobody active on them from now on: every supervisor is told
        which (`Kind.owner_left`, delivered by the scheduler within their working hours, the
        cases listed as they stand then), so that someone carries each one on."""
        person = await self.uow.staff.by_telegram_id(telegram_id)
        if person is None:
            raise Refused("error.no_such_person", telegram_id=telegram_id)
        was_active, oversaw = person.active, person.oversees
        person.active = False
        _let_go_of_focus(person)
        if was_active and await self.left_behind(person, 1):
            await self._tell_supervisors_of_cases_left(person)
        if was_active and oversaw:
            await self.tell_who_waits_on_nobody()
        return person

    async def tell_who_waits_on_nobody(self) -> None:
        """A supervisor gone (or made staff): each request nobody may decide any more — the
        supervisors left own its case or asked for it, or none is left — is told to whoever
        waits on it, its owner and whoever asked (`Kind.nobody_decides`, by the scheduler in
        their working hours), as `approval.nobody_else` tells it at asking time. Before, a
        supervisor left alone with her own request was never told nobody could decide it."""
        now = self.clock()
        overseers = await self.uow.staff.overseers()
        for case in await self.uow.cases.waiting_decision(0, WAITING_LOOKED_AT):
            if any(CaseWork.may_decide(p, case) for p in overseers):
                continue  # someone may still decide it
            waiting = {case.owner_id, case.draft.get(ASKED_BY)}
            for person_id in sorted({int(p) for p in waiting if p}):
                await self.uow.reminders.add_once(
                    Reminder(
                        kind=Kind.nobody_decides,
                        due_at=now,  # held back until their working hours open
                        recipient_id=person_id,
                        case_id=case.id,
                        created_at=now,
                        payload={"version": asked_version(case)},
                        dedupe_key=f"nobody:{case.id}:{person_id}:{iso(now)}",
                    )
                )

    async def left_behind(self, person: Staff, limit: int) -> list[Case]:
        """The open cases `person` owns (at most `limit`), newest first."""
        wanted = CaseFilter(status="o", owner_id=person.id)
        return list(await self.uow.cases.find(wanted, limit, UTC))

    async def _tell_supervisors_of_cases_left(self, person: Staff) -> None:
        now = self.clock()
        for overseer in await self.uow.staff.overseers():
            if overseer.id == person.id:
                continue
            await self.uow.reminders.add_once(
                Reminder(
                    kind=Kind.owner_left,
                    due_at=now,  # held back until their working hours open (`Reminding`)
                    recipient_id=overseer.id,
                    created_at=now,
                    payload={"left": person.id},
                    dedupe_key=f"left:{person.id}:{iso(now)}:{overseer.id}",
                )
            )

    async def invite(self, actor: Staff, role: str) -> Invite:
        """Create a one-time code that registers whoever opens it with `role`."""
        allowed = MAY_INVITE.get(actor.role, ())
        if role not in Role.__members__:
            raise Refused("error.bad_role", role=role)
        if role not in allowed:
            raise Refused("invite.not_allowed", role=Label(role))
        now = self.clock()
        invite = Invite(
            code=secrets.token_urlsafe(12),
            role=role,
            created_by=actor.id or 0,
            created_at=now,
            expires_at=now + timedelta(hours=self.policy.invite_hours),
        )
        self.uow.invites.add(invite)
        return invite

    async def redeem(self, code: str, telegram_id: int, name: str, locale: str | None) -> Staff:
        """Register a newcomer with an unused, unexpired invite code."""
        invite = await self.uow.invites.get(code)
        now = self.clock()
        if invite is None or invite.used_at is not None or invite.expires_at <= now:
            raise Refused("invite.invalid")
        maker = await self.uow.staff.get(invite.created_by)
        if maker is None or not maker.active or invite.role not in MAY_INVITE.get(maker.role, ()):
            raise Refused("invite.invalid")  # the maker left, or no longer hands out that role
        try:
            shown = clean_name(name[: self.policy.name_limit], self.policy.name_limit)
        except InvalidInput:
            shown = str(telegram_id)  # a name of only symbols or spaces: fall back to the id
        known = await self.uow.staff.by_telegram_id(telegram_id)
        person = await self.register(telegram_id, shown, invite.role, locale)
        # Claim the invite with a conditional update: of two concurrent redemptions, one wins.
        if not await self.uow.invites.use(code, person.id or 0, now):
            raise Refused("invite.invalid")
        if known is None and await self.namesakes(person):
            await self._tell_of_namesake(person, invite.created_by)
        return person

    async def namesakes(self, person: Staff) -> list[Staff]:
        """The other active people registered under `person`'s name (however it is written:
        marks and case aside, and letters that only look alike, `name_key`), oldest first:
        perhaps the same person on another account, or someone passing for them."""
        key = name_key(person.name)
        return [
            p
            for p in await self.uow.staff.everyone()
            if p.active and p.id != person.id and name_key(p.name) == key
        ]

    async def _tell_of_namesake(self, person: Staff, maker_id: int) -> None:
        """Tell the admins and whoever made the invite that `person` joined under the name
        of someone already on the team (`Kind.namesake_joined`, in their working hours)."""
        now = self.clock()
        told = [
            p.id
            for p in await self.uow.staff.overseers()
            if (p.role == Role.admin or p.id == maker_id) and p.id != person.id
        ]
        for recipient_id in told:
            await self.uow.reminders.add_once(
                Reminder(
                    kind=Kind.namesake_joined,
                    due_at=now,
                    recipient_id=recipient_id,
                    created_at=now,
                    payload={"joined": person.id},
                    dedupe_key=f"namesake:{person.id}:{recipient_id}",
                )
            )

    async def removable(self, actor: Staff) -> list[Staff]:
        """The accounts `actor` may remove from /staff: each one registered after another
        active person of the same name, in a role `actor` may invite, never their own."""
        allowed = MAY_INVITE.get(actor.role, ())
        people = [p for p in await self.uow.staff.everyone() if p.active]
        first: dict[str, Staff] = {}
        for p in sorted(people, key=lambda p: p.id or 0):
            first.setdefault(name_key(p.name), p)
        return [
            p
            for p in people
            if first[name_key(p.name)] is not p and p.role in allowed and p.id != actor.id
        ]

    async def remove_namesake(self, actor: Staff, staff_id: int) -> Staff:
        """Remove (deactivate) an account registered under the name of someone already on
        the team, as /staff offers; refused for anyone it does not offer to `actor`."""
        if not actor.oversees:
            raise Refused("error.supervisors_only")
        chosen = next((p for p in await self.removable(actor) if p.id == staff_id), None)
        if chosen is None:
            raise Refused("staff.not_removable")
        return await self.deactivate(chosen.telegram_id)

    @staticmethod
    def set_language(actor: Staff, locale: str) -> None:
        """Remember the person's language."""
        if locale not in LOCALES:
            raise Refused("error.bad_language")
        actor.locale = locale


def name_key(name: str) -> str:
    """What two people's names are compared by: as they look (`sight_key`: a Cyrillic "М"
    for a Latin "M", an invisible joiner, a full-width letter read as what they show),
    then folded as a search folds them (marks and case aside)."""
    return search_key(sight_key(name))


def _let_go_of_focus(person: Staff) -> None:
    """Forget what the person's next typed message was to answer."""
    person.expecting = person.expecting_case_id = person.expecting_customer_id = None
