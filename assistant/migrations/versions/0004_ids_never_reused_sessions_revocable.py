"""ids never reused (SQLite AUTOINCREMENT); revocable sessions, disabled accounts, API tokens; who submitted a version

Revision ID: b7e1c4a90004
Revises: 365ac4ddf8b4
Create Date: 2026-12-02 09:00:00.000000

SQLite gives a deleted row's id to the next row when it was the highest (rowid tables without AUTOINCREMENT):
the next negotiation inherited the deleted one's audit trail. The tables whose ids reach URLs or the audit
trail are rebuilt with AUTOINCREMENT, and each sequence starts above every id still referenced (the audit trail
keeps the ids of deleted negotiations). PostgreSQL sequences never go back, so there only the columns change.

``user.session_token`` is part of every session cookie (replaced on sign-out, password change, disabling),
``user.disabled_at`` refuses an account, ``user.api_token_hash`` is the SHA-256 of its API token;
``draft_version.submitted_by`` lets the review refuse a decision by whoever sent the version for review.
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'b7e1c4a90004'
down_revision: str | None = '365ac4ddf8b4'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Tables rebuilt with AUTOINCREMENT (ids in URLs or in the audit trail), parents before children.
TABLES = ('user', 'negotiation', 'invitation', 'draft_version', 'comment', 'position', 'privatenote', 'audit_event')
# Ids a sequence must stay above besides the table's own: ids of deleted rows still mentioned elsewhere.
REFERENCED = {
    'negotiation': ['SELECT MAX(negotiation_id) FROM audit_event'],
    'user': ['SELECT MAX(user_id) FROM audit_event'],
}


def _sqlite() -> bool:
    return op.get_context().dialect.name == 'sqlite'


def _random_token_sql() -> str:
    """A random token per row, made by the database (so this also runs offline)."""
    if _sqlite():
        return 'lower(hex(randomblob(24)))'
    return "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')"


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_token', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('disabled_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('api_token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_user_api_token_hash'), ['api_token_hash'], unique=True)
    op.execute(f'UPDATE "user" SET session_token = {_random_token_sql()}')
    with op.batch_alter_table('draft_version', schema=None) as batch_op:
        batch_op.add_column(sa.Column('submitted_by', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_draft_version_submitted_by_user', 'user', ['submitted_by'], ['id'])
    if not _sqlite():
        return
    # env.py turns SQLite's foreign keys off for the run: dropping the old tables must not cascade.
    for table in TABLES:
        with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': True}):
            pass
    for table in TABLES:
        highest = ' UNION ALL '.join([f'SELECT MAX(id) AS x FROM "{table}"', *REFERENCED.get(table, [])])
        op.execute(f"DELETE FROM sqlite_sequence WHERE name = '{table}'")
        op.execute(f"INSERT INTO sqlite_sequence (name, seq) SELECT '{table}', COALESCE(MAX(x), 0) FROM ({highest})")

def downgrade() -> None:
    if _sqlite():
        for table in reversed(TABLES):
            with op.batch_alter_table(table, recreate='always', table_kwargs={'sqlite_autoincrement': False}):
                pass
    with op.batch_alter_table('draft_version', schema=None) as batch_op:
        batch_op.drop_constraint('fk_draft_version_submitted_by_user', type_='foreignkey')
        batch_op.drop_column('submitted_by')
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_api_token_hash'))
        batch_op.drop_column('api_token_hash')
        batch_op.drop_column('disabled_at')
        batch_op.drop_column('session_token')
