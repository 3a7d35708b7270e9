"""Storage layer: the schema revisions this version knows, checked without importing Alembic."""

from __future__ import annotations

# Oldest first. A file whose revision is not here comes from a newer version of the app.
KNOWN_REVISIONS: tuple[str, ...] = ("0001_initial", "0002_nutrition", "0003_routine")
HEAD_REVISION = KNOWN_REVISIONS[-1]
