"""a random mark on every forecast and a lineage token, so forecasts' columns can be kept

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-23 05:30:00

``score`` and ``calibration`` read every forecast's columns; at 1,000,000 forecasts that is
most of their time. Forecasts are append-only (0005), so what was read once can be kept
between commands (db/kept_columns.py) and only the forecasts added since read again. What
tells a reader that the kept columns are still the database's first forecasts lives in the
database, so no program can write around it:

- ``forecast_mark``: a random number for each forecast, given by a trigger as the forecast
  is inserted. Kept columns that end at forecast N name N's mark; a database whose forecast
  N has another mark (a copy that went its own way, a backup put back, another file) does
  not get them.
- ``data_revision.lineage``: a random token replaced whenever a write does something other
  than append forecasts after the last one: a forecast inserted below the highest id, or a
  multiple-choice forecast's probabilities inserted after a later forecast. Kept columns
  name the lineage they were read at.

Existing forecasts get their marks in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0015'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = {
    'forecast_mark_on_forecast': (
        'AFTER INSERT ON forecast BEGIN '
        'INSERT INTO forecast_mark (forecast_id, mark) VALUES (NEW.id, random()); '
        'UPDATE data_revision SET lineage = randomblob(16) '
        'WHERE NEW.id < (SELECT max(id) FROM forecast); END'
    ),
    'forecast_lineage_on_probability': (
        'AFTER INSERT ON forecast_probability '
        'WHEN NEW.forecast_id < (SELECT max(id) FROM forecast) '
        'BEGIN UPDATE data_revision SET lineage = randomblob(16); END'
    ),
}
"""The triggers, as db/derived.py sets them aside for a bulk write and makes them again."""


def upgrade() -> None:
    op.create_table(
        'forecast_mark',
        sa.Column('forecast_id', sa.Integer(), nullable=False),
        sa.Column('mark', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ['forecast_id'], ['forecast.id'], name=op.f('fk_forecast_mark_forecast_id_forecast')
        ),
        sa.PrimaryKeyConstraint('forecast_id', name=op.f('pk_forecast_mark')),
    )
    op.add_column('data_revision', sa.Column('lineage', sa.LargeBinary(), nullable=True))
    op.execute('UPDATE data_revision SET lineage = randomblob(16)')
    op.execute('INSERT INTO forecast_mark (forecast_id, mark) SELECT id, random() FROM forecast')
    for name, body in TRIGGERS.items():
        op.execute(f'CREATE TRIGGER {name} {body}')


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f'DROP TRIGGER IF EXISTS {name}')
    with op.batch_alter_table('data_revision') as batch:
        batch.drop_column('lineage')
    op.drop_table('forecast_mark')
