"""Storage layer: Alembic environment for the diary database (SQLite, batch mode)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine, event, pool

from crampdiary.storage import tables

target_metadata = tables.SQLModel.metadata
config = context.config


def run_migrations_offline() -> None:
    context.configure(
        url=config.attributes["database_url"],
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = create_engine(config.attributes["database_url"], poolclass=pool.NullPool)

    # Python's sqlite3 runs DDL outside any transaction by default; take over BEGIN so that each
    # revision (its DDL and the alembic_version row) commits or rolls back as one.
    @event.listens_for(connectable, "connect")
    def _no_implicit_transactions(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA synchronous=FULL")

    @event.listens_for(connectable, "begin")
    def _begin(conn):  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    with connectable.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=True,
            transaction_per_migration=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
