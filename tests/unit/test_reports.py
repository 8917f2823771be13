"""Report figures: periods, percentiles, reasons, and every figure of a hand-computed period."""

from __future__ import annotations

import unicodedata
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from flows.parsing import InvalidInput
from flows.periods import Period, parse_period
from flows.procedures.complaint import given_by_type
from flows.reports import (
    Compensation,
    ReportRows,
    Rung,
    Share,
    Week,
    compute,
    count_reasons,
    percentile,
)
from tests.replayed import given_offers

TODAY = date(2026, 11, 23)  # a Monday
HCM = ZoneInfo("Asia/Ho_Chi_Minh")

#: Two full weeks, Monday 2 to Sunday 15 November 2026 — the period of the fixture below,
#: whose rows tests/integration/test_exports_report_figures.py builds in a real database.
PERIOD = Period(date(2026, 11, 2), date(2026, 11, 15))
ROWS = ReportRows(
    opened_per_week=[4, 4],  # C, cancelled as a mistake, neither opened nor closed
    closed_per_week=[4, 5],
    resolution_minutes=[(2880, 1), (8640, 1), (720, 1), (18720, 1)],
    ended=4,
    satisfied=4,
    reopened=1,
    steps_recorded={
        "apologised": 4,
        "fixed": 4,
        "empathised": 4,
        "compensated": 4,
        "scheduled": 4,
    },
    in_order=3,
    compensation=[
        (None, "none", 1, 0),
        (None, "refund", 1, 1_000_000),
        (None, "voucher", 2, 300_000),
    ],
    overdue_in_period=2,
    overdue_now=1,
    reviews=[("resolved", "educate", 1), ("concluded", "termination_conversation", 1)],
    exits=[("defected", 2), ("won_back", 1)],
    defection_reasons=[["price_quality", "competitor_offer"], ["price_quality"]],
    lost_customers=2,
    value_lost={None: 5_000_000},
    defected_customers=2,
    customers_served=3,
)


def test_no_period_means_the_last_thirty_days() -> None:
    assert parse_period([], TODAY) == Period(date(2026, 10, 25), TODAY)


@pytest.mark.parametrize(
    ("words", "first"),
    [
        (["week"], date(2026, 11, 17)),
        (["month"], date(2026, 10, 25)),
        (["quarter"], date(2026, 8, 26)),
        (["Quarter"], date(2026, 8, 26)),
        (["tuần"], date(2026, 11, 17)),
        (["quy"], date(2026, 8, 26)),
    ],
)
def test_named_periods_end_today(words: list[str], first: date) -> None:
    assert parse_period(words, TODAY) == Period(first, TODAY)


def test_two_dates_give_the_period_between_them_both_included() -> None:
    period = parse_period(["2026-09-01", "2026-09-30"], TODAY)
    assert period == Period(date(2026, 9, 1), date(2026, 9, 30))
    assert period.days == 30


def test_dates_may_be_written_day_first_as_vietnamese_readers_see_them() -> None:
    assert parse_period(["01/09/2026", "30/9/2026"], TODAY) == Period(
        date(2026, 9, 1), date(2026, 9, 30)
    )
    assert parse_period(["tuần"], TODAY) == parse_period(["week"], TODAY)


