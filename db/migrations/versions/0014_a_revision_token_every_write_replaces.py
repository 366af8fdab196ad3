"""a revision token that every write replaces

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-22 22:30:00

``score`` and ``calibration`` keep what they printed, to print it again while nothing has
changed (cli/score_cache.py). What tells them nothing changed lives in the database, so no
program can write around it: a one-row table holding a random token, which triggers on every
table replace with a new random one after any insert, update or delete, in the writing
transaction. A copy of the file holds the same data and the same token; any later write to
either makes a token never seen before.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    'event', 'forecast', 'forecast_probability', 'forecaster', 'indicator', 'question',
    'question_condition', 'question_option', 'question_tag', 'resolution', 'scenario_update',
    'source', 'source_furniture',
)
"""Every table of the record at this revision (a test checks that each table has the
triggers, so a later migration adding a table must add them too)."""
ACTIONS = ('INSERT', 'UPDATE', 'DELETE')


def upgrade() -> None:
    op.create_table(
        'data_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.LargeBinary(), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_data_revision_one_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_data_revision')),
    )
    op.execute('INSERT INTO data_revision (id, token) VALUES (1, randomblob(16))')
    for table in TABLES:
        for action in ACTIONS:
            op.execute(
                f'CREATE TRIGGER {table}_revision_{action.lower()} AFTER {action} ON {table} '
                'BEGIN UPDATE data_revision SET token = randomblob(16); END'
            )


def downgrade() -> None:
    for table in TABLES:
        for action in ACTIONS:
            op.execute(f'DROP TRIGGER IF EXISTS {table}_revision_{action.lower()}')
    op.drop_table('data_revision')
