"""Many members of staff at once, each walking whole complaints in Vietnamese in their own chat.

`TransportFeed` hands every update to the application the way production does (see its
docstring); `Walker` plays one member of staff and remembers what each walk must have left in
the database; `Tally` adds that up for the whole crowd.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from telegram import Update

from bot.processor import handle
from flows.procedures.complaint import Step
from standin.inprocess import AnyApplication, FakeBotApi, Person
from tests.bot.walk import case_number


class TransportFeed:
    """Stands in for the Application towards `Person`: hands each update over the way our
    transports do, and returns once it has been handled.

    In production the poller (`bot/poller.py`) and the webhook server (`bot/webhook.py`)
    run each update as a task of its own through `bot.processor.handle`: into the
    application's update processor (`bot/processor.py`: one chat at a time on SQLite, up to
    `telegram.concurrent_updates` chats at once on PostgreSQL), then `process_update`,
    returning after the handler's commit. This does the same. `Person` alone would call
    `process_update` directly and skip the processor and its limit.
    """

    def __init__(self, app: AnyApplication, timeout: float = 120.0) -> None:
        self.app = app
        self.bot = app.bot
        self.timeout = timeout

    async def process_update(self, update: Update) -> None:
        """Handle the update as the transports do; give up after `timeout` seconds."""
        task = asyncio.create_task(handle(self.app, update), name=f"update-{update.update_id}")
        await asyncio.wait_for(task, self.timeout)


CUSTOMERS = (
    "Nguyễn Thị Hương",
    "Trần Văn Đức",
    "Lê Minh Anh",
    "Phạm Thu Trang",
    "Hoàng Gia Bảo",
    "Võ Thị Mỹ Linh",
    "Đặng Quốc Huy",
    "Bùi Ngọc Hân",
)
#: What the customer says, and the category button that fits it.
COMPLAINTS = (
    ("Giao hàng trễ 3 ngày, bánh sinh nhật bị hỏng 😠", "Chậm trễ hoặc lỡ hẹn"),
    ("Nhân viên trả lời cộc lốc qua điện thoại", "Thái độ nhân viên"),
    ("Máy lọc nước bị rò rỉ ngay tuần đầu tiên", "Sản phẩm sai hoặc lỗi"),
    ("Hóa đơn tháng 11 bị tính tiền hai lần", "Hóa đơn hoặc thanh toán"),
    ("Giá tăng 20% mà chất lượng phục vụ lại kém đi", "Giá hoặc chất lượng"),
)
SEVERITIES = ("Nhẹ", "Vừa", "Nặng")
MOODS = ("Bình tĩnh", "Buồn bực", "Giận dữ")
APOLOGIES = ("Em xin lỗi chị, lỗi hoàn toàn ở phía bên em", "Bên em thành thật xin lỗi anh")
FIXES = (
    "Giao lại bằng xe riêng trong vòng một giờ",
    "Kỹ thuật viên đến thay linh kiện ngay chiều nay",
    "Hoàn lại khoản tính trùng vào tài khoản của khách",
)
EMPATHY = (
    "Chị cần bánh cho sinh nhật con trai lúc 6 giờ tối",
    "Anh ấy đã mất cả buổi sáng để chờ đợi",
    "Đây là món quà khách định tặng mẹ nhân ngày 20/11",
)
NOTES = ("Khách gọi lại lần 2, giọng đã dịu hơn 🙏", "Đã gửi ảnh hóa đơn cho bộ phận kế toán")
#: A compensation the staff may give without approval (the limit is 500,000 VND).
COMPENSATIONS = (
    ("Phiếu quà tặng", "200k"),
    ("Giảm giá", "150.000"),
    ("Dịch vụ miễn phí", "300000"),
    ("Quà tặng", "120 nghìn"),
)
FOLLOW_UPS = ("Ngày mai", "3 ngày nữa", "1 tuần nữa")
SATISFIED = "😊 Hài lòng — đóng hồ sơ"


@dataclass(frozen=True)
class Known:
    """A customer a member of staff opened cases for: how many, and whether the last of
    them flagged the customer at risk."""

    phone: str
    complaints: int
    at_risk: bool


@dataclass(frozen=True)
class Plan:
    """How one walk goes. Every choice follows from who walks and which walk it is."""

    customer: str
    phone: str
    known_phone: str | None  # an earlier customer's, picked from the search instead
    at_risk: bool  # this complaint makes that customer one with too many (flagged at risk)
    complaint: str
    category: str
    severity: str
    mood: str
    apology: str | None  # typed after the mood, else skipped
    note: str | None  # added before the fix is described
    fix: str
    in_progress: bool  # the fix is promised for later instead of done
    empathy: str
    compensation: tuple[str, str]
    follow_up: str
    close: bool  # the customer is satisfied at once, else the follow-up stays scheduled
    list_first: bool  # /cases before /new
    show_timeline: bool  # /case N after the empathy step

    @staticmethod
    def make(person: int, walk: int, known: Known | None, at_risk_after: int) -> Plan:
        """The plan of walk `walk` (0, 1, ...) of the `person`-th member of staff, who may
        know an earlier customer of theirs; `at_risk_after` complaints flag a customer."""
        mix = person + walk
        again = known if mix % 4 == 2 else None
        complaints = (again.complaints if again else 0) + 1
        digits = f"09{person % 100:02d}{walk % 1_000_000:06d}"
        complaint, category = COMPLAINTS[mix % len(COMPLAINTS)]
        return Plan(
            customer=CUSTOMERS[mix % len(CUSTOMERS)],
            phone=f"{digits[:4]} {digits[4:7]} {digits[7:]}",
            known_phone=again.phone if again else None,
            at_risk=complaints >= at_risk_after and not (again and again.at_risk),
            complaint=complaint,
            category=category,
            severity=SEVERITIES[mix % len(SEVERITIES)],
            mood=MOODS[mix % len(MOODS)],
            apology=APOLOGIES[mix % len(APOLOGIES)] if mix % 4 == 3 else None,
            note=NOTES[mix % len(NOTES)] if mix % 4 == 2 else None,
            fix=FIXES[mix % len(FIXES)],
            in_progress=mix % 4 == 1,
            empathy=EMPATHY[mix % len(EMPATHY)],
            compensation=COMPENSATIONS[mix % len(COMPENSATIONS)],
            follow_up=FOLLOW_UPS[mix % len(FOLLOW_UPS)],
            close=mix % 6 < 3,
            list_first=mix % 5 == 0,
            show_timeline=mix % 3 == 0,
        )

    @property
    def events(self) -> tuple[str, ...]:
        """The kinds of the events this walk must store for its case, in order."""
        return (
            "opened",
            "open",
            *(["at_risk"] if self.at_risk else []),
            "apologised",
            *(["note"] if self.note else []),
            "fixed",
            "empathised",
            "compensated",
            "scheduled",
            *(["satisfied"] if self.close else []),
        )

    @property
    def state(self) -> Step:
        """Where the case must end."""
        return Step.closed if self.close else Step.awaiting_follow_up


@dataclass
class Tally:
    """What the crowd sent and what the database must hold because of it."""

    updates: int = 0
    walks: int = 0
    new_customers: int = 0
    #: case id -> (event kinds, final state); few distinct values, so they are shared.
    expected: dict[int, tuple[tuple[str, ...], Step]] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def events(self) -> int:
        """How many case events the database must hold."""
        return sum(len(kinds) for kinds, _ in self.expected.values())

    def states(self) -> Counter[str]:
        """How many cases must have ended in each state."""
        return Counter(str(state) for _, state in self.expected.values())


_SHARED: dict[tuple[tuple[str, ...], Step], tuple[tuple[str, ...], Step]] = {}


class Walker:
    """One member of staff, in their own chat, walking one whole complaint per `walk()`."""

    def __init__(self, person: Person, index: int, tally: Tally, at_risk_after: int) -> None:
        self.person = person
        self.index = index
        self.tally = tally
        self.at_risk_after = at_risk_after  # the policy: complaints that flag a customer
        self.walks = 0
        self.known: Known | None = None

    async def walk(self) -> None:
        """Walk one complaint from /new to a scheduled follow-up or to closed.

        If the bot does not show what a person expects next, the walk stops and the failure
        is noted in the tally.
        """
        plan = Plan.make(self.index, self.walks, self.known, self.at_risk_after)
        self.walks += 1
        try:
            case_id = await self._walk(plan)
        except (LookupError, TimeoutError) as err:
            self.tally.failures.append(f"staff {self.person.telegram_id}: {err!r}"[:300])
            return
        finally:
            # The chat's history is no longer needed: keep the harness's memory flat.
            self.person.api.forget(self.person.chat_id)
        outcome = (plan.events, plan.state)
        self.tally.expected[case_id] = _SHARED.setdefault(outcome, outcome)
        self.tally.walks += 1
        if plan.known_phone is None:
            self.tally.new_customers += 1
            self.known = Known(plan.phone, 1, plan.at_risk)
        elif self.known is not None:
            known = self.known
            self.known = Known(known.phone, known.complaints + 1, known.at_risk or plan.at_risk)

    async def look(self) -> None:
        """List one's cases (/cases): a read, and the person's first contact if nothing came
        before, on which PTB sets up what it keeps per user and per chat."""
        try:
            await self._send("/cases")
        except TimeoutError as err:
            self.tally.failures.append(f"staff {self.person.telegram_id}: {err!r}"[:300])

    async def _walk(self, plan: Plan) -> int:
        if plan.list_first:
            await self._send("/cases")
        await self._send("/new")
        case_id = case_number(self.person.last_text)
        if plan.known_phone is None:
            await self._send(plan.customer)
            await self._press("Khách hàng mới")
            await self._send(plan.customer)
            await self._send(plan.phone)
            await self._press("Cá nhân")
            await self._send("2019")
            await self._send("3tr")
        else:
            await self._send(plan.known_phone)
            await self._press(plan.known_phone.replace(" ", ""))
        await self._send(plan.complaint)
        await self._press(plan.category)
        await self._press(plan.severity)
        # Step 1: apologise.
        await self._press(plan.mood)
        await (self._send(plan.apology) if plan.apology else self._press("Bỏ qua"))
        # Step 2: fix.
        if plan.note:
            await self._press("Ghi chú")
            await self._send(plan.note)
        await self._send(plan.fix)
        if plan.in_progress:
            await self._press("Đang xử lý")
            await self._press("Trước 17:00 hôm nay")
        else:
            await self._press("Đã khắc phục xong")
        # Step 3: empathise.
        await self._send(plan.empathy)
        if plan.show_timeline:
            await self._send(f"/case {case_id}")
        # Step 4: compensate.
        kind, value = plan.compensation
        await self._press(kind)
        await self._send(value)
        # Step 5: follow up.
        await self._press(plan.follow_up)
        if plan.close:
            await self._press(SATISFIED)
        return case_id

    async def _send(self, text: str) -> None:
        await self.person.send(text)
        self.tally.updates += 1

    async def _press(self, label: str) -> None:
        await self.person.press(label)
        self.tally.updates += 1


def crowd(app: AnyApplication, api: FakeBotApi, staff: list[int], tally: Tally) -> list[Walker]:
    """One walker per member of staff (registered in Vietnamese), fed as the transports do."""
    feed: Any = TransportFeed(app)  # stands in for the Application towards Person
    at_risk_after = app.bot_data.services.policy.at_risk_complaints
    return [
        Walker(Person(feed, api, telegram_id, f"Nhân viên {n}", "vi"), n, tally, at_risk_after)
        for n, telegram_id in enumerate(staff)
    ]
