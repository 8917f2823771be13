"""Apply Alembic migrations from inside the running program."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config(connection: Connection | None = None, currency: str | None = None) -> Config:
    """Build the Alembic configuration without an ini file; `currency`, the one set, is
    the one a migration records with amounts that had none (0028)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    if currency is not None:
        config.attributes["currency"] = currency
    return config


async def upgrade(
    engine: AsyncEngine, revision: str = "head", currency: str | None = None
) -> None:
    """Bring the database schema up to `revision` (amounts recorded before their currency
    was kept get `currency`, the one set)."""
    async with engine.begin() as connection:
        await connection.run_sync(lambda c: command.upgrade(alembic_config(c, currency), revision))


class SchemaMismatch(RuntimeError):
    """The database's schema is not the one this code works on, and will not be made so."""


def head_revision() -> str:
    """The newest migration this code has."""
    return str(ScriptDirectory.from_config(alembic_config()).get_current_head())


def known_revisions() -> set[str]:
    """Every migration this code has."""
    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def current_revision(connection: Connection) -> str:
    """The migration the database is at ("empty" for a database never migrated)."""
    return MigrationContext.configure(connection).get_current_revision() or "empty"


async def make_current(engine: AsyncEngine, migrate: bool, currency: str | None = None) -> None:
    """Bring the schema to the newest migration (`migrate`, amounts recorded before their
    currency was kept getting `currency`, the one set), or make sure it is there; refuse a
    schema newer than this code, whichever."""
    async with engine.connect() as connection:
        current = await connection.run_sync(current_revision)
    if current != "empty" and current not in known_revisions():
        raise SchemaMismatch(
            f"the database's schema ({current}) is newer than this code knows: run the "
            "version of the bot that migrated it, or restore a backup taken before"
        )
    if migrate:
        await upgrade(engine, currency=currency)
    elif current != head_revision():
        raise SchemaMismatch(
            f"the database's schema is at {current}, this code needs {head_revision()}: run "
            "`python main.py db upgrade` (database.migrate_on_start is false)"
        )
