"""One transaction per unit of work: the same behaviour from the fake and from SQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from flows.model import Case, CaseKind
from flows.procedures.complaint import Step
from tests.contract.conftest import Store
from tests.contract.seed import NOW, case, customer, person
from tests.fakes.uow import LostChange


async def stored_case(store: Store) -> Case:
    """A case of Lan's, committed."""
    async with store.unit() as uow:
        opened = await case(uow, await person(uow, 1, "Lan"))
        await uow.commit()
    return opened


async def test_work_not_committed_is_gone_after_the_unit_closes(store: Store) -> None:
    async with store.unit() as uow:
        await person(uow, 7, "Gone")
    async with store.unit() as uow:
        assert await uow.staff.by_telegram_id(7) is None
        await person(uow, 8, "Dropped")
        await uow.rollback()
        assert await uow.staff.by_telegram_id(8) is None


async def test_committed_work_is_seen_by_the_next_unit_and_the_unit_goes_on(store: Store) -> None:
    async with store.unit() as uow:
        lan = await person(uow, 1, "Lan")
        await uow.commit()
        lan.name = "Lan Phạm"  # the same unit goes on after a commit
        await uow.commit()
    async with store.unit() as uow:
        found = await uow.staff.by_telegram_id(1)
        assert found is not None
        assert found.name == "Lan Phạm"


async def test_times_come_back_in_utc_and_naive_ones_are_refused(store: Store) -> None:
    saigon = timezone(timedelta(hours=7))
    async with store.unit() as uow:
        lan = await person(uow, 1, "Lan")
        opened = await case(uow, lan, follow_up_due_at=datetime(2026, 11, 25, 9, tzinfo=saigon))
        await uow.commit()
    async with store.unit() as uow:
        loaded = await uow.cases.get(opened.id or 0)
        assert loaded is not None
        assert loaded.follow_up_due_at is not None
        assert loaded.follow_up_due_at == datetime(2026, 11, 25, 2, tzinfo=UTC)
        assert loaded.follow_up_due_at.utcoffset() == timedelta(0)
        loaded.closed_at = datetime(2026, 11, 25, 9)
        with pytest.raises(Exception, match="naive"):
            await uow.commit()


async def test_a_draft_comes_back_as_json_gives_it_and_enums_as_strings(store: Store) -> None:
    async with store.unit() as uow:
        lan = await person(uow, 1, "Lan")
        opened = await case(uow, lan, kind=CaseKind.complaint, state=Step.apologise)
        opened.draft = {"reasons": ("a", "b"), "note": "Chị Mai 😠", "_asked_by": 3}
        await uow.commit()
    async with store.unit() as uow:
        loaded = await uow.cases.get(opened.id or 0)
        assert loaded is not None
        assert loaded.draft == {"reasons": ["a", "b"], "note": "Chị Mai 😠", "_asked_by": 3}
        assert (type(loaded.kind), type(loaded.state)) == (str, str)


async def test_a_case_changed_elsewhere_since_it_was_loaded_loses_the_race(store: Store) -> None:
    opened = await stored_case(store)
    async with store.unit() as slow:
        mine = await slow.cases.get(opened.id or 0)
        assert mine is not None
        await slow.commit()  # the loaded case stays in the unit (SQLite lets one writer in)
        async with store.unit() as fast:
            theirs = await fast.cases.get(opened.id or 0)
            assert theirs is not None
            theirs.state = "fix"
            theirs.touch(NOW)
            await fast.commit()
        mine.state = "cancelled"
        mine.touch(NOW)
        with pytest.raises(store.lost_race):
            await slow.commit()
    async with store.unit() as uow:
        stored = await uow.cases.get(opened.id or 0)
        assert stored is not None
        assert (stored.state, stored.version) == ("fix", 2)


async def test_a_reference_to_nobody_is_refused(store: Store) -> None:
    async with store.unit() as uow:
        with pytest.raises(store.refused):
            await uow.cases.add(Case(kind="complaint", owner_id=42, opened_at=NOW))


async def test_a_draft_changed_in_place_is_not_saved(store: Store) -> None:
    # SQLAlchemy does not see a JSON value changed in place; the fake says so loudly.
    opened = await stored_case(store)
    async with store.unit() as uow:
        loaded = await uow.cases.get(opened.id or 0)
        assert loaded is not None
        loaded.draft["lost"] = True
        loaded.touch(NOW)
        if store.is_fake:
            with pytest.raises(LostChange):
                await uow.commit()
            return
        await uow.commit()
    async with store.unit() as uow:
        stored = await uow.cases.get(opened.id or 0)
        assert stored is not None
        assert stored.draft == {}
        assert stored.version == 2


async def test_a_customers_counts_see_this_units_own_changes_but_the_open_count_waits_for_a_flush(
    store: Store,
) -> None:
    # A customer's counts (complaints since, figures) flush first: an at-risk check in the
    # same unit counts the complaint it has just moved on. The open-case count per state is
    # a table statement that sees the table as flushed, until a query through the ORM flushes.
    async with store.unit() as uow:
        lan, mai = await person(uow, 1, "Lan"), await customer(uow, "Mai")
        opened = await case(uow, lan, customer_id=mai.id, state="intake")
        await uow.commit()
    async with store.unit() as uow:
        loaded = await uow.cases.get(opened.id or 0)
        assert loaded is not None
        loaded.state, loaded.severity = "apologise", "high"  # its intake recorded
        assert await uow.cases.count_open_by_state() == {"intake": 1}
        assert await uow.cases.complaints_since(mai.id or 0, NOW) == 1
        assert (await uow.cases.customer_figures(mai.id or 0))["complaints"] == 1
        assert await uow.cases.count_open_by_state() == {"apologise": 1}
