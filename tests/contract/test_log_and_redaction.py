"""The event log, incidents, reminders and redaction: the same from the fake and from SQL."""

from __future__ import annotations

from datetime import date

import pytest

from flows.model import Incident, Reminder
from flows.ports import UnitOfWork
from tests.contract.conftest import Store
from tests.contract.seed import NOW, case, customer, log, person


async def test_a_cases_events_come_back_in_order_and_only_its_own(store: Store) -> None:
    async with store.unit() as uow:
        lan = await person(uow, 1, "Lan")
        first, second = await case(uow, lan), await case(uow, lan)
        log(uow, first, "opened")
        log(uow, second, "opened")
        log(uow, first, "note", text="Chị Hương 😠", ticked=("a", "b"))
        # Seen within the unit before it commits (the query flushes what was added).
        assert [e.seq for e in await uow.events.for_case(first.id or 0)] == [1, 2]
        await uow.commit()
    async with store.unit() as uow:
        events = await uow.events.for_case(first.id or 0)
        assert [(e.seq, e.kind) for e in events] == [(1, "opened"), (2, "note")]
        assert events[1].data == {"text": "Chị Hương 😠", "ticked": ["a", "b"]}  # as JSON
        assert events[1].at == NOW
        assert events[1].at.tzinfo is not None
        assert [e.kind for e in await uow.events.for_case(second.id or 0)] == ["opened"]


async def test_two_events_cannot_share_a_number_on_one_case(store: Store) -> None:
    async with store.unit() as uow:
        lan = await person(uow, 1, "Lan")
        opened = await case(uow, lan)
        log(uow, opened, "opened")
        opened.events_count = 0  # a lost update would number the next event 1 again
        log(uow, opened, "note")
        with pytest.raises(store.refused):
            await uow.commit()


async def test_a_stored_event_is_never_changed(store: Store) -> None:
    async with store.unit() as uow:
        lan = await person(uow, 1, "Lan")
        log(uow, await case(uow, lan), "opened", note="first")
        await uow.commit()
    async with store.unit() as uow:
        (event,) = await uow.events.for_case(1)
        event.kind = "edited"
        with pytest.raises(store.refused):
            await uow.commit()
    async with store.unit() as uow:
        assert [e.kind for e in await uow.events.for_case(1)] == ["opened"]


async def test_a_customers_incidents_come_back_by_date_then_entry(store: Store) -> None:
    async with store.unit() as uow:
        lan, mai = await person(uow, 1, "Lan"), await customer(uow, "Mai")
        other = await customer(uow, "Other")
        for day, note in ((5, "late"), (2, "early"), (5, "late, again")):
            uow.incidents.add(
                Incident(mai.id or 0, "threats", date(2026, 11, day), note, lan.id, NOW)
            )
        uow.incidents.add(Incident(other.id or 0, "threats", date(2026, 11, 1), "not hers"))
        await uow.commit()
    async with store.unit() as uow:
        notes = [i.note for i in await uow.incidents.for_customer(mai.id or 0)]
        assert notes == ["early", "late", "late, again"]


async def test_a_reminder_with_a_dedupe_key_is_added_once(store: Store) -> None:
    async with store.unit() as uow:
        lan = await person(uow, 1, "Lan")
        about = await case(uow, lan)
        await uow.commit()

    def reminder(key: str | None, note: str) -> Reminder:
        return Reminder(
            "overdue_notice", NOW, lan.id, case_id=about.id, payload={"n": note}, dedupe_key=key
        )

    async with store.unit() as uow:
        assert await uow.reminders.add_once(reminder("notice:1", "first"))
        assert not await uow.reminders.add_once(reminder("notice:1", "second"))
        await uow.commit()
    async with store.unit() as uow:
        assert not await uow.reminders.add_once(reminder("notice:1", "third"))
        assert await uow.reminders.add_once(reminder(None, "no key"))
        assert await uow.reminders.add_once(reminder(None, "no key either"))
        uow.reminders.add(reminder("plain", "added"))
        await uow.commit()
    async with store.unit() as uow:
        rows = await uow.redaction.reminder_payloads([about.id or 0])
    assert sorted(p["n"] for _, _, p in rows) == ["added", "first", "no key", "no key either"]


