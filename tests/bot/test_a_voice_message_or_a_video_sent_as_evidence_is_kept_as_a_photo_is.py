"""A customer's voice message, a recorded call, a video of a broken product or a round video
note sent to a case is evidence as a photo is: attached (never refused as "cannot answer"),
named by its kind and when it was sent (an audio file by its own name), listed on the
timeline (/case N), in the Mini App and in the export, and sent again by the send-again
button with the Bot API method of its kind (a video note, which takes no caption, just
after what names it). A sticker sent where a file is asked is still refused, the question
asked again saying what is taken. Both languages, staff and supervisor."""

from __future__ import annotations

import csv
from collections.abc import Awaitable, Callable
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from flows.scripts import LOCALES, Scripts
from standin.inprocess import Person
from storage.exports import ENCODING, Words, export_all, sheet_path
from tests.bot.conftest import HOA, LAN, MINH, THAO, World, staff_and_supervisor
from tests.bot.miniapp_site import serving
from tests.bot.walk import open_case, words

pytestmark = pytest.mark.asyncio

TELEGRAM_ID = {("en", "staff"): LAN, ("vi", "staff"): HOA}
TELEGRAM_ID |= {("en", "supervisor"): MINH, ("vi", "supervisor"): THAO}
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
Sending = Callable[[Person], Awaitable[int]]
#: Each kind of file beside a photo and a document, how it is sent, and the method that
#: sends it again.
SENT: dict[str, tuple[Sending, str]] = {
    "voice": (lambda p: p.send_voice("voice-of-customer"), "sendVoice"),
    "audio": (lambda p: p.send_audio("call-recording"), "sendAudio"),
    "video": (lambda p: p.send_video("broken-kettle"), "sendVideo"),
    "video_note": (lambda p: p.send_video_note("round-video"), "sendVideoNote"),
}
FILE_IDS = {
    "voice": "voice-of-customer",
    "audio": "call-recording",
    "video": "broken-kettle",
    "video_note": "round-video",
}


def unnamed(person: Person, kind: str) -> str:
    """How a file of `kind` with no name begins: its kind, then when it was sent."""
    return words(person, "evidence.unnamed", kind=words(person, f"option.{kind}"), when="")


async def person_for(world: World, locale: str, role: str) -> Person:
    staff, supervisor = await staff_and_supervisor(world, locale)
    return staff if role == "staff" else supervisor


@pytest.mark.parametrize("role", ["staff", "supervisor"])
@pytest.mark.parametrize("kind", list(SENT))
@pytest.mark.parametrize("locale", LOCALES)
async def test_a_voice_message_an_audio_file_or_a_video_is_attached_named_listed_and_sent_again(
    world: World, locale: str, kind: str, role: str
) -> None:
    person = await person_for(world, locale, role)
    case_id = await open_case(person)
    await person.press(words(person, "button.evidence"))
    send, method = SENT[kind]
    await send(person)
    assert words(person, "evidence.saved", case=case_id) in [m.plain_text for m in person.messages]
    [attached] = [e.data for e in await world.events(case_id) if e.kind == "evidence"]
    assert (attached["kind"], attached["file_id"]) == (kind, FILE_IDS[kind])
    await person.send(f"/case {case_id}")
    shown = person.last_text
    assert words(person, f"event.evidence_{kind}") in shown
    assert f"• {unnamed(person, kind)}" in shown
    async with serving(world) as site:
        page = (await site.get(f"cases/{case_id}", TELEGRAM_ID[locale, role])).json()
    [entry] = page["evidence"]
    named = f"{unnamed(person, kind)}{entry['when']}"
    assert entry["what"] == named
    await person.press(words(person, "button.resend_evidence"))
    [again] = world.api.called(method)
    assert again.params[kind] == FILE_IDS[kind]
    assert person.messages[-1].kind == kind
    assert f"#{case_id} · {named}" in [m.plain_text for m in person.messages[-2:]]


@pytest.mark.parametrize("locale", LOCALES)
async def test_an_audio_file_is_named_by_its_own_name(world: World, locale: str) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await person.send_audio("call-1", file_name="cuộc gọi 23-11.m4a")
    await person.send(f"/case {case_id}")
    assert f"• {words(person, 'option.audio')}: cuộc gọi 23-11.m4a" in person.last_text


@pytest.mark.parametrize("locale", LOCALES)
async def test_the_events_export_names_each_kind_of_file(
    world: World, locale: str, tmp_path: Path
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    await open_case(person)
    for send, _method in SENT.values():
        await send(person)
    reader = Words(Scripts.load(), locale, "VND")
    day = world.clock().date()
    await export_all(world.services.engine, day, day, HCM, tmp_path, reader)
    with sheet_path(tmp_path, "events", day, day, reader).open(encoding=ENCODING) as f:
        named = {row[reader("export.events.kind")] for row in csv.DictReader(f)}
    assert {words(person, f"event.evidence_{kind}") for kind in SENT} <= named


@pytest.mark.parametrize("locale", LOCALES)
async def test_a_sticker_where_a_file_is_asked_is_refused_saying_what_is_taken(
    world: World, locale: str
) -> None:
    person, _ = await staff_and_supervisor(world, locale)
    case_id = await open_case(person)
    await person.press(words(person, "button.evidence"))
    await person.send_sticker()
    said = [m.plain_text for m in person.messages[-2:]]
    assert said[0] == words(person, "input.not_usable", case=case_id)
    assert said[1].startswith(words(person, "ask.evidence", case=case_id))
    assert words(person, "option.voice").lower() in said[1].lower()
    assert not [e for e in await world.events(case_id) if e.kind == "evidence"]
