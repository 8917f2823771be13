"""The report's charts for the page, drawn on the server as small SVG documents.

No JavaScript library and no build step: each chart is an `<svg>` string with a `viewBox`
(it scales to the screen) whose shapes carry classes, not colours, so the page's stylesheet
paints them in Telegram's theme colours. Every word is escaped here; numbers arrive already
written the reader's way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 360  # viewBox units; about a phone's width in CSS pixels, so text stays legible
FONT = 11
BAR_GAP = 0.25  # share of a week's slot left empty between weeks


@dataclass(frozen=True)
class Series:
    """One set of bars: its name (legend), its values, and the class that colours it."""

    name: str
    values: Sequence[int]
    css: str


@dataclass(frozen=True)
class Bar:
    """One horizontal bar: what it is, how long, and the value written beside it."""

    label: str
    value: int
    shown: str


def _text(x: float, y: float, words: str, css: str = "", anchor: str = "start") -> str:
    klass = f' class="{css}"' if css else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{klass}>{escape(words)}</text>'
    )


def _svg(height: float, label: str, body: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'role="img" aria-label="{escape(label)}" font-size="{FONT}">' + "".join(body) + "</svg>"
    )


def _nice_top(value: int, ticks: int = 4) -> int:
    """A round top for an axis of `ticks` steps, at least `value`: each step is 1, 2 or 5
    times a power of ten, so every gridline falls on a whole number."""
    scale = 1
    while True:
        for step in (1, 2, 5):
            if step * scale * ticks >= value:
                return step * scale * ticks
        scale *= 10


def grouped_bars(
    label: str,
    categories: Sequence[str],
    series: Sequence[Series],
    partial: Sequence[bool] = (),
) -> str:
    """Bars side by side per category (weeks), a legend, and counts above the bars.

    Categories flagged in `partial` (weeks the period covers only in part) get the class
    `partial` and a `*` after their label, as in the chat's chart.
    """
    left, right, top, bottom = 28.0, 6.0, 26.0, 34.0
    height = 220.0
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    peak = _nice_top(max((v for s in series for v in s.values), default=0) or 1)
    slot = plot_w / max(len(categories), 1)
    bar_w = slot * (1 - BAR_GAP) / max(len(series), 1)
    body: list[str] = []
    for tick in range(5):
        y = top + plot_h - plot_h * tick / 4
        body.append(
            f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
        )
        body.append(_text(left - 4, y + 4, str(peak * tick // 4), "axis", "end"))
    every = max(1, -(-len(categories) // 10))  # at most about ten labels under the axis
    for i, category in enumerate(categories):
        short = i < len(partial) and partial[i]
        x0 = left + slot * i + slot * BAR_GAP / 2
        for j, one in enumerate(series):
            value = one.values[i] if i < len(one.values) else 0
            bar_h = plot_h * value / peak
            x, y = x0 + bar_w * j, top + plot_h - bar_h
            css = f"{one.css} partial" if short else one.css
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{bar_h:.1f}" '
                f'class="{css}"/>'
            )
            if len(categories) <= 16 and value:
                body.append(_text(x + bar_w / 2, y - 3, str(value), "value", "middle"))
        if i % every == 0:
            name = f"{category}*" if short else category
            middle = x0 + bar_w * len(series) / 2
            body.append(_text(middle, height - bottom + 14, name, "axis", "middle"))
    x = left
    for one in series:
        body.append(f'<rect x="{x:.1f}" y="6" width="10" height="10" class="{one.css}"/>')
        body.append(_text(x + 14, 15, one.name, "legend"))
        x += 14 + 7 * len(one.name) + 12
    return _svg(height, label, body)


def horizontal_bars(label: str, bars: Sequence[Bar], css: str) -> str:
    """One bar per row, longest value longest bar; the name and the value above it."""
    row, top = 34.0, 4.0
    height = top + row * max(len(bars), 1)
    peak = max((b.value for b in bars), default=0) or 1
    body: list[str] = []
    for i, bar in enumerate(bars):
        y = top + row * i
        length = max(WIDTH * bar.value / peak, 2.0)
        body.append(_text(0, y + 11, bar.label, "label"))
        body.append(_text(WIDTH, y + 11, bar.shown, "value", "end"))
        body.append(
            f'<rect x="0" y="{y + 16:.1f}" width="{length:.1f}" height="12" rx="2" class="{css}"/>'
        )
    return _svg(height, label, body)


def meter(label: str, part: int, whole: int, caption: str) -> str:
    """A share as a filled track (e.g. customers lost of those active), with a caption."""
    height, track = 44.0, WIDTH - 2.0
    filled = track * part / whole if whole else 0.0
    body = [
        _text(0, 12, caption, "label"),
        f'<rect x="1" y="20" width="{track:.1f}" height="16" rx="3" class="track"/>',
        f'<rect x="1" y="20" width="{max(filled, 0):.1f}" height="16" rx="3" class="lost"/>',
    ]
    return _svg(height, label, body)
