"""Refusals a use case raises; the adapter turns each into a polite answer."""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """The action is not allowed or makes no sense now; nothing was changed."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


class HandedAway(Refused):
    """A button of a case pressed (or the case asked for) by someone it was handed away
    from: it is no longer theirs, and the message pressed no longer answers anything."""

    def __init__(self, case_id: int, name: str) -> None:
        super().__init__("handover.not_yours_now", case=case_id, name=name)
        self.case_id = case_id


class Stale(Refused):
    """A button drawn for an earlier version of the case."""

    def __init__(self, case_id: int, state: str) -> None:
        super().__init__("error.stale", case=case_id, state=state)
        self.case_id = case_id
