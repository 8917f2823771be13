"""The evidence list on a case's page says each file and the words sent under it as one
line, "Photo sent … · “caption”" — the caption as the chat's timeline quotes it, without the
indent that sets it under the file there. In both languages."""

from __future__ import annotations

import pytest

from tests.bot.conftest import HOA, LAN, World
from tests.bot.miniapp_site import serving
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_a_photos_caption_follows_it_on_one_line_in_the_evidence_list(
    world: World, language: str
) -> None:
    person, telegram_id = (world.hoa, HOA) if language == "vi" else (world.lan, LAN)
    case_id = await open_case(person)
    await person.send_photo("photo-of-the-cake", caption="Bánh bị móp")
    await person.send_document("doc-1", "hoá đơn.pdf")
    async with serving(world) as site:
        shown = (await site.get(f"cases/{case_id}", telegram_id)).json()
    photo, document = words(person, "option.photo"), words(person, "option.document")
    sent = shown["evidence"][0]["when"]  # a photo has no name: named by when it was sent
    assert [e["what"] for e in shown["evidence"]] == [
        f"{words(person, 'evidence.unnamed', kind=photo, when=sent)} · “Bánh bị móp”",
        f"{document}: hoá đơn.pdf",
    ]
