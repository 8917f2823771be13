"""The report as people read it: their number format, their language, and a real PNG chart."""

from __future__ import annotations

import struct
from zoneinfo import ZoneInfo

from bot.render import Renderer
from bot.render.png_chart import PNG_SIGNATURE, ChartText, png, weekly_figure
from bot.render.reports import ReportView
from flows.policy import Policy
from flows.reports import Share, compute
from flows.scripts import Scripts
from tests.unit.test_reports import PERIOD, ROWS

SCRIPTS = Scripts.load()
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def view(locale: str) -> ReportView:
    return ReportView(Renderer(SCRIPTS, Policy(), locale, HCM))


def test_numbers_are_grouped_the_readers_way() -> None:
    assert view("vi").number(1_234_567) == "1.234.567"
    assert view("en").number(1_234_567) == "1,234,567"
    assert view("vi").percent(2 / 3) == "66,7%"
    assert view("en").percent(2 / 3) == "66.7%"


def test_shares_say_part_of_whole_and_that_there_is_no_data_when_there_is_no_whole() -> None:
    assert view("en").share(Share(1_300, 2_000)) == "1,300 of 2,000 (65%)"
    assert view("vi").share(Share(1_300, 2_000)) == "1.300 trên 2.000 (65%)"
    assert view("en").share(Share(0, 0)) == "no data"
    assert view("vi").share(Share(0, 0)) == "chưa có số liệu"


def test_durations_read_as_days_hours_and_minutes() -> None:
    assert view("en").duration(18_720) == "13 d 0 h"
    assert view("en").duration(125) == "2 h 5 min"
    assert view("vi").duration(40) == "40 phút"


def test_the_english_report_shows_every_key_figure() -> None:
    text = view("en").text(compute(PERIOD, ROWS))
    for expected in (
        "Report 2026-11-02 – 2026-11-15</b> (14 days)",
        "Opened: 8 · closed: 9",
        "median 2 d 0 h, 90% within 13 d 0 h",
        "Satisfied at follow-up: 4 of 4 (100%)",
        "Reopened (still unhappy at a follow-up): 1 of 4 (25%)",
        "All five steps recorded in order: 3 of 4 (75%)",
        "2 went overdue in the period, 1 overdue now",
        "1,300,000 VND in all",
        "Refund: 1 · 1,000,000 VND",
        "Voucher: 2 · 300,000 VND",
        "1 retained, 1 terminated",
        "Why they left: Price or quality 2, Better offer elsewhere 1",
        "Customers lost: 2, worth 5,000,000 VND a year",
        "Defection rate: 66.7% (2 of the 3 customers active at the start or who came during",
    ):
        assert expected in text, expected


def test_the_vietnamese_report_uses_dots_for_thousands_and_local_dates() -> None:
    text = view("vi").text(compute(PERIOD, ROWS))
    assert "Báo cáo 02/11/2026 – 15/11/2026" in text
    assert "tổng cộng 1.300.000 VND" in text
    assert "Tỷ lệ rời bỏ: 66,7%" in text


def test_a_period_without_data_still_reads_sensibly() -> None:
    from flows.reports import ReportRows

    text = view("en").text(compute(PERIOD, ReportRows([], [])))
    assert "no complaint was closed as satisfied" in text
    assert "Nothing given" in text
    assert "No problem review ended" in text
    assert "Defection rate: no data" in text
    assert "No check-in in this period" in text


WORDS = ChartText(
    title="Cases opened and closed per week",
    subtitle="2026-11-02 – 2026-11-15",
    opened="Opened",
    closed="Closed",
    y_label="Cases",
    x_label="Week starting",
    partial_note="part of a week",
)


def test_the_chart_has_the_title_two_bars_a_week_and_the_counts() -> None:
    figure = weekly_figure(["11-02", "11-09"], [5, 4], [5, 5], WORDS)
    axes = figure.axes[0]
    assert figure.get_suptitle() == "Cases opened and closed per week"
    assert axes.get_title() == "2026-11-02 – 2026-11-15"
    assert [t.get_text() for t in axes.get_xticklabels()] == ["11-02", "11-09"]
    assert [p.get_height() for p in axes.patches] == [5, 4, 5, 5]
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["Opened", "Closed"]


def test_partial_weeks_are_marked_in_their_label() -> None:
    figure = weekly_figure(["11-04", "11-09"], [3, 4], [1, 2], WORDS, partial=[True, False])
    labels = [t.get_text() for t in figure.axes[0].get_xticklabels()]
    assert labels == ["11-04*", "11-09"]


def test_the_report_chart_is_a_png_of_a_sensible_size() -> None:
    data = view("vi").chart(compute(PERIOD, ROWS))
    assert data.startswith(PNG_SIGNATURE)
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert (width, height) == (990, 528)
    assert 10_000 < len(data) < 500_000


def test_a_chart_of_two_years_stays_readable() -> None:
    labels = [f"w{i}" for i in range(105)]
    data = png(weekly_figure(labels, [1] * 105, [2] * 105, WORDS))
    assert data.startswith(PNG_SIGNATURE)
