"""each question's current outcome and forecast counts kept on its row

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-22 22:00:00

The questions screen filters and sorts by status and by forecast count, and ``question list``
prints the counts: worked out per question on every read, they cost a lookup per question
(tenths of a second at 100,000 questions). They are kept on the question's row instead, by
triggers in the database, so that every write keeps them in step, whichever program makes it:
the current outcome (that of the resolution with the highest sequence, NULL while
unresolved), how many forecasts and how many distinct forecasters. Forecasts and resolutions
are append-only (0005) and questions are never deleted, so an insert is the only change to
follow. Existing rows are filled in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT = sqlmodel.sql.sqltypes.AutoString()

TRIGGERS = {
    'question_outcome_on_resolution': (
        'AFTER INSERT ON resolution BEGIN UPDATE question SET outcome = '
        '(SELECT outcome FROM resolution WHERE question_id = NEW.question_id '
        'ORDER BY sequence DESC LIMIT 1) WHERE id = NEW.question_id; END'
    ),
    'question_counts_on_forecast': (
        'AFTER INSERT ON forecast BEGIN UPDATE question SET '
        'forecast_count = forecast_count + 1, '
        'forecaster_count = forecaster_count + NOT EXISTS (SELECT 1 FROM forecast '
        'WHERE question_id = NEW.question_id AND forecaster_id = NEW.forecaster_id '
        'AND id != NEW.id) WHERE id = NEW.question_id; END'
    ),
}


def upgrade() -> None:
    op.add_column('question', sa.Column('outcome', TEXT, nullable=True))
    op.add_column(
        'question', sa.Column('forecast_count', sa.Integer(), server_default='0', nullable=False)
    )
    op.add_column(
        'question', sa.Column('forecaster_count', sa.Integer(), server_default='0', nullable=False)
    )
    op.execute(
        'UPDATE question SET '
        'outcome = (SELECT outcome FROM resolution WHERE question_id = question.id '
        'ORDER BY sequence DESC LIMIT 1), '
        'forecast_count = (SELECT count(*) FROM forecast WHERE question_id = question.id), '
        'forecaster_count = (SELECT count(DISTINCT forecaster_id) FROM forecast '
        'WHERE question_id = question.id)'
    )
    op.create_index(
        op.f('ix_question_outcome_close_at'), 'question', ['outcome', 'close_at']
    )
    for name, body in TRIGGERS.items():
        op.execute(f'CREATE TRIGGER {name} {body}')


def downgrade() -> None:
    for name in TRIGGERS:
        op.execute(f'DROP TRIGGER IF EXISTS {name}')
    op.drop_index(op.f('ix_question_outcome_close_at'), table_name='question')
    with op.batch_alter_table('question') as batch:
        batch.drop_column('forecaster_count')
        batch.drop_column('forecast_count')
        batch.drop_column('outcome')
