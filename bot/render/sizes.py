"""What fits: messages within Telegram's limit, button labels within a phone's row."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from bot.render.keyboards import Button
from flows.scripts import plain

MESSAGE_LIMIT = 4096
#: Telegram's limit for a photo's or a document's caption, in UTF-16 code units.
CAPTION_LIMIT = 1024
#: Telegram's limit for the notification that answers a button (answerCallbackQuery).
ANSWER_LIMIT = 200
#: How much of one typed value a card or a request shows; `/case N` shows it whole.
SHOWN_VALUE = 200
#: Shorter cuts of each typed value, tried in turn where a message quoting many of them
#: (a termination request: incidents, reasons, rungs) would not fit otherwise: every entry
#: keeps its line, shorter, rather than the last ones being dropped.
SHORTER_VALUES = (SHOWN_VALUE, 120, 80, 50, 30)
#: Most visible characters of a button label, by how many buttons share its row: phones
#: cut longer labels (measured on a 360-point-wide screen).
LABEL_BUDGET = {1: 38, 2: 18, 3: 10, 4: 10}
#: Most visible characters of a status word in a list (`step.*.short`).
SHORT_BUDGET = 12


def button(text: str, data: str) -> Button:
    """A button whose label is cut to Telegram's 64 characters."""
    return Button(text[:64], data)


def visible_length(text: str) -> int:
    """Characters a reader sees: emoji variation selectors, joiners and accents do not count."""
    return sum(1 for ch in text if ch not in "\ufe0f\u200d" and unicodedata.category(ch) != "Mn")


def fit_label(text: str, tail: str = "", budget: int = LABEL_BUDGET[1]) -> str:
    """Shorten `text` with "…" so that text + tail fits the label budget of a whole row."""
    room = budget - visible_length(tail)
    if visible_length(text) > room:
        text = text[: max(room - 1, 1)].rstrip() + "…"
    return text + tail


def fit_label_after(prefix: str, text: str, tail: str = "") -> str:
    """Put `text` between `prefix` and `tail`, shortened so that the label fits a row."""
    return prefix + fit_label(text, tail, LABEL_BUDGET[1] - visible_length(prefix))


def button_rows(buttons: Sequence[Button], most: int = 2) -> list[list[Button]]:
    """Lay buttons out in rows of up to `most`, every row within the label budget."""
    rows: list[list[Button]] = []
    for added in buttons:
        row = [*rows[-1], added] if rows else [added]
        if len(row) <= most and all(visible_length(b.text) <= LABEL_BUDGET[len(row)] for b in row):
            rows[-1:] = [row]
        else:
            rows.append([added])
    return rows


def cut_short(values: Iterable[object], shown: int = SHOWN_VALUE) -> bool:
    """Tell whether any typed value is longer than a card or a request shows (`shown`)."""
    return any(isinstance(v, str) and len(v) > shown for v in values)


def fit(lines: Sequence[str], tail: Sequence[str], limit: int = MESSAGE_LIMIT) -> str:
    """Join `lines` and `tail` into one message; if too long, drop lines before the tail.

    The last resort for a card, which must stay one message with its buttons: the header
    comes first and the question (`tail`) last, so what goes is the middle.
    """
    body, end = list(lines), "\n".join(tail)
    text = "\n".join([*body, end]) if tail else "\n".join(body)
    while body and shown_units(text) > limit:
        body.pop()
        text = "\n".join([*body, "…", end]) if tail else "\n".join([*body, "…"])
    return text if shown_units(text) <= limit else _cut(text, limit - 1)[0] + "…"


Drawn = TypeVar("Drawn")


def shrunk(
    draw: Callable[[int], Drawn],
    text_of: Callable[[Drawn], str],
    sizes: Sequence[int] = SHORTER_VALUES,
    limit: int = MESSAGE_LIMIT,
) -> Drawn:
    """Draw with each of `sizes` in turn, largest first (how much of each typed entry, or
    how many entries, a message shows): the first drawing whose text fits `limit`, else
    the last. Every line keeps its place, shorter, rather than the last ones dropped."""
    for size in sizes:
        drawn = draw(size)
        if shown_units(text_of(drawn)) <= limit:
            break
    return drawn


def within_units(text: str, limit: int) -> str:
    """Plain text within `limit` of Telegram's units (UTF-16), cut with "…" if longer: an
    emoji counts two, so a caption of 1,000 characters may be too long for 1,024."""
    return text if _units(text) <= limit else _cut(text, limit - 1)[0].rstrip() + "…"


def _units(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's limits."""
    return len(text.encode("utf-16-le")) // 2


def shown_units(html: str) -> int:
    """Length as Telegram counts a message: the text shown, without tags, entities read."""
    return _units(plain(html))


def _cut(line: str, limit: int) -> tuple[str, str]:
    """Cut a long line within `limit` units, never inside an HTML entity like &amp;."""
    end = min(len(line), limit)
    while end > 1 and _units(line[:end]) > limit:
        end = max(1, end - max(1, (_units(line[:end]) - limit) // 2))
    entity = line.rfind("&", max(0, end - 10), end)
    if entity > 0 and ";" not in line[entity:end]:
        end = entity
    return line[:end], line[end:]


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Split text at line breaks, in order, so that each part fits one message."""
    parts: list[str] = []
    current = ""
    for line in text.split("\n"):
        if current and shown_units(current) + 1 + shown_units(line) > limit:
            parts.append(current)
            current = ""
        while shown_units(line) > limit:
            head, line = _cut(line, limit)
            parts.append(head)
        current = f"{current}\n{line}" if current else line
    if current:
        parts.append(current)
    return parts
