"""A supervisor's export, read whole in each language: what is being prepared, each file
with its caption, then what was sent and in which time zone its times are, named in the
reader's words; files too large for Telegram are said, and no "done" claims them.

Before, the last message read "Xong: 3 tệp (UTF-8, …). Giờ ghi theo múi giờ
Asia/Ho_Chi_Minh." — a time zone's identifier in English for a Vietnamese reader, as
every column of times was headed — and, with every file too large, "Done: 0 files".
"""

from __future__ import annotations

import re

import pytest

import bot.report_commands
from flows.scripts import Scripts, plain
from standin.inprocess import Person
from tests.bot.conftest import World
from tests.bot.test_reports import Uploads, thao, world  # noqa: F401  (the world with /export)

pytestmark = pytest.mark.asyncio

#: Every message of an export of the last week, as each reader reads it.
READ = {
    "en": [
        "📦 Preparing the CSV files for 2026-11-17 – 2026-11-23…",
        "Cases · 2026-11-17 – 2026-11-23 · rows: 1",
        "Events · 2026-11-17 – 2026-11-23 · rows: 3",
        "Customers · 2026-11-17 – 2026-11-23 · rows: 1",
        "All 3 files sent. They open in Excel, Google Sheets or any other spreadsheet; the "
        "times in them are in Vietnam time, UTC+7.",
    ],
    "vi": [
        "📦 Đang chuẩn bị các tệp CSV cho 17/11/2026 – 23/11/2026…",
        "Hồ sơ · 17/11/2026 – 23/11/2026 · số dòng: 1",
        "Sự kiện · 17/11/2026 – 23/11/2026 · số dòng: 3",
        "Khách hàng · 17/11/2026 – 23/11/2026 · số dòng: 1",
        "Đã gửi đủ 3 tệp. Bạn mở được bằng Excel, Google Trang tính hoặc phần mềm bảng tính "
        "khác; thời gian trong tệp tính theo giờ Việt Nam, UTC+7.",
    ],
}
#: How the columns of times name their time zone.
ZONE_COLUMN = {"en": "Opened at (Vietnam time, UTC+7)", "vi": "Tạo lúc (giờ Việt Nam, UTC+7)"}
NONE_SENT = {
    "en": "No file could be sent: each is too large for Telegram (see above).",
    "vi": "Chưa gửi được tệp nào: tệp nào cũng quá lớn để gửi qua Telegram (xem ở trên).",
}


def too_big(locale: str) -> re.Pattern[str]:
    """What is said of a file too large, as the scripts give the reader's language, whatever
    the file, its size and its period."""
    template = plain(Scripts.load().get(locale, "export.too_big"))
    return re.compile(".+?".join(map(re.escape, re.split(r"\{\w+\}", template))))


def supervisor(everyone: World, locale: str) -> Person:
    return everyone.minh if locale == "en" else thao(everyone)


@pytest.mark.parametrize("locale", list(READ))
async def test_an_export_is_read_whole_in_the_readers_words(
    world: World,  # noqa: F811
    locale: str,
) -> None:
    person = supervisor(world, locale)
    uploads = Uploads(world)
    await person.send("/export week")
    await world.work_done()
    assert [m.plain_text for m in person.messages] == READ[locale]
    assert [m.kind for m in person.messages] == ["text", *["document"] * 3, "text"]
    for content in uploads.files.values():
        assert "Asia/" not in content.decode("utf-8-sig").splitlines()[0]
    cases = next(c for name, c in uploads.files.items() if name.startswith(("cases", "ho-so")))
    assert ZONE_COLUMN[locale] in cases.decode("utf-8-sig").splitlines()[0]


@pytest.mark.parametrize("locale", list(READ))
async def test_an_export_whose_files_are_all_too_large_says_none_was_sent(
    world: World,  # noqa: F811
    locale: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(bot.report_commands, "DOCUMENT_LIMIT_MB", 0)
    person = supervisor(world, locale)
    await person.send("/export week")
    await world.work_done()
    assert person.last_text == NONE_SENT[locale]
    assert [m.kind for m in person.messages] == ["text"] * 5  # preparing, 3 too large, none
    assert all(too_big(locale).fullmatch(m.plain_text) for m in person.messages[1:4])
