"""The Mini App's API: every endpoint against every kind of caller, and what each one shows."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from bot.render.reports import ReportView
from bot.report_commands import figures_for
from flows.desk import Desk
from flows.model import CaseKind
from flows.periods import parse_period
from flows.procedures.complaint import Step
from flows.procedures.review import Rung
from storage import tables
from storage.uow import SqlUnitOfWork
from tests.bot.conftest import BERND, HOA, LAN, MINH, STRANGER, World, make_world, settings_for
from tests.bot.miniapp_site import Site, awaiting_approval, serving
from tests.bot.test_review_conversation import add_customer, climb_to_decision, open_review
from tests.bot.walk import (
    asking_approval,
    compensate,
    open_case,
    walk_to_compensate,
    walk_to_fix,
)
from tests.conftest import Clock
from tests.integration.test_exports_forget import forget_customer

OTHER_TOKEN = "987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"

#: Every endpoint: method, path, body. Case and customer 1 exist in every test that uses this.
ENDPOINTS: list[tuple[str, str, Any]] = [
    ("GET", "me", None),
    ("POST", "cases", {}),
    ("GET", "cases/1", None),
    ("POST", "cases/1/decision", {"version": 1, "verdict": "y"}),
    ("GET", "customers/1", None),
    ("GET", "approvals", None),
    ("GET", "report?period=week", None),
]
FOR_OVERSEERS = {"cases/1/decision", "approvals", "report?period=week"}


@pytest.fixture
async def site(world: World) -> AsyncIterator[Site]:
    async with serving(world) as served:
        yield served


async def call(
    site: Site, method: str, path: str, body: Any, who: int | None, **signing: Any
) -> Any:
    if method == "GET":
        return await site.get(path, who, **signing)
    return await site.post(path, body, who, **signing)


def refused_without_data(response: Any, status: int) -> None:
    assert response.status_code == status, response.text
    assert set(response.json()) == {"error", "message"}
    assert "set-cookie" not in response.headers


async def test_every_endpoint_refuses_missing_forged_or_stale_initdata_with_401_and_no_data(
    site: Site,
) -> None:
    await open_case(site.world.lan)
    for method, path, body in ENDPOINTS:
        refused_without_data(await call(site, method, path, body, None), 401)
        refused_without_data(await call(site, method, path, body, MINH, token=OTHER_TOKEN), 401)
        stale = timedelta(seconds=3601)
        refused_without_data(await call(site, method, path, body, MINH, age=stale), 401)
        forged = site.signed(MINH).replace("Someone", "Somebody")
        response = await site.client.request(
            method, f"api/{path}", json=body, headers={"Authorization": f"tma {forged}"}
        )
        refused_without_data(response, 401)


async def test_every_endpoint_refuses_strangers_and_deactivated_people_with_403(
    site: Site,
) -> None:
    world = site.world
    await open_case(world.lan)
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await uow.session.execute(
            update(tables.staff).where(tables.staff.c.telegram_id == BERND).values(active=False)
        )
        await uow.commit()
    for method, path, body in ENDPOINTS:
        refused_without_data(await call(site, method, path, body, STRANGER), 403)
        refused_without_data(await call(site, method, path, body, BERND), 403)


async def test_staff_get_their_own_log_but_not_the_supervisors_parts(site: Site) -> None:
    await open_case(site.world.lan)
    for method, path, body in ENDPOINTS:
        response = await call(site, method, path, body, LAN)
        if path in FOR_OVERSEERS:
            refused_without_data(response, 403)
        else:
            assert response.status_code == 200, (path, response.text)


async def test_who_is_reading_in_their_language_with_the_filters_they_may_use(site: Site) -> None:
    minh = (await site.get("me", MINH)).json()
    assert (minh["name"], minh["oversees"], minh["locale"]) == ("Minh", True, "en")
    assert minh["words"]["title"] == "Case log"
    assert [s["label"] for s in minh["statuses"]] == [
        "Any status",
        "Open",
        "Closed",
        "Overdue",
        "Awaiting",
    ]
    assert {p["name"] for p in minh["staff"]} >= {"Lan", "Hòa", "Minh"}
    hoa = (await site.get("me", HOA)).json()
    assert (hoa["locale"], hoa["oversees"], hoa["staff"]) == ("vi", False, [])
    assert hoa["words"]["title"] == "Sổ hồ sơ"


async def test_the_log_filters_searches_sorts_and_keeps_staff_to_their_own_cases(
    site: Site,
) -> None:
    world = site.world
    lans = await open_case(world.lan, "Nguyễn Thị Hương")
    hoas = await open_case(world.hoa, "Trần Văn Đức")

    everyone = (await site.post("cases", {}, MINH)).json()
    assert [row["id"] for row in everyone["rows"]] == [hoas, lans]  # newest first
    assert everyone["rows"][1]["customer"] == "Nguyễn Thị Hương"
    assert everyone["rows"][1]["owner"] == "Lan"
    oldest = (await site.post("cases", {"sort": "opened", "order": "asc"}, MINH)).json()
    assert [row["id"] for row in oldest["rows"]] == [lans, hoas]

    found = (await site.post("cases", {"search": "nguyen thi"}, MINH)).json()  # no diacritics
    assert [row["id"] for row in found["rows"]] == [lans]
    by_phone = (await site.post("cases", {"search": "0903 123"}, MINH)).json()
    assert {row["id"] for row in by_phone["rows"]} == {lans, hoas}
    whole = (await site.post("cases", {"search": "+84 903 123 456"}, MINH)).json()
    assert {row["id"] for row in whole["rows"]} == {lans, hoas}  # looked up by its key
    staff = (await site.get("me", MINH)).json()["staff"]
    hoa_id = next(p["id"] for p in staff if p["name"] == "Hòa")
    by_staff = (await site.post("cases", {"staff": hoa_id}, MINH)).json()
    assert [row["id"] for row in by_staff["rows"]] == [hoas]
    closed = (await site.post("cases", {"status": "c"}, MINH)).json()
    assert closed["rows"] == []
    today = (await site.post("cases", {"from": "2026-11-23", "to": "2026-11-23"}, MINH)).json()
    assert len(today["rows"]) == 2
    tomorrow = (await site.post("cases", {"from": "2026-11-24"}, MINH)).json()
    assert tomorrow["rows"] == []

    # Staff see their own cases, whatever they ask for.
    own = (await site.post("cases", {"staff": hoa_id}, LAN)).json()
    assert [row["id"] for row in own["rows"]] == [lans]


async def test_the_log_offers_the_cases_of_someone_who_left_named_as_such(site: Site) -> None:
    world = site.world
    lans = await open_case(world.lan)
    async with SqlUnitOfWork(world.services.sessions) as uow:
        await uow.session.execute(
            update(tables.staff).where(tables.staff.c.telegram_id == LAN).values(active=False)
        )
        await uow.commit()
    left = "Lan (left: their reminders go to the supervisors)"
    staff = (await site.get("me", MINH)).json()["staff"]
    assert staff[-1]["name"] == left  # after everyone still here, as /cases @Lan finds her
    by_staff = (await site.post("cases", {"staff": staff[-1]["id"]}, MINH)).json()
    assert [(row["id"], row["owner"]) for row in by_staff["rows"]] == [(lans, left)]
    assert (await site.get(f"cases/{lans}", MINH)).json()["owner"] == left


async def test_the_log_pages_fifty_cases_at_a_time(site: Site) -> None:
    world = site.world
    async with SqlUnitOfWork(world.services.sessions) as uow:
        desk = Desk(uow, world.services.policy, world.clock)
        lan = await uow.staff.by_telegram_id(LAN)
        assert lan is not None
        for _ in range(51):
            await desk.open(lan, CaseKind.complaint)
            desk.focus(lan, None, None)  # moved on: the next /new is a case of its own
        await uow.commit()
    first = (await site.post("cases", {}, MINH)).json()
    assert (len(first["rows"]), first["offset"], first["more"]) == (50, 0, True)
    second = (await site.post("cases", {"offset": 50}, MINH)).json()
    assert (len(second["rows"]), second["offset"], second["more"]) == (1, 50, False)
    assert second["rows"][0]["id"] == 1


@pytest.mark.parametrize(
    "body",
    [
        {"status": "x"},
        {"kind": "complaints"},
        {"staff": "1"},
        {"offset": -1},
        {"sort": "customer"},
        {"order": "up"},
        {"from": "23/11/2026"},
        {"from": "2026-11-30", "to": "2026-11-01"},
        {"from": "0001-01-01", "to": "0001-01-02"},
        {"from": "9999-12-30", "to": "9999-12-31"},
        {"search": "x" * 500},
        {"search": 42},
    ],
)
async def test_a_malformed_log_query_gets_400(site: Site, body: dict[str, Any]) -> None:
    response = await site.post("cases", body, MINH)
    refused_without_data(response, 400)


@pytest.mark.parametrize("raw", [b"[1, 2", b"[" * 5000, b"{" * 3000])
async def test_a_body_that_is_not_a_json_object_gets_400(site: Site, raw: bytes) -> None:
    response = await site.client.post("api/cases", content=raw, headers=site.headers(MINH))
    refused_without_data(response, 400)


@pytest.mark.parametrize(
    "dates", ["from=9999-12-30&to=9999-12-31", "from=0001-01-01&to=0001-01-02", "from=x&to=y"]
)
async def test_a_report_for_days_outside_the_calendar_gets_400(site: Site, dates: str) -> None:
    refused_without_data(await site.get(f"report?{dates}", MINH), 400)


async def test_a_case_shows_its_whole_timeline_its_five_steps_and_its_evidence(
    site: Site,
) -> None:
    world = site.world
    case_id = await awaiting_approval(world, "200k")  # under the limit: no approval needed
    await world.lan.press("Evidence")
    await world.lan.send_photo("photo-of-the-cake")
    await world.lan.press("In 3 days")
    shown = (await site.get(f"cases/{case_id}", LAN)).json()
    stored = await world.events(case_id)
    assert [e["seq"] for e in shown["events"]] == [e.seq for e in stored]
    assert shown["events"][0]["what"] == "Case opened"
    assert shown["compliance"]["in_order"] is True
    assert [s["done"] for s in shown["compliance"]["steps"]] == [True] * 5
    assert shown["customer"]["name"] == "Nguyễn Thị Hương"
    assert shown["request"] is None
    assert len(shown["evidence"]) == 1
    assert shown["evidence"][0]["who"] == "Lan"
    assert any("Handled by: Lan" in line for line in shown["summary"])


async def test_an_unfinished_complaint_shows_which_steps_are_missing(site: Site) -> None:
    case_id = await open_case(site.world.lan)
    await site.world.lan.press("Calm")
    await site.world.lan.press("Skip")
    shown = (await site.get(f"cases/{case_id}", MINH)).json()
    assert [s["done"] for s in shown["compliance"]["steps"]] == [True, False, False, False, False]
    assert shown["compliance"]["in_order"] is False


async def test_staff_cannot_open_another_staff_members_case_or_a_missing_one(site: Site) -> None:
    hoas = await open_case(site.world.hoa)
    refused_without_data(await site.get(f"cases/{hoas}", LAN), 404)
    refused_without_data(await site.get("cases/999999", MINH), 404)
    refused_without_data(await site.get("cases/99999999999", MINH), 404)


async def test_approving_on_the_page_logs_what_the_button_logs_and_tells_the_owner_at_once(
    site: Site,
) -> None:
    world = site.world
    case_id = await awaiting_approval(world)
    shown = (await site.get(f"cases/{case_id}", MINH)).json()
    request = shown["request"]
    assert request["may_decide"] is True
    assert "Approval needed" in request["text"]
    assert "2,000,000 VND" in request["text"]
    assert [v["code"] for v in request["verdicts"]] == ["y", "n"]

    decided = await site.post(
        f"cases/{case_id}/decision",
        {"version": shown["version"], "verdict": "y", "comment": "Good call, follow up"},
        MINH,
    )
    assert decided.status_code == 200, decided.text
    assert "You approved the compensation" in decided.json()["message"]
    case = await world.case(case_id)
    assert case.state == Step.follow_up
    events = await world.events(case_id)
    assert [e.kind for e in events][-2:] == ["approved", "approval_comment"]
    assert events[-1].data == {"text": "Good call, follow up"}
    told = [m.plain_text for m in world.api.messages(world.lan.chat_id)]
    assert any("Minh approved the compensation" in text for text in told)
    assert any("Minh commented" in text for text in told)

    # The same request again (a double tap, another supervisor): already decided, no change.
    again = await site.post(
        f"cases/{case_id}/decision", {"version": shown["version"], "verdict": "n"}, MINH
    )
    refused_without_data(again, 409)
    assert len(await world.events(case_id)) == len(events)


async def test_a_request_is_decided_on_the_page_after_the_owner_added_a_note(site: Site) -> None:
    world = site.world
    case_id = await awaiting_approval(world)
    await world.lan.press("Note")
    await world.lan.send("The customer called again")
    shown = (await site.get(f"cases/{case_id}", MINH)).json()
    asked = shown["request"]["version"]  # what the page posts, as the chat's buttons do
    assert asked < shown["version"]
    decided = await site.post(f"cases/{case_id}/decision", {"version": asked, "verdict": "y"})
    assert decided.status_code == 200, decided.text
    assert (await world.case(case_id)).state == Step.follow_up


async def test_a_comment_on_the_page_goes_to_the_request_not_to_the_supervisors_own_case(
    site: Site,
) -> None:
    world = site.world
    case_id = await awaiting_approval(world)
    mine = await open_case(world.minh, customer="Trần Văn Bình")
    await walk_to_fix(world.minh)  # the next message Minh types answers his own case
    shown = (await site.get(f"cases/{case_id}", MINH)).json()
    body = {"version": shown["request"]["version"], "verdict": "y", "comment": "Go ahead"}
    assert (await site.post(f"cases/{case_id}/decision", body, MINH)).status_code == 200
    assert (await world.events(case_id))[-1].data == {"text": "Go ahead"}
    await world.minh.send("Replaced the kettle")
    assert (await world.case(mine)).draft.get("action") == "Replaced the kettle"


async def test_declining_on_the_page_sends_the_case_back_to_compensation(site: Site) -> None:
    world = site.world
    case_id = await awaiting_approval(world)
    version = (await world.case(case_id)).version
    decided = await site.post(f"cases/{case_id}/decision", {"version": version, "verdict": "n"})
    assert decided.status_code == 200
    assert (await world.case(case_id)).state == Step.compensate
    assert [e.kind for e in await world.events(case_id)][-1] == "declined"
    assert "declined" in world.lan.last_text


async def test_nobody_approves_their_own_case_on_the_page(site: Site) -> None:
    world = site.world
    case_id = await open_case(world.minh)
    await walk_to_compensate(world.minh)
    await compensate(world.minh, "Refund", "2.000.000")
    shown = (await site.get(f"cases/{case_id}", MINH)).json()
    assert shown["request"]["may_decide"] is False
    version = shown["version"]
    refused = await site.post(f"cases/{case_id}/decision", {"version": version, "verdict": "y"})
    refused_without_data(refused, 403)
    assert (await world.case(case_id)).state == Step.awaiting_approval


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"version": "1", "verdict": "y"},
        {"version": 1, "verdict": "yes"},
        {"version": 1, "verdict": "y", "comment": 5},
    ],
)
async def test_a_malformed_decision_gets_400_and_changes_nothing(
    site: Site, body: dict[str, Any]
) -> None:
    case_id = await awaiting_approval(site.world)
    refused_without_data(await site.post(f"cases/{case_id}/decision", body), 400)
    assert (await site.world.case(case_id)).state == Step.awaiting_approval


#: Values of JSON types no field of the API takes: a list, an object, a flag, a fraction.
WRONG_TYPES: list[Any] = [["y"], {"y": 1}, True, 1.5]


async def test_a_field_of_the_wrong_json_type_gets_400_never_a_failure(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    case_id = await awaiting_approval(site.world)
    version = (await site.world.case(case_id)).version
    decision = {"version": version, "verdict": "y", "comment": "Go ahead"}
    query = {"status": "-", "kind": "-", "staff": LAN, "offset": 0, "sort": "opened"}
    query |= {"order": "asc", "search": "Hương", "from": "2026-11-01", "to": "2026-11-30"}
    query |= {"after": {"at": None, "id": 1}}
    with caplog.at_level(logging.ERROR, logger="bot.miniapp"):
        for path, good in ((f"cases/{case_id}/decision", decision), ("cases", query)):
            for name in good:
                for wrong in WRONG_TYPES:
                    response = await site.post(path, {**good, name: wrong})
                    assert response.status_code == 400, (name, wrong, response.text)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # no failure logged
    assert (await site.world.case(case_id)).state == Step.awaiting_approval


async def test_an_overlong_comment_is_refused_and_the_decision_is_not_recorded(
    site: Site,
) -> None:
    world = site.world
    case_id = await awaiting_approval(world)
    version = (await world.case(case_id)).version
    body = {"version": version, "verdict": "y", "comment": "x" * 5000}
    refused_without_data(await site.post(f"cases/{case_id}/decision", body), 400)
    assert (await world.case(case_id)).state == Step.awaiting_approval


async def test_a_comment_at_a_raised_text_limit_in_four_byte_letters_is_taken_on_the_page(
    database_url: str, clock: Clock
) -> None:
    settings = settings_for(database_url, complaints={"text_limit": 3500})
    async for world in make_world(settings, clock):
        async with serving(world) as site:
            case_id = await awaiting_approval(world)
            version = (await world.case(case_id)).version
            comment = "😡" * 3500  # 14,000 bytes of UTF-8: more than the page's 8 KiB floor
            body = {"version": version, "verdict": "y", "comment": comment}
            decided = await site.post(f"cases/{case_id}/decision", body, MINH)
            assert decided.status_code == 200, decided.text
            events = await world.events(case_id)
            assert events[-1].data == {"text": comment}


async def test_approvals_list_what_waits_with_the_chats_wording(site: Site) -> None:
    world = site.world
    case_id = await awaiting_approval(world)
    found = (await site.get("approvals", MINH)).json()["requests"]
    assert [r["case"] for r in found] == [case_id]
    assert found[0]["owner"] == "Lan"
    assert found[0]["customer"] == "Nguyễn Thị Hương"
    assert "Approval needed" in found[0]["text"]


async def test_a_customers_card_shows_their_record_and_cases(site: Site) -> None:
    world = site.world
    case_id = await open_case(world.lan)
    customer_id = (await world.case(case_id)).customer_id
    card = (await site.get(f"customers/{customer_id}", LAN)).json()
    assert (card["name"], card["phone"]) == ("Nguyễn Thị Hương", "0903123456")
    assert card["at_risk"] is False
    assert any("customer since" in line for line in card["card"])
    assert [c["id"] for c in card["cases"]] == [case_id]
    assert card["history"] == []
    refused_without_data(await site.get("customers/424242", MINH), 404)


async def test_a_customers_page_shows_a_start_given_as_a_year_as_the_year(site: Site) -> None:
    world = site.world
    case_id = await open_case(world.lan)  # a new customer, a customer since "2019"
    customer_id = (await world.case(case_id)).customer_id
    for reader, said in ((LAN, "customer since 2019 ·"), (HOA, "khách hàng từ năm 2019 ·")):
        card = (await site.get(f"customers/{customer_id}", reader)).json()["card"]
        assert any(said in line for line in card), card
        assert not any("2019-01-01" in line or "01/01/2019" in line for line in card)


async def test_a_forgotten_customer_is_named_on_the_page_in_the_readers_words(
    site: Site,
) -> None:
    world = site.world
    case_id = await asking_approval(world.hoa)
    customer_id = (await world.case(case_id)).customer_id or 0
    await forget_customer(world.services.sessions, customer_id, world.clock())
    named = f"khách hàng #{customer_id} (đã xóa thông tin)"
    [row] = (await site.post("cases", {}, HOA)).json()["rows"]
    shown = (await site.get(f"cases/{case_id}", HOA)).json()
    card = (await site.get(f"customers/{customer_id}", HOA)).json()
    assert (row["customer"], shown["customer"]["name"], card["name"]) == (named, named, named)
    [request] = (await site.get("approvals", MINH)).json()["requests"]
    assert request["customer"] == f"forgotten customer #{customer_id}"  # Minh reads English


async def test_staff_read_on_a_customers_page_only_their_own_cases_history(site: Site) -> None:
    world = site.world
    customer_id = await add_customer(world, "Lê Văn Tám")
    await open_review(world.bernd, "Lê Văn Tám")  # Bernd's review, with its grounds
    await climb_to_decision(world.bernd)
    staff_view = (await site.get(f"customers/{customer_id}", LAN)).json()
    assert staff_view["history"] == []  # none of Bernd's notes on the ladder
    supervisor_view = (await site.get(f"customers/{customer_id}", MINH)).json()
    details = [d for entry in supervisor_view["history"] for d in entry["details"]]
    assert any("Called Lan names" in d for d in details)


async def test_the_report_shows_the_figures_the_chat_report_computes(site: Site) -> None:
    world = site.world
    await awaiting_approval(world, "200k")
    await open_case(world.hoa)
    shown = (await site.get("report?period=week", MINH)).json()
    assert shown["title"].startswith("📊 Report")
    tiles = {t["label"]: t["value"] for t in shown["tiles"]}
    period = parse_period(["week"], world.clock().date())
    figures = await figures_for(world.services.engine, period, world.services.tz_for(None))
    view = ReportView(world.services.renderer(None))
    assert tiles["Cases opened"] == view.number(figures.opened) == "2"
    assert tiles["Compensation and goodwill"] == world.services.renderer(None).money(
        figures.compensation_total
    )
    weekly = shown["charts"][0]
    assert weekly["svg"].startswith("<svg")
    assert 'class="opened"' in weekly["svg"]
    custom = await site.get("report?from=2026-11-01&to=2026-11-30", MINH)
    assert custom.json()["first"] == "2026-11-01"
    refused_without_data(await site.get("report?period=decade", MINH), 400)
    refused_without_data(await site.get("report?from=2026-11-30&to=2026-11-01", MINH), 400)


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_the_reports_calendar_presets_cover_the_month_and_quarter_they_name(
    site: Site, locale: str
) -> None:
    if locale == "vi":
        await reads_vietnamese(site.world, MINH)
    said = (await site.get("me", MINH)).json()["words"]
    presets = [said[f"period_{p}"] for p in ("this_month", "last_month", "last_quarter")]
    assert presets == (
        ["Tháng này", "Tháng trước", "Quý trước"]
        if locale == "vi"
        else ["This month", "Last month", "Last quarter"]
    )
    for period, first, last in (
        ("this month", "2026-11-01", "2026-11-23"),
        ("last month", "2026-10-01", "2026-10-31"),
        ("last quarter", "2026-07-01", "2026-09-30"),
    ):
        shown = (await site.get(f"report?period={period}", MINH)).json()
        assert (shown["first"], shown["last"]) == (first, last)


async def test_the_page_is_served_with_a_strict_policy_and_no_cookies(site: Site) -> None:
    page = await site.client.get("")
    assert page.status_code == 200
    assert '<script src="app.js"' in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "set-cookie" not in page.headers
    script = await site.client.get("app.js")
    assert script.status_code == 200
    redirected = await site.client.get(site.page.rstrip("/"), follow_redirects=False)
    assert redirected.status_code in (301, 302)


async def test_errors_carry_the_security_headers_and_the_api_answers_them_in_json(
    site: Site,
) -> None:
    for missing in ("nothing-here.js", "deeper/missing.css", "..%2f..%2fetc%2fpasswd"):
        answer = await site.client.get(missing)
        assert answer.status_code in (403, 404), missing
        assert "script-src 'self'" in answer.headers["content-security-policy"]
        assert answer.headers["x-content-type-options"] == "nosniff"
    wrong_method = await site.client.delete("api/cases", headers=site.headers(MINH))
    assert wrong_method.status_code == 405
    refused_without_data(wrong_method, 405)
    assert "script-src 'self'" in wrong_method.headers["content-security-policy"]


async def test_requests_are_logged_by_person_id_without_customer_data(
    site: Site, caplog: pytest.LogCaptureFixture
) -> None:
    case_id = await open_case(site.world.lan)
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="bot.miniapp"):
        await site.post("cases", {"search": "Hương 0903"}, MINH)
        await site.get(f"cases/{case_id}", MINH)
    lines = [r.getMessage() for r in caplog.records if r.name == "bot.miniapp"]
    assert len(lines) == 2
    assert all(f"user={MINH}" in line and "status=200" in line for line in lines)
    assert not any("Hương" in line or "0903" in line for line in lines)


async def reads_vietnamese(world: World, telegram_id: int) -> None:
    """Set a person's language to Vietnamese, as /language would."""
    async with world.services.engine.begin() as connection:
        await connection.execute(
            update(tables.staff)
            .where(tables.staff.c.telegram_id == telegram_id)
            .values(locale="vi")
        )


