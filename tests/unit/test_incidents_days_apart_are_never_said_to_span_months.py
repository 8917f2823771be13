"""The goodbye's move 2 dates the incidents documented as they were: between the first day
and the last. Before, English said they came "over the past months" whatever their span —
two incidents a week apart, on 12 and 19 November, too. Vietnamese says "thời gian qua"
(lately), true of any span, and is unchanged."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from tests.unit.wording import record, renderer

#: What each language says of two incidents documented on 12 and 19 November 2026.
SAID = {
    "en": "Between 12 November 2026 and 19 November 2026, there were 2 occasions when things "
    "did not go smoothly between us.",
    "vi": "Thời gian qua, từ 12/11/2026 đến 19/11/2026, đã có 2 lần hai bên làm việc với nhau "
    "chưa được suôn sẻ.",
}


@pytest.mark.parametrize("locale", list(SAID))
def test_incidents_a_week_apart_are_dated_never_said_to_span_months(locale: str) -> None:
    shown = record(2)
    days = (date(2026, 11, 12), date(2026, 11, 19))
    shown.incidents = [
        dataclasses.replace(incident, happened_on=day)
        for incident, day in zip(shown.incidents, days, strict=True)
    ]
    said = renderer(locale).incidents_summary(shown)
    assert said == SAID[locale]
    assert "months" not in said
