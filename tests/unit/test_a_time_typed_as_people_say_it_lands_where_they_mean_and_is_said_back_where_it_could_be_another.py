"""Midnight, 00:00, half hours and bare hours as staff really type them, on Monday
23/11/2026 at 09:00 (Hồ Chí Minh City), in both languages: each lands on the time a speaker
means and, where a listener could take another (the other night, 03:00), is said back naming
it and how to type the other — or is asked again; never a silent wrong time.

"nửa đêm mai", "12 giờ đêm mai", "12 giờ tối mai" and "midnight tomorrow" are the night at
the end of tomorrow (00:00 on Wednesday 25/11), as people mean them; "0 giờ ngày mai",
"0h mai" and "12am tomorrow" are the start of tomorrow (00:00 on Tuesday 24/11). Before,
the first were said back as "the very start of the next day" without naming which night,
"0h mai" was booked without a word, "12 giờ tối mai", "midnight tonight", "0h" and "3 rưỡi
chiều" were refused as unreadable, "3 giờ kém 15 chiều" too; "mai 3h" was booked at 03:00
(then moved to the next morning's opening) where a caller means 15:00, and "thứ 2 tới" (next
Monday) asked for the hour of Monday evening, "tới" read as "tối".
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from flows.parsing import InvalidInput, read_when
from flows.scripts import LOCALES
from tests.unit.wording import said_back

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 09:00 in Hồ Chí Minh City
HOUR = 9


def at(day: int, hour: int = HOUR, minute: int = 0, month: int = 11) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


#: Typed, the moment meant, and the reading said back (None: the words say it themselves).
PHRASES = [
    # the night at the end of a day named
    ("nửa đêm mai", at(25, 0), "midnight_day"),
    ("12 giờ đêm mai", at(25, 0), "midnight_day"),
    ("12 giờ tối mai", at(25, 0), "midnight_day"),
    ("đêm mai 12h", at(25, 0), "midnight_day"),
    ("nửa đêm thứ 6", at(28, 0), "midnight_day"),
    ("thứ 6 tuần sau 12h đêm", at(5, 0, month=12), "midnight_day"),
    ("midnight tomorrow", at(25, 0), "midnight_day"),
    ("tomorrow at midnight", at(25, 0), "midnight_day"),
    # tonight's
    ("nửa đêm", at(24, 0), "midnight"),
    ("nửa đêm nay", at(24, 0), "midnight"),
    ("12 giờ đêm", at(24, 0), "midnight"),
    ("12 giờ tối", at(24, 0), "midnight"),
    ("midnight", at(24, 0), "midnight"),
    ("midnight tonight", at(24, 0), "midnight"),
    # the start of a day named, or of the one to come
    ("0 giờ ngày mai", at(24, 0), "day_start"),
    ("0h mai", at(24, 0), "day_start"),
    ("12h sáng mai", at(24, 0), "day_start"),
    ("0h", at(24, 0), "day_start"),
    ("00:00", at(24, 0), "day_start"),
    ("12am tomorrow", at(24, 0), "day_start"),
    ("12am", at(24, 0), "day_start"),
    # half hours and minutes to the hour, as said
    ("3 rưỡi chiều", at(23, 15, 30), None),
    ("3h rưỡi chiều mai", at(24, 15, 30), None),
    ("15h rưỡi", at(23, 15, 30), None),
    ("10 rưỡi", at(23, 10, 30), None),
    ("sáng mai 8 giờ rưỡi", at(24, 8, 30), None),
    ("3 giờ kém 15 chiều", at(23, 14, 45), None),
    # an hour of the night said bare with a day to come: the afternoon's, said back
    ("mai 3h", at(24, 15), "afternoon"),
    ("mai 3 rưỡi", at(24, 15, 30), "afternoon"),
    ("thứ 6 2h", at(27, 14), "afternoon"),
    ("tomorrow at 3", at(24, 15), "afternoon"),
    ("mai 3h sáng", at(24, 3), None),
    ("tomorrow at 3 am", at(24, 3), None),
    ("mai 03:00", at(24, 3), None),  # the 24-hour clock, as written
    ("mai 7h", at(24, 7), None),
    # "tới" after a weekday or a month: next one's, never "tối" (the evening)
    ("thứ 2 tới", at(30), None),
    ("thứ 6 tới 3h chiều", at(4, 15, month=12), None),
    ("tháng tới", at(1, month=12), "next_month"),
    # what was read right already stays so
    ("3h chiều", at(23, 15), None),
    ("15h30", at(23, 15, 30), None),
    ("mốt", at(25), None),
    ("thứ 5 tuần sau", at(3, month=12), None),
    ("đầu tuần sau", at(30), "next_week"),
    ("cuối tháng", at(30), "month_end"),
    ("tomorrow 3pm", at(24, 15), None),
]


@pytest.mark.parametrize(("typed", "meant", "default"), PHRASES)
def test_a_time_typed_as_people_say_it_lands_where_they_mean(
    typed: str, meant: datetime, default: str | None
) -> None:
    read = read_when(typed, NOW, TZ, HOUR)
    assert (read.at, read.default) == (meant, default)


#: Typed, the day whose night it is said back as ending, the other night offered in each
#: language, and when that other night is.
NIGHTS = [
    ("nửa đêm mai", date(2026, 11, 24), {"vi": "0h 24/11", "en": "0:00 24/11"}, at(24, 0)),
    ("midnight tomorrow", date(2026, 11, 24), {"vi": "0h 24/11", "en": "0:00 24/11"}, at(24, 0)),
    ("0h mai", date(2026, 11, 23), {"vi": "nửa đêm 24/11", "en": "midnight 24/11"}, at(25, 0)),
    (
        "12am tomorrow",
        date(2026, 11, 23),
        {"vi": "nửa đêm 24/11", "en": "midnight 24/11"},
        at(25, 0),
    ),
]


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize(("typed", "eve", "other", "other_at"), NIGHTS)
def test_a_midnight_is_said_back_naming_its_night_and_how_to_type_the_other(
    locale: str, typed: str, eve: date, other: dict[str, str], other_at: datetime
) -> None:
    told = said_back(typed, locale, NOW)
    assert eve.strftime("%d/%m/%Y" if locale == "vi" else "%Y-%m-%d") in told
    assert f"“{other[locale]}”" in told
    assert read_when(other[locale], NOW, TZ, HOUR).at == other_at


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("typed", ["mai 3h", "tomorrow at 3"])
def test_an_afternoon_taken_is_said_back_with_how_to_ask_for_the_night(
    locale: str, typed: str
) -> None:
    told = said_back(typed, locale, NOW)
    night = f"{typed} {'sáng' if locale == 'vi' else 'am'}"
    assert "24/11/2026 15:00" in told or "2026-11-24 15:00" in told
    assert f"“{night}”" in told
    assert read_when(night, NOW, TZ, HOUR).at == at(24, 3)


def test_tonights_midnight_offers_no_night_gone_by() -> None:
    for locale in LOCALES:
        told = said_back("nửa đêm", locale, NOW)
        assert ("23/11/2026" if locale == "vi" else "2026-11-23") in told
        assert "“0" not in told


@pytest.mark.parametrize("typed", ["0h hôm nay", "nửa đêm sáng mai", "24h", "0:30"])
def test_a_midnight_that_cannot_be_placed_is_asked_again(typed: str) -> None:
    with pytest.raises(InvalidInput):
        read_when(typed, NOW, TZ, HOUR)
