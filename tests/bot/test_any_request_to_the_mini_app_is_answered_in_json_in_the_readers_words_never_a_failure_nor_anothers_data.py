"""The Mini App's API tried as an attacker and a careless client would: every endpoint with
any path number, query string, body and language header a hypothesis can draw — wrong JSON
types, negative and huge numbers, 100 kB strings, repeated and unknown parameters, NUL bytes
and broken UTF-8, forged paging cursors, another staff member's case, a case or customer
that does not exist or was forgotten.

Each answer is JSON, never cached, never readable by another site; a refusal is a 4xx with
a message in the reader's language (never a bare key, never a 500); and no staff member ever
reads a word of a colleague's case.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import quote_from_bytes, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from flows.scripts import plain
from storage import tables
from tests.bot.conftest import HOA, LAN, MINH, World
from tests.bot.miniapp_site import Site, serving
from tests.bot.walk import open_case
from tests.integration.test_exports_forget import forget_customer

#: What each staff member wrote in their own case: no one else among the staff may read it.
SECRETS = {LAN: "Lan-only complaint 7431", HOA: "Chuyện riêng của Hòa 5862"}
READERS = {LAN: "en", HOA: "vi", MINH: "en"}  # the language each one chose in the chat
#: What a refusal's `error` names when it is not the key of its words itself.
REFUSAL_KEYS = {
    "bad_request": "miniapp.bad_request",
    "role": "miniapp.error_role",
    "moved_on": "error.moved_on",
    "try_again": "error.try_again",
    "failed": "error.try_again",
    "missing": "miniapp.error_unauthorized",
    "malformed": "miniapp.error_unauthorized",
    "signature": "miniapp.error_unauthorized",
    "expired": "miniapp.error_unauthorized",
}
KEY = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)+$")
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HUGE = "ÿ" * 50_000  # 100 kB of text (a body stays under the web server's 1 MB)

# ------------------------------------------------------------------ what is drawn

texts = st.one_of(st.text(max_size=30), st.just(HUGE), st.sampled_from(["", " ", "\x00", "-"]))
numbers = st.one_of(
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, -1, 2**31, 2**63, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
)
scalars = st.one_of(st.none(), st.booleans(), numbers, texts)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
days = st.one_of(
    st.sampled_from(["2026-11-01", "2026-11-30", "0001-01-01", "9999-12-31", "2026-02-30"]),
    st.dates().map(lambda d: d.isoformat()),
    texts,
)
cursors = st.one_of(
    values,
    st.fixed_dictionaries(
        {"id": st.one_of(st.integers(-5, 2**64), values)},
        optional={
            "at": st.one_of(
                st.datetimes(timezones=st.timezones()).map(lambda d: d.isoformat()),
                st.sampled_from(["2026-11-30T00:00:00", "9999-12-31T23:59:59+00:00"]),
                values,
            )
        },
    ),
)
#: The log's filters, each drawn well-formed or not, beside unknown fields.
log_bodies = st.fixed_dictionaries(
    {},
    optional={
        "status": st.one_of(st.sampled_from(["-", "o", "c", "d", "a"]), values),
        "kind": st.one_of(st.sampled_from(["-", "complaint", "problem_review"]), values),
        "staff": st.one_of(st.integers(-1, 5), values),
        "offset": st.one_of(st.integers(-1, 2_000_000), values),
        "sort": st.one_of(st.sampled_from(["opened", "updated"]), values),
        "order": st.one_of(st.sampled_from(["asc", "desc"]), values),
        "search": st.one_of(st.sampled_from(["nguyen", "0903", "Hòa"]), texts, values),
        "from": days,
        "to": days,
        "after": cursors,
        "unknown": values,
    },
)
decisions = st.fixed_dictionaries(
    {},
    optional={
        "version": st.one_of(st.integers(-1, 20), values),
        "verdict": st.one_of(st.sampled_from(["y", "n", "l", "x"]), values),
        "comment": st.one_of(texts, values),
    },
)
bodies = st.one_of(log_bodies, decisions, values).map(
    lambda body: json.dumps(body, ensure_ascii=False).encode()
) | st.binary(max_size=40)
query_names = st.sampled_from(["period", "from", "to", "x", "period[]", ""]) | st.text(max_size=8)
query_values = (  # a URL stays under the 64 kB a client sends and the web server reads
    st.sampled_from(["week", "month", "quarter", "last month", "2026-11-01", "x" * 5000])
    | st.text(max_size=30)
    | st.binary(max_size=12)
)
queries = st.lists(st.tuples(query_names, query_values), max_size=4).map(
    lambda pairs: "&".join(
        f"{quote_from_bytes(name.encode())}="
        + quote_from_bytes(value if isinstance(value, bytes) else value.encode())
        for name, value in pairs
    )
)
languages = st.sampled_from(["", "vi", "en", "de-DE", "vi-VN,vi;q=0.9", "EN-us", "*"])
#: initData not signed by Telegram for this bot: fields of any text, a hash of any
#: characters, a stale or another bot's signature, or no query string at all.
field_names = st.sampled_from(["auth_date", "user", "hash", "query_id", "signature"]) | st.text(
    max_size=6
)
forged = st.one_of(
    st.dictionaries(field_names, st.text(max_size=40), max_size=5).map(urlencode),
    st.sampled_from(["", "hash=", "hash=%C3%BF&auth_date=1&user=%7B%7D", "x" * 5000]),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=60),  # as HTTP carries
).map(lambda raw: f"tma {raw}".strip()) | st.sampled_from(["", "tma", "Bearer x", "TMA x"])


@dataclass(frozen=True, repr=False)
class Ask:
    """One request: who, to which path, with what."""

    who: int
    method: str
    path: str
    body: bytes
    language: str
    forged: str | None  # the Authorization header, if not Telegram's signature for `who`

    def __repr__(self) -> str:
        """The request, its long parts cut short."""
        return (
            f"{self.who} {self.method} {self.path[:300]!r} {self.body[:300]!r} "
            f"{self.language!r} {(self.forged or '')[:300]!r}"
        )

    @property
    def locale(self) -> str:
        """The language the answer is in: the reader's, or for a stranger the browser's."""
        if self.forged is None:
            return READERS[self.who]
        guess = self.language[:2].lower()
        return guess if guess in ("vi", "en") else "vi"


def asks(numbers_in_paths: st.SearchStrategy[str]) -> st.SearchStrategy[Ask]:
    """Requests to every endpoint, with `numbers_in_paths` naming cases and customers."""
    paths = st.one_of(
        st.just("me"),
        st.just("cases"),
        numbers_in_paths.map("cases/{}".format),
        numbers_in_paths.map("cases/{}/decision".format),
        numbers_in_paths.map("customers/{}".format),
        st.just("approvals"),
        queries.map("report?{}".format),
        st.sampled_from(["nothing", "cases/x", "cases/1/decision/more", "customers/-1"]),
    )
    return st.builds(
        Ask,
        who=st.sampled_from(list(READERS)),
        method=st.sampled_from(["GET", "POST", "PUT", "OPTIONS"]),
        path=paths,
        body=bodies,
        language=languages,
        forged=st.none() | st.none() | forged,
    )


# ------------------------------------------------------------------ the world they meet


@dataclass(repr=False)
class Setting:
    """The served page, and the numbers worth trying: whose case each is."""

    site: Site
    owner_of: dict[int, int]  # case number → the Telegram id of its owner
    numbers: list[str]

    def __repr__(self) -> str:
        """Whose case each number is (the rest is the world every example meets)."""
        return f"cases and owners {self.owner_of}"


@pytest.fixture
async def setting(world: World) -> AsyncIterator[Setting]:
    """Lan and Hòa each with a case of their own; a customer forgotten since."""
    lans = await open_case(world.lan, "Nguyễn Thị Hương", SECRETS[LAN])
    hoas = await open_case(world.hoa, "Trần Văn Đức", SECRETS[HOA])
    forgotten_case = await open_case(world.lan, "Phạm Quên", "Giao hàng trễ")
    customer = (await world.case(forgotten_case)).customer_id
    assert customer is not None
    await forget_customer(world.services.sessions, customer, world.clock())
    owners = {lans: LAN, hoas: HOA, forgotten_case: LAN}
    known = [*map(str, owners), str(customer), "0", "999", "4294967296", "00001", "9" * 30]
    async with serving(world) as site:
        yield Setting(site, owners, known)


def words_of(site: Site, locale: str, error: str) -> list[str]:
    """The fixed parts of a refusal's words in `locale` (what its placeholders leave)."""
    key = REFUSAL_KEYS.get(error, error)
    template = plain(site.world.services.scripts.get(locale, key))
    return [part.strip() for part in PLACEHOLDER.split(template) if len(part.strip()) > 3]


