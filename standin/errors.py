"""What the Bot API answers: a result, or an error worded as Telegram words it; injected faults."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, get_args

JSONDict = dict[str, Any]
#: A Bot API answer: the HTTP status and the JSON body.
Reply = tuple[int, bytes]
FaultKind = Literal[
    "retry_after", "server", "forbidden", "bad_request", "timeout", "network", "migrated"
]

NOT_FOUND = "Not Found: method not found"
UNAUTHORIZED = "Unauthorized"
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message"
)
CANT_PARSE = "Bad Request: can't parse entities"
BUTTON_DATA_INVALID = "Bad Request: BUTTON_DATA_INVALID"
EMPTY_TEXT = "Bad Request: message text is empty"
ANSWER_TOO_LONG = "Bad Request: MESSAGE_TOO_LONG"
WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
SECRET_INVALID = "Bad Request: secret token contains unallowed characters"
#: Faults that never reach the Bot API's answer: the connection fails or stays silent.
TRANSPORT_FAULTS: tuple[FaultKind, ...] = ("timeout", "network")
_FAULT_REPLIES: dict[FaultKind, tuple[int, str]] = {
    "retry_after": (429, "Too Many Requests: retry after {retry_after}"),
    "server": (502, "Bad Gateway"),
    "forbidden": (403, "Forbidden: bot was blocked by the user"),
    "bad_request": (400, "Bad Request: injected failure"),
    # A group made a supergroup: it answers under a new id (`Fault.migrate_to_chat_id`).
    "migrated": (400, "Bad Request: group chat was upgraded to a supergroup chat"),
}


class ApiError(Exception):
    """A Bot API error answer, raised out of a method's implementation."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description

    def reply(self, parameters: JSONDict | None = None) -> Reply:
        """Encode the error as Telegram does: ok false, the code, the description."""
        payload: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if parameters:
            payload["parameters"] = parameters
        return self.code, json.dumps(payload).encode()


def ok(result: object) -> Reply:
    """Encode a successful answer."""
    return 200, json.dumps({"ok": True, "result": result}).encode()


@dataclass(frozen=True)
class Fault:
    """One injected failure of a Bot API call."""

    kind: FaultKind
    retry_after: float
    migrate_to_chat_id: int = 0

    def __post_init__(self) -> None:
        if self.kind not in get_args(FaultKind):
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {get_args(FaultKind)}")

    @property
    def in_transport(self) -> bool:
        """Tell whether the call fails on its way (no answer at all) rather than with an error."""
        return self.kind in TRANSPORT_FAULTS

    def reply(self) -> Reply:
        """Return the error answer this fault stands for (not for transport faults)."""
        code, description = _FAULT_REPLIES[self.kind]
        parameters: JSONDict | None = None
        if self.kind == "retry_after":
            parameters = {"retry_after": self.retry_after}
        elif self.kind == "migrated":
            parameters = {"migrate_to_chat_id": self.migrate_to_chat_id}
        return ApiError(code, description.format(retry_after=self.retry_after)).reply(parameters)
