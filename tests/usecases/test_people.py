"""Who may use the bot: registration, invites, leaving, language."""

from __future__ import annotations

from datetime import timedelta

import pytest

from flows.model import Invite, Staff
from flows.people import People
from tests.usecases.office import KHOA, TUAN, Office, Person, Work, refusal

NEWCOMER = 5005


async def invite(person: Person, role: str = "staff") -> str:
    made = await person.do(lambda w: w.people.invite(w.actor, role))
    return made.code


async def redeem(office: Office, code: str, name: str = "Ngọc") -> Staff:
    return await office.system(lambda w: w.people.redeem(code, NEWCOMER, name, "vi"))


async def test_registering_again_changes_name_role_and_zone_and_brings_back_who_left(
    office: Office,
) -> None:
    await office.system(lambda w: w.people.deactivate(1001))
    await office.system(
        lambda w: w.people.register(1001, "Lan Phạm", "supervisor", "vi", "Europe/Berlin")
    )
    lan = office.staff_row(1001)
    assert (lan.name, lan.role, lan.timezone, lan.active) == (
        "Lan Phạm",
        "supervisor",
        "Europe/Berlin",
        True,
    )
    assert lan.locale == "en"  # kept: the person chose it
    assert len(office.db.rows(Staff)) == 3


async def test_a_role_that_does_not_exist_is_refused(office: Office) -> None:
    register = office.system(lambda w: w.people.register(4004, "Eve", "owner"))
    assert await refusal(register) == "error.bad_role"


@pytest.mark.parametrize(
    ("role", "may_invite"),
    [
        ("staff", ()),
        ("supervisor", ("staff", "supervisor")),
        ("admin", ("staff", "supervisor", "admin")),
    ],
)
async def test_each_role_invites_only_the_roles_it_may_hand_out(
    office: Office, role: str, may_invite: tuple[str, ...]
) -> None:
    person = await office.register(TUAN, "Tuấn", role)
    for wanted in ("staff", "supervisor", "admin"):
        if wanted in may_invite:
            assert len(await invite(person, wanted)) >= 16
        else:
            assert await refusal(invite(person, wanted)) == "invite.not_allowed"
    assert await refusal(invite(person, "owner")) == "error.bad_role"


async def test_an_invite_registers_one_newcomer_with_its_role_once(
    office: Office, minh: Person
) -> None:
    code = await invite(minh, "supervisor")
    newcomer = await redeem(office, code)
    assert (newcomer.telegram_id, newcomer.name, newcomer.role, newcomer.locale) == (
        NEWCOMER,
        "Ngọc",
        "supervisor",
        "vi",
    )
    used = office.db.row(Invite, code)
    assert used is not None
    assert (used.used_by, used.used_at) == (newcomer.id, office.clock())
    again = office.system(lambda w: w.people.redeem(code, 6006, "Second", "en"))
    assert await refusal(again) == "invite.invalid"
    assert await refusal(redeem(office, "no-such-code")) == "invite.invalid"


async def test_an_invite_stops_working_exactly_when_it_expires(
    office: Office, minh: Person
) -> None:
    code = await invite(minh)
    office.clock.advance(hours=48)
    assert await refusal(redeem(office, code)) == "invite.invalid"
    office.clock.advance(seconds=-1)
    assert (await redeem(office, code)).role == "staff"


async def test_an_invite_of_someone_who_left_or_was_demoted_registers_nobody(
    office: Office, minh: Person
) -> None:
    khoa = await office.register(KHOA, "Khoa", "supervisor")
    left, demoted = await invite(minh), await invite(khoa, "supervisor")
    await office.system(lambda w: w.people.deactivate(minh.telegram_id))
    await office.system(lambda w: w.people.register(KHOA, "Khoa", "staff"))
    for code in (left, demoted):
        assert await refusal(redeem(office, code)) == "invite.invalid"
    assert all(s.telegram_id != NEWCOMER for s in office.db.rows(Staff))


async def test_a_newcomer_whose_name_is_only_symbols_is_named_by_their_telegram_id(
    office: Office, minh: Person
) -> None:
    newcomer = await redeem(office, await invite(minh), "\u200b\u200b")
    assert newcomer.name == str(NEWCOMER)


async def test_someone_who_leaves_keeps_their_history_and_is_asked_nothing_more(
    office: Office, lan: Person
) -> None:
    case_id = await lan.new()
    await office.system(lambda w: w.people.deactivate(lan.telegram_id))
    gone = lan.row
    assert (gone.active, gone.expecting, gone.expecting_case_id) == (False, None, None)
    assert office.case(case_id).owner_id == gone.id
    unknown = office.system(lambda w: w.people.deactivate(4242))
    assert await refusal(unknown) == "error.no_such_person"


async def test_the_language_is_one_the_bot_speaks(office: Office, lan: Person) -> None:
    async def choose(locale: str) -> None:
        async def set_language(w: Work) -> None:
            People.set_language(w.actor, locale)

        await lan.do(set_language)

    await choose("vi")
    assert lan.row.locale == "vi"
    assert await refusal(choose("fr")) == "error.bad_language"
    assert lan.row.locale == "vi"


async def test_invites_expire_after_the_configured_hours(office: Office, minh: Person) -> None:
    code = await invite(minh)
    made = office.db.row(Invite, code)
    assert made is not None
    assert made.expires_at - made.created_at == timedelta(hours=office.policy.invite_hours)
