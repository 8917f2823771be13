"""Exit interviews: learn why a customer left, try to win them back (domain brief, section 5)."""

from __future__ import annotations

from enum import StrEnum

from flows import lifecycle
from flows.forms import CUSTOMER_FIELDS, Draft, Field
from flows.lifecycle import CUSTOMER_LIFE
from flows.machine import Flow
from flows.model import OPENS_FOR, Case, CaseKind, CustomerStatus, Staff
from flows.procedures.base import ENDING, ESCALATING, RECORDING, Hooks, Procedure, Steps


class Stage(StrEnum):
    """Every state an exit interview can be in."""

    interview = "interview"
    win_back = "win_back"
    defected = "defected"
    won_back = "won_back"
    cancelled = "cancelled"  # ended because the customer was let go meanwhile


#: The structured questions: what made the customer leave.
EXIT_REASONS = (
    "price_quality",
    "competitor_offer",
    "inattentive_service",
    "missed_appointment",
    "unresolved_complaint",
    "everything",
)
RESULTS = ("won_back", "defected")
#: What the closing event keeps again of the interview's answers, for the report and the
#: customer's record (why they left): said once, where it was answered — never under the
#: result, where "Reasons" would read as why the customer stayed.
COPIED = ("reasons",)

TRANSITIONS: list[dict[str, object]] = [
    {"trigger": "answered", "source": Stage.interview, "dest": Stage.win_back},
    {"trigger": "won_back", "source": Stage.win_back, "dest": Stage.won_back},
    {"trigger": "defected", "source": Stage.win_back, "dest": Stage.defected},
    {"trigger": "cancel", "source": [Stage.interview, Stage.win_back], "dest": Stage.cancelled},
]

EXIT_INTERVIEW = Flow(
    name="exit_interview",
    states=Stage,
    transitions=TRANSITIONS,
    initial=Stage.interview,
    final=(Stage.defected, Stage.won_back, Stage.cancelled),
)

FORMS: dict[str, tuple[Field, ...]] = {
    Stage.interview: (
        *CUSTOMER_FIELDS,
        Field("exit_reasons", "multi", EXIT_REASONS, alone=("everything",)),
        Field("open_answers", "text", customers_words=True),
    ),
    Stage.win_back: (
        Field("offer", "text"),
        Field("result", "choice", RESULTS),
    ),
}


def exit_form(state: str) -> tuple[Field, ...]:
    """Return the fields recorded in an exit-interview state."""
    return FORMS.get(state, ())


def exit_trigger(state: str, draft: Draft) -> str:
    """Name the trigger a completed stage fires."""
    return "answered" if state == Stage.interview else str(draft["result"])


def stage_number(state: str) -> int | None:
    """Return 1..2 for the stages staff walk, None for the ends."""
    return {Stage.interview: 1, Stage.win_back: 2}.get(Stage(state))


class ExitHooks(Hooks):
    """Closing an interview: the customer defected, or was won back. One who defected
    is no longer reviewed or checked in with: those open cases of theirs end."""

    async def completed(
        self, steps: Steps, actor: Staff, case: Case, trigger: str, draft: Draft
    ) -> Draft:
        """Mark the customer and log the reasons the interview gave with the outcome (`COPIED`:
        not the step's own record)."""
        if trigger not in (Stage.defected, Stage.won_back):
            return draft
        events = await steps.uow.events.for_case(case.id or 0)
        answered = next((e.data for e in reversed(events) if e.kind == "answered"), {})
        # logged with the outcome, not recorded by the step (its card does not say it)
        logged = {**draft, "reasons": list(answered.get("exit_reasons", []))}
        customer = await steps.uow.customers.hold(case.customer_id or 0)
        if customer is not None and CUSTOMER_LIFE.may(customer, str(trigger)):
            lifecycle.move(customer, str(trigger))
        case.resolution, case.closed_at = str(trigger), steps.now()
        if trigger == Stage.defected:
            await steps.end_other_cases(
                actor,
                case,
                "customer_defected",
                {"defected_in": case.id},
                ("case_closed_by_defection", {"interview": case.id}),
                keep=OPENS_FOR[CustomerStatus.defected],
            )
        return logged


PROCEDURE = Procedure(
    kind=CaseKind.exit_interview,
    flow=EXIT_INTERVIEW,
    form=lambda state, policy: exit_form(state),
    trigger=exit_trigger,
    number=stage_number,
    steps=2,
    side_actions=(RECORDING, ESCALATING, ENDING),
    hooks=ExitHooks(),
)
