"""A file attached to a case is named for people wherever it is named — the timeline (/case
N), the Mini App's evidence list, the caption of the file sent again, the export (by its
kind, beside when it was sent): by its name (a
document's) or, where it has none (a photo; a document whose name went with a forgotten
customer), by its kind and when it was sent. Never by the id Telegram keeps it by, and never
by nothing once its customer is forgotten (whose files are then said to be deleted, with no
button offering to send them again). Both languages, a person and a business customer."""

from __future__ import annotations

import csv
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flows.scripts import LOCALES, Scripts
from standin.inprocess import Person
from storage.exports import ENCODING, Words, export_all, sheet_path
from tests.bot.conftest import HOA, LAN, World, staff_and_supervisor
from tests.bot.miniapp_site import serving
from tests.bot.walk import open_case, words
from tests.integration.test_exports_forget import forget_customer

pytestmark = pytest.mark.asyncio

TELEGRAM_ID = {"en": LAN, "vi": HOA}
FILE_ID = "AgACAgUAAxkBAAIBq2ZlongTelegramFileId"
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def unnamed(person: Person, kind: str) -> str:
    """How a file of `kind` with no name begins: its kind, then when it was sent."""
    return words(person, "evidence.unnamed", kind=words(person, f"option.{kind}"), when="")


async def timeline(person: Person, case_id: int) -> str:
    await person.send(f"/case {case_id}")
    return person.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_photo_is_named_by_its_kind_and_when_it_was_sent_never_by_its_file_id(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await person.send_photo(FILE_ID)
    shown = await timeline(person, case_id)
    assert FILE_ID not in shown
    assert f"• {unnamed(person, 'photo')}" in shown
    async with serving(world) as site:
        page = (await site.get(f"cases/{case_id}", TELEGRAM_ID[locale])).json()
    [entry] = page["evidence"]
    assert entry["what"] == unnamed(person, "photo") + entry["when"]
    await person.press(words(person, "button.resend_evidence"))
    resent = person.messages[-1]
    assert resent.plain_text == f"#{case_id} · {unnamed(person, 'photo')}{entry['when']}"


@pytest.mark.parametrize("kind", ["individual", "business"])
@pytest.mark.parametrize("locale", LOCALES)
async def test_a_forgotten_customers_files_are_named_by_kind_and_when_and_said_deleted(
    world: World, locale: str, kind: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    customer = "Công ty Sao Mai" if kind == "business" else "Nguyễn Thị Hương"
    case_id = await open_case(person, customer)
    await person.send_photo(FILE_ID)
    await person.send_document("doc-1", file_name="hoá đơn Sao Mai.pdf")
    await timeline(person, case_id)
    before = person.last  # offers to send the files again, as they were kept then
    customer_id = (await world.case(case_id)).customer_id
    await forget_customer(world.services.sessions, customer_id or 0, world.clock())
    shown = await timeline(person, case_id)
    assert f"• {unnamed(person, 'photo')}" in shown
    assert f"• {unnamed(person, 'document')}" in shown
    assert words(person, "button.resend_evidence") not in person.last.button_labels
    await person.press(words(person, "button.resend_evidence"), before)
    assert world.api.answers[-1]["text"] == words(person, "evidence.forgotten", case=case_id)
    async with serving(world) as site:
        page = (await site.get(f"cases/{case_id}", TELEGRAM_ID[locale])).json()
    assert [e["what"] for e in page["evidence"]] == [
        unnamed(person, "photo") + page["evidence"][0]["when"],
        unnamed(person, "document") + page["evidence"][1]["when"],
    ]


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_events_export_names_each_file_by_its_kind_beside_when_it_was_sent(
    world: World, locale: str, tmp_path: Path
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await person.send_photo(FILE_ID)
    await person.send_document("doc-1", file_name="hoá đơn.pdf")
    customer_id = (await world.case(case_id)).customer_id
    await forget_customer(world.services.sessions, customer_id or 0, world.clock())
    reader = Words(Scripts.load(), locale, "VND")
    day = world.clock().date()
    await export_all(world.services.engine, day, day, HCM, tmp_path, reader)
    with sheet_path(tmp_path, "events", day, day, reader).open(encoding=ENCODING) as f:
        rows = list(csv.DictReader(f))
    what = reader("export.events.kind")
    named = [row[what] for row in rows if "photo" in row[reader("export.events.data")]]
    assert named == [words(person, "event.evidence_photo")]
    assert words(person, "event.evidence_document") in [row[what] for row in rows]
