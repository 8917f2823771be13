"""The schema: one table per record kind; case_events is append-only."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

from storage.types import UtcDateTime

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

staff = Table(
    "staff",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("telegram_id", BigInteger, nullable=False, unique=True),
    Column("name", String(120), nullable=False),
    Column("role", String(16), nullable=False),
    Column("locale", String(8)),
    Column("timezone", String(64)),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime),
    Column("expecting", String(32)),
    Column("expecting_case_id", Integer),
    Column("expecting_customer_id", Integer),
    Column("unreachable", Boolean, nullable=False, default=False, server_default=false()),
)

invites = Table(
    "invites",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("created_by", ForeignKey("staff.id"), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_by", ForeignKey("staff.id")),
    Column("used_at", UtcDateTime),
)

customers = Table(
    "customers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(200), nullable=False),
    Column("search_key", String(200), nullable=False, index=True),
    Column("kind", String(16), nullable=False),
    Column("phone", String(32), index=True),
    # The phone's digits after its country code or trunk prefix (flows.parsing.phone_key),
    # kept by storage.orm whenever `phone` is set: a whole number is looked up, not scanned.
    Column("phone_key", String(32), index=True),
    Column("since", Date),  # the first day of the year or month, if only that was said
    Column("since_precision", String(8)),  # year | month | day: how much of `since` was said
    Column("yearly_value", BigInteger),
    Column("status", String(16), nullable=False, default="active"),
    Column("created_at", UtcDateTime),
    Column("created_by", ForeignKey("staff.id")),
    Column("at_risk_since", UtcDateTime),
    Column("at_risk_reason", Text),
    Column("at_risk_by", ForeignKey("staff.id")),
    Column("at_risk_case_id", Integer),  # the check-in that heard it, if flagged from one
    Column("title", String(16)),
    Column("given_name", String(120)),
    # The currency set when the customer was recorded: their yearly value's (migration 0028).
    Column("currency", String(8)),
    # A search lists the first matches in name order: read in this order, it stops at the
    # first few of a name many customers share instead of sorting every match (migration
    # 0015), and it reads the index, not the rows, while it looks. Customers of one name come
    # in the order they were recorded (migration 0022).
    Index("ix_customers_name_search", "name", "id", "search_key", "phone"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(24), nullable=False),
    Column("state", String(32), nullable=False),
    Column("version", Integer, nullable=False),
    Column("events_count", Integer, nullable=False),
    Column("owner_id", ForeignKey("staff.id"), nullable=False),
    Column("customer_id", ForeignKey("customers.id")),
    Column("summary", Text),
    Column("category", String(32)),
    Column("severity", String(16)),
    Column("draft", JSON, nullable=False),
    Column("promised_fix_at", UtcDateTime),
    Column("follow_up_due_at", UtcDateTime),
    Column("compensation_type", String(32)),
    Column("compensation_value", BigInteger),
    # Everything given on the case so far (approved or within the limit), across reopens.
    Column("compensation_total", BigInteger, nullable=False, default=0, server_default="0"),
    # The same, offer by offer: [[type, value], ...] (a withdrawn offer leaves the list).
    Column("compensation_given", JSON, nullable=False, server_default="[]"),
    # The currency set when the case was opened: every amount given or offered on it is in
    # it, and drawn in it after the settings change (migration 0028).
    Column("currency", String(8)),
    # Staff id -> the question (`fix:action`) last drawn for them: a text typed after the
    # case moved on is not filed under the next question.
    Column("asked", JSON, nullable=False, server_default="{}"),
    # Staff id -> [a keyed digest of the text they last filed here, when]: the same text
    # sent again within a minute is known for a double send, across a restart too; and
    # "refused:<staff id>" -> [a token, the text of theirs last refused here, when], kept to
    # be filed as a note with one press (`flows.desk.KEPT`; forgetting the customer empties it).
    Column("filed", JSON, nullable=False, server_default="{}"),
    Column("reopen_count", Integer, nullable=False),
    # Which of a complaint's five steps its log records, and whether out of order
    # (`flows.model.marked`, migration 0014): the report's step compliance.
    Column("step_marks", Integer, nullable=False, default=0, server_default="0"),
    Column("overdue_since", UtcDateTime),
    Column("resolution", String(32)),
    Column("opened_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime),
    Column("updated_at", UtcDateTime),
    Column("card_chat_id", BigInteger),
    Column("card_message_id", BigInteger),
    # The card in its owner's chat, while it is drawn in someone else's (migration 0023).
    Column("owner_card_chat_id", BigInteger),
    Column("owner_card_message_id", BigInteger),
    Index("ix_cases_owner_state", "owner_id", "state"),
    Index("ix_cases_customer", "customer_id"),
)

case_events = Table(
    "case_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("actor_id", ForeignKey("staff.id")),
    Column("step", String(32), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("data", JSON, nullable=False),
    UniqueConstraint("case_id", "seq", name="uq_case_events_case_seq"),
)

processed_updates = Table(
    "processed_updates",
    metadata,
    # Keyed by the bot too: a new token on an old database starts update ids again.
    Column("bot_id", BigInteger, primary_key=True, autoincrement=False),
    Column("update_id", BigInteger, primary_key=True, autoincrement=False),
    Column("processed_at", UtcDateTime, nullable=False),
    # Set when a redelivery of the update re-sent the current card (once).
    Column("reshown", Boolean, nullable=False, default=False, server_default=false()),
    Index("ix_processed_updates_at", "processed_at"),
)

reminders = Table(
    "reminders",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("due_at", UtcDateTime, nullable=False),
    Column("recipient_id", ForeignKey("staff.id")),
    Column("chat_id", BigInteger),
    Column("case_id", ForeignKey("cases.id")),
    Column("payload", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("lease_until", UtcDateTime),
    Column("dedupe_key", String(120), unique=True),
    Column("created_at", UtcDateTime),
    Column("sent_at", UtcDateTime),
    Column("last_error", String(200)),
    # When it fell due: a row held back (outside working hours, a retry) is due again later,
    # and rows held to the same opening go out in the order they fell due.
    Column("first_due_at", UtcDateTime),
    # The tick asks for pending rows due by now, oldest first: this index answers that
    # without reading the rows that are not yet due.
    Index("ix_reminders_status_due", "status", "due_at"),
    Index("ix_reminders_case", "case_id"),
)

# Where each copy of a request for a supervisor's decision was sent (the request and its
# reminders that carry verdict buttons), so that once the request no longer waits each copy
# is redrawn in place without them (migration 0018). A row goes once its copy is redrawn.
request_copies = Table(
    "request_copies",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", ForeignKey("cases.id"), nullable=False),
    Column("asked_at", Integer, nullable=False),  # the case version its buttons carry
    Column("recipient_id", ForeignKey("staff.id"), nullable=False),
    Column("chat_id", BigInteger, nullable=False),
    Column("message_id", BigInteger, nullable=False),
    # How the request ended, set in the transaction that ended it: `approved:compensation`
    # (the verdict and its subject) or `gone`; null while it waits.
    Column("ended", String(40)),
    Column("ended_by", ForeignKey("staff.id")),  # who decided, for a verdict
    Column("lease_until", UtcDateTime),  # a process is redrawing it until then
    Index("ix_request_copies_case", "case_id"),
    Index("ix_request_copies_ended", "ended", "lease_until"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("customer_id", ForeignKey("customers.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("happened_on", Date, nullable=False),
    Column("note", Text, nullable=False),
    Column("created_by", ForeignKey("staff.id")),
    Column("created_at", UtcDateTime),
    Column("case_id", ForeignKey("cases.id")),
    Index("ix_incidents_customer", "customer_id", "happened_on"),
)

# Indexes that keep the reports fast on a large log (migrations 0004, 0014, 0024, 0026 and
# 0029). Each covers its query: cases opened per week, but those cancelled as a mistake
# (`resolution`); every figure about cases that ended in a period,
# their step compliance too (`step_marks`), whether each was a complaint made
# (`severity`, `resolution`), and the currency of what each gave (`currency`); and the
# rarer events of a period.
REPORT_INDEXES: tuple[Index, ...] = (
    Index("ix_cases_opened_at", cases.c.opened_at, cases.c.resolution),
    Index(
        "ix_cases_closed_report",
        cases.c.closed_at,
        cases.c.kind,
        cases.c.state,
        cases.c.opened_at,
        cases.c.reopen_count,
        cases.c.compensation_type,
        cases.c.compensation_total,
        cases.c.step_marks,
        cases.c.severity,
        cases.c.resolution,
        cases.c.currency,
    ),
    Index("ix_case_events_kind_at", case_events.c.kind, case_events.c.at, case_events.c.case_id),
)

# Indexes that keep the case log (the Mini App) fast on a large table (migration 0008): its
# orders (newest or oldest by opening or by last change) and its rarer filters (a state such
# as awaiting a decision, a kind, overdue) each read an index range instead of every case.
_overdue = cases.c.overdue_since.is_not(None)
UPDATED_NULLS_FIRST = {"updated_at": "NULLS FIRST"}

CASE_LOG_INDEXES: tuple[Index, ...] = (
    # NULLS FIRST on PostgreSQL (migration 0025): a case never changed sorts as the oldest
    # change there as on SQLite, and the index reads the log's order either way.
    Index("ix_cases_updated_at", cases.c.updated_at, postgresql_ops=UPDATED_NULLS_FIRST),
    Index("ix_cases_state_opened", cases.c.state, cases.c.opened_at),
    Index("ix_cases_kind_opened", cases.c.kind, cases.c.opened_at),
    Index(
        "ix_cases_overdue_opened",
        cases.c.opened_at,
        sqlite_where=_overdue,
        postgresql_where=_overdue,
    ),
)
