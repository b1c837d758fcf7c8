"""exercise attempts of trainees

Revision ID: 365ac4ddf8b4
Revises: f5b202cd677e
Create Date: 2026-11-28 10:12:40.118503
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '365ac4ddf8b4'
down_revision: str | None = 'f5b202cd677e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('exercise_attempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('slug', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('score', sa.Float(), nullable=True),
    sa.Column('breakdown', sa.JSON(), nullable=True),
    sa.Column('rule_base', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('started_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('submitted_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('exercise_attempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_exercise_attempt_user_id'), ['user_id'], unique=False)
        batch_op.create_index('ix_exercise_attempt_slug_user_id', ['slug', 'user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('exercise_attempt', schema=None) as batch_op:
        batch_op.drop_index('ix_exercise_attempt_slug_user_id')
        batch_op.drop_index(batch_op.f('ix_exercise_attempt_user_id'))

    op.drop_table('exercise_attempt')
