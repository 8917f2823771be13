"""Reads for the case log (the Mini App): a page of cases with their owner and customer.

A page is one statement: the `/cases` filter's conditions (`filter_conditions`, with days in
the reader's time zone), a customer search, an order on an indexed column with the case
number breaking ties, and `LIMIT` from a keyset — the rows after the previous page's last
(its sort value and number), so a case that changes between pages is neither repeated nor
skipped — or, for old clients, `OFFSET`. The search looks the customers up first (a
subquery on `customers`), then their cases through `ix_cases_customer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, UnaryExpression, and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from flows.case_log import LogQuery, LogRow
from storage import tables
from storage.repositories import customers_matching, filter_conditions

cases = tables.cases
owners = tables.staff
customers = tables.customers
found = tables.customers.alias("found")


class SqlCaseLogReader:
    """The case log's reads, in the unit of work's session."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(self, query: LogQuery, tz: ZoneInfo) -> Sequence[LogRow]:
        """One page of the log, in the query's order."""
        c = cases.c
        column = {"opened": c.opened_at, "updated": c.updated_at}[query.sort]
        order = log_order(column, c.id, query.descending)
        statement = (
            select(
                c.id.label("case_id"),
                c.kind,
                c.state,
                owners.c.name.label("owner"),
                c.customer_id,
                customers.c.name.label("customer"),
                customers.c.phone,
                c.opened_at,
                c.updated_at,
                c.overdue_since,
                owners.c.active.label("owner_active"),
                c.resolution,
            )
            .select_from(
                cases.join(owners, owners.c.id == c.owner_id).outerjoin(
                    customers, customers.c.id == c.customer_id
                )
            )
            .where(*filter_conditions(query.filter, tz))
        )
        if query.search:
            matching = select(found.c.id).where(customers_matching(found.c, query.search))
            statement = statement.where(c.customer_id.in_(matching))
        if query.after is not None:
            statement = statement.where(_after(column, c.id, query))
        else:
            statement = statement.offset(query.filter.offset)
        result = await self.session.execute(statement.order_by(*order).limit(query.limit))
        return [LogRow(**row._mapping) for row in result]


def log_order(column: Any, key: Any, descending: bool) -> list[UnaryExpression[Any]]:
    """The log's order: `column`, then `key`. A case never changed (from before the bot set
    `updated_at`) has no change time: it sorts as the oldest change on either engine — last
    of "changed most recently", first of "least recently" (PostgreSQL would put NULLs the
    other way round; its index is kept NULLS FIRST to read this order, migration 0025)."""
    if descending:
        return [column.desc().nulls_last(), key.desc()]
    return [column.asc().nulls_first(), key.asc()]


def _after(column: Any, key: Any, query: LogQuery) -> ColumnElement[bool]:
    """The rows that come after `query.after` in the query's order (`column`, then `key`),
    where NULLs sort lowest (`log_order`): at the end of a descending order."""
    assert query.after is not None
    value, last = query.after
    descending = query.descending
    later_key = key < last if descending else key > last
    nulls_at_end = column.nullable and descending
    if value is None:
        nulls_rest = and_(column.is_(None), later_key)
        return nulls_rest if nulls_at_end else or_(nulls_rest, column.is_not(None))
    reach = column <= value if descending else column >= value  # lets the index seek
    beyond = column < value if descending else column > value
    rest = and_(reach, or_(beyond, and_(column == value, later_key)))
    return or_(rest, column.is_(None)) if nulls_at_end else rest
