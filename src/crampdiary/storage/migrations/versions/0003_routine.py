"""Bedtime routine: routine items and their versions, checks per night, paper tallies.

Revision ID: 0003_routine
Revises: 0002_nutrition
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0003_routine"
down_revision = "0002_nutrition"
branch_labels = None
depends_on = None

_id = AutoString(length=64)
_key = AutoString(length=40)
_text = AutoString()


def upgrade() -> None:
    op.create_table(
        "routine_item",
        sa.Column("key", _key, nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "routine_item_version",
        sa.Column("id", _id, nullable=False),
        sa.Column("item", _key, nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("title", _text, nullable=False),
        sa.Column("instructions", _text, nullable=False),
        sa.Column("line", _text, nullable=False),
        sa.Column("days", _text, nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("hold_s", sa.Integer(), nullable=True),
        sa.Column("reps", sa.Integer(), nullable=True),
        sa.Column("rest_s", sa.Integer(), nullable=True),
        sa.Column("per_leg", sa.Boolean(), nullable=False),
        sa.Column("removed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["item"], ["routine_item.key"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("routine_item_version") as batch:
        batch.create_index(
            "ix_routine_item_version_item_valid_from", ["item", "valid_from"], unique=True
        )
    op.create_table(
        "routine_check",
        sa.Column("id", _id, nullable=False),
        sa.Column("night_of", sa.Date(), nullable=False),
        sa.Column("item", _key, nullable=False),
        sa.Column("state", _text, nullable=False),
        sa.Column("reason", _text, nullable=True),
        sa.Column("note", _text, nullable=False),
        sa.Column("title", _text, nullable=False),
        sa.ForeignKeyConstraint(["item"], ["routine_item.key"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("routine_check") as batch:
        batch.create_index("ix_routine_check_night_of_item", ["night_of", "item"], unique=True)
    op.create_table(
        "paper_tally",
        sa.Column("id", _id, nullable=False),
        sa.Column("night_of", sa.Date(), nullable=False),
        sa.Column("cramps", sa.Integer(), nullable=False),
        sa.Column("worst_severity", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("paper_tally") as batch:
        batch.create_index("ix_paper_tally_night_of", ["night_of"], unique=True)


def downgrade() -> None:
    for table in ("paper_tally", "routine_check", "routine_item_version", "routine_item"):
        op.drop_table(table)