#: Where a problem review goes for each verdict, on the page as in the chat.
TERMINATION_VERDICTS = {
    "y": ("approved", Rung.termination_conversation),
    "n": ("declined", Rung.migrate),
    "l": ("later", Rung.awaiting_decision),
}


@pytest.mark.parametrize("verdict", ["y", "n", "l"])
async def test_a_supervisor_reading_vietnamese_decides_a_termination_on_the_page(
    site: Site, verdict: str
) -> None:
    world = site.world
    await reads_vietnamese(world, MINH)
    await add_customer(world, "Lê Văn Tám")
    case_id = await open_review(world.lan, "Lê Văn Tám")
    await climb_to_decision(world.lan)
    shown = (await site.get(f"cases/{case_id}", MINH)).json()
    scripts = world.services.scripts
    assert [(v["code"], v["label"]) for v in shown["request"]["verdicts"]] == [
        (code, scripts.get("vi", f"button.verdict_{code}")) for code in ("y", "n", "l")
    ]
    decided = await site.post(
        f"cases/{case_id}/decision", {"version": shown["version"], "verdict": verdict}, MINH
    )
    assert decided.status_code == 200, decided.text
    trigger, state = TERMINATION_VERDICTS[verdict]
    told = scripts.get("vi", "approval.told.owner", owner="Lan")
    said = scripts.get("vi", f"approval.recorded.termination.{trigger}", case=case_id, told=told)
    assert decided.json()["message"] == said
    case = await world.case(case_id)
    assert case.state == state
    assert (await world.events(case_id))[-1].kind == trigger
    assert f"#{case_id}" in world.lan.last_text  # the owner is told at once


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_each_refusal_is_worded_in_the_readers_language(site: Site, language: str) -> None:
    words = site.world.services.scripts
    staff = LAN if language == "en" else HOA  # registered: their own language

    def said(key: str) -> str:
        return words.get(language, key).format(case=999999)

    # initData that does not hold says nothing trustworthy: the browser's language is used.
    forged = await site.client.get(
        "api/me",
        headers={
            **site.headers(staff, token=OTHER_TOKEN, language=language),
            "Accept-Language": f"{language},en;q=0.5",
        },
    )
    stranger = await site.get("me", STRANGER, language=language)  # as their Telegram is set
    supervisors_only = await site.get("approvals", staff, language=language)
    missing = await site.get("cases/999999", staff, language=language)
    for response, status, key in (
        (forged, 401, "miniapp.error_unauthorized"),
        (stranger, 403, "miniapp.error_unknown"),
        (supervisors_only, 403, "miniapp.error_role"),
        (missing, 404, "error.no_such_case"),
    ):
        refused_without_data(response, status)
        assert response.json()["message"] == said(key), key


