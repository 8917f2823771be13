"""One `transitions.Machine` per flow, built once and shared by every case.

A case is bound to the machine only for the duration of one trigger: the machine reads
and writes the case's `state` attribute, nothing else, so binding costs nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from transitions import EventData, Machine, MachineError


class IllegalMove(Exception):
    """A trigger that the case's current step does not allow."""

    def __init__(self, state: str, trigger: str) -> None:
        super().__init__(f"{trigger!r} is not allowed in state {state!r}")
        self.state = state
        self.trigger = trigger


class Flow:
    """A named state machine whose states and transitions are data."""

    def __init__(
        self,
        name: str,
        states: type[StrEnum],
        transitions: Sequence[dict[str, Any]],
        initial: StrEnum,
        final: Sequence[StrEnum],
        attribute: str = "state",
    ) -> None:
        self.name = name
        self.attribute = attribute  # the model's attribute that holds its state
        self.states = states
        self.transitions = list(transitions)
        self.initial = initial
        self.final = frozenset(str(s) for s in final)
        self._machine = Machine(
            model=None,
            states=states,
            transitions=self.transitions,
            initial=initial,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
            model_attribute=attribute,
        )

    def fire(self, model: Any, trigger: str, **data: Any) -> str:
        """Apply `trigger` to `model` and return the state it lands in."""
        event = self._machine.events.get(trigger)
        if event is None or not self.may(model, trigger, **data):
            raise IllegalMove(str(getattr(model, self.attribute)), trigger)
        try:
            event.trigger(model, **data)
        except MachineError as err:
            raise IllegalMove(str(getattr(model, self.attribute)), trigger) from err
        landed = str(getattr(model, self.attribute))
        setattr(model, self.attribute, landed)
        return landed

    def may(self, model: Any, trigger: str, **data: Any) -> bool:
        """Tell whether `trigger` is allowed for `model` now."""
        if trigger not in self._machine.events:
            return False
        return bool(self._machine._can_trigger(model, trigger, **data))

    def triggers_from(self, state: str) -> list[str]:
        """List the triggers that leave `state`, in declaration order."""
        return [t["trigger"] for t in self.transitions if state in _sources(t)]

    def is_final(self, state: str) -> bool:
        """Tell whether `state` ends the case."""
        return state in self.final

    def mermaid(self) -> str:
        """Render the machine as a mermaid `stateDiagram-v2`."""
        lines = ["stateDiagram-v2", f"    [*] --> {self.initial}"]
        for t in self.transitions:
            label = t["trigger"]
            if t.get("conditions"):
                label += " [" + ", ".join(_name(c) for c in _list(t["conditions"])) + "]"
            if t.get("unless"):
                label += " [not " + ", ".join(_name(c) for c in _list(t["unless"])) + "]"
            for source in _sources(t):
                if source in self.final:
                    continue
                dest = source if t["dest"] == "=" else t["dest"]
                lines.append(f"    {source} --> {dest}: {label}")
        lines += [f"    {state} --> [*]" for state in sorted(self.final)]
        return "\n".join(lines)

    def all_states(self) -> list[str]:
        """List every state name."""
        return [str(s) for s in self.states]


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _sources(transition: dict[str, Any]) -> list[str]:
    return [str(s) for s in _list(transition["source"])]


def _name(condition: Any) -> str:
    return getattr(condition, "__name__", str(condition))


def data_of(event: EventData) -> dict[str, Any]:
    """Return the keyword data a trigger was fired with."""
    return event.kwargs
