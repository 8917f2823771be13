"""What a process remembers for a while: the newest entries, the oldest forgotten first."""

from __future__ import annotations

from flows.newest import Newest


def test_the_oldest_entry_goes_once_there_are_more_than_the_size() -> None:
    kept: Newest[int, str] = Newest(2)
    kept[1], kept[2], kept[3] = "a", "b", "c"
    assert dict(kept) == {2: "b", 3: "c"}


def test_a_key_written_again_becomes_the_newest_and_outlives_older_ones() -> None:
    kept: Newest[int, str] = Newest(2)
    kept[1], kept[2] = "a", "b"
    kept[1] = "a again"
    kept[3] = "c"
    assert dict(kept) == {1: "a again", 3: "c"}
    assert 2 not in kept
