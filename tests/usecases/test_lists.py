"""Reading cases back: lists, pages, follow-ups, timelines and files; staff see their own."""

from __future__ import annotations

from datetime import UTC, date, datetime

from flows.case_filter import CaseFilter, FilterWords
from flows.outcomes import Outcome, SendFiles, ShowCases, ShowTimeline
from tests.usecases.office import BERND, Office, Person, refusal
from tests.usecases.walks import asking_approval, complaint


def listed(outcomes: list[Outcome]) -> list[int]:
    (shown,) = outcomes
    assert isinstance(shown, ShowCases)
    return [case.id or 0 for case, _ in shown.cases]


async def cases(person: Person, wanted: CaseFilter | FilterWords | None = None) -> list[int]:
    return listed(await person.do(lambda w: w.lists.cases(w.actor, wanted)))


async def test_staff_see_only_their_own_cases_whatever_the_filter_asks(
    office: Office, lan: Person, hoa: Person, minh: Person
) -> None:
    mai = await office.customer("Mai")
    lans, hoas = await complaint(lan, mai), await complaint(hoa, mai)
    assert await cases(lan) == [lans]
    assert await cases(lan, CaseFilter(owner_id=hoa.id)) == [lans]  # a forged filter
    assert await cases(lan, FilterWords(staff="Hòa")) == [lans]
    assert await cases(minh) == [hoas, lans]


async def test_a_supervisor_narrows_the_list_by_staff_name_and_customer_words(
    office: Office, lan: Person, hoa: Person, minh: Person
) -> None:
    mai, duc = await office.customer("Phạm Thị Mai"), await office.customer("Trần Đức")
    lans, hoas = await complaint(lan, mai), await complaint(hoa, duc)
    assert await cases(minh, FilterWords(staff="hoa")) == [hoas]  # folded, a prefix
    assert await cases(minh, FilterWords(customer="pham")) == [lans]
    nobody = FilterWords(staff="Nobody")
    assert await refusal(cases(minh, nobody)) == "cases.no_staff"  # said, not an empty list
    assert await refusal(cases(minh, FilterWords(customer="nobody"))) == "cases.no_customer"


async def test_a_list_shows_a_page_of_eight_and_says_when_there_are_more(
    office: Office, lan: Person
) -> None:
    mai = await office.customer("Mai")
    opened = [await complaint(lan, mai) for _ in range(9)]
    (first,) = await lan.do(lambda w: w.lists.cases(w.actor))
    assert isinstance(first, ShowCases)
    assert ([c.id for c, _ in first.cases], first.more) == (opened[:0:-1], True)
    assert first.cases[0][1] is not None
    assert first.cases[0][1].name == "Mai"  # with the customer
    assert first.filter is not None
    (second,) = await lan.do(lambda w: w.lists.cases(w.actor, first.filter.page(8)))  # type: ignore[union-attr]
    assert isinstance(second, ShowCases)
    assert ([c.id for c, _ in second.cases], second.more) == ([opened[0]], False)


async def test_follow_ups_are_listed_soonest_first_staff_their_own(
    office: Office, lan: Person, hoa: Person, minh: Person
) -> None:
    mai = await office.customer("Mai")
    sooner = await complaint(hoa, mai, "awaiting_follow_up")
    office.clock.advance(days=1)  # agreed a day later: due a day later
    later = await complaint(lan, mai, "awaiting_follow_up")
    await complaint(lan, mai, "follow_up")  # not agreed yet

    async def follow_ups(person: Person) -> list[int]:
        return listed(await person.do(lambda w: w.lists.follow_ups(w.actor)))

    assert await follow_ups(lan) == [later]
    assert await follow_ups(minh) == [sooner, later]


async def test_the_timeline_shows_every_event_with_who_acted(
    office: Office, lan: Person, minh: Person
) -> None:
    case_id, _ = await asking_approval(lan, await office.customer("Mai"))
    await minh.decide(case_id, "y")
    (timeline,) = await minh.do(lambda w: w.lists.timeline(w.actor, case_id))
    assert isinstance(timeline, ShowTimeline)
    assert [e.kind for e in timeline.events] == office.logged(case_id)
    assert {p.name for p in timeline.people.values()} == {"Lan", "Minh"}


async def test_files_attached_to_a_case_are_sent_again_and_a_case_without_any_says_so(
    office: Office, lan: Person, hoa: Person
) -> None:
    case_id = await complaint(lan, await office.customer("Mai"))

    async def files(person: Person) -> list[Outcome]:
        return await person.do(lambda w: w.lists.evidence_files(w.actor, case_id))

    assert await refusal(files(lan)) == "evidence.none"
    await lan.side("evidence")
    await lan.send_file("AgAD-photo")
    await lan.send_file("AgAD-doc", "document", "bill.pdf")
    (sent,) = await files(lan)
    assert isinstance(sent, SendFiles)
    sent_at = office.clock.now
    assert sent.files == [
        ("photo", "AgAD-photo", None, sent_at),
        ("document", "AgAD-doc", "bill.pdf", sent_at),
    ]
    assert await refusal(files(hoa)) == "error.no_such_case"


async def test_a_list_by_date_takes_days_in_the_readers_time_zone(
    office: Office, lan: Person
) -> None:
    bernd = await office.register(BERND, "Bernd", "supervisor", "Europe/Berlin")
    office.clock.now = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # the 24th in Saigon
    case_id = await complaint(lan, await office.customer("Mai"))

    def on(day: int) -> FilterWords:
        return FilterWords(status="-", start=date(2026, 11, day), end=date(2026, 11, day))

    assert (await cases(lan, on(24)), await cases(lan, on(23))) == ([case_id], [])
    assert (await cases(bernd, on(24)), await cases(bernd, on(23))) == ([], [case_id])
