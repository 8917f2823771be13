"""Benchmarks: update throughput and latency against a framework floor, reminders, reports.

Run `python -m benchmarks [--quick] [--json FILE]` or `make bench`; see benchmarks/README.md.
"""
