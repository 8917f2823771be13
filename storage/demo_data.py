"""Realistic made-up history for demos and benchmarks: staff, customers, cases, events.

The rows look like what the bot writes — the same event kinds, steps and data — but are
inserted in bulk, so a million events take seconds. Everything is drawn from one seeded
random generator: the same arguments give the same database.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection

from flows.model import marked
from flows.parsing import phone_key, search_key
from flows.procedures import PROCEDURES
from flows.reports import DEFECTION_REASONS
from storage import tables

FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi")
MIDDLE = ("Thị", "Văn", "Ngọc", "Minh", "Đức", "Thu", "Hồng", "Quốc", "Thanh")
GIVEN = ("Hương", "Lan", "Mai", "Hùng", "Dũng", "Trang", "Phương", "Tuấn", "Hạnh", "Khoa")
COMPLAINTS = (
    "Giao hàng trễ 3 ngày, bánh sinh nhật hỏng",
    "Nhân viên trả lời cộc lốc qua điện thoại",
    "Hoá đơn tính sai hai lần",
    "Máy giặt mới giao bị móp cửa",
    "Lỡ hẹn lắp đặt, khách chờ cả buổi sáng",
)
CATEGORIES = ("price_quality", "staff_attitude", "delay", "defective", "billing", "other")
COMPENSATIONS = (("voucher", 200_000), ("discount", 150_000), ("free_service", 300_000),
                 ("gift", 100_000), ("refund", 800_000), ("none", 0))  # fmt: skip
#: Where each kind of case starts, as the bot opens it.
FIRST_STEP = {kind: str(procedure.flow.initial) for kind, procedure in PROCEDURES.items()}
#: The ladder a problem customer is taken up before a termination may be asked for.
LADDER = ("reassess", "educate", "renegotiate", "migrate")
_APPROVED = {"to": "termination_conversation"}
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
APPROVAL_LIMIT = 500_000
BATCH = 5_000


@dataclass
class Seeded:
    """What was written."""

    staff: int = 0
    customers: int = 0
    cases: int = 0
    events: int = 0


@dataclass
class _Case:
    """A case being simulated, with its events."""

    row: dict[str, Any]
    events: list[dict[str, Any]] = field(default_factory=list)

    def log(
        self, at: datetime, actor: int | None, step: str, kind: str, data: dict[str, Any]
    ) -> None:
        self.events.append(
            {
                "case_id": self.row["id"],
                "seq": len(self.events) + 1,
                "at": at,
                "actor_id": actor,
                "step": step,
                "kind": kind,
                "data": data,
            }
        )
        self.row["updated_at"] = at
        self.row["step_marks"] = marked(self.row["step_marks"], kind)


class _Simulation:
    def __init__(
        self, rng: random.Random, now: datetime, staff_ids: list[int], supervisor: int
    ) -> None:
        self.rng = rng
        self.now = now
        self.staff_ids = staff_ids
        self.supervisor = supervisor
        self.next_case = 1

    def _new(self, kind: str, customer: int, opened: datetime) -> _Case:
        """A case opened at its procedure's first step, as the bot opens it: a complaint's
        customer comes with its intake; any other case's is chosen at once."""
        owner, first = self.rng.choice(self.staff_ids), FIRST_STEP[kind]
        row: dict[str, Any] = {
            "id": self.next_case,
            "kind": kind,
            "state": first,
            "version": 1,
            "events_count": 0,
            "owner_id": owner,
            "customer_id": customer,
            "summary": None,
            "category": None,
            "severity": None,
            "draft": {},
            "compensation_type": None,
            "compensation_value": None,
            "compensation_total": 0,
            "compensation_given": [],
            "reopen_count": 0,
            "step_marks": 0,
            "overdue_since": None,
            "follow_up_due_at": None,
            "resolution": None,
            "opened_at": opened,
            "closed_at": None,
            "updated_at": opened,
        }
        self.next_case += 1
        case = _Case(row)
        case.log(opened, owner, first, "opened", {})
        if kind != "complaint":
            case.log(opened, owner, first, "customer_chosen", {"customer": customer})
        return case

    def _finish(self, case: _Case) -> _Case:
        case.row["events_count"] = len(case.events)
        case.row["version"] = len(case.events) + 1
        return case

    def complaint(self, customer: int, opened: datetime) -> _Case:
        """Walk one complaint through the five steps, as far as `now` allows."""
        rng, case = self.rng, self._new("complaint", customer, opened)
        owner, row = case.row["owner_id"], case.row
        t = opened + timedelta(minutes=rng.randint(2, 15))
        summary = rng.choice(COMPLAINTS)
        row.update(summary=summary, category=rng.choice(CATEGORIES), severity="medium")

        def step(state: str, kind: str, data: dict[str, Any], to: str, minutes: float) -> bool:
            nonlocal t
            t += timedelta(minutes=minutes)
            if t > self.now:
                row["state"] = state
                return False
            case.log(t, owner, state, kind, {**data, "to": to})
            row["state"] = to
            return True

        intake = {"customer": customer, "summary": summary, "category": row["category"]}
        if not step("intake", "open", {**intake, "severity": "medium"}, "apologise", 1):
            return self._finish(case)
        if rng.random() < 0.03:
            t += timedelta(hours=1)
            if t <= self.now:
                case.log(t, owner, "apologise", "cancel", {"reason": "Mở nhầm", "to": "cancelled"})
                row.update(state="cancelled", resolution="cancelled", closed_at=t)
            return self._finish(case)
        reaction = rng.choice(("calm", "upset", "angry"))
        if not step("apologise", "apologised", {"reaction": reaction}, "fix", rng.uniform(3, 30)):
            return self._finish(case)
        while True:
            fix = {"action": "Giao lại ngay trong ngày", "status": "fixed_now"}
            if not step("fix", "fixed", fix, "empathise", rng.expovariate(1 / 240)):
                return self._finish(case)
            if rng.random() < 0.2:
                case.log(t, owner, "empathise", "note", {"text": "Khách cần hàng gấp"})
            mattered = {"what_mattered": "Khách cần hàng cho buổi tiệc"}
            if not step("empathise", "empathised", mattered, "compensate", rng.uniform(5, 60)):
                return self._finish(case)
            kind, value = rng.choice(COMPENSATIONS)
            value = int(value * rng.choice((0.5, 1, 1, 2)))
            if not self._compensate(case, step, kind, value):
                return self._finish(case)
            due = t + timedelta(days=rng.choice((1, 3, 7)))
            if not step(
                "follow_up", "scheduled", {"due": due.isoformat()}, "awaiting_follow_up", 2
            ):
                return self._finish(case)
            row["follow_up_due_at"] = due
            t = due
            if rng.random() < 0.06:  # nobody answered the reminder in time
                t += timedelta(days=1)
                if t > self.now:
                    return self._finish(case)
                case.log(t, None, "awaiting_follow_up", "overdue", {})
                row["overdue_since"] = t
            draw = rng.random()
            if draw < 0.1:
                if not step("awaiting_follow_up", "unreachable", {"outcome": "unreachable"},
                            "awaiting_follow_up", 30):  # fmt: skip
                    return self._finish(case)
                t += timedelta(days=1)
            if draw < 0.85 - 0.3 * row["reopen_count"] or row["reopen_count"] >= 2:
                if step("awaiting_follow_up", "satisfied", {"outcome": "satisfied"}, "closed", 5):
                    row.update(
                        resolution="resolved",
                        closed_at=t,
                        follow_up_due_at=None,
                        overdue_since=None,
                    )
                return self._finish(case)
            if not step("awaiting_follow_up", "still_unhappy", {"outcome": "still_unhappy"},
                        "fix", 5):  # fmt: skip
                return self._finish(case)
            row.update(reopen_count=row["reopen_count"] + 1, overdue_since=None)

    def _compensate(self, case: _Case, step: Any, kind: str, value: int) -> bool:
        data: dict[str, Any] = {"type": kind}
        data.update({"reason": "Khách không muốn nhận"} if kind == "none" else {"value": value})
        over = kind != "none" and value > APPROVAL_LIMIT
        if not step("compensate", "compensated", data, "awaiting_approval" if over else
                    "follow_up", self.rng.uniform(5, 30)):  # fmt: skip
            return False
        given = value if kind != "none" else 0
        case.row.update(compensation_type=kind, compensation_value=given)
        if not over:
            self._give(case, kind, given)
            return True
        if self.rng.random() < 0.8:
            self._give(case, kind, given)
            return bool(step("awaiting_approval", "approved", {}, "follow_up", 90))
        case.row.update(compensation_type=None, compensation_value=None)
        if not step("awaiting_approval", "declined", {}, "compensate", 90):
            return False
        return self._compensate(case, step, kind, APPROVAL_LIMIT)

    @staticmethod
    def _give(case: _Case, kind: str, value: int) -> None:
        case.row["compensation_total"] += value
        case.row["compensation_given"] = [*case.row["compensation_given"], [kind, value]]

    def review(self, customer: int, opened: datetime) -> _Case:
        """Climb the problem-customer ladder until retained, or until a supervisor approves
        the termination and the conversation is held."""
        rng, case = self.rng, self._new("problem_review", customer, opened)
        owner, t = case.row["owner_id"], opened
        for i, rung in enumerate(LADDER):
            t += timedelta(days=rng.uniform(2, 10))
            if t > self.now:
                case.row["state"] = rung
                return self._finish(case)
            if rng.random() < 0.35:
                case.log(t, owner, rung, "resolved", {"to": "retained"})
                case.row.update(state="retained", resolution="retained", closed_at=t)
                return self._finish(case)
            if rung != LADDER[-1]:
                case.log(t, owner, rung, "next", {"to": LADDER[i + 1]})
        decided = t + timedelta(hours=rng.uniform(1, 6))
        if decided > self.now:  # asked for once the supervisor can answer at once
            case.row["state"] = LADDER[-1]
            return self._finish(case)
        case.log(t, owner, LADDER[-1], "request_decision", {"to": "awaiting_decision"})
        case.log(decided, self.supervisor, "awaiting_decision", "approved", _APPROVED)
        t = decided + timedelta(days=rng.uniform(1, 5))
        if t > self.now:
            case.row["state"] = "termination_conversation"
            return self._finish(case)
        case.log(t, owner, "termination_conversation", "concluded", {"to": "terminated"})
        case.row.update(state="terminated", resolution="terminated", closed_at=t)
        return self._finish(case)

    def exit_interview(self, customer: int, opened: datetime) -> _Case:
        """Ask a leaving customer why; most go, some are won back."""
        rng, case = self.rng, self._new("exit_interview", customer, opened)
        owner, t = case.row["owner_id"], opened + timedelta(days=rng.uniform(0.5, 5))
        if t > self.now:
            return self._finish(case)
        weights = (5, 3, 4, 2, 3, 1)
        reasons = sorted(set(rng.choices(DEFECTION_REASONS, weights, k=rng.choice((1, 1, 2)))))
        outcome = "defected" if rng.random() < 0.7 else "won_back"
        case.log(t, owner, "interview", "answered", {"exit_reasons": reasons, "to": "win_back"})
        t += timedelta(minutes=rng.uniform(1, 20))
        if t > self.now:
            case.row["state"] = "win_back"
            return self._finish(case)
        case.log(t, owner, "win_back", outcome, {"reasons": reasons, "to": outcome})
        case.row.update(state=outcome, resolution=outcome, closed_at=t)
        return self._finish(case)


