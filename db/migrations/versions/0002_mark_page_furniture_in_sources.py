"""mark page furniture in sources: a table of marked spans, filled for sources already stored

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 01:40:05.716534
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from forecasts.furniture import find_furniture


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('source_furniture',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_source_furniture_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', 'start', name=op.f('pk_source_furniture'))
    )
    connection = op.get_bind()
    furniture = sa.table(
        "source_furniture",
        sa.column("source_id", sa.Integer),
        sa.column("start", sa.Integer),
        sa.column("end", sa.Integer),
        sa.column("kind", sa.String),
    )
    rows = []
    for source_id, text in connection.execute(sa.text("SELECT id, text FROM source")):
        rows.extend(
            {"source_id": source_id, "start": span.start, "end": span.end, "kind": span.kind}
            for span in find_furniture(text)
        )
    if rows:
        op.bulk_insert(furniture, rows)


def downgrade() -> None:
    op.drop_table('source_furniture')
