"""Storage layer: run the Alembic revisions shipped in the package (only when one is pending)."""

from __future__ import annotations

import logging
from pathlib import Path

logger = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config(db: Path) -> object:
    from alembic.config import Config
    from sqlalchemy.engine import URL

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # The URL object travels as an attribute: a path with "?" or "%" would not survive being
    # parsed from text (query string) or read through ConfigParser (interpolation).
    config.attributes["database_url"] = URL.create("sqlite", database=str(db))
    return config


def upgrade_to_head(db: Path) -> None:
    """Bring the file to the newest schema, in one transaction per revision."""
    from alembic import command

    logger.info("migrating database schema")
    command.upgrade(alembic_config(db), "head")  # type: ignore[arg-type]


def script_heads() -> tuple[str, ...]:
    """The head revisions of the shipped scripts (tests check they match KNOWN_REVISIONS)."""
    from alembic.script import ScriptDirectory

    return tuple(ScriptDirectory.from_config(alembic_config(Path("unused.sqlite3"))).get_heads())  # type: ignore[arg-type]


def script_revisions() -> tuple[str, ...]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(Path("unused.sqlite3")))  # type: ignore[arg-type]
    return tuple(rev.revision for rev in reversed(list(script.walk_revisions())))
