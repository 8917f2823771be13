"""python -m benchmarks [--quick] [--json FILE]: run the benchmarks, print a table, save JSON."""

from __future__ import annotations

import argparse
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks.harness import run_all
from benchmarks.sizes import FULL, QUICK

DEFAULT_JSON = Path("data/benchmarks.json")
Results = dict[str, Any]


@dataclass(frozen=True)
class Row:
    """One line of the table: a figure, what it is, and its target if it has one."""

    key: str
    label: str
    target: str = ""
    met: Callable[[Results], bool] | None = None


def _at_most(key: str, limit: float) -> Callable[[Results], bool]:
    return lambda r: key in r and r[key] <= limit


def _at_least(key: str, limit: float) -> Callable[[Results], bool]:
    return lambda r: key in r and r[key] >= limit


ROWS = (
    Row("updates_per_s", "updates/s, ours (no rate limiter)"),
    Row("floor_updates_per_s", "updates/s, floor (no rate limiter)"),
    Row("throughput_ratio", "throughput ours / floor"),
    Row("floor_one_write_updates_per_s", "updates/s, floor + one transaction"),
    Row(
        "throughput_ratio_vs_one_write",
        "throughput ours / (floor + one transaction)",
        ">= 0.5",
        _at_least("throughput_ratio_vs_one_write", 0.5),
    ),
    Row(
        "p50_ms", "handler latency p50 ms, staff at a person's pace", "<= 5", _at_most("p50_ms", 5)
    ),
    Row(
        "p99_ms",
        "handler latency p99 ms, staff at a person's pace",
        "<= 25",
        _at_most("p99_ms", 25),
    ),
    Row("saturated_p50_ms", "handler latency p50 ms, saturated (each sends at once)"),
    Row("saturated_p99_ms", "handler latency p99 ms, saturated"),
    Row("api_calls_per_update", "Bot API calls per update, ours (floor: 1)"),
    Row(
        "paced_calls_per_update",
        "of which name a chat (paced to 30/s), ours",
        "<= 1.0",
        _at_most("paced_calls_per_update", 1.0),
    ),
    Row("floor_paced_calls_per_update", "calls naming a chat per update, floor"),
    Row("updates_per_s_rate_limited", "updates/s, ours, rate limiter on"),
    Row("floor_updates_per_s_rate_limited", "updates/s, floor, rate limiter on"),
    Row(
        "throughput_ratio_rate_limited",
        "throughput ours / floor, rate limiter on",
        ">= 0.5",
        _at_least("throughput_ratio_rate_limited", 0.5),
    ),
    Row(
        "rejected_updates",
        "updates answered with an error (db_error, lost race...)",
        "0",
        _at_most("rejected_updates", 0),
    ),
    Row("serial_updates_per_s", "updates/s, ours, concurrent_updates=1"),
    Row("serial_floor_updates_per_s", "updates/s, floor, concurrent_updates=1"),
    Row("serial_throughput_ratio", "throughput ours / floor, concurrent_updates=1"),
    Row("serial_p50_ms", "handler p50 ms, concurrent_updates=1"),
    Row(
        "serial_p99_ms",
        "handler p99 ms, concurrent_updates=1",
        "<= 25",
        _at_most("serial_p99_ms", 25),
    ),
    Row("handler_ms_per_update_profiled", "handler ms/update, one person (profiled walk)"),
    Row("statements_per_update", "SQL statements per update"),
    Row("transactions_per_update", "transactions per update"),
    Row("sqlite_handoffs_per_update", "hand-offs to the SQLite thread per update"),
    Row("pending_reminders", "pending reminders in the table"),
    Row("reminder_claim_ms_per_1000", "claiming due reminders, ms per 1,000"),
    Row("reminder_empty_claim_ms", "a tick's claim when nothing is due, ms"),
    Row(
        "startup_s_with_pending",
        "start-up with them pending, s",
        "<= 2",
        _at_most("startup_s_with_pending", 2),
    ),
    Row("startup_rss_mb", "process RSS after that start-up, MB"),
    Row(
        "pacing_sends_per_s",
        "burst: sends/s while sending",
        "<= 30",
        _at_most("pacing_sends_per_s", 30),
    ),
    Row(
        "pacing_max_sends_in_any_second",
        "burst: most sends in any 1 s",
        "<= 30",
        _at_most("pacing_max_sends_in_any_second", 30),
    ),
    Row("pacing_burst_delivered_s", "burst: seconds until all are sent"),
    Row("pacing_lost", "burst: reminders not sent", "0", _at_most("pacing_lost", 0)),
    Row("pacing_doubled", "burst: reminders sent twice", "0", _at_most("pacing_doubled", 0)),
    Row("jobqueue_rss_mb_100k", "RSS growth, 100k jobs in PTB JobQueue, MB"),
    Row("our_rss_mb_100k", "RSS growth, 100k pending reminder rows, MB"),
    Row(
        "jobqueue_over_ours",
        "JobQueue / ours, memory",
        ">= 10",
        _at_least("jobqueue_over_ours", 10),
    ),
    Row("events", "events in the log"),
    Row("report_s", "a quarter's report, s"),
    Row(
        "report_worst_s",
        "a year's report, every event inside it, s",
        "<= 0.5",
        _at_most("report_worst_s", 0.5),
    ),
    Row(
        "export_rows_per_s",
        "three-file CSV export of the year, rows/s",
        ">= 100000",
        _at_least("export_rows_per_s", 100_000),
    ),
    Row("export_peak_rss_mb", "that export, peak RSS growth, MB", "flat"),
    Row("export_peak_rss_mb_small", "export of a tenth, peak RSS growth, MB"),
    Row("pg_updates_per_s", "PostgreSQL: updates/s, ours, 16 chats at once"),
    Row("pg_floor_one_write_updates_per_s", "PostgreSQL: updates/s, floor + one transaction"),
    Row("pg_ratio_to_tx_floor", "PostgreSQL: ours / (floor + one transaction)"),
    Row("pg_p99_ms", "PostgreSQL: handler latency p99, ms"),
    Row("pg_two_instances_updates_per_s", "PostgreSQL: updates/s, two instances, one database"),
    Row("p99_ms_without_export", "staff p99 ms, nothing else running"),
    Row("p99_ms_during_export", "staff p99 ms while a supervisor exports the year"),
    Row(
        "p99_ms_added_by_export",
        "p99 added by that export, ms",
        "<= 10",
        _at_most("p99_ms_added_by_export", 10),
    ),
    Row(
        "miniapp_list_ms",
        "Mini App: the log's first page over HTTP, ms",
        "<= 100",
        _at_most("miniapp_list_ms", 100),
    ),
    Row(
        "miniapp_timeline_ms",
        "Mini App: a 200-event timeline over HTTP, ms",
        "<= 100",
        _at_most("miniapp_timeline_ms", 100),
    ),
)


