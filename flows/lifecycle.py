"""A customer's standing with the company, as a state machine like the procedures'.

active ⇄ at_risk; either may defect or be won back; a problem review may end in termination.
The procedures move a customer only through these transitions, and through `flag` and
`move` below, which keep the at-risk flag's story (when, why, who) with the status.
"""

from __future__ import annotations

from datetime import datetime

from flows.machine import Flow
from flows.model import Customer, CustomerStatus

_STAYING = [CustomerStatus.active, CustomerStatus.at_risk]

TRANSITIONS: list[dict[str, object]] = [
    {"trigger": "flag_at_risk", "source": CustomerStatus.active, "dest": CustomerStatus.at_risk},
    {"trigger": "stays", "source": CustomerStatus.at_risk, "dest": CustomerStatus.active},
    {
        "trigger": "defected",
        "source": [*_STAYING, CustomerStatus.defected],
        "dest": CustomerStatus.defected,
    },
    {
        "trigger": "won_back",
        "source": [*_STAYING, CustomerStatus.defected],
        "dest": CustomerStatus.active,
    },
    {"trigger": "terminate", "source": _STAYING, "dest": CustomerStatus.terminated},
]

CUSTOMER_LIFE = Flow(
    name="customer",
    states=CustomerStatus,
    transitions=TRANSITIONS,
    initial=CustomerStatus.active,
    final=(CustomerStatus.terminated,),
    attribute="status",
)


def flag(
    customer: Customer,
    at: datetime,
    reason: str | None = None,
    by: int | None = None,
    case_id: int | None = None,
) -> None:
    """Flag a customer at risk: by hand (a reason and who; the check-in that heard it, whose
    typed answer is then the reason), or automatically (neither)."""
    CUSTOMER_LIFE.fire(customer, "flag_at_risk")
    customer.at_risk_since, customer.at_risk_reason, customer.at_risk_by = at, reason, by
    customer.at_risk_case_id = case_id


def move(customer: Customer, trigger: str) -> None:
    """Move a customer on; one back to active is at risk no more, and the flag's story goes
    (a customer who leaves keeps it: it says they were at risk before they went)."""
    CUSTOMER_LIFE.fire(customer, trigger)
    if customer.status == CustomerStatus.active:
        customer.at_risk_since = customer.at_risk_reason = customer.at_risk_by = None
        customer.at_risk_case_id = None
