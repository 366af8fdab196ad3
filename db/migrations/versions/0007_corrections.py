"""corrections: an event log, who recorded each write, withdrawn questions, merged forecasters

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 09:00:00

Corrections never rewrite the record: question edits, retractions, withdrawals, restorations,
renames and merges are appended to an event log (append-only, like forecasts), each with who
recorded it, when and why. Forecasts, resolutions and questions also record who wrote them.
Columns are added in place, so the append-only triggers stay.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT = sqlmodel.sql.sqltypes.AutoString()


def upgrade() -> None:
    op.create_table(
        'event',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', TEXT, nullable=False),
        sa.Column('question_id', sa.Integer(), nullable=True),
        sa.Column('forecast_id', sa.Integer(), nullable=True),
        sa.Column('forecaster_id', sa.Integer(), nullable=True),
        sa.Column('reason', TEXT, server_default='', nullable=False),
        sa.Column('detail', TEXT, server_default='{}', nullable=False),
        sa.Column('recorded_by', TEXT, server_default='', nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_event_question_id_question')),
        sa.ForeignKeyConstraint(['forecast_id'], ['forecast.id'], name=op.f('fk_event_forecast_id_forecast')),
        sa.ForeignKeyConstraint(['forecaster_id'], ['forecaster.id'], name=op.f('fk_event_forecaster_id_forecaster')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_event')),
    )
    op.create_index(op.f('ix_event_question_id'), 'event', ['question_id'])
    op.create_index(op.f('ix_event_forecast_id'), 'event', ['forecast_id'])
    op.create_index(
        'ux_event_one_retraction', 'event', ['forecast_id'], unique=True,
        sqlite_where=sa.text("kind = 'retracted'"),
    )
    for action in ('UPDATE', 'DELETE'):
        op.execute(
            f'CREATE TRIGGER event_append_only_{action.lower()} BEFORE {action} ON event '
            "BEGIN SELECT RAISE(ABORT, 'event rows are append-only: forecasts records "
            "corrections by appending, never by rewriting'); END"
        )
    for table in ('question', 'forecast', 'resolution'):
        op.add_column(table, sa.Column('recorded_by', TEXT, server_default='', nullable=False))
    op.add_column('question', sa.Column('withdrawn', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('forecaster', sa.Column('merged_into_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('forecaster') as batch_op:
        batch_op.drop_column('merged_into_id')
    with op.batch_alter_table('question') as batch_op:
        batch_op.drop_column('withdrawn')
        batch_op.drop_column('recorded_by')
    for table in ('forecast', 'resolution'):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('recorded_by')
    op.execute('DROP TRIGGER IF EXISTS event_append_only_update')
    op.execute('DROP TRIGGER IF EXISTS event_append_only_delete')
    op.drop_table('event')
