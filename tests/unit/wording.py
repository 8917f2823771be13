"""Everything the words tests draw: customers of every kind, cases at every step, keyboards.

Plain domain objects (no database), rendered through the real Renderer in both languages.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.render import DECISIONS, Renderer
from bot.render.keyboards import Markup
from flows.case_filter import KINDS, STATUSES, CaseFilter
from flows.desk import _read_as
from flows.forms import Field
from flows.incidents import INCIDENT_FORM
from flows.model import Case, CaseEvent, CaseKind, Customer, Incident, Staff
from flows.outcomes import (
    CaseView,
    CustomerCard,
    CustomerRecord,
    Local,
    Notify,
    PickOwner,
    Say,
    ShowCases,
    ShowTimeline,
    StaffOverview,
)
from flows.parsing import read_when
from flows.policy import Partner, Policy
from flows.procedures import PROCEDURES
from flows.reminding import Digest
from flows.scripts import Scripts, plain

SCRIPTS = Scripts.load()
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
PARTNERS = (
    Partner("cong_ty_sao_mai", (("vi", "Công ty Sao Mai"), ("en", "Sao Mai Company"))),
    Partner("buu_dien_ha_noi", (("vi", "Bưu điện Hà Nội"), ("en", "Ha Noi Post"))),
)
WITH_PARTNERS = Policy(partners=PARTNERS)
WITHOUT_PARTNERS = Policy()
LONG_NAME = "Công ty Cổ phần Thương mại Dịch vụ Xuất nhập khẩu Sao Mai Miền Nam"

LAN = Staff(telegram_id=1001, name="Lan", role="staff", id=1)
MINH = Staff(telegram_id=2001, name="Minh", role="supervisor", id=2)


def customers() -> dict[str, Customer]:
    """One customer of each kind that changes how scripts address them (made afresh: the
    storage tests map the class, and objects made before that cannot be used after)."""
    return {
        "woman, titled": Customer(
            name="Nguyễn Thị Mai", search_key="", title="chi", since=date(2019, 3, 15), id=1
        ),
        "man, untitled": Customer(name="Trần Văn Hùng", search_key="", id=2),
        "formal": Customer(name="Lê Hoa", search_key="", title="quy_khach", id=3),
        "business": Customer(name=LONG_NAME, search_key="", kind="business", id=4),
        "business with a contact": Customer(
            name="Công ty Bình Minh",
            search_key="",
            kind="business",
            title="anh",
            given_name="Tuấn",
        ),
    }


def renderer(locale: str, policy: Policy = WITH_PARTNERS) -> Renderer:
    return Renderer(SCRIPTS, policy, locale, HCM)


def said_back(typed: str, locale: str, now: datetime, hour: int = 9) -> str:
    """What the bot says back of the time it read for words that leave it open (in
    Hồ Chí Minh City, at `now`), as the reader sees it."""
    read = read_when(typed, now, HCM, hour)
    [say] = _read_as(typed, read, Local(read.at, HCM))
    assert isinstance(say, Say)
    return plain(renderer(locale).say(say.key, **say.params))


def record(incidents: int, complaints: int = 3) -> CustomerRecord:
    """A customer's record with `incidents` documented incidents of different kinds, and
    `complaints` filed from 10 March to 20 October 2026."""
    kinds = ("late_payment", "uncivil_conduct", "abuse_of_staff")
    return CustomerRecord(
        tenure_years=2.5,
        yearly_value=5_000_000,
        lifetime_value=12_500_000,
        complaints=complaints,
        reopens=1,
        compensation={None: 700_000},
        open_cases=[4, 7],
        incidents=[
            Incident(
                customer_id=1,
                kind=kinds[i % 3],
                happened_on=date(2026, 9, 2) + timedelta(days=20 * i),
                note="Khách nói to tiếng",
            )
            for i in range(incidents)
        ],
        complaints_between=(
            datetime(2026, 3, 10, 3, 0, tzinfo=UTC),
            datetime(2026, 10, 20, 3, 0, tzinfo=UTC),
        )
        if complaints
        else None,
    )


def case(kind: str, state: str, draft: dict[str, Any] | None = None) -> Case:
    return Case(
        kind=kind,
        owner_id=1,
        opened_at=NOW,
        updated_at=NOW,
        state=state,
        customer_id=1,
        summary="Giao hàng trễ 3 ngày",
        category="delay",
        severity="high",
        draft=draft or {},
        compensation_type="voucher",
        compensation_value=700_000,
        follow_up_due_at=NOW + timedelta(days=1),
        promised_fix_at=NOW + timedelta(hours=2),
        id=123,
    )


def forms(policy: Policy = WITH_PARTNERS) -> Iterator[tuple[str, str, Field | None]]:
    """Every (case kind, state, question) a card can show, and each state with no question."""
    for kind, procedure in PROCEDURES.items():
        for state in procedure.flow.all_states():
            yield kind, state, None
            for field in procedure.form(state, policy):
                yield kind, state, field
    for field in INCIDENT_FORM:
        yield CaseKind.complaint, "apologise", field


def views(policy: Policy = WITH_PARTNERS) -> Iterator[tuple[str, CaseView]]:
    """A view of every question of every procedure, for every kind of customer (named)."""
    for kind, state, field in forms(policy):
        draft = {f"_pick_{field.name}": list(field.options[:2])} if field else {}
        for who, customer in customers().items():
            for incidents in (0, 1, 3):
                yield (
                    who,
                    CaseView(
                        case=case(kind, state, draft),
                        owner=LAN,
                        customer=customer,
                        field=field,
                        matches=[
                            Customer(name=LONG_NAME, search_key="", phone="0903123456", id=9)
                        ],
                        record=record(incidents),
                    ),
                )


def keyboards(locale: str) -> Iterator[tuple[str, Markup | None]]:
    """Every keyboard the bot draws, named for the error message."""
    r = renderer(locale)
    for _, view in views():
        if view.record is not None and len(view.record.incidents) == 1:
            where = f"{view.case.kind}.{view.case.state}.{view.field.name if view.field else ''}"
            yield f"card {where}", r.card(view).markup
    view = next(v for _, v in views() if v.case.kind == CaseKind.complaint)
    decision = {"value": 900_000, "type": "voucher", "goodwill_value": 900_000}
    decision |= {"limit": 500_000, "limit_now": 500_000}
    decision |= {"goodwill": "refund_last_period", "reasons": {"unprofitable": "lỗ"}}
    for kind in DECISIONS:
        yield f"notify {kind}", r.notify(Notify(MINH, kind, view, decision)).markup
    for kind, params in (
        ("decision", {"verdict": "approved", "subject": "compensation", "by": "Minh"}),
        ("escalation", {"reason": "Khách dọa kiện"}),
        ("approval_comment", {"text": "Đồng ý", "by": "Minh"}),
    ):
        yield f"notify {kind}", r.notify(Notify(LAN, kind, view, params)).markup
    for kind in (
        "follow_up_due",
        "follow_up_overdue",
        "fix_due",
        "approval_pending",
        "overdue_notice",
        "ladder_check",
        "termination_notice",
    ):
        facts = {"action": "Giao lại", "compensation": ("voucher", 200_000)}
        yield f"reminder {kind}", r.reminder(kind, view, facts).markup
    listed = [(case(k, "apologise"), customers()["business"]) for k in PROCEDURES] * 3
    for status in [*STATUSES, "-"]:
        for kind in [*KINDS, "-"]:
            wanted = CaseFilter(status=status, kind=kind, offset=8)
            shown = ShowCases(cases=listed, everyone=True, filter=wanted, more=True)
            yield f"cases {status}{kind}", r.cases(shown).markup
    nothing = ShowCases(cases=[], everyone=False, filter=CaseFilter())
    yield "cases none", r.cases(nothing).markup
    for listing in ("followups", "approvals"):
        yield listing, r.cases(ShowCases(cases=listed, everyone=True, listing=listing)).markup
    for status in ("active", "at_risk", "terminated", "defected"):
        for customer in customers().values():
            customer.status = status
            shown_card = CustomerCard(customer=customer, record=record(3), rung="educate")
            yield f"customer {status}", r.customer_card(shown_card).markup
    matches = list(customers().values())
    for listing in ("matches", "at_risk"):
        shown_card = CustomerCard(customer=None, record=None, matches=matches, listing=listing)
        yield f"customers {listing}", r.customer_card(shown_card).markup
    names = [(case(CaseKind.complaint, "awaiting_follow_up"), LONG_NAME)] * 3
    digest = Digest({"apologise": 2}, due_today=names, overdue=names, approvals=names)
    yield "digest", r.digest(digest, LAN).markup
    yield "menu", r.menu(MINH).markup
    yield "languages", r.languages().markup
    yield "comment", r.comment_prompt("Xong").markup
    yield "side prompt", r.side_prompt("Xong", 123).markup
    yield "customer prompt", r.customer_prompt("Xong", 123).markup
    evidence = CaseEvent(
        123, 1, NOW, 1, "apologise", "evidence", {"kind": "photo", "file_id": "f"}
    )
    timeline = ShowTimeline(view=view, events=[evidence], people={})
    yield "timeline", r.timeline_buttons(timeline)
    # a supervisor's: the card and timeline with Hand over, the cases someone left behind,
    # and the people to hand a case over to
    boss = Renderer(SCRIPTS, WITH_PARTNERS, locale, HCM, MINH)
    yield "supervisor's card", boss.card(view).markup
    yield "supervisor's timeline", boss.timeline_buttons(timeline)
    left = [(case(CaseKind.complaint, "apologise"), LONG_NAME)] * 3
    yield "left behind", boss.left_behind({"who": "Lan"}, left).markup
    twin = Staff(telegram_id=1002, name="Lan", created_at=NOW, id=3)
    counts = {"open": 2, "overdue": 1, "turned_around": 0}
    staff = StaffOverview(rows=[(LAN, counts), (twin, counts)], removable=[twin])
    yield "staff", boss.staff_overview(staff).markup
    people = [MINH, *(Staff(telegram_id=3000 + n, name=LONG_NAME, id=10 + n) for n in range(7))]
    for page, more in ((0, True), (1, True), (2, False)):
        picked = PickOwner(view, people, page, more, MINH.id or 0)
        yield f"pick owner {page}", boss.pick_owner(picked).markup
