"""A customer's standing with the company, as a state machine like the procedures'.

active ⇄ at_risk; either may defect or be won back; a problem review may end in termination.
The procedures move a customer only through these transitions.
"""

from __future__ import annotations

from flows.machine import Flow
from flows.model import CustomerStatus

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
