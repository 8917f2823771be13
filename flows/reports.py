"""What a business should measure (domain brief, section 5), computed from aggregated rows.

Storage runs the aggregate queries and hands over small rows (`ReportRows`); this module
turns them into the figures a supervisor reads (`Figures`). No SQL, no Telegram: every rule
here is a plain function, unit-tested against a hand-computed fixture.

Which cases a figure counts (the "cohort"), so that every number has one meaning:

- opened / closed per week: cases of every kind, by `opened_at` and `closed_at`, but those
  cancelled as a mistake (a duplicate, the wrong customer: no work done, as below); one
  ended early for another reason (withdrawn, unreachable, handed to another team: staff
  press ⏹ End early, not ✖ Cancel (mistake)) is work done and counts as any that ended;
- time to resolution (median, 90th percentile): complaints closed as satisfied in the
  period, from `opened_at` to `closed_at`;
- satisfied share, reopen rate, step compliance, compensation: complaints that *ended*
  (closed or cancelled) in the period — their story is complete —, those the customer made
  (`flows.procedures.complaint.counted`: not one cancelled as a mistake, though what was
  given on it is compensation given); compensation by the type each amount was given as,
  across reopens (`cases.compensation_given`); with it, the goodwill given at the goodbyes
  of the period (problem reviews ended `terminated`), under the gesture's own type;
- amounts (compensation, value lost): summed currency by currency (`Amounts`), each in the
  currency its case or customer was recorded in, never one added to another;
- overdue follow-ups: complaints that went overdue in the period (an `overdue` event),
  and how many are overdue now;
- problem reviews, exit interviews, defections, check-ins: by the concluding event's time;
- value lost: customers whose problem review ended `terminated` or whose exit interview
  ended `defected` in the period — lost either way;
- share lost and defection rate: those customers, and those who defected (chose to leave:
  an exit interview ended `defected`; a customer the company let go is lost, not a
  defection), against the customers active at its start (not lost then, or won back since)
  or who came during it — registered, won back or lost again (so neither passes 100%).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from flows.model import FIVE_STEP_EVENTS
from flows.periods import Period
from flows.procedures.check_in import STANDINGS
from flows.procedures.exit_interview import EXIT_REASONS

#: Why customers leave (the exit interview's questions, domain brief section 5).
DEFECTION_REASONS: tuple[str, ...] = EXIT_REASONS
#: Concluding events and the outcome each one records.
REVIEW_OUTCOMES: dict[str, str] = {"resolved": "retained", "concluded": "terminated"}
EXIT_OUTCOMES: tuple[str, ...] = ("defected", "won_back")

#: Amounts by the currency each was recorded in (None: none kept, the one set).
Amounts = dict[str | None, int]

# ------------------------------------------------------------------------ input rows


@dataclass
class ReportRows:
    """What the aggregate queries return: small rows, whatever the size of the log."""

    opened_per_week: list[int]
    closed_per_week: list[int]
    #: (minutes from opening to closing, how many complaints) for complaints closed satisfied.
    resolution_minutes: list[tuple[int, int]] = field(default_factory=list)
    ended: int = 0  # complaints closed or cancelled in the period
    satisfied: int = 0  # of those, closed as satisfied at follow-up
    reopened: int = 0  # of those, reopened at least once (still unhappy at a follow-up)
    #: How many ended complaints recorded each of the five steps at least once.
    steps_recorded: dict[str, int] = field(default_factory=dict)
    in_order: int = 0  # ended complaints with all five steps, first occurrences in order
    #: (currency, compensation type, how many cases, total value) for ended complaints, and
    #: the goodwill (its own types) of the reviews that let a customer go in the period.
    compensation: list[tuple[str | None, str, int, int]] = field(default_factory=list)
    overdue_in_period: int = 0
    overdue_now: int = 0
    #: (concluding event kind, ladder rung it was recorded at, how many reviews).
    reviews: list[tuple[str, str, int]] = field(default_factory=list)
    #: (exit interview outcome, how many).
    exits: list[tuple[str, int]] = field(default_factory=list)
    #: The reasons list of each defection in the period.
    defection_reasons: list[list[str]] = field(default_factory=list)
    #: Where each customer checked in with in the period said they stand (stays, …).
    check_ins: list[str] = field(default_factory=list)
    lost_customers: int = 0
    value_lost: Amounts = field(default_factory=dict)
    defected_customers: int = 0  # of the lost, those who chose to leave
    customers_served: int = 0


# --------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class Share:
    """A part of a whole, e.g. 12 of 40 complaints."""

    part: int
    whole: int

    @property
    def ratio(self) -> float | None:
        """Return part / whole, or None when there is nothing to divide by."""
        return self.part / self.whole if self.whole else None


@dataclass(frozen=True)
class Week:
    """One bar group of the chart; `days` < 7 for a week the period cuts short."""

    start: date
    opened: int
    closed: int
    days: int = 7

    @property
    def partial(self) -> bool:
        """Tell whether the period covers only part of this week."""
        return self.days < 7


@dataclass(frozen=True)
class Compensation:
    """Compensation of one type, in one currency."""

    type: str
    count: int
    total: int
    currency: str | None = None


@dataclass(frozen=True)
class Rung:
    """Problem reviews that ended at one rung of the ladder with one outcome."""

    outcome: str
    rung: str
    count: int


@dataclass
class Figures:
    """The key figures of one period, ready to render."""

    period: Period
    weeks: list[Week]
    opened: int
    closed: int
    resolved: int
    median_minutes: int | None
    p90_minutes: int | None
    satisfied: Share
    reopened: Share
    compliant: Share
    steps_recorded: dict[str, int]
    compensation: list[Compensation]
    compensation_total: Amounts
    overdue_in_period: int
    overdue_now: int
    reviews: dict[str, int]
    rungs: list[Rung]
    exits: dict[str, int]
    reasons: list[tuple[str, int]]
    lost_customers: int
    value_lost: Amounts
    lost_share: Share  # everyone lost (let go too), of the customers of the period
    defection_rate: Share  # those who chose to leave, of the same customers
    check_ins: dict[str, int] = field(default_factory=dict)


def percentile(histogram: Iterable[tuple[int, int]], fraction: float) -> int | None:
    """Nearest-rank percentile of a (value, count) histogram; None when it is empty.

    The p-th percentile is the smallest value with at least ceil(p × n) of the n
    observations at or below it (so the median of 1, 2, 3, 4 is 2).
    """
    ordered = sorted((value, count) for value, count in histogram if count > 0)
    total = sum(count for _, count in ordered)
    if total == 0:
        return None
    rank = max(1, math.ceil(fraction * total))
    seen = 0
    for value, count in ordered:
        seen += count
        if seen >= rank:
            return value
    return ordered[-1][0]  # pragma: no cover - rank <= total always stops above


def count_reasons(reason_lists: Iterable[Sequence[str]]) -> list[tuple[str, int]]:
    """Count defections per reason, most frequent first; unknown reasons count as given.

    A defection may name several reasons, so the counts may add up to more than the number
    of defections. A reason repeated within one defection counts once.
    """
    counts: Counter[str] = Counter()
    for reasons in reason_lists:
        counts.update({str(r) for r in reasons if r})
    order = {reason: i for i, reason in enumerate(DEFECTION_REASONS)}
    return sorted(counts.items(), key=lambda item: (-item[1], order.get(item[0], 99), item[0]))


def compute(period: Period, rows: ReportRows) -> Figures:
    """Turn the aggregated rows of a period into its key figures."""
    starts = period.week_starts()
    ends = [*starts[1:], period.last + timedelta(days=1)]
    weeks = [
        Week(
            start,
            _at(rows.opened_per_week, i),
            _at(rows.closed_per_week, i),
            (ends[i] - start).days,
        )
        for i, start in enumerate(starts)
    ]
    compensation = sorted(
        (Compensation(t, n, total, currency) for currency, t, n, total in rows.compensation),
        key=lambda c: (c.currency or "", -c.total, -c.count, c.type),
    )
    reviews: Counter[str] = Counter()
    rungs: Counter[tuple[str, str]] = Counter()
    for kind, rung, count in rows.reviews:
        outcome = REVIEW_OUTCOMES.get(kind, kind)
        reviews[outcome] += count
        rungs[(outcome, rung)] += count
    return Figures(
        period=period,
        weeks=weeks,
        opened=sum(w.opened for w in weeks),
        closed=sum(w.closed for w in weeks),
        resolved=sum(count for _, count in rows.resolution_minutes),
        median_minutes=percentile(rows.resolution_minutes, 0.5),
        p90_minutes=percentile(rows.resolution_minutes, 0.9),
        satisfied=Share(rows.satisfied, rows.ended),
        reopened=Share(rows.reopened, rows.ended),
        compliant=Share(rows.in_order, rows.ended),
        steps_recorded={step: rows.steps_recorded.get(step, 0) for step in FIVE_STEP_EVENTS},
        compensation=compensation,
        compensation_total=by_currency((c.currency, c.total) for c in compensation),
        overdue_in_period=rows.overdue_in_period,
        overdue_now=rows.overdue_now,
        reviews={o: reviews.get(o, 0) for o in REVIEW_OUTCOMES.values()},
        rungs=[
            Rung(outcome, rung, count)
            for (outcome, rung), count in sorted(rungs.items(), key=lambda i: (i[0][0], -i[1]))
        ],
        exits={o: dict(rows.exits).get(o, 0) for o in EXIT_OUTCOMES},
        reasons=count_reasons(rows.defection_reasons),
        lost_customers=rows.lost_customers,
        value_lost=rows.value_lost,
        lost_share=Share(rows.lost_customers, rows.customers_served),
        defection_rate=Share(rows.defected_customers, rows.customers_served),
        check_ins={s: rows.check_ins.count(s) for s in STANDINGS},
    )


def by_currency(amounts: Iterable[tuple[str | None, int]]) -> Amounts:
    """Add up amounts currency by currency, never one currency's to another's; a currency
    whose amounts add up to nothing is left out."""
    totals: Counter[str | None] = Counter()
    for currency, amount in amounts:
        totals[currency] += amount
    return {currency: total for currency, total in totals.items() if total}


def _at(values: Sequence[int], index: int) -> int:
    return values[index] if index < len(values) else 0


def duration_parts(minutes: int) -> tuple[int, int, int]:
    """Split minutes into (days, hours, minutes)."""
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return days, hours, mins
