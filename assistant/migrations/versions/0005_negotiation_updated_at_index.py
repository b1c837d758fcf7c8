"""index on negotiation.updated_at: the home page lists negotiations by it, a page at a time

Revision ID: c2d8e5f10005
Revises: b7e1c4a90004
Create Date: 2026-12-06 18:00:00.000000
"""
from collections.abc import Sequence

from alembic import op


revision: str = 'c2d8e5f10005'
down_revision: str | None = 'b7e1c4a90004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index('ix_negotiation_updated_at', 'negotiation', ['updated_at'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_negotiation_updated_at', table_name='negotiation')
