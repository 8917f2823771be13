"""How big each benchmark is: the full run, and a quick one with the same figures."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Sizes:
    """Every size the harness uses."""

    name: str
    staff: int  # people walking complaints at once
    cases: int  # complaints each of them walks
    think_s: float  # at a person's pace: mean pause before each update (latency phase)
    serial_staff: int  # people in the run with concurrent_updates=1
    limited_staff: int  # people in the runs with the rate limiter on
    limited_warmup_s: float
    limited_window_s: float
    profile_cases: int  # complaints walked with the span clock on
    pending: int  # pending reminders in the table
    due: int  # of which due now
    memory_jobs: int  # jobs and rows held for the memory comparison (scaled to 100k)
    burst: int  # follow-ups falling due at once
    report_cases: int
    report_events: int
    export_staff: int  # people walking complaints while a supervisor exports the year
    export_calm_s: float  # how long they walk first, with no export running
    export_think_s: float  # their mean pause before each update
    pg_staff: int  # people walking complaints on PostgreSQL (split over two instances too)


FULL = Sizes(
    name="full",
    staff=200,
    cases=3,
    think_s=4.0,
    serial_staff=50,
    limited_staff=20,
    limited_warmup_s=2.0,
    limited_window_s=10.0,
    profile_cases=5,
    pending=1_000_000,
    due=10_000,
    memory_jobs=100_000,
    burst=300,
    report_cases=100_000,
    report_events=1_000_000,
    export_staff=40,
    export_calm_s=20.0,
    export_think_s=2.0,
    pg_staff=64,
)

QUICK = Sizes(
    name="quick",
    staff=20,
    cases=1,
    think_s=0.4,
    serial_staff=10,
    limited_staff=10,
    limited_warmup_s=0.5,
    limited_window_s=2.0,
    profile_cases=1,
    pending=100_000,
    due=3_000,
    memory_jobs=10_000,
    burst=60,
    report_cases=10_000,
    report_events=100_000,
    export_staff=20,
    export_calm_s=4.0,
    export_think_s=0.5,
    pg_staff=16,
)
