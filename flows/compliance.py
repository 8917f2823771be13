"""Step compliance of one complaint, read from its events: the report's rule, for one case.

A complaint is compliant when each of the five recovery steps was recorded and each was
first recorded after the one before it (going back a step or a reopen adds later events and
does not break the order). `/report` counts the same thing over many complaints in one SQL
aggregate (`storage/report_queries.py`); a test checks that both agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from flows.model import FIVE_STEP_EVENTS, CaseEvent
from flows.procedures.complaint import FIVE_STEPS


@dataclass(frozen=True)
class StepMark:
    """One of the five steps: the event that records it, and when it was first recorded."""

    step: str
    event: str
    seq: int | None = None
    at: datetime | None = None

    @property
    def recorded(self) -> bool:
        """Tell whether the step was recorded at all."""
        return self.seq is not None


@dataclass(frozen=True)
class Compliance:
    """The five steps of one complaint as its log tells them."""

    steps: tuple[StepMark, ...]

    @property
    def recorded(self) -> int:
        """Count the steps recorded at least once."""
        return sum(mark.recorded for mark in self.steps)

    @property
    def in_order(self) -> bool:
        """Tell whether all five were recorded, each first recorded after the one before."""
        seqs = [mark.seq for mark in self.steps if mark.seq is not None]
        return len(seqs) == len(self.steps) and all(a < b for a, b in pairwise(seqs))


def compliance(events: Iterable[CaseEvent]) -> Compliance:
    """Find the first event of each of the five steps in a complaint's log."""
    first: dict[str, CaseEvent] = {}
    for event in events:
        if event.kind in FIVE_STEP_EVENTS:
            known = first.get(event.kind)
            if known is None or event.seq < known.seq:
                first[event.kind] = event
    return Compliance(
        tuple(
            StepMark(
                str(step),
                kind,
                first[kind].seq if kind in first else None,
                first[kind].at if kind in first else None,
            )
            for step, kind in zip(FIVE_STEPS, FIVE_STEP_EVENTS, strict=True)
        )
    )
