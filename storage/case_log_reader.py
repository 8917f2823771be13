"""Reads for the case log (the Mini App): a page of cases with their owner and customer.

A page is one statement: the `/cases` filter's conditions (`filter_conditions`, with days in
the reader's time zone), a customer search, an order on an indexed column with the case
number breaking ties, and `LIMIT`/`OFFSET`. The search looks the customers up first (a
subquery on `customers`), then their cases through `ix_cases_customer`.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from flows.case_log import LogQuery, LogRow
from storage import tables
from storage.repositories import filter_conditions

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
        order = [column.desc(), c.id.desc()] if query.descending else [column.asc(), c.id.asc()]
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
            )
            .select_from(
                cases.join(owners, owners.c.id == c.owner_id).outerjoin(
                    customers, customers.c.id == c.customer_id
                )
            )
            .where(*filter_conditions(query.filter, tz))
        )
        if query.search:
            matching = select(found.c.id).where(
                or_(
                    found.c.search_key.contains(query.search, autoescape=True),
                    found.c.phone.contains(query.search, autoescape=True),
                )
            )
            statement = statement.where(c.customer_id.in_(matching))
        result = await self.session.execute(
            statement.order_by(*order).offset(query.filter.offset).limit(query.limit)
        )
        return [LogRow(**row._mapping) for row in result]
