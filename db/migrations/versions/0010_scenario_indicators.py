"""scenario indicators: yes-or-no questions that tell a scenario set's scenarios apart

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-22 18:30:00

An indicator links a binary question to a scenario set (a multiple-choice question) with the
indicator's likelihood under each scenario, the phrase each was read from, who judged them
and why. A question is an indicator of a set at most once.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT = sqlmodel.sql.sqltypes.AutoString()


def upgrade() -> None:
    op.create_table(
        'indicator',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('set_id', sa.Integer(), nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('likelihoods', TEXT, nullable=False),
        sa.Column('phrases', TEXT, server_default='[]', nullable=False),
        sa.Column('scale', TEXT, nullable=True),
        sa.Column('judged_by_id', sa.Integer(), nullable=True),
        sa.Column('rationale', TEXT, server_default='', nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by', TEXT, server_default='', nullable=False),
        sa.ForeignKeyConstraint(
            ['set_id'], ['question.id'], name=op.f('fk_indicator_set_id_question'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['question_id'], ['question.id'], name=op.f('fk_indicator_question_id_question'),
            ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['judged_by_id'], ['forecaster.id'],
            name=op.f('fk_indicator_judged_by_id_forecaster'),
        ),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_indicator')),
        sa.UniqueConstraint('set_id', 'question_id', name=op.f('uq_indicator_set_id')),
    )
    op.create_index(op.f('ix_indicator_set_id'), 'indicator', ['set_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_indicator_set_id'), table_name='indicator')
    op.drop_table('indicator')
