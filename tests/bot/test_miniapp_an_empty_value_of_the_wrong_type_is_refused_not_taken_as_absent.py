"""The log's optional text fields (`search`, `from`, `to`) may be left out, null or empty;
`false`, `0`, `[]` or `{}` there is a client's mistake and gets a 400, as `true`, `1.5`,
`["x"]` or `{"x": 1}` already did — it was listed as if the field had not been given.
Every other field of the query may be null too, as left out: `status`, `kind`, `offset`,
`sort` and `order` were refused as a bad request where `staff` and `after` took null."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.bot.conftest import MINH, World
from tests.bot.miniapp_site import Site, serving
from tests.bot.walk import open_case


@pytest.fixture
async def site(world: World) -> AsyncIterator[Site]:
    async with serving(world) as served:
        yield served


@pytest.mark.parametrize("field", ["search", "from", "to"])
async def test_an_empty_value_of_the_wrong_type_in_a_log_query_gets_400(
    site: Site, field: str
) -> None:
    await open_case(site.world.lan)
    for wrong in [False, 0, [], {}]:
        response = await site.post("cases", {field: wrong}, MINH)
        assert response.status_code == 400, (field, wrong, response.text)
        assert set(response.json()) == {"error", "message"}


@pytest.mark.parametrize("given", [None, ""])
@pytest.mark.parametrize("field", ["search", "from", "to"])
async def test_a_log_query_field_left_null_or_empty_is_not_given(
    site: Site, field: str, given: Any
) -> None:
    await open_case(site.world.lan)
    everything = (await site.post("cases", {}, MINH)).json()["rows"]
    response = await site.post("cases", {field: given}, MINH)
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == everything != []


@pytest.mark.parametrize("field", ["status", "kind", "staff", "offset", "sort", "order", "after"])
async def test_any_other_field_of_a_log_query_left_null_is_not_given(
    site: Site, field: str
) -> None:
    await open_case(site.world.lan)
    everything = (await site.post("cases", {}, MINH)).json()
    response = await site.post("cases", {field: None}, MINH)
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == everything["rows"] != []
    assert response.json()["range"] == everything["range"]
