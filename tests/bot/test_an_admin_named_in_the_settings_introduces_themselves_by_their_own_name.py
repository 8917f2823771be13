"""An admin named in the settings is registered before they ever write, under a name the
bot makes up ("Quản trị viên 5555"); once they write, they are known by their own Telegram
name, so the scripts they read aloud introduce them as themselves. Before, an admin who
took a complaint read "Em là Quản trị viên 5555 bên chăm sóc khách hàng ạ" ("My name is
Administrator 5555") to the customer, and every timeline named them so. A name given from
the shell or by an invite is theirs already, and is kept."""

from __future__ import annotations

import pytest

from flows.people import People
from standin.inprocess import Person
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import LAN, World, make_world, settings_for
from tests.bot.walk import open_case
from tests.conftest import Clock

pytestmark = pytest.mark.asyncio

ADMIN = 5555
#: What the admin's first script says of them, in each language.
INTRODUCED = {
    "vi": "Em là Trần Thu bên chăm sóc khách hàng ạ.",
    "en": "My name is Trần Thu, from customer care.",
}


@pytest.mark.parametrize("locale", ["vi", "en"])
async def test_an_admin_from_the_settings_reads_their_own_name_to_the_customer(
    database_url: str, clock: Clock, locale: str
) -> None:
    settings = settings_for(database_url, people={"admins": [ADMIN], "default_locale": locale})
    async for world in make_world(settings, clock):
        admin = Person(world.app, world.api, ADMIN, "Trần Thu", locale)
        await open_case(admin)
        assert INTRODUCED[locale] in admin.last_text, admin.last_text
        async with SqlUnitOfWork(world.services.sessions) as uow:
            known = await uow.staff.by_telegram_id(ADMIN)
        assert known is not None
        assert known.name == "Trần Thu"


async def test_a_name_given_from_the_shell_is_kept_whatever_the_telegram_name(
    world: World,
) -> None:
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await People(uow, world.services.policy, world.clock).register(ADMIN, "Thu", "admin")
        await uow.commit()
    await Person(world.app, world.api, ADMIN, "Trần Thu", "vi").send("/cases")
    await Person(world.app, world.api, LAN, "Lan Nguyen", "en").send("/cases")
    async with SqlUnitOfWork(world.services.sessions) as uow:
        names = [(await uow.staff.by_telegram_id(who)) for who in (ADMIN, LAN)]
    assert [person.name if person else None for person in names] == ["Thu", "Lan"]
