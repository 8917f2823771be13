"""A file's name kept before file names were cleaned (`flows.parsing.file_name`) may hold a
right-to-left override, line breaks, control characters or thousands of characters. It is
shown as a new one is kept — in the chat's timeline, the Mini App's case, under the file
sent again — and the events export keeps the invisible characters escaped."""

from __future__ import annotations

import csv
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from flows.scripts import Scripts
from storage import tables
from storage.exports import ENCODING, Words, export_all, sheet_path
from tests.bot.conftest import LAN, World
from tests.bot.miniapp_site import Site, serving
from tests.bot.walk import open_case

pytestmark = pytest.mark.asyncio

#: As an older version kept it: "invoice<RLO>fdp.exe" reads "invoiceexe.pdf".
KEPT = "invoice\u202efdp.exe\n✅ Approved by Minh\x07" + "x" * 3000
OPENING = "invoicefdp.exe ✅ Approved by Minh"
SHOWN = OPENING + "x" * (199 - len(OPENING)) + "…"  # 200 characters
HIDDEN = ("\u202e", "\x07", "\n✅")


@pytest.fixture
async def site(world: World) -> AsyncIterator[Site]:
    async with serving(world) as served:
        yield served


async def attached_long_ago(world: World) -> int:
    """A case with a document whose name was kept as it was sent, before names were cleaned."""
    case_id = await open_case(world.lan)
    await world.lan.send_document("doc-1", file_name="invoice.pdf")
    events = tables.case_events
    async with world.services.engine.begin() as connection:  # the log is append-only
        attached = (
            await connection.execute(
                select(events).where(events.c.case_id == case_id, events.c.kind == "evidence")
            )
        ).one()
        await connection.execute(
            insert(events).values(
                case_id=case_id,
                seq=attached.seq + 100,
                at=attached.at,
                actor_id=attached.actor_id,
                step=attached.step,
                kind="evidence",
                data={"file_id": "doc-2", "kind": "document", "name": KEPT},
            )
        )
    return case_id


def assert_clean(shown: str) -> None:
    assert SHOWN in shown
    assert not any(hidden in shown for hidden in HIDDEN), shown


async def test_a_file_name_kept_before_cleaning_shows_cleaned_in_the_timeline(
    world: World,
) -> None:
    case_id = await attached_long_ago(world)
    await world.lan.send(f"/case {case_id}")
    assert_clean("\n".join(m.plain_text for m in world.lan.messages[-3:]))


async def test_a_file_name_kept_before_cleaning_shows_cleaned_in_the_mini_app(
    site: Site,
) -> None:
    case_id = await attached_long_ago(site.world)
    shown = (await site.get(f"cases/{case_id}", LAN)).json()
    assert_clean(shown["evidence"][-1]["what"])
    assert_clean("\n".join(d for entry in shown["events"] for d in entry["details"]))


async def test_a_file_sent_again_carries_its_name_cleaned(world: World) -> None:
    case_id = await attached_long_ago(world)
    await world.lan.send(f"/case {case_id}")
    await world.lan.press("Send the evidence again")
    [again] = [m for m in world.lan.messages if m.file_id == "doc-2" and m.text]
    assert again.text is not None
    assert_clean(again.text)


async def test_the_events_export_keeps_a_file_names_hidden_characters_escaped(
    world: World, tmp_path: Path
) -> None:
    await attached_long_ago(world)
    day = world.clock().date()
    words = Words(Scripts.load(), "en", "VND")
    tz = world.services.tz_for(None)
    await export_all(world.services.engine, day, day, tz, tmp_path, words, names=["events"])
    path = sheet_path(tmp_path, "events", day, day, words)
    with path.open(encoding=ENCODING, newline="") as handle:
        cells = [cell for row in csv.reader(handle) for cell in row]
    [data] = [cell for cell in cells if "fdp.exe" in cell]
    assert "\u202e" not in data
    assert "\x07" not in data
    assert "invoice\\u202efdp.exe\\n✅ Approved by Minh\\u0007" in data
