"""Steps that many conversation tests share: opening a case, walking to a given step."""

from __future__ import annotations

import re
from typing import Any

from flows.scripts import Scripts, plain
from standin.inprocess import Person

SCRIPTS = Scripts.load()

CASE_NUMBER = re.compile(r"#(\d+)")
#: A button about a case: the case, the version it was drawn for, what it does.
CASE_BUTTON = re.compile(r"k:(\d+):(\d+):([a-z])")
#: What a case's buttons do that is never out of date: its timeline, the case opened, its
#: files.
TIMELESS = {"t", "o", "e"}


def case_buttons(person: Person, case_id: int) -> list[tuple[str, int, str]]:
    """The buttons about a case still showing in the person's chat: each one's label, the
    version of the case it was drawn for, and what it does (`TIMELESS`, or `c` an answer,
    `a` a side action…)."""
    return [
        (b.text, int(m[2]), m[3])
        for message in person.messages
        if not message.deleted
        for row in message.buttons
        for b in row
        if (m := CASE_BUTTON.match(b.callback_data or "")) and int(m[1]) == case_id
    ]


def case_number(text: str) -> int:
    """Read the case number from a card."""
    match = CASE_NUMBER.search(text)
    assert match, text
    return int(match[1])


async def open_case(
    person: Person,
    customer: str = "Nguyễn Thị Hương",
    complaint: str = "Giao hàng trễ 3 ngày 😠",
    *,
    existing: bool = False,
) -> int:
    """Open a complaint for a new (or existing) customer and reach step 1."""
    await person.send("/new")
    case_id = case_number(person.last_text)
    await person.send(customer)
    if existing:
        await person.press(customer)
    else:
        await person.press("New customer" if person.language_code == "en" else "Khách hàng mới")
        await person.send(customer)
        await person.send("0903 123 456")
        await person.press("Individual" if person.language_code == "en" else "Cá nhân")
        await person.send("2019")
        await person.send("3tr")
    await person.send(complaint)
    await person.press("Delay" if person.language_code == "en" else "Chậm trễ")
    await person.press("High" if person.language_code == "en" else "Nặng")
    return case_id


LABELS = {
    "vi": {
        "Calm": "Bình tĩnh",
        "Skip": "Bỏ qua",
        "Fixed now": "Đã khắc phục xong",
        "Voucher": "Phiếu quà tặng",
        "Refund": "Hoàn tiền",
        "Tomorrow": "Ngày mai",
        "In 3 days": "3 ngày nữa",
        "In a week": "1 tuần nữa",
        "In a month": "1 tháng nữa",
        # the problem-customer review, its decision and the termination conversation
        "Not resolved": "Chưa giải quyết",
        "Resolved — keep": "Đã giải quyết — giữ khách",
        "Wait and see": "Chưa rõ — chờ xem",
        "It may change": "Có thể thay đổi",
        "It will not change": "Sẽ không thay đổi",
        "Skip rung": "Bỏ qua giai đoạn",
        "Decide now": "Quyết định ngay",
        "Incident": "Sự việc",
        "Abuse of staff": "Xúc phạm nhân viên",
        "Late or missed payment": "Trả tiền trễ hoặc không trả",
        "Today": "Hôm nay",
        "Little or no profit": "Không mang lại lợi nhuận",
        "Abuse or mistreatment of staff": "Cư xử tệ, xúc phạm nhân viên",
        "The uncivil client": "Chửi bới, thiếu lịch sự",
        "Done": "Xong",
        "Approve": "Duyệt",
        "Decline": "Từ chối",
        "Put off": "Để sau",
        "Nothing to add": "Thôi, không nhắn thêm",
        "Open case": "Xem hồ sơ",
        "Ready": "Sẵn sàng",
        "Refund the last period": "Hoàn tiền kỳ cuối",
        "Cancel the final invoice": "Hủy hóa đơn cuối cùng",
        "Another option": "Lựa chọn khác",
        # the exit interview
        "All of these": "Tất cả những điều trên",
        "Gone for good": "Khách rời đi hẳn",
    },
}


def label(person: Person, english: str) -> str:
    """Translate a button label into the person's language."""
    return LABELS.get(person.language_code, {}).get(english, english)


def words(person: Person, key: str, /, **params: Any) -> str:
    """What the scripts give the person's language for `key`, as the reader sees it."""
    return plain(SCRIPTS.get(person.language_code, key, **params))


async def walk_to_fix(person: Person) -> None:
    """From step 1, record the apology (a calm customer, no script read): the card then
    asks what was done to fix it."""
    await person.press(label(person, "Calm"))
    await person.press(label(person, "Skip"))


async def walk_to_compensate(person: Person) -> None:
    """From step 1, record the apology, the fix and the empathy."""
    await walk_to_fix(person)
    await person.send("Re-delivered by our own van within the hour")
    await person.press(label(person, "Fixed now"))
    await person.send("She needed the cake for her son's birthday")


async def compensate(person: Person, kind: str = "Voucher", value: str = "200k") -> None:
    """Record a compensation."""
    await person.press(label(person, kind))
    await person.send(value)


async def asking_approval(
    person: Person, value: str = "2tr", customer: str = "Nguyễn Thị Hương"
) -> int:
    """Walk a complaint for a new customer to a refund of `value` (over the staff limit by
    default): the case waits for a supervisor. Return its number."""
    case_id = await open_case(person, customer)
    await walk_to_compensate(person)
    await compensate(person, "Refund", value)
    return case_id


async def choose(person: Person, option: str) -> None:
    """Answer the current question with an option, found by its code (whatever its label)."""
    card = person.api.last_with_buttons(person.chat_id)
    assert card is not None, f"no buttons in {person.first_name}'s chat"
    data = [
        button.callback_data
        for row in card.buttons
        for button in row
        if (button.callback_data or "").endswith(f":c:{option}")
    ]
    assert data, f"no option {option!r} among {card.button_labels}"
    await person.press(str(data[0]), card)


async def at_the_promised_fix_question(person: Person) -> None:
    """From step 1: the apology, then a fix typed and marked "in progress": the card asks
    when it was promised."""
    await walk_to_fix(person)
    await person.send("Đã đặt hàng thay thế từ kho")
    await choose(person, "in_progress")
