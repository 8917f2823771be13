"""What a reader would notice on any screen the bot showed: the other language, a key name, a
placeholder left unfilled, a code or a timestamp where words belong, numbers written the
other language's way, a message or a button too long, a button shown twice.

`read_all` reads every message, edit and pop-up the bot sent through the stand-in, each in
its reader's language, leaving out what people typed and names (`typed`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator

from bot.render import LABEL_BUDGET, visible_length
from standin.core import BotApi
from standin.entities import render_html
from standin.errors import JSONDict
from standin.messages import MAX_CALLBACK_DATA_BYTES, MAX_TEXT_LENGTH

#: Marks only Vietnamese writes (a name typed in Vietnamese is left out before this looks).
VIETNAMESE = re.compile(
    r"[ăâđêôơưĂÂĐÊÔƠƯàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]"
)
#: English words no Vietnamese sentence holds (short ones that read alike, "to", are left).
ENGLISH = re.compile(
    r"\b(the|and|you|your|with|for|this|that|was|has|have|been|from|please|case|cases|"
    r"customer|customers|request|requested|approve|declined|waiting|open|opened|closed|"
    r"note|notes|step|skip|done|back|supervisor|staff|reason|when|what|which|will|not|"
    r"timeline|follow-up|today|tomorrow|refund|voucher|none|nan)\b",
    re.IGNORECASE,
)
#: A key name, an unfilled placeholder, a code where a word belongs, a timestamp.
CODES = (
    ("a key name", re.compile(r"\b[a-z]{2,}(?:_[a-z]+)*\.[a-z_]{2,}\b|\[[a-z_]+\.[a-z_.]+\]")),
    ("a placeholder", re.compile(r"\{[a-z_]+\}")),
    ("a code", re.compile(r"\b[a-z]+_[a-z_]+\b")),
    ("None or nan", re.compile(r"\b(None|nan|NaN|null)\b")),
    ("an ISO timestamp", re.compile(r"\b\d{4}-\d{2}-\d{2}T\d")),
)
#: A day written year first (English's own way, "2026-11-23"), in a Vietnamese text.
YEAR_FIRST = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
#: A command named in a text ("/case 12"): the same in every language.
COMMAND = re.compile(r"/[a-z]+")
#: Thousands written the other language's way: "1,000" in Vietnamese, "1.000" in English.
THOUSANDS = {"vi": re.compile(r"\b\d{1,3},\d{3}\b"), "en": re.compile(r"\b\d{1,3}\.\d{3}\b")}
#: A day as English writes it ("11/28" is the month first), in a Vietnamese text.
MONTH_FIRST = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


def defects_of_text(text: str, locale: str, typed: Iterable[str] = ()) -> list[str]:
    """What a reader of `locale` would notice in one text, what people typed left out."""
    for words in sorted(typed, key=len, reverse=True):
        text = text.replace(words, " ")
    text = COMMAND.sub(" ", text)
    found = [f"{what}: {m[0]!r}" for what, pattern in CODES for m in pattern.finditer(text)]
    found += [f"thousands: {m[0]!r}" for m in THOUSANDS[locale].finditer(text)]
    if locale == "vi":
        found += [f"English: {m[0]!r}" for m in ENGLISH.finditer(text)]
        found += [f"an English month: {m[0]!r}" for m in MONTH_FIRST.finditer(text)]
        found += [f"a day year first: {m[0]!r}" for m in YEAR_FIRST.finditer(text)]
    else:
        found += [f"Vietnamese: {m[0]!r}" for m in VIETNAMESE.finditer(text)]
    return found


def defects_of_keyboard(
    markup: JSONDict | str | None, locale: str, typed: Iterable[str]
) -> list[str]:
    """What a reader would notice in a message's buttons: labels too long for their row,
    data Telegram refuses, the same button twice, a label in the other language."""
    if isinstance(markup, str):
        markup = json.loads(markup)
    rows = (markup or {}).get("inline_keyboard", [])
    found: list[str] = []
    seen: set[str] = set()
    for row in rows:
        for button in row:
            label, data = button.get("text", ""), button.get("callback_data") or button.get("url")
            if visible_length(label) > LABEL_BUDGET[min(len(row), 4)]:
                found.append(f"a label too long for a row of {len(row)}: {label!r}")
            if data and len(data.encode()) > MAX_CALLBACK_DATA_BYTES:
                found.append(f"button data over {MAX_CALLBACK_DATA_BYTES} bytes: {data!r}")
            if label in seen:
                found.append(f"the same button twice: {label!r}")
            seen.add(label)
            found += [f"{d} (button {label!r})" for d in defects_of_text(label, locale, typed)]
    return found


def shown(api: BotApi) -> Iterator[tuple[int, str, JSONDict | str | None]]:
    """Every text the bot showed and the buttons under it: the chat, the text, the markup;
    a pop-up answering a button is shown in the chat of whoever pressed it."""
    for call in api.calls:
        method, params = call.method.lower(), call.params
        if method == "answercallbackquery":
            update = api.updates.get(int(str(params["callback_query_id"]).split("-")[1]), {})
            presser = int(update.get("callback_query", {}).get("from", {}).get("id", 0))
            yield presser, str(params.get("text") or ""), None
        elif method.startswith(("send", "edit")) and "chat_id" in params:
            body = params.get("text") or params.get("caption") or ""
            plain = render_html(str(body))[0] if params.get("parse_mode") else str(body)
            yield int(params["chat_id"]), plain, params.get("reply_markup")
        else:
            yield 0, "", None  # one item a call, so that a call's index is its place


def read_all(
    api: BotApi, languages: dict[int, str], typed: Iterable[str], skip: Iterable[range] = ()
) -> list[str]:
    """Every defect a reader would notice in what the bot showed in the chats of `languages`,
    but for the calls in `skip` (a reader trying another language and coming back)."""
    typed, skip = list(typed), list(skip)
    found: list[str] = []
    for index, (chat, text, markup) in enumerate(shown(api)):
        if any(index in calls for calls in skip):
            continue
        locale = languages.get(chat)
        if locale is None:
            continue
        problems = defects_of_text(text, locale, typed)
        problems += defects_of_keyboard(markup, locale, typed)
        if len(text) > MAX_TEXT_LENGTH:
            problems.append(f"longer than {MAX_TEXT_LENGTH} characters")
        found += [f"[{locale} {chat}] {p} in {text[:300]!r}" for p in problems]
    return sorted(set(found))