async def answered(setting: Setting, ask: Ask) -> None:
    """Ask, and check the answer is JSON, a refusal in the reader's words, nobody else's."""
    site = setting.site
    signed = site.headers(ask.who, language=READERS[ask.who])
    headers = {"Content-Type": "application/json", "Origin": "https://evil.example"}
    headers.update(signed if ask.forged is None else {"Authorization": ask.forged})
    if ask.language:
        headers["Accept-Language"] = ask.language
    body = ask.body if ask.method != "GET" else None
    response = await site.client.request(
        ask.method, f"api/{ask.path}", content=body, headers=headers
    )
    assert response.status_code < 500, (ask, response.text)
    assert response.headers["content-type"].startswith("application/json"), ask
    assert response.headers["cache-control"] == "no-store", ask  # personal data: never kept
    assert response.headers["x-content-type-options"] == "nosniff", ask
    assert "default-src 'none'" in response.headers["content-security-policy"], ask
    assert "access-control-allow-origin" not in response.headers, ask  # no other site reads it
    answer = response.json()
    if response.status_code >= 400:
        assert set(answer) == {"error", "message"}, (ask, answer)
        message = answer["message"]
        assert message, (ask, answer)
        assert not KEY.match(message), (ask, answer)
        for part in words_of(site, ask.locale, answer["error"]):
            assert part in message, (ask, answer, part)
    for staff, secret in SECRETS.items():
        if ask.who not in (staff, MINH):
            assert secret not in response.text, (ask, response.text)
    assert ask.forged is None or response.status_code in (401, 405), ask  # nothing for strangers
    if ask.who != MINH and ask.path.startswith("cases") and response.status_code == 200:
        rows = [row["id"] for row in answer.get("rows", [])] + [answer.get("id")]
        assert all(setting.owner_of.get(row, ask.who) == ask.who for row in rows if row), ask


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_any_request_is_answered_in_json_refused_in_the_readers_words_nobody_elses_case(
    setting: Setting, data: st.DataObject
) -> None:
    numbers_in_paths = st.sampled_from(setting.numbers) | st.text(
        "0123456789", min_size=1, max_size=25
    )
    await answered(setting, data.draw(asks(numbers_in_paths)))


