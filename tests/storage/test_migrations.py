"""Migrations: the shipped revisions build exactly the tables the models describe."""

from __future__ import annotations

from datetime import datetime

from crampdiary.paths import AppPaths
from crampdiary.storage import schema
from crampdiary.storage.database import check_file, create_engine_for, open_database
from crampdiary.storage.migrate import script_heads, script_revisions

NOW = datetime(2026, 11, 25, 9, 0)


def test_known_revisions_match_the_shipped_scripts() -> None:
    assert script_heads() == (schema.HEAD_REVISION,)
    assert script_revisions() == schema.KNOWN_REVISIONS


def test_a_migrated_database_matches_the_models(paths: AppPaths) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from crampdiary.storage import tables

    open_database(paths, now=NOW).dispose()
    engine = create_engine_for(paths.database)
    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            diff = compare_metadata(context, tables.SQLModel.metadata)
    finally:
        engine.dispose()
    assert diff == []


def test_a_new_database_is_at_the_head_revision(paths: AppPaths) -> None:
    open_database(paths, now=NOW).dispose()
    assert check_file(paths.database).revision == schema.HEAD_REVISION


def test_reopening_does_not_migrate_or_back_up_again(paths: AppPaths) -> None:
    open_database(paths, now=NOW).dispose()
    open_database(paths, now=NOW).dispose()
    assert not any(p.name.endswith("pre-migration.sqlite3") for p in paths.backups.iterdir())
