"""One member of staff walking whole complaint cases, as a person would in Telegram."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass

from standin.inprocess import Person

Pause = Callable[[], float]
CASE_NUMBER = re.compile(r"#(\d+)")
NAMES = ("Nguyễn Thị Hương", "Trần Văn Đức", "Lê Minh Anh", "Phạm Thu Trang", "Hoàng Gia Bảo")

#: Intake of a new customer, the five steps, a follow-up that closes the case: (verb, what).
#: "{customer}" is replaced by the customer's name; verbs are "send" (text) and "press".
CASE_STEPS: tuple[tuple[str, str], ...] = (
    ("send", "{customer}"),
    ("press", "New customer"),
    ("send", "{customer}"),
    ("send", "0903 123 456"),
    ("press", "Individual"),
    ("send", "2019"),
    ("send", "3tr"),
    ("send", "Giao hàng trễ 3 ngày, bánh sinh nhật bị hỏng 😠"),
    ("press", "Delay"),
    ("press", "High"),
    ("press", "Calm"),
    ("press", "Skip"),
    ("send", "Re-delivered by our own van within the hour"),
    ("press", "Fixed now"),
    ("send", "She needed the cake for her son's birthday"),
    ("press", "Voucher"),
    ("send", "200k"),
    ("press", "Tomorrow"),
    ("press", "Satisfied"),
)


@dataclass
class WalkResult:
    """What one walker got through."""

    cases: int = 0
    failure: str | None = None


async def walk_cases(
    person: Person,
    cases: int,
    keep_going: Callable[[], bool] = lambda: True,
    pause: Pause | None = None,
) -> WalkResult:
    """Walk `cases` complaints from /new to closed; stop before an update when told to.

    With `pause` the person waits `pause()` seconds before each update (others go on
    meanwhile), like someone typing, instead of sending the next one the moment the
    answer is there.
    """
    result = WalkResult()
    for number in range(cases):
        customer = f"{NAMES[number % len(NAMES)]} {person.telegram_id}-{number}"
        try:
            finished = await _walk_one(person, customer, keep_going, pause)
        except LookupError as err:  # the bot did not show what a person expects next
            result.failure = str(err)[:200]
            break
        if not finished:
            break
        result.cases += 1
    return result


async def _walk_one(
    person: Person, customer: str, keep_going: Callable[[], bool], pause: Pause | None
) -> bool:
    if pause is not None:
        await asyncio.sleep(pause())
    if not keep_going():
        return False
    await person.send("/new")
    case_id = _case_number(person.last_text)
    steps = [(verb, what.format(customer=customer)) for verb, what in CASE_STEPS]
    for verb, text in [*steps, ("send", f"/case {case_id}")]:
        if pause is not None:
            await asyncio.sleep(pause())
        if not keep_going():
            return False
        await (person.send(text) if verb == "send" else person.press(text))
    return True


def _case_number(text: str) -> int:
    match = CASE_NUMBER.search(text)
    if match is None:
        raise LookupError(f"no case number in {text[:80]!r}")
    return int(match[1])
