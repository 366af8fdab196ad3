"""conditional questions: "if A resolves yes, will B?"

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-22 20:00:00

A question may be conditional on another (yes-or-no) question: forecasts on it are
P(B | A), it is scored only when A resolves yes and annulled when A resolves no. It may name a
question that asks "A and B" directly, for the coherence check. Kept in a table of its own, so
that the question table is not rebuilt.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT = sqlmodel.sql.sqltypes.AutoString()


def upgrade() -> None:
    op.create_table(
        'question_condition',
        sa.Column('question_id', sa.Integer(), nullable=False),
        sa.Column('condition_id', sa.Integer(), nullable=False),
        sa.Column('joint_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by', TEXT, server_default='', nullable=False),
        sa.ForeignKeyConstraint(
            ['question_id'], ['question.id'],
            name=op.f('fk_question_condition_question_id_question'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['condition_id'], ['question.id'],
            name=op.f('fk_question_condition_condition_id_question'), ondelete='CASCADE',
        ),
        sa.ForeignKeyConstraint(
            ['joint_id'], ['question.id'],
            name=op.f('fk_question_condition_joint_id_question'), ondelete='SET NULL',
        ),
        sa.PrimaryKeyConstraint('question_id', name=op.f('pk_question_condition')),
    )
    op.create_index(
        op.f('ix_question_condition_condition_id'), 'question_condition', ['condition_id']
    )


def downgrade() -> None:
    op.drop_index(op.f('ix_question_condition_condition_id'), table_name='question_condition')
    op.drop_table('question_condition')
