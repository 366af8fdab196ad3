"""scenario narratives: each option of a scenario set may tell its future

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-22 18:00:00

A multiple-choice question whose options are scenarios keeps a short narrative for each
option. The column is added in place; options stored before have none.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT = sqlmodel.sql.sqltypes.AutoString()


def upgrade() -> None:
    op.add_column(
        'question_option', sa.Column('narrative', TEXT, server_default='', nullable=False)
    )


def downgrade() -> None:
    with op.batch_alter_table('question_option', schema=None) as batch_op:
        batch_op.drop_column('narrative')