def _customer_rows(rng: random.Random, count: int, start: datetime, now: datetime) -> list[Any]:
    rows = []
    span = (now - start).total_seconds()
    for i in range(1, count + 1):
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        phone = f"09{rng.randint(10_000_000, 99_999_999)}"
        joined = start + timedelta(seconds=span * rng.random() ** 3) if i % 10 == 0 else None
        rows.append(
            {
                "id": i,
                "name": name,
                "search_key": search_key(name),
                "kind": "business" if i % 7 == 0 else "individual",
                "phone": phone,
                "phone_key": phone_key(phone),
                "since": date(2015 + i % 10, 1 + i % 12, 1),
                "since_precision": "month",  # made up to the month: shown as one
                "yearly_value": int(round(rng.lognormvariate(15.4, 0.7), -5)),
                "status": "active",
                "created_at": joined or start - timedelta(days=rng.randint(30, 900)),
                "created_by": 1,
            }
        )
    return rows


def _cases(
    rng: random.Random,
    sim: _Simulation,
    customers: int,
    start: datetime,
    now: datetime,
    complaints_per_week: int,
) -> Iterator[_Case]:
    """Open cases week after week, with a gentle wave in the number of complaints."""
    weeks = max(1, (now - start).days // 7 + 1)
    lost: set[int] = set()
    for week in range(weeks):
        begin = start + timedelta(days=7 * week)
        wave = 1 + 0.35 * ((week % 9) - 4) / 4 + 0.2 * rng.random()
        for _ in range(max(1, int(complaints_per_week * wave))):
            opened = begin + timedelta(seconds=rng.uniform(0, 7 * 86400))
            if opened <= now:
                yield sim.complaint(rng.randint(1, customers), _working(opened))
        # About a fifth of the customers leave in a year (domain brief, section 5).
        for _ in range(rng.randint(0, 2) + round(customers * 0.2 / 52 / 0.7)):
            who = rng.randint(1, customers)
            opened = _working(begin + timedelta(days=rng.uniform(0, 7)))
            if who in lost or opened > now:
                continue
            if rng.random() < 0.3:
                case = sim.review(who, opened)
            else:
                case = sim.exit_interview(who, opened)
            if case.row["state"] in ("terminated", "defected"):
                lost.add(who)
            yield case


def _working(moment: datetime) -> datetime:
    """Move a moment into working hours (08:00-20:00 Ho Chi Minh time)."""
    local = moment.astimezone(TZ)
    if 8 <= local.hour < 20:
        return moment
    shifted = datetime.combine(local.date(), time(8 + local.hour % 12), tzinfo=TZ)
    return shifted.astimezone(UTC)


async def seed(
    connection: AsyncConnection,
    *,
    now: datetime,
    weeks: int = 16,
    customers: int = 700,
    complaints_per_week: int = 40,
    seed: int = 7,
) -> Seeded:
    """Write staff, customers and `weeks` of cases up to `now` into an empty database."""
    rng = random.Random(seed)
    start = now - timedelta(weeks=weeks)
    staff = [
        {"id": 1, "telegram_id": 2001, "name": "Minh", "role": "supervisor"},
        {"id": 2, "telegram_id": 1001, "name": "Lan", "role": "staff"},
        {"id": 3, "telegram_id": 1002, "name": "Hòa", "role": "staff"},
        {"id": 4, "telegram_id": 1003, "name": "Tuấn", "role": "staff"},
        {"id": 5, "telegram_id": 1004, "name": "Ngọc", "role": "staff"},
    ]
    for person in staff:
        person.update(locale="vi", active=True, created_at=start, unreachable=False)
    await connection.execute(insert(tables.staff), staff)
    customer_rows = _customer_rows(rng, customers, start, now)
    for chunk in _chunks(customer_rows):
        await connection.execute(insert(tables.customers), chunk)
    done = Seeded(staff=len(staff), customers=len(customer_rows))
    sim = _Simulation(rng, now, [2, 3, 4, 5], supervisor=1)
    case_rows: list[dict[str, Any]] = []
    event_rows: list[dict[str, Any]] = []
    for case in _cases(rng, sim, customers, start, now, complaints_per_week):
        case_rows.append(case.row)
        event_rows += case.events
        if len(event_rows) >= BATCH:
            await _flush(connection, case_rows, event_rows, done)
    await _flush(connection, case_rows, event_rows, done)
    return done


async def _flush(
    connection: AsyncConnection,
    case_rows: list[dict[str, Any]],
    event_rows: list[dict[str, Any]],
    done: Seeded,
) -> None:
    if case_rows:
        await connection.execute(insert(tables.cases), case_rows)
    if event_rows:
        await connection.execute(insert(tables.case_events), event_rows)
    done.cases += len(case_rows)
    done.events += len(event_rows)
    case_rows.clear()
    event_rows.clear()


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for i in range(0, len(rows), BATCH):
        yield rows[i : i + BATCH]
