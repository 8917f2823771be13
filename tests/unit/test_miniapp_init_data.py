"""Who opened the Mini App: Telegram's signed initData, and the person it names."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.miniapp.init_data import (
    Forbidden,
    Unauthorized,
    from_header,
    identify,
    init_data_for,
    sign,
    verify,
)
from flows.model import Role, Staff

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)


def opened(user_id: int = 2001, *, at: datetime = NOW, token: str = TOKEN) -> str:
    return init_data_for(user_id, "Minh", "vi", token, at)


def test_initdata_signed_with_the_bots_token_names_the_person_who_opened_the_page() -> None:
    checked = verify(opened(), TOKEN, NOW, HOUR)
    assert (checked.user_id, checked.first_name, checked.language_code) == (2001, "Minh", "vi")
    assert checked.auth_date == NOW


def test_the_signature_covers_every_field_but_the_hash_whatever_their_order() -> None:
    fields = dict(parse_qsl(opened()))
    shuffled = urlencode(
        {"hash": fields["hash"], **{k: v for k, v in reversed(fields.items()) if k != "hash"}}
    )
    assert verify(shuffled, TOKEN, NOW, HOUR).user_id == 2001
    # A field Telegram adds later (e.g. signature) is signed like the others.
    extra = sign({**{k: v for k, v in fields.items() if k != "hash"}, "signature": "abc"}, TOKEN)
    assert verify(extra, TOKEN, NOW, HOUR).user_id == 2001


@pytest.mark.parametrize(
    "change",
    [
        lambda f: {**f, "user": f["user"].replace("2001", "2002")},  # someone else's id
        lambda f: {**f, "auth_date": str(int(f["auth_date"]) + 1)},  # a fresher date
        lambda f: {**f, "hash": "0" * 64},
        lambda f: {**f, "hash": "ÿ" * 64},  # not hex: compared as bytes, never a failure
        lambda f: {k: v for k, v in f.items() if k != "query_id"},  # a field dropped
        lambda f: {**f, "chat_type": "private"},  # a field added
    ],
)
def test_tampered_initdata_is_refused(change: object) -> None:
    fields = dict(parse_qsl(opened()))
    tampered = urlencode(change(fields))  # type: ignore[operator]
    with pytest.raises(Unauthorized) as refused:
        verify(tampered, TOKEN, NOW, HOUR)
    assert refused.value.reason in ("signature", "malformed")


def test_initdata_signed_with_another_token_is_refused() -> None:
    other = "987654321:ZZHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
    with pytest.raises(Unauthorized, match="signature"):
        verify(opened(token=other), TOKEN, NOW, HOUR)


def test_initdata_older_than_the_allowed_age_is_refused() -> None:
    assert verify(opened(at=NOW - HOUR), TOKEN, NOW, HOUR).user_id == 2001
    with pytest.raises(Unauthorized, match="expired"):
        verify(opened(at=NOW - HOUR - timedelta(seconds=1)), TOKEN, NOW, HOUR)


def test_initdata_dated_in_the_future_beyond_clock_drift_is_refused() -> None:
    with pytest.raises(Unauthorized, match="malformed"):
        verify(opened(at=NOW + timedelta(minutes=10)), TOKEN, NOW, HOUR)


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "not a query string",
        "auth_date=1&auth_date=2&hash=ab",
        "user=%7B%7D&auth_date=1",  # no hash
        "x" * 5000,
    ],
)
def test_missing_or_malformed_initdata_is_refused(raw: str) -> None:
    with pytest.raises(Unauthorized):
        verify(raw, TOKEN, NOW, HOUR)


@pytest.mark.parametrize("user", ["[]", '"2001"', '{"id": "x"}', '{"first_name": "Minh"}'])
def test_a_signed_user_field_that_names_nobody_is_refused(user: str) -> None:
    raw = sign({"auth_date": str(int(NOW.timestamp())), "user": user}, TOKEN)
    with pytest.raises(Unauthorized, match="malformed"):
        verify(raw, TOKEN, NOW, HOUR)


@pytest.mark.parametrize(
    "user_id",
    ['"2001"', "2001.7", "true", "0", "-2001", str(2**63), str(10**30)],
)
def test_a_signed_user_id_that_is_not_a_telegram_id_is_refused_never_looked_up(
    user_id: str,
) -> None:
    """Only a whole number in Telegram's range names someone: a string, a fraction, a
    boolean, zero, a negative number or one past 64 bits is refused before the database
    is asked (one too large for it failed the request with a 500)."""
    user = f'{{"id": {user_id}, "first_name": "Minh"}}'
    raw = sign({"auth_date": str(int(NOW.timestamp())), "user": user}, TOKEN)
    with pytest.raises(Unauthorized, match="malformed"):
        verify(raw, TOKEN, NOW, HOUR)


def test_the_initdata_travels_in_the_authorization_header_after_tma() -> None:
    assert from_header("tma auth_date=1&hash=x") == "auth_date=1&hash=x"
    assert from_header("TMA abc") == "abc"
    assert from_header("Bearer abc") == ""
    assert from_header(None) == ""


class People:
    """The staff repository's one read that identifying needs."""

    def __init__(self, people: Sequence[Staff]) -> None:
        self.people = {p.telegram_id: p for p in people}

    async def by_telegram_id(self, telegram_id: int) -> Staff | None:
        return self.people.get(telegram_id)


PEOPLE = People(
    [
        Staff(telegram_id=1001, name="Lan", role=Role.staff),
        Staff(telegram_id=2001, name="Minh", role=Role.supervisor),
        Staff(telegram_id=3001, name="An", role=Role.admin),
        Staff(telegram_id=1009, name="Former", role=Role.supervisor, active=False),
    ]
)


async def test_a_registered_active_person_is_identified() -> None:
    staff = await identify(PEOPLE, verify(opened(1001), TOKEN, NOW, HOUR), overseers_only=False)
    assert staff.name == "Lan"
    admin = await identify(PEOPLE, verify(opened(3001), TOKEN, NOW, HOUR), overseers_only=True)
    assert admin.name == "An"


async def test_someone_not_registered_is_forbidden() -> None:
    with pytest.raises(Forbidden, match="unknown"):
        await identify(PEOPLE, verify(opened(4242), TOKEN, NOW, HOUR), overseers_only=False)


async def test_a_deactivated_person_is_forbidden_even_as_a_supervisor() -> None:
    with pytest.raises(Forbidden, match="inactive"):
        await identify(PEOPLE, verify(opened(1009), TOKEN, NOW, HOUR), overseers_only=False)


async def test_staff_are_forbidden_what_is_for_supervisors_only() -> None:
    with pytest.raises(Forbidden, match="role"):
        await identify(PEOPLE, verify(opened(1001), TOKEN, NOW, HOUR), overseers_only=True)


def test_a_user_field_is_json_as_telegram_sends_it() -> None:
    fields = dict(parse_qsl(opened()))
    assert json.loads(fields["user"]) == {"id": 2001, "first_name": "Minh", "language_code": "vi"}
