"""Reports and forgetting: indexes for the report; the event log lets redactions through.

Indexes (as declared in `storage/tables.py` at this revision; later revisions change them
there and in their own migration) keep a quarter's report under a second on a million events.

Redaction: `case_events` stays append-only — DELETE is always refused, and so is every
UPDATE except a redaction, which the database itself checks:

- id, case, sequence, time, actor, step and kind are unchanged;
- the new data is a JSON object flagged `"redacted": true`, and the old one was not
  (a redacted event cannot be edited again);
- every other key of the new data was in the old data with exactly the same value —
  keys may only be removed, never changed or added.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 06:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

#: The events of the five recovery steps, as they stood when this migration was written.
FIVE_STEP_EVENTS = ("apologised", "fixed", "empathised", "compensated", "scheduled")

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = "case_events is append-only: add a correcting event instead"

SQLITE_IS_REDACTION = """
    NEW.id = OLD.id AND NEW.case_id = OLD.case_id AND NEW.seq = OLD.seq AND NEW.at = OLD.at
    AND NEW.actor_id IS OLD.actor_id AND NEW.step = OLD.step AND NEW.kind = OLD.kind
    AND json_valid(NEW.data) AND json_type(NEW.data) = 'object'
    AND json_type(NEW.data, '$.redacted') = 'true'
    AND coalesce(json_type(OLD.data, '$.redacted'), '') <> 'true'
    AND NOT EXISTS (
        SELECT 1 FROM json_each(NEW.data) AS n
        WHERE n.key <> 'redacted'
          AND (json_type(OLD.data, '$."' || n.key || '"') IS NOT n.type
               OR json_extract(OLD.data, '$."' || n.key || '"') IS NOT n.value)
    )
"""

POSTGRES_FUNCTION = f"""
CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND (NEW.id, NEW.case_id, NEW.seq, NEW.at, NEW.actor_id, NEW.step, NEW.kind)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.case_id, OLD.seq, OLD.at, OLD.actor_id, OLD.step, OLD.kind)
        AND json_typeof(NEW.data) = 'object'
        AND coalesce((NEW.data::jsonb -> 'redacted') = 'true'::jsonb, false)
        AND (OLD.data::jsonb -> 'redacted') IS DISTINCT FROM 'true'::jsonb
        AND NOT EXISTS (
            SELECT 1 FROM jsonb_each(NEW.data::jsonb) AS n
            WHERE n.key <> 'redacted' AND (OLD.data::jsonb -> n.key) IS DISTINCT FROM n.value
        )
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{APPEND_ONLY}';
END $$
"""

POSTGRES_ORIGINAL = (
    "CREATE OR REPLACE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}'; END $$"
)


#: The report indexes as this revision made them: (name, table, columns).
INDEXES = (
    ("ix_cases_opened_at", "cases", ["opened_at"]),
    (
        "ix_cases_closed_report",
        "cases",
        [
            "closed_at",
            "kind",
            "state",
            "opened_at",
            "reopen_count",
            "compensation_type",
            "compensation_value",
        ],
    ),
    ("ix_case_events_kind_at", "case_events", ["kind", "at", "case_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)
    five_steps = sa.text("kind IN (" + ", ".join(f"'{k}'" for k in FIVE_STEP_EVENTS) + ")")
    op.create_index(
        "ix_case_events_steps",
        "case_events",
        ["case_id", "seq", "kind"],
        sqlite_where=five_steps,
        postgresql_where=five_steps,
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS case_events_no_update")
        op.execute(
            "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
            f"WHEN NOT coalesce(({SQLITE_IS_REDACTION}), 0) "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )
        return
    op.execute(POSTGRES_FUNCTION)


def downgrade() -> None:
    op.drop_index("ix_case_events_steps", table_name="case_events")
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS case_events_no_update")
        op.execute(
            "CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events "
            f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
        )
        return
    op.execute(POSTGRES_ORIGINAL)
