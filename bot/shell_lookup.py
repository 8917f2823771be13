"""What the shell shows an admin about people before acting on them: everyone registered
with their Telegram ids (`staff list`, for `staff add` and `staff deactivate`), the
customers a name or phone finds with their numbers (`customer find`, for `customer
forget`), and the one customer a number names (what `customer forget` asks about).

Lines are in English, as every shell command speaks; names are printed as stored, a
forgotten customer as `forgotten customer #N`."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from flows.address import customer_search
from flows.model import Customer, Staff
from flows.policy import Policy
from flows.ports import UnitOfWork

#: How many customers `customer find` lists.
FOUND = 20


async def staff_lines(uow: UnitOfWork, default_timezone: str) -> list[str]:
    """One line per person registered: who still works here first, then who has left, each
    by name; with their Telegram id, role, time zone and open cases."""
    people = await uow.staff.everyone()
    figures = await uow.cases.figures_by_owner()
    ordered = sorted(people, key=lambda p: (not p.active, p.name.casefold(), p.telegram_id))
    return [_person_line(p, figures.get(p.id or 0, {}), default_timezone) for p in ordered]


def _person_line(person: Staff, figures: dict[str, int], default_timezone: str) -> str:
    zone = person.timezone or f"{ZoneInfo(default_timezone)} (default)"
    state = "active" if person.active else "left"
    return (
        f"{person.telegram_id:>12}  {person.name}  · {person.role}, {state} · {zone}"
        f" · {_open(figures.get('open', 0))}"
    )


async def customers_found(uow: UnitOfWork, query: str, policy: Policy) -> tuple[list[str], bool]:
    """The lines of the customers a name or phone finds, as `/customer` finds them (a title
    before the name left out, a phone in any of its forms), and whether there are more."""
    key = customer_search(query, policy.name_limit)
    found = await uow.customers.search(key, FOUND + 1)
    return [await customer_line(uow, c) for c in found[:FOUND]], len(found) > FOUND


async def customer_named(uow: UnitOfWork, customer_id: int) -> tuple[str, bool] | None:
    """The line of the customer this number names, and whether they were forgotten; None
    when there is none."""
    customer = await uow.customers.get(customer_id)
    if customer is None:
        return None
    return await customer_line(uow, customer), customer.forgotten


async def customer_line(uow: UnitOfWork, customer: Customer) -> str:
    """A customer by number, name, phone, kind, where they stand and their open cases."""
    number = int(customer.id or 0)
    name = f"forgotten customer #{number}" if customer.forgotten else customer.name
    open_cases = len(await uow.cases.open_for_customer(number))
    facts = [customer.phone, customer.kind, customer.status.replace("_", " ")]
    shown = " · ".join(str(f) for f in facts if f)
    return f"#{number}  {name}  · {shown} · {_open(open_cases)}"


def _open(count: int) -> str:
    return "no open case" if count == 0 else f"{count} open case{'s' if count > 1 else ''}"