async def test_a_supervisor_reading_vietnamese_gets_the_report_in_vietnamese(site: Site) -> None:
    world = site.world
    await reads_vietnamese(world, MINH)
    await awaiting_approval(world, "1.500.000")
    await open_case(world.hoa)
    shown = (await site.get("report?period=week", MINH)).json()
    words = world.services.scripts
    assert shown["title"].startswith("📊 Báo cáo")
    labels = [t["label"] for t in shown["tiles"]]
    keys = [k for k in words.keys("vi") if k.startswith("miniapp.tile_")]
    assert sorted(labels) == sorted(words.get("vi", k) for k in keys)
    tiles = {t["label"]: t["value"] for t in shown["tiles"]}
    period = parse_period(["week"], world.clock().date())
    figures = await figures_for(world.services.engine, period, world.services.tz_for(None))
    vietnamese = world.services.renderer(None)  # the default language
    assert tiles[words.get("vi", "miniapp.tile_opened")] == "2"
    assert tiles[words.get("vi", "miniapp.tile_compensation")] == vietnamese.money(
        figures.compensation_total
    )
    assert tiles[words.get("vi", "miniapp.tile_defection_rate")] in (
        words.get("vi", "report.no_share"),
        ReportView(vietnamese).percent(figures.defection_rate.ratio or 0),
    )


