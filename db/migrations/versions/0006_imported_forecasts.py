"""imported forecasts

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 08:00:00

A forecast brought in from another tool's record keeps that tool's timestamps; it is marked
imported so that the backdating rule (docs/scoring.md) does not take it for hindsight. The
column is added in place (no table rebuild), so the append-only triggers stay.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        'forecast', sa.Column('imported', sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    with op.batch_alter_table('forecast', schema=None) as batch_op:
        batch_op.drop_column('imported')
