"""Times in exports: stored UTC text written in the reader's zone, whatever the zone does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from flows.scripts import Scripts
from storage.exports import SHEETS, Kind, Words

WORDS = Words(Scripts.load(), "en", "VND")


def written(stored: str, zone: str) -> str:
    """What the events sheet writes for an event stored at `stored`."""
    sheet = SHEETS["events"]
    at = [c.kind for c in sheet.columns.values()].index(Kind.MOMENT)
    moment = sheet.formatters(ZoneInfo(zone), WORDS)[at]
    assert moment is not None
    return moment(stored)


def expected(stored: str, zone: str) -> str:
    local = datetime.fromisoformat(stored).replace(tzinfo=UTC).astimezone(ZoneInfo(zone))
    return local.strftime("%Y-%m-%d %H:%M:%S")


# Every ten minutes and seven seconds over two days around the end of summer time in
# Europe (25 October 2026, 01:00 UTC) and the start of it in the USA (not in October).
MOMENTS = [
    (datetime(2026, 10, 24, 0, 0, 5) + timedelta(minutes=10, seconds=7) * n).isoformat(" ")
    + ".000000"
    for n in range(0, 290)
]


@pytest.mark.parametrize(
    "zone",
    ["Asia/Ho_Chi_Minh", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu", "America/New_York"],
)
def test_each_stored_time_is_written_as_the_clock_in_the_readers_zone_showed_it(
    zone: str,
) -> None:
    assert [written(m, zone) for m in MOMENTS] == [expected(m, zone) for m in MOMENTS]


def test_a_time_stored_without_a_fraction_of_a_second_is_written_the_same() -> None:
    assert written("2026-11-03 02:00:00", "Asia/Ho_Chi_Minh") == "2026-11-03 09:00:00"
    assert written("2026-10-25 00:30:00", "Europe/Berlin") == "2026-10-25 02:30:00"
    assert written("2026-10-25 01:30:00", "Europe/Berlin") == "2026-10-25 02:30:00"
