"""Nutrition: food entries, custom foods, favourites, supplement products and intakes, drinks.

Revision ID: 0002_nutrition
Revises: 0001_initial
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlmodel.sql.sqltypes import AutoString

revision = "0002_nutrition"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

_id = AutoString(length=64)
_text = AutoString()


def upgrade() -> None:
    op.create_table(
        "food_entry",
        sa.Column("id", _id, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("food", _text, nullable=False),
        sa.Column("grams", sa.Float(), nullable=False),
        sa.Column("meal", _text, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("food_entry") as batch:
        batch.create_index("ix_food_entry_day", ["day"], unique=False)
        batch.create_index("ix_food_entry_food", ["food"], unique=False)
    op.create_table(
        "custom_food",
        sa.Column("id", _id, nullable=False),
        sa.Column("name", _text, nullable=False),
        sa.Column("magnesium_mg", sa.Float(), nullable=True),
        sa.Column("calcium_mg", sa.Float(), nullable=True),
        sa.Column("vitamin_d_ug", sa.Float(), nullable=True),
        sa.Column("potassium_mg", sa.Float(), nullable=True),
        sa.Column("sodium_mg", sa.Float(), nullable=True),
        sa.Column("water_g", sa.Float(), nullable=True),
        sa.Column("kcal", sa.Float(), nullable=True),
        sa.Column("portions", _text, nullable=False),
        sa.Column("density_g_per_ml", sa.Float(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("custom_food") as batch:
        batch.create_index("ix_custom_food_name", ["name"], unique=True)
    op.create_table(
        "favourite_food",
        sa.Column("id", _id, nullable=False),
        sa.Column("food", _text, nullable=False),
        sa.Column("grams", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("favourite_food") as batch:
        batch.create_index("ix_favourite_food_food", ["food"], unique=True)
    op.create_table(
        "supplement_product",
        sa.Column("id", _id, nullable=False),
        sa.Column("name", _text, nullable=False),
        sa.Column("nutrient", _text, nullable=False),
        sa.Column("amount_per_unit", sa.Float(), nullable=False),
        sa.Column("unit", _text, nullable=False),
        sa.Column("units_per_dose", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplement_product") as batch:
        batch.create_index("ix_supplement_product_name", ["name"], unique=True)
    op.create_table(
        "supplement_intake",
        sa.Column("id", _id, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("nutrient", _text, nullable=False),
        sa.Column("amount", sa.Float(), nullable=False),
        sa.Column("unit", _text, nullable=False),
        sa.Column("product", _text, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("supplement_intake") as batch:
        batch.create_index("ix_supplement_intake_day", ["day"], unique=False)
    op.create_table(
        "drink",
        sa.Column("id", _id, nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("ml", sa.Integer(), nullable=False),
        sa.Column("kind", _text, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("drink") as batch:
        batch.create_index("ix_drink_day", ["day"], unique=False)


def downgrade() -> None:
    for table in (
        "drink",
        "supplement_intake",
        "supplement_product",
        "favourite_food",
        "custom_food",
        "food_entry",
    ):
        op.drop_table(table)
