"""A day typed as words that name no one day — "mấy hôm trước", "vài hôm nữa", "hôm
trước", "gần đây", "mai mốt", "tuần trước", "the other day", "soon" — is refused quoting
them, saying the exact forms the question takes (a day to come, a day gone by, or when a
customer started); a day said by the lunar calendar or by Tết — "sau Tết", "mùng 5 Tết",
"15/1 âm lịch", "rằm tháng Giêng" — is refused saying the bot keeps no lunar calendar, and
asking for the solar day. Never is a day picked for them.

Before, all were answered with the same "could not read this date", as if mistyped; and
"hôm trước" (the other day) was kept as yesterday.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from flows.parsing import (
    FURTHEST_RENEWAL,
    RENEWAL_WRONG_SIDE,
    InvalidInput,
    parse_past_date,
    parse_since,
    read_day_ahead,
    read_when,
)

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 12, 1, 10, 0, tzinfo=TZ).astimezone(UTC)
TODAY = NOW.astimezone(TZ).date()

AHEAD_VAGUE = [
    "mấy hôm nữa",
    "vai hom nua",
    "vài ngày nữa",
    "ít hôm nữa",
    "mai mốt",
    "sớm",
    "SOM",
    "đầu năm sau",
    "trong tuần",
    "chưa biết",
    "khi nào khách rảnh",
    "in a few days",
    "soon",
    "sometime next week",
]
PAST_VAGUE = [
    "mấy hôm trước",
    "may hom truoc",
    "vài hôm trước",
    "hôm trước",
    "hom truoc",
    "tối hôm trước",
    "hôm nọ",
    "bữa trước",
    "hôm bữa",
    "gần đây",
    "dạo này",
    "lâu rồi",
    "tuần trước",
    "tháng trước",
    "đầu năm",
    "a few days ago",
    "the other day",
    "recently",
    "last week",
]
LUNAR = [
    "sau Tết",
    "sau tet",
    "SAU TET",
    "ra Tết",
    "trước Tết",
    "mùng 5 Tết",
    "mung 10 tet",
    "15/1 âm lịch",
    "15/1 AL",
    "rằm tháng Giêng",
    "ram thang gieng",
    "tháng Chạp",
    "after Tet",
]


def _refused(read: object, typed: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as refused:
        read(typed)  # type: ignore[operator]
    return refused.value


def _when(typed: str) -> object:
    return read_when(typed, NOW, TZ, 9)


def _renewal(typed: str) -> object:
    return read_day_ahead(typed, NOW, TZ, FURTHEST_RENEWAL, RENEWAL_WRONG_SIDE)


def _past(typed: str) -> object:
    return parse_past_date(typed, TODAY)


def _since(typed: str) -> object:
    return parse_since(typed, TODAY)


@pytest.mark.parametrize("typed", AHEAD_VAGUE)
@pytest.mark.parametrize("read", [_when, _renewal])
def test_a_day_to_come_said_vaguely_is_refused_quoting_it_with_the_exact_forms(
    read: object, typed: str
) -> None:
    refused = _refused(read, typed)
    assert (refused.key, refused.params) == ("error.vague_day_ahead", {"typed": typed})


@pytest.mark.parametrize("typed", PAST_VAGUE)
def test_a_day_gone_by_said_vaguely_is_refused_never_kept_as_a_day(typed: str) -> None:
    refused = _refused(_past, typed)
    assert (refused.key, refused.params) == ("error.vague_day_past", {"typed": typed})


#: A customer's start said vaguely: "tháng trước", "last week"… aside (a month, kept as it).
SINCE_VAGUE = [*PAST_VAGUE[:13], "đầu năm", "mấy năm rồi", "vài năm", "hồi trước", "recently"]


@pytest.mark.parametrize("typed", SINCE_VAGUE)
def test_a_customers_start_said_vaguely_is_refused_asking_for_a_year_a_month_or_how_long(
    typed: str,
) -> None:
    refused = _refused(_since, typed)
    assert (refused.key, refused.params) == ("error.vague_since", {"typed": typed})


@pytest.mark.parametrize("typed", LUNAR)
@pytest.mark.parametrize("read", [_when, _renewal, _past, _since])
def test_a_day_of_the_lunar_calendar_or_of_tet_is_refused_asking_for_the_solar_day(
    read: object, typed: str
) -> None:
    refused = _refused(read, typed)
    assert (refused.key, refused.params) == ("error.lunar_day", {"typed": typed})


@pytest.mark.parametrize(
    ("read", "typed", "kept"),
    [
        (_past, "hôm qua", TODAY - timedelta(days=1)),
        (_past, "bữa qua", TODAY - timedelta(days=1)),  # as the South says yesterday
        (_past, "bua nay", TODAY),
        (_past, "2 hôm trước", TODAY - timedelta(days=2)),
        (_past, "hôm kia", TODAY - timedelta(days=2)),
        (_since, "năm ngoái", "2025"),
        (_since, "5 năm", "2021"),
    ],
)
def test_a_day_said_exactly_is_kept_as_before(read: object, typed: str, kept: object) -> None:
    assert read(typed) == kept  # type: ignore[operator]


@pytest.mark.parametrize(
    ("typed", "day"),
    [("sáng mai 7h", 2), ("ngày mốt", 3), ("tuần sau", 7), ("mùng 10", 10)],
)
def test_a_day_to_come_said_exactly_is_booked_as_before(typed: str, day: int) -> None:
    assert _when(typed).at.astimezone(TZ).day == day  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    "said", ["sáng sớm mai 7h", "7h sáng sớm mai", "sớm mai 7h", "som mai 7h", "mai 7h sáng sớm"]
)
def test_early_tomorrow_morning_with_its_hour_is_that_hour_never_the_vague_soon(said: str) -> None:
    # "sớm mai", "sáng sớm": early in the morning, a morning like "sáng mai", not "sớm" (soon)
    at = read_when(said, NOW, TZ, 9).at.astimezone(TZ)
    assert (at.date(), at.hour, at.minute) == (TODAY + timedelta(days=1), 7, 0)
