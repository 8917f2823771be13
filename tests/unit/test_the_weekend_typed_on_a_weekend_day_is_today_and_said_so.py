"""“cuối tuần” or “this weekend” typed on a Saturday or a Sunday, the weekend being now,
books today (the person means today, or is unsure), never next week's Saturday; the
confirmation says so and how to ask for next weekend. On a weekday it is still this week's
Saturday, and "next weekend" is still next week's. Both languages."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.parsing import InvalidInput, read_when
from flows.scripts import LOCALES, Scripts, plain

SCRIPTS = Scripts.load()
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
HOUR = 9
SATURDAY = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)  # 07:00 in Hồ Chí Minh City
SUNDAY = datetime(2026, 11, 29, 0, 0, tzinfo=UTC)
FRIDAY = datetime(2026, 11, 27, 0, 0, tzinfo=UTC)
THIS_WEEKEND = {"vi": ["cuối tuần", "cuối tuần này"], "en": ["this weekend", "the weekend"]}
NEXT_WEEKEND = {"vi": "cuối tuần sau", "en": "next weekend"}


def local(day: int, hour: int = HOUR) -> datetime:
    return datetime(2026, 11, day, hour, 0, tzinfo=TZ)


@pytest.mark.parametrize("now", [SATURDAY, SUNDAY], ids=["saturday", "sunday"])
@pytest.mark.parametrize("typed", [t for said in THIS_WEEKEND.values() for t in said])
def test_this_weekend_typed_on_a_weekend_day_is_today_and_told(now: datetime, typed: str) -> None:
    read = read_when(typed, now, TZ, HOUR)
    assert (read.at, read.default) == (local(now.astimezone(TZ).day), "weekend_today")
    with_time = read_when(f"{typed} 15h", now, TZ, HOUR)
    assert with_time.at == local(now.astimezone(TZ).day, 15)


@pytest.mark.parametrize("locale", LOCALES)
def test_this_weekend_typed_once_the_days_usual_hour_has_gone_asks_at_what_time_today(
    locale: str,
) -> None:
    afternoon = SUNDAY.replace(hour=7)  # 14:00 in Hồ Chí Minh City
    with pytest.raises(InvalidInput) as refused:
        read_when(THIS_WEEKEND[locale][0], afternoon, TZ, HOUR)
    assert refused.value.key == "error.today_needs_time"


@pytest.mark.parametrize("locale", LOCALES)
def test_on_a_weekday_this_weekend_is_its_saturday_and_next_weekend_the_one_after(
    locale: str,
) -> None:
    assert read_when(THIS_WEEKEND[locale][0], FRIDAY, TZ, HOUR).at == local(28)
    for now in (FRIDAY, SATURDAY, SUNDAY):
        read = read_when(NEXT_WEEKEND[locale], now, TZ, HOUR)
        assert (read.at, read.default) == (datetime(2026, 12, 5, HOUR, tzinfo=TZ), "weekend")


@pytest.mark.parametrize("locale", LOCALES)
def test_the_confirmation_says_today_was_taken_and_how_to_say_next_weekend(locale: str) -> None:
    typed = THIS_WEEKEND[locale][0]
    told = plain(SCRIPTS.get(locale, "time.read_as.weekend_today", typed=typed, when="28/11"))
    assert f"“{typed}”" in told
    assert "28/11" in told
    assert f"“{NEXT_WEEKEND[locale]}”" in told
