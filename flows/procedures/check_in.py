"""Check-ins: periodic questions to a current customer (domain brief, section 5).

Why do you buy from us, and what do you value about us? Do we meet your needs? What could
we improve or add? What do others do better? Offered on the customer's record, most of all
for customers at risk; recorded like an exit interview, and counted in the report.
"""

from __future__ import annotations

from enum import StrEnum

from flows import lifecycle
from flows.forms import Draft, Field
from flows.machine import Flow
from flows.model import Case, CaseKind, CustomerStatus, Staff
from flows.procedures.base import ENDING, ESCALATING, RECORDING, Hooks, Procedure, Steps


class Visit(StrEnum):
    """Every state a check-in can be in."""

    check_in = "check_in"
    checked_in = "checked_in"
    cancelled = "cancelled"  # ended because the customer left or was let go meanwhile


#: Do we meet the customer's needs?
NEEDS = ("needs_met", "needs_partly_met", "needs_not_met")
#: Where the customer stands after the talk; "stays" lifts an at-risk flag.
STANDINGS = ("stays", "undecided", "leaving")
#: Answers after which the customer may be about to leave: the check-in's closing card
#: offers to flag them at risk in one press (domain brief, section 5: track them).
WAVERING = ("undecided", "leaving")
#: The event a completed check-in logs (its data has the answers, for the report).
HEARD = "heard"


def heard_wavering(case: Case) -> bool:
    """Tell whether the case is a check-in that heard its customer undecided or thinking of
    leaving (the one a press may flag at risk)."""
    heard = case.kind == CaseKind.check_in and case.resolution in WAVERING
    return heard and case.customer_id is not None


TRANSITIONS: list[dict[str, object]] = [
    {"trigger": HEARD, "source": Visit.check_in, "dest": Visit.checked_in},
    {"trigger": "cancel", "source": Visit.check_in, "dest": Visit.cancelled},
]

CHECK_IN = Flow(
    name="check_in",
    states=Visit,
    transitions=TRANSITIONS,
    initial=Visit.check_in,
    final=(Visit.checked_in, Visit.cancelled),
)

FORM: tuple[Field, ...] = (
    Field("customer", "customer"),
    Field("why_us", "text", customers_words=True),
    Field("needs", "choice", NEEDS),
    Field("improve", "text", customers_words=True),
    Field("others_better", "text", optional=True, customers_words=True),
    Field("standing", "choice", STANDINGS),
)


def check_in_form(state: str) -> tuple[Field, ...]:
    """Return the fields recorded in a check-in state."""
    return FORM if state == Visit.check_in else ()


def check_in_trigger(state: str, draft: Draft) -> str:
    """Name the trigger a completed check-in fires."""
    return HEARD


def visit_number(state: str) -> int | None:
    """A check-in is one conversation: it has no numbered steps."""
    return None


class CheckInHooks(Hooks):
    """Closing a check-in; a customer at risk who says they stay is at risk no more."""

    async def completed(
        self, steps: Steps, actor: Staff, case: Case, trigger: str, draft: Draft
    ) -> Draft:
        """Record where the customer stands; lift the at-risk flag of one who stays."""
        customer = await steps.uow.customers.hold(case.customer_id or 0)
        stays = draft["standing"] == "stays"
        if customer is not None and stays and customer.status == CustomerStatus.at_risk:
            lifecycle.move(customer, "stays")
        case.resolution, case.closed_at = str(draft["standing"]), steps.now()
        return draft


PROCEDURE = Procedure(
    kind=CaseKind.check_in,
    flow=CHECK_IN,
    form=lambda state, policy: check_in_form(state),
    trigger=check_in_trigger,
    number=visit_number,
    steps=1,
    side_actions=(RECORDING, ESCALATING, ENDING),
    hooks=CheckInHooks(),
)