@pytest.mark.parametrize(
    ("words", "key"),
    [
        (["fortnight"], "report.usage"),
        (["2026-09-01", "2026-09-02", "2026-09-03"], "report.usage"),  # one day, or two
        (["2026-09-01", "soon"], "report.usage"),
        (["2026-02-30", "2026-03-01"], "error.no_such_day"),
        (["week", "month", "quarter"], "report.usage"),
        (["2026-09-30", "2026-09-01"], "report.reversed"),
        (["2020-01-01", "2026-01-01"], "report.too_long"),
    ],
)
def test_bad_periods_are_refused_with_the_reason(words: list[str], key: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_period(words, TODAY)
    assert refused.value.key == key


def test_a_period_starts_and_ends_at_local_midnight() -> None:
    start, end = PERIOD.bounds(HCM)
    assert start == datetime(2026, 11, 1, 17, 0, tzinfo=UTC)
    assert end == datetime(2026, 11, 15, 17, 0, tzinfo=UTC)


def test_weeks_start_on_the_first_day_then_on_mondays() -> None:
    period = Period(date(2026, 11, 4), date(2026, 11, 20))  # Wednesday to Friday
    assert period.week_starts() == [date(2026, 11, 4), date(2026, 11, 9), date(2026, 11, 16)]
    assert period.week_bounds(HCM) == [
        datetime(2026, 11, 8, 17, 0, tzinfo=UTC),
        datetime(2026, 11, 15, 17, 0, tzinfo=UTC),
    ]


def test_the_nearest_rank_percentile_is_a_value_that_was_observed() -> None:
    histogram = [(40, 1), (10, 1), (30, 1), (20, 1)]
    assert percentile(histogram, 0.5) == 20
    assert percentile(histogram, 0.9) == 40
    assert percentile([(5, 9), (100, 1)], 0.9) == 5
    assert percentile([(5, 9), (100, 1)], 0.91) == 100


def test_the_percentile_of_nothing_is_none() -> None:
    assert percentile([], 0.5) is None
    assert percentile([(10, 0)], 0.5) is None


def test_reasons_are_counted_once_per_defection_most_frequent_first() -> None:
    counted = count_reasons(
        [["competitor_offer", "price_quality"], ["price_quality", "price_quality"], ["other"]]
    )
    assert counted == [("price_quality", 2), ("competitor_offer", 1), ("other", 1)]


def test_every_figure_of_the_fixture_matches_the_hand_computation() -> None:
    figures = compute(PERIOD, ROWS)

    assert figures.weeks == [
        Week(date(2026, 11, 2), opened=4, closed=4),
        Week(date(2026, 11, 9), opened=4, closed=5),
    ]
    assert (figures.opened, figures.closed) == (8, 9)
    # 720, 2880, 8640, 18720 minutes: rank ceil(0.5 × 4) = 2 and ceil(0.9 × 4) = 4.
    assert (figures.resolved, figures.median_minutes, figures.p90_minutes) == (4, 2880, 18720)
    assert figures.satisfied == Share(4, 4)  # C, cancelled as a mistake, is none of them
    assert figures.reopened == Share(1, 4)
    assert figures.compliant == Share(3, 4)
    assert figures.steps_recorded["fixed"] == 4
    assert figures.compensation == [
        Compensation("refund", 1, 1_000_000),
        Compensation("voucher", 2, 300_000),
        Compensation("none", 1, 0),
    ]
    assert figures.compensation_total == {None: 1_300_000}
    assert (figures.overdue_in_period, figures.overdue_now) == (2, 1)
    assert figures.reviews == {"retained": 1, "terminated": 1}
    assert figures.rungs == [
        Rung("retained", "educate", 1),
        Rung("terminated", "termination_conversation", 1),
    ]
    assert figures.exits == {"defected": 2, "won_back": 1}
    assert figures.reasons == [("price_quality", 2), ("competitor_offer", 1)]
    assert (figures.lost_customers, figures.value_lost) == (2, {None: 5_000_000})
    assert figures.lost_share == figures.defection_rate == Share(2, 3)
    assert figures.defection_rate.ratio == pytest.approx(2 / 3)


def test_a_customer_the_company_let_go_is_lost_but_is_no_defection() -> None:
    rows = ReportRows(
        [0],
        [0],
        lost_customers=3,
        value_lost={"VND": 9_000},
        defected_customers=1,
        customers_served=30,
    )
    figures = compute(Period(date(2026, 1, 1), date(2026, 1, 7)), rows)
    assert (figures.lost_share, figures.value_lost) == (Share(3, 30), {"VND": 9_000})
    assert figures.defection_rate == Share(1, 30)


def test_the_brief_example_loses_a_fifth_worth_42000_a_year() -> None:
    rows = ReportRows(
        [0], [0], lost_customers=140, value_lost={"USD": 140 * 300}, defected_customers=140,
        customers_served=700,
    )  # fmt: skip
    figures = compute(Period(date(2026, 1, 1), date(2026, 1, 7)), rows)
    assert figures.value_lost == {"USD": 42_000}
    assert figures.defection_rate.ratio == pytest.approx(0.2)


def test_a_period_without_data_has_no_shares_and_no_percentiles() -> None:
    figures = compute(PERIOD, ReportRows([], []))
    assert figures.satisfied.ratio is None
    assert figures.median_minutes is None
    assert [w.opened for w in figures.weeks] == [0, 0]
    assert figures.reviews == {"retained": 0, "terminated": 0}


def test_weeks_cut_short_by_the_period_are_marked_partial() -> None:
    figures = compute(Period(date(2026, 11, 4), date(2026, 11, 16)), ReportRows([1, 2, 3], []))
    assert [(w.days, w.partial) for w in figures.weeks] == [(5, True), (7, False), (1, True)]


@pytest.mark.parametrize(("word", "days"), [("tuần", 7), ("tháng", 30), ("quý", 90), ("TUẦN", 7)])
def test_vietnamese_period_words_typed_with_combining_marks_are_understood(
    word: str, days: int
) -> None:
    decomposed = unicodedata.normalize("NFD", word)
    assert decomposed != word
    assert parse_period([decomposed], date(2026, 11, 30)).days == days


def test_the_replay_of_a_complaint_gives_each_offer_under_its_own_type() -> None:
    def offer(kind: str, value: int, to: str) -> tuple[str, str, dict[str, object]]:
        return ("compensated", "compensate", {"type": kind, "value": value, "to": to})

    events = [
        offer("voucher", 200_000, "follow_up"),  # given at once
        ("back", "follow_up", {"withdrawn": {"type": "voucher", "value": 200_000}}),
        offer("voucher", 100_000, "follow_up"),  # given again, smaller
        ("still_unhappy", "awaiting_follow_up", {}),
        offer("refund", 2_000_000, "awaiting_approval"),
        ("declined", "awaiting_approval", {}),  # dropped
        offer("refund", 900_000, "awaiting_approval"),
        ("approved", "awaiting_approval", {}),  # given when approved
        offer("gift", 900_000, "awaiting_approval"),
        ("cancel", "awaiting_approval", {"withdrawn": {"type": "gift", "value": 900_000}}),
    ]
    assert offered(events) == {"voucher": 100_000, "refund": 900_000}
    assert offered([offer("none", 0, "follow_up")]) == {"none": 0}
    assert offered([offer("none", 0, "follow_up"), *events[:1]]) == {"voucher": 200_000}


def offered(events: list[tuple[str, str, Any]]) -> dict[str, int]:
    """What a timeline gave, type by type, as the report sums a complaint's offers."""
    return given_by_type(given_offers(events))