async def seed_forgettable(uow: UnitOfWork) -> dict[str, int]:
    """Mai with a complaint, a case still at intake that chose her, and Other's intake."""
    lan, mai = await person(uow, 1, "Lan"), await customer(uow, "Mai", phone="0903")
    complaint = await case(uow, lan, customer_id=mai.id, summary="Late again")
    choosing = await case(uow, lan, state="intake", draft={"customer": mai.id, "summary": "x"})
    elsewhere = await case(uow, lan, state="intake", draft={"customer": 999})
    log(uow, complaint, "opened", note="Chị Mai 😠", category="delay")
    log(uow, complaint, "fixed", action="Re-sent", promised_at="2026-11-24T02:00:00+00:00")
    log(uow, choosing, "opened")
    uow.incidents.add(Incident(mai.id or 0, "threats", date(2026, 11, 1), "shouted"))
    uow.reminders.add(
        Reminder("fix_due", NOW, lan.id, case_id=complaint.id, payload={"target": "x"})
    )
    return {
        "mai": mai.id or 0,
        "complaint": complaint.id or 0,
        "choosing": choosing.id or 0,
        "elsewhere": elsewhere.id or 0,
    }


async def test_redaction_finds_the_customers_cases_and_their_intakes(store: Store) -> None:
    async with store.unit() as uow:
        seeded = await seed_forgettable(uow)
        await uow.commit()
    async with store.unit() as uow:
        found = await uow.redaction.cases_of(seeded["mai"])
        assert [c.id for c in found] == [seeded["complaint"], seeded["choosing"]]
        data = await uow.redaction.event_data([seeded["complaint"], seeded["choosing"]])
        assert [(c, d.get("note")) for _, c, d in data] == [
            (seeded["complaint"], "Chị Mai 😠"),
            (seeded["complaint"], None),
            (seeded["choosing"], None),
        ]
        assert await uow.redaction.event_data([]) == []
        payloads = await uow.redaction.reminder_payloads([seeded["complaint"]])
        assert [(c, p) for _, c, p in payloads] == [(seeded["complaint"], {"target": "x"})]


async def test_events_are_rewritten_only_in_their_redacted_form(store: Store) -> None:
    async with store.unit() as uow:
        seeded = await seed_forgettable(uow)
        await uow.commit()
    async with store.unit() as uow:
        ((first, _, data), *_) = await uow.redaction.event_data([seeded["complaint"]])
        loaded = await uow.events.for_case(seeded["complaint"])  # loaded before the rewrite
        await uow.redaction.redact_events({first: {"category": "delay", "redacted": True}})
        assert loaded[0].data == data  # a table rewrite leaves loaded objects as they were
        await uow.commit()
    async with store.unit() as uow:
        events = await uow.events.for_case(seeded["complaint"])
        assert events[0].data == {"category": "delay", "redacted": True}
    for forged in (
        {"category": "price", "redacted": True},  # a value changed
        {"category": "delay", "added": 1, "redacted": True},  # a key added
        {"category": "delay"},  # not flagged
    ):
        async with store.unit() as uow:
            event_id = (await uow.redaction.event_data([seeded["complaint"]]))[1][0]
            with pytest.raises(store.refused):
                await uow.redaction.redact_events({event_id: forged})  # refused at once


async def test_payloads_and_incident_notes_are_rewritten(store: Store) -> None:
    async with store.unit() as uow:
        seeded = await seed_forgettable(uow)
        await uow.commit()
    async with store.unit() as uow:
        ((reminder_id, _, _),) = await uow.redaction.reminder_payloads([seeded["complaint"]])
        await uow.redaction.redact_payloads({reminder_id: {"redacted": True}})
        assert await uow.redaction.replace_incident_notes(seeded["mai"], "—") == 1
        assert await uow.redaction.replace_incident_notes(seeded["mai"], "—") == 0
        await uow.commit()
    async with store.unit() as uow:
        payloads = await uow.redaction.reminder_payloads([seeded["complaint"]])
        assert [p for _, _, p in payloads] == [{"redacted": True}]
        assert [i.note for i in await uow.incidents.for_customer(seeded["mai"])] == ["—"]