@pytest.mark.parametrize(("who", "locale"), [(LAN, "en"), (HOA, "vi")])
async def test_a_method_an_address_does_not_take_is_refused_in_the_readers_words(
    setting: Setting, who: int, locale: str
) -> None:
    """Answered by Tornado itself, it came in the browser's language, not the reader's."""
    site, words = setting.site, setting.site.world.services.scripts
    for method, path in (
        ("GET", "cases"),
        ("PUT", "me"),
        ("DELETE", "cases/1"),
        ("OPTIONS", "me"),
    ):
        headers = {**site.headers(who, language=locale), "Accept-Language": "de"}
        response = await site.client.request(method, f"api/{path}", headers=headers)
        assert response.status_code == 405, (method, path)
        assert response.json()["message"] == plain(words.get(locale, "miniapp.wrong_method"))


@pytest.mark.parametrize("locale", ["en", "vi"])
async def test_a_query_string_not_in_utf8_is_refused_as_unreadable_not_a_failure(
    setting: Setting, locale: str
) -> None:
    """Tornado's own refusal of an argument it could not decode answered 500."""
    site = setting.site
    async with site.world.services.engine.begin() as connection:  # Minh reads `locale`
        await connection.execute(
            update(tables.staff).where(tables.staff.c.telegram_id == MINH).values(locale=locale)
        )
    unreadable = plain(site.world.services.scripts.get(locale, "miniapp.bad_request"))
    for query in ("period=%80", "from=%ff&to=2026-11-30", "to=%c3"):
        response = await site.get(f"report?{query}", MINH)
        assert response.status_code == 400, query
        assert response.json() == {"error": "bad_request", "message": unreadable}
