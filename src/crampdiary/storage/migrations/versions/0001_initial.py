"""Initial schema: profile, cramp episodes, nights, days, medications, settings.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

_id = AutoString(length=64)
_text = AutoString()


def upgrade() -> None:
    op.create_table(
        "profile",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _text, nullable=False),
        sa.Column("birth_year", sa.Integer(), nullable=True),
        sa.Column("sex", _text, nullable=True),
        sa.Column("pregnancy", _text, nullable=False),
        sa.Column("conditions", _text, nullable=False),
        sa.Column("units", _text, nullable=False),
        sa.Column("disclaimer_seen_on", sa.Date(), nullable=True),
        sa.Column("profile_asked_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "cramp_episode",
        sa.Column("id", _id, nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("utc_offset_min", sa.Integer(), nullable=True),
        sa.Column("night_of", sa.Date(), nullable=False),
        sa.Column("duration_s", sa.Integer(), nullable=False),
        sa.Column("muscle", _text, nullable=False),
        sa.Column("side", _text, nullable=False),
        sa.Column("severity", sa.Integer(), nullable=False),
        sa.Column("woke_from_sleep", sa.Boolean(), nullable=False),
        sa.Column("relief", _text, nullable=False),
        sa.Column("relief_helped", sa.Boolean(), nullable=True),
        sa.Column("soreness_after", sa.Integer(), nullable=True),
        sa.Column("notes", _text, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cramp_episode") as batch:
        batch.create_index("ix_cramp_episode_started_at", ["started_at"], unique=False)
        batch.create_index("ix_cramp_episode_night_of", ["night_of"], unique=False)
    op.create_table(
        "night_record",
        sa.Column("id", _id, nullable=False),
        sa.Column("night_of", sa.Date(), nullable=False),
        sa.Column("no_cramps", sa.Boolean(), nullable=False),
        sa.Column("sleep_hours", sa.Float(), nullable=True),
        sa.Column("sleep_disturbance", sa.Integer(), nullable=True),
        sa.Column("notes", _text, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("night_record") as batch:
        batch.create_index("ix_night_record_night_of", ["night_of"], unique=True)
    op.create_table(
        "day_context",
        sa.Column("id", _id, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("activity_min", sa.Integer(), nullable=True),
        sa.Column("sunlight_min", sa.Integer(), nullable=True),
        sa.Column("alcohol_units", sa.Float(), nullable=True),
        sa.Column("caffeine_drinks", sa.Integer(), nullable=True),
        sa.Column("tags", _text, nullable=False),
        sa.Column("symptoms", _text, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("day_context") as batch:
        batch.create_index("ix_day_context_day", ["day"], unique=True)
    op.create_table(
        "medication",
        sa.Column("id", _id, nullable=False),
        sa.Column("name", _text, nullable=False),
        sa.Column("dose", _text, nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("stopped_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "setting",
        sa.Column("key", AutoString(length=64), nullable=False),
        sa.Column("value", _text, nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )


def downgrade() -> None:
    for table in (
        "setting",
        "medication",
        "day_context",
        "night_record",
        "cramp_episode",
        "profile",
    ):
        op.drop_table(table)
