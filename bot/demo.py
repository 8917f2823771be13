"""People for console mode: whoever is registered, plus a demo staff member and supervisor."""

from __future__ import annotations

from bot.services import Services
from flows.model import Role, Staff
from flows.people import People
from storage.uow import SqlUnitOfWork

DEMO_PEOPLE = ((910_001, "Lan", Role.staff), (910_002, "Minh", Role.supervisor))


async def console_people(services: Services) -> list[Staff]:
    """Return everyone the console may act as, registering the demo pair if missing."""
    async with SqlUnitOfWork(services.sessions) as uow:
        people = People(uow, services.policy, services.clock)
        for telegram_id, name, role in DEMO_PEOPLE:
            if await uow.staff.by_telegram_id(telegram_id) is None:
                await people.register(telegram_id, name, role)
        everyone = list(await uow.staff.everyone())
        await uow.commit()
    return [p for p in everyone if p.active]