def _export_flat(results: Results) -> bool:
    large, small = results.get("export_peak_rss_mb"), results.get("export_peak_rss_mb_small")
    return large is not None and small is not None and large <= small + 10


def verdicts(results: Results) -> dict[str, dict[str, Any]]:
    """Each target, and whether the run met it."""
    found = {
        row.key: {"target": row.target, "met": row.met(results)}
        for row in ROWS
        if row.met is not None
    }
    found["export_peak_rss_mb"] = {"target": "<= tenth's + 10 MB", "met": _export_flat(results)}
    return found


def table(results: Results, judged: dict[str, dict[str, Any]]) -> str:
    """The figures as an aligned text table."""
    lines = [f"{'figure':<52} {'value':>12}  {'target':<10} verdict", "-" * 86]
    for row in ROWS:
        value = results.get(row.key)
        shown = "skipped" if value is None else f"{value:,.2f}".rstrip("0").rstrip(".")
        verdict = judged.get(row.key, {})
        mark = "" if not verdict else ("met" if verdict["met"] else "MISSED")
        lines.append(f"{row.label:<52} {shown:>12}  {row.target:<10} {mark}")
    machine = results["machine"]
    lines.append("-" * 86)
    lines.append(
        f"{results['mode']} run on {machine['cpu_count']} CPUs, {machine['memory_gb']} GB, "
        f"Python {machine['python']}, {machine['platform']}, {results['date']}, "
        f"{results['run_s']} s"
    )
    return "\n".join(lines)


def main() -> None:
    """Parse the command line, run, print and save."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under a minute")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write JSON")
    args = parser.parse_args()
    # The app's own log lines are counted where they matter (updates), not printed.
    logging.basicConfig(handlers=[logging.NullHandler()])
    results = run_all(QUICK if args.quick else FULL)
    results["targets"] = verdicts(results)
    print(table(results, results["targets"]))
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"JSON written to {args.json}")


if __name__ == "__main__":
    main()
