"""Notices the scheduler sends as they are drawn (no splitting on the way) fit one message."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.render.sizes import MESSAGE_LIMIT, shown_units
from flows.model import Case, Staff
from flows.reminding import Digest
from tests.unit.wording import renderer


@pytest.mark.parametrize("locale", ["en", "vi"])
def test_a_digest_of_many_cases_with_long_names_fits_one_message(locale: str) -> None:
    due = datetime(2026, 11, 30, 9, tzinfo=UTC)
    cases = [
        (
            Case(
                kind="complaint",
                owner_id=1,
                opened_at=due,
                updated_at=due,
                state="apologise",
                id=n,
                follow_up_due_at=due,
            ),
            "Ê" * 120,
        )
        for n in range(1, 21)
    ]
    digest = Digest(
        by_state={"apologise": 30, "fix": 12},
        due_today=cases,
        overdue=cases,
        approvals=cases,
        untouched=cases,
        others_untouched=[(c, name, "Ư" * 120) for c, name in cases],
    )
    person = Staff(telegram_id=1, name="Lan", role="supervisor")
    drawn = renderer(locale).digest(digest, person)
    assert shown_units(drawn.text) <= MESSAGE_LIMIT
    assert renderer(locale).t("digest.untouched", count=20) in drawn.text
    assert renderer(locale).t("digest.others_untouched", count=20) in drawn.text
    assert drawn.text.startswith(renderer(locale).t("digest.heading", name="Lan"))


def test_a_digest_counts_open_cases_step_by_step_in_the_order_the_work_goes() -> None:
    digest = Digest(
        by_state={"reassess": 1, "awaiting_follow_up": 2, "compensate": 3, "intake": 4, "fix": 5}
    )
    person = Staff(telegram_id=1, name="Lan", role="supervisor")
    drawn = renderer("en").digest(digest, person).text
    steps = [line.split(":")[0] for line in drawn.splitlines() if line.startswith("• ")]
    r = renderer("en")
    walked = ("intake", "fix", "compensate", "awaiting_follow_up", "reassess")
    short = [r.t(f"step.{s}.short") for s in walked]
    assert steps == [f"• {s}" for s in short]
