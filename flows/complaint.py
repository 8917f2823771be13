"""The complaint flow: five recovery steps, in order, as data.

apologise -> fix -> empathise -> compensate -> follow up (domain brief, section 1).
"""

from __future__ import annotations

from enum import StrEnum

from transitions import EventData

from flows.machine import Flow, data_of


class Step(StrEnum):
    """Every state a complaint case can be in."""

    intake = "intake"
    apologise = "apologise"
    fix = "fix"
    empathise = "empathise"
    compensate = "compensate"
    awaiting_approval = "awaiting_approval"
    follow_up = "follow_up"
    awaiting_follow_up = "awaiting_follow_up"
    closed = "closed"
    cancelled = "cancelled"


#: The five steps staff walk, numbered 1..5 in what they see.
FIVE_STEPS: tuple[Step, ...] = (
    Step.apologise,
    Step.fix,
    Step.empathise,
    Step.compensate,
    Step.follow_up,
)

#: Where a waiting state belongs in the five steps.
STEP_OF_STATE: dict[str, Step] = {
    **{str(s): s for s in FIVE_STEPS},
    Step.awaiting_approval: Step.compensate,
    Step.awaiting_follow_up: Step.follow_up,
}

OPEN_STATES = tuple(s for s in Step if s not in (Step.closed, Step.cancelled))


def needs_approval(event: EventData) -> bool:
    """Tell whether the case's compensation, this offer included, goes above the staff limit."""
    data = data_of(event)
    offered = int(data.get("value") or 0)
    return offered > 0 and offered + int(data.get("given") or 0) > int(data.get("limit", 0))


TRANSITIONS: list[dict[str, object]] = [
    {"trigger": "open", "source": Step.intake, "dest": Step.apologise},
    {"trigger": "apologised", "source": Step.apologise, "dest": Step.fix},
    {"trigger": "fixed", "source": Step.fix, "dest": Step.empathise},
    {"trigger": "empathised", "source": Step.empathise, "dest": Step.compensate},
    {
        "trigger": "compensated",
        "source": Step.compensate,
        "dest": Step.awaiting_approval,
        "conditions": needs_approval,
    },
    {"trigger": "compensated", "source": Step.compensate, "dest": Step.follow_up},
    {"trigger": "approved", "source": Step.awaiting_approval, "dest": Step.follow_up},
    {"trigger": "declined", "source": Step.awaiting_approval, "dest": Step.compensate},
    {"trigger": "scheduled", "source": Step.follow_up, "dest": Step.awaiting_follow_up},
    {"trigger": "satisfied", "source": Step.awaiting_follow_up, "dest": Step.closed},
    {"trigger": "still_unhappy", "source": Step.awaiting_follow_up, "dest": Step.fix},
    {
        "trigger": "unreachable",
        "source": Step.awaiting_follow_up,
        "dest": Step.awaiting_follow_up,
    },
    {"trigger": "back", "source": Step.fix, "dest": Step.apologise},
    {"trigger": "back", "source": Step.empathise, "dest": Step.fix},
    {"trigger": "back", "source": Step.compensate, "dest": Step.empathise},
    {"trigger": "back", "source": Step.awaiting_approval, "dest": Step.compensate},
    {"trigger": "back", "source": Step.follow_up, "dest": Step.compensate},
    {"trigger": "back", "source": Step.awaiting_follow_up, "dest": Step.follow_up},
    {"trigger": "cancel", "source": list(OPEN_STATES), "dest": Step.cancelled},
]

COMPLAINT = Flow(
    name="complaint",
    states=Step,
    transitions=TRANSITIONS,
    initial=Step.intake,
    final=(Step.closed, Step.cancelled),
)


def step_number(state: str) -> int | None:
    """Return 1..5 for a state inside the five steps, None otherwise."""
    step = STEP_OF_STATE.get(state)
    return FIVE_STEPS.index(step) + 1 if step else None