@pytest.mark.parametrize("comment", [None, "Approved on the page"])
async def test_a_decision_on_the_page_leaves_the_comment_the_chat_waits_for_on_another_case(
    site: Site, comment: str | None
) -> None:
    world = site.world
    first = await awaiting_approval(world)  # Lan's
    second = await open_case(world.hoa, customer="Trần Văn Bình")
    await walk_to_compensate(world.hoa)
    await compensate(world.hoa, "Refund", "3tr")
    asked = [m for m in world.minh.messages if f"case #{first}" in m.plain_text and m.buttons]
    await world.minh.press("✅ Approve", asked[-1])  # his next message: the first's comment
    shown = (await site.get(f"cases/{second}", MINH)).json()
    body = {"version": shown["request"]["version"], "verdict": "y", "comment": comment}
    assert (await site.post(f"cases/{second}/decision", body, MINH)).status_code == 200
    await world.minh.send("Please call her today")
    assert (await world.events(first))[-1].data == {"text": "Please call her today"}
    said = [e.data for e in await world.events(second) if e.kind == "approval_comment"]
    assert said == ([{"text": comment}] if comment else [])


@pytest.mark.parametrize(("telegram_app", "chosen"), [("en", "vi"), ("vi", "en")])
async def test_a_registered_person_refused_a_part_reads_why_in_the_language_they_chose(
    site: Site, telegram_app: str, chosen: str
) -> None:
    world = site.world
    words = world.services.scripts
    staff = HOA if chosen == "vi" else LAN  # their Telegram app set to the other language
    supervisors_only = await site.get("approvals", staff, language=telegram_app)
    refused_without_data(supervisors_only, 403)
    assert supervisors_only.json()["message"] == words.get(chosen, "miniapp.error_role")
    async with world.services.engine.begin() as connection:
        await connection.execute(
            update(tables.staff).where(tables.staff.c.telegram_id == staff).values(active=False)
        )
    deactivated = await site.get("me", staff, language=telegram_app)
    refused_without_data(deactivated, 403)
    assert deactivated.json()["message"] == words.get(chosen, "miniapp.error_inactive")
