"""A case's timeline on the Mini App's page says what `/case N` says in chat, entry by entry:
when, who, which step, what and what was recorded — for the bot's own entries too (a customer
forgotten from the shell is "automatic", never a dash), and a hand-over of a forgotten
customer's case still names whom it went from and to (their staff ids outlive the redaction
of the names the event kept). For the reader in both languages."""

from __future__ import annotations

from typing import Any

import pytest

from flows.scripts import plain
from standin.inprocess import Person
from tests.bot.conftest import HOA, LAN, World
from tests.bot.miniapp_site import Site, serving
from tests.bot.test_a_supervisor_hands_a_case_over import hand_over
from tests.bot.walk import asking_approval, words
from tests.integration.test_exports_forget import forget_customer

pytestmark = pytest.mark.asyncio

READER = {"en": ("lan", LAN), "vi": ("hoa", HOA)}


async def handed_around_and_forgotten(world: World, person: Person) -> int:
    """`person` asks for an approval with a note and a photo; a supervisor hands the case to
    Bernd and back; the customer is then forgotten from the shell. Return the case number."""
    case_id = await asking_approval(person)
    await person.send("/note Khách gọi lại lần hai")
    await person.send_photo("photo-of-the-cake", caption="Bánh bị móp")
    await hand_over(world.minh, case_id, "👤 Bernd")
    await hand_over(world.minh, case_id, f"👤 {person.first_name}")
    customer_id = (await world.case(case_id)).customer_id or 0
    await forget_customer(world.services.sessions, customer_id, world.clock())
    return case_id


async def both_sides(site: Site, language: str) -> tuple[str, list[dict[str, Any]]]:
    """The chat's `/case N` (its text as the reader sees it) and the page's entries."""
    name, telegram_id = READER[language]
    person: Person = getattr(site.world, name)
    case_id = await handed_around_and_forgotten(site.world, person)
    await person.send(f"/case {case_id}")
    chat = "\n".join(plain(m.text or "") for m in site.world.api.messages(person.chat_id)[-2:])
    return chat, (await site.get(f"cases/{case_id}", telegram_id)).json()["events"]


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_every_entry_of_the_page_reads_as_its_entry_in_the_chat(
    world: World, language: str
) -> None:
    async with serving(world) as site:
        chat, entries = await both_sides(site, language)
    assert len(entries) == 10
    for entry in entries:
        lines = [f"{entry['when']} · {entry['who']} · {entry['step']}", entry["what"]]
        lines += [f"• {line}" if not line.startswith(" ") else line for line in entry["details"]]
        assert "\n".join(lines) in chat


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_what_the_bot_did_alone_is_automatic_on_the_page_as_in_chat(
    world: World, language: str
) -> None:
    async with serving(world) as site:
        _, entries = await both_sides(site, language)
    person: Person = getattr(world, READER[language][0])
    assert entries[-1]["what"] == words(person, "event.forgotten")
    assert entries[-1]["who"] == words(person, "timeline.bot")


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_a_hand_over_of_a_forgotten_customers_case_still_names_whom_it_went_from_and_to(
    world: World, language: str
) -> None:
    async with serving(world) as site:
        chat, entries = await both_sides(site, language)
    person: Person = getattr(world, READER[language][0])
    handed = [e["details"] for e in entries if e["what"] == words(person, "event.handed_over")]
    said = [
        [words(person, "timeline.handed_over", giver=giver, taker=taker).removeprefix("• ")]
        for giver, taker in ((person.first_name, "Bernd"), ("Bernd", person.first_name))
    ]
    assert handed == said
    assert all(f"• {line}" in chat for [line] in said)
