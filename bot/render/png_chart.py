"""The report's chart: cases opened and closed per week, drawn to PNG with matplotlib (Agg).

Only the object-oriented API is used (a `Figure` with its own Agg canvas, no pyplot), and
drawing is serialised by a lock, so charts can be drawn in worker threads.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")  # never a GUI, whatever the environment says

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
OPENED_COLOUR = "#3b7dd8"
CLOSED_COLOUR = "#2ca58d"
WIDTH_INCHES, HEIGHT_INCHES, DPI = 9.0, 4.8, 110
#: matplotlib's font and text caches are shared: one chart is drawn at a time.
_DRAWING = threading.Lock()


@dataclass(frozen=True)
class ChartText:
    """Every word on the chart, in the reader's language."""

    title: str
    subtitle: str
    opened: str
    closed: str
    y_label: str
    x_label: str
    partial_note: str = ""  # explains the mark on weeks the period covers only in part


def weekly_figure(
    labels: Sequence[str],
    opened: Sequence[int],
    closed: Sequence[int],
    words: ChartText,
    partial: Sequence[bool] = (),
) -> Figure:
    """Draw opened and closed cases per week as paired bars, with the count on each bar.

    Weeks the period covers only in part are drawn lighter, their label marked with `*`.
    """
    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = range(len(labels))
    width = 0.4
    bars_opened = axes.bar(
        [p - width / 2 for p in positions], opened, width, label=words.opened, color=OPENED_COLOUR
    )
    bars_closed = axes.bar(
        [p + width / 2 for p in positions], closed, width, label=words.closed, color=CLOSED_COLOUR
    )
    cut = [bool(p) for p in partial] + [False] * (len(labels) - len(partial))
    for bars in (bars_opened, bars_closed):
        for bar, short in zip(bars, cut, strict=False):
            if short:
                bar.set_alpha(0.45)
                bar.set_hatch("//")
        if len(labels) <= 16:
            axes.bar_label(bars, padding=2, fontsize=8, color="#444444")
    ticks = [f"{label}*" if short else label for label, short in zip(labels, cut, strict=True)]
    axes.set_xticks(list(positions), ticks, rotation=45 if len(labels) > 8 else 0)
    if any(cut) and words.partial_note:
        figure.text(0.99, 0.005, f"* {words.partial_note}", ha="right", va="bottom", fontsize=8)
    axes.set_xlabel(words.x_label)
    axes.set_ylabel(words.y_label)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.margins(y=0.12)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", alpha=0.3)
    axes.set_axisbelow(True)
    legend = [
        Patch(color=OPENED_COLOUR, label=words.opened),
        Patch(color=CLOSED_COLOUR, label=words.closed),
    ]
    axes.legend(handles=legend, frameon=False, loc="upper left", ncols=2)
    axes.set_title(words.subtitle, fontsize=10, color="#555555")
    figure.suptitle(words.title, fontsize=14, fontweight="bold")
    return figure


def png(figure: Figure) -> bytes:
    """Render a figure to PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def weekly_chart(
    labels: Sequence[str],
    opened: Sequence[int],
    closed: Sequence[int],
    words: ChartText,
    partial: Sequence[bool] = (),
) -> bytes:
    """Draw the weekly chart straight to PNG bytes (safe to call from worker threads)."""
    with _DRAWING:
        return png(weekly_figure(labels, opened, closed, words, partial))
