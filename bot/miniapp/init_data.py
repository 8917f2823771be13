"""Who opened the Mini App: Telegram's signed `initData`, checked on every request.

Telegram hands the page a query string (`initData`) signed with a key derived from the bot's
token ("Validating data received via the Mini App"): the data-check-string is every field
but `hash`, sorted by name, as `key=value` lines; the secret key is HMAC-SHA256 of the token
keyed with "WebAppData"; `hash` is the hex HMAC-SHA256 of the data-check-string under that
key. The page sends it back in `Authorization: tma <initData>`; nothing is kept between
requests (no cookie, no server session), so access ends when the signed data gets too old.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import parse_qsl, urlencode

from telegram import User

from flows.model import Staff

SCHEME = "tma"
#: How far ahead of our clock a signature may claim to be (clocks drift a little).
CLOCK_SKEW = timedelta(minutes=5)
MAX_LENGTH = 4096  # Telegram's initData is well under a kilobyte or two


class Registry(Protocol):
    """Where registered people are found (the staff repository)."""

    async def by_telegram_id(self, telegram_id: int) -> Staff | None: ...


class Unauthorized(Exception):
    """No valid signed initData: missing, malformed, forged, or too old (HTTP 401);
    `opened` is who Telegram signed it for, when only too old (refused in their words)."""

    def __init__(self, reason: str, opened: InitData | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.opened = opened


class Forbidden(Exception):
    """Signed by Telegram, but this person may not have it: unknown, inactive, role (403);
    `person` is who they are, if registered (they are refused in the language they chose)."""

    def __init__(self, reason: str, person: Staff | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.person = person


@dataclass(frozen=True)
class InitData:
    """What a checked initData tells about the person who opened the page."""

    user_id: int
    first_name: str
    language_code: str | None
    auth_date: datetime

    def user(self) -> User:
        """The person as Telegram describes them, with the language of their Telegram app."""
        return User(self.user_id, self.first_name, False, language_code=self.language_code)


def _secret(token: str) -> bytes:
    return hmac.new(b"WebAppData", token.encode(), hashlib.sha256).digest()


def signature(fields: Mapping[str, str], token: str) -> str:
    """The hex `hash` Telegram would give these fields (every field but `hash` is signed)."""
    check = "\n".join(f"{key}={fields[key]}" for key in sorted(fields) if key != "hash")
    return hmac.new(_secret(token), check.encode(), hashlib.sha256).hexdigest()


def sign(fields: Mapping[str, str], token: str) -> str:
    """Encode fields as initData with their `hash`: for tests and console development links."""
    return urlencode({**fields, "hash": signature(fields, token)})


def init_data_for(
    user_id: int, first_name: str, language_code: str, token: str, now: datetime
) -> str:
    """Signed initData for one person, shaped as Telegram's (tests, development links)."""
    user = {"id": user_id, "first_name": first_name, "language_code": language_code}
    return sign(
        {
            "auth_date": str(int(now.timestamp())),
            "query_id": f"dev-{user_id}",
            "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        },
        token,
    )


def from_header(header: str | None) -> str:
    """Take the initData out of `Authorization: tma <initData>`; empty if absent."""
    scheme, _, value = (header or "").partition(" ")
    return value.strip() if scheme.lower() == SCHEME else ""


def verify(raw: str, token: str, now: datetime, max_age: timedelta) -> InitData:
    """Check initData's signature and age; return who it names, or raise Unauthorized."""
    if not raw:
        raise Unauthorized("missing")
    if len(raw) > MAX_LENGTH:
        raise Unauthorized("malformed")
    try:
        pairs = parse_qsl(raw, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise Unauthorized("malformed") from None
    fields = dict(pairs)
    given = fields.get("hash", "")
    if len(fields) != len(pairs) or not given:
        raise Unauthorized("malformed")
    # As bytes: a forged hash may hold any character, and strings compare ASCII only.
    if not hmac.compare_digest(signature(fields, token).encode(), given.encode()):
        raise Unauthorized("signature")
    try:
        signed_at = datetime.fromtimestamp(int(fields["auth_date"]), UTC)
        user = json.loads(fields["user"])
        user_id = user["id"]
    except (KeyError, ValueError, TypeError, OverflowError, OSError):
        raise Unauthorized("malformed") from None
    if not _is_telegram_id(user_id):  # "1001", 1001.7, true or 10**30 name nobody
        raise Unauthorized("malformed")
    if signed_at > now + CLOCK_SKEW:
        raise Unauthorized("malformed")
    language = user.get("language_code")
    opened = InitData(
        user_id=user_id,
        first_name=str(user.get("first_name", "")),
        language_code=language if isinstance(language, str) else None,
        auth_date=signed_at,
    )
    if now - signed_at > max_age:
        raise Unauthorized("expired", opened)
    return opened


#: Telegram's user ids are positive and fit in 64 bits (the database's BIGINT).
MAX_TELEGRAM_ID = 2**63 - 1


def _is_telegram_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_TELEGRAM_ID


async def identify(staff: Registry, opened: InitData, *, overseers_only: bool) -> Staff:
    """Return the registered, active person who opened the page, if their role allows it."""
    person = await staff.by_telegram_id(opened.user_id)
    if person is None:
        raise Forbidden("unknown")
    if not person.active:
        raise Forbidden("inactive", person)
    if overseers_only and not person.oversees:
        raise Forbidden("role", person)
    return person
