"""scenario updates: each Bayes update of a forecaster's scenario set on an indicator

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-22 19:40:00

An update keeps the standing forecast it started from, the likelihoods it used, what was
observed and how it is known (the indicator's resolution, or a source reporting it), the
posterior, and the forecast that logged the posterior once it is logged. An indicator updates
a forecaster's scenarios once.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TEXT = sqlmodel.sql.sqltypes.AutoString()


def _key(column: str, table: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f'{table}.id'], name=op.f(f'fk_scenario_update_{column}_{table}'),
        ondelete=ondelete,
    )


def upgrade() -> None:
    op.create_table(
        'scenario_update',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('set_id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('forecaster_id', sa.Integer(), nullable=False),
        sa.Column('observed', sa.Boolean(), nullable=False),
        sa.Column('resolution_id', sa.Integer(), nullable=True),
        sa.Column('source_id', sa.Integer(), nullable=True),
        sa.Column('prior_forecast_id', sa.Integer(), nullable=False),
        sa.Column('prior', TEXT, nullable=False),
        sa.Column('likelihoods', TEXT, nullable=False),
        sa.Column('posterior', TEXT, nullable=False),
        sa.Column('forecast_id', sa.Integer(), nullable=True),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('recorded_by', TEXT, server_default='', nullable=False),
        _key('set_id', 'question', 'CASCADE'),
        _key('indicator_id', 'indicator', 'CASCADE'),
        _key('forecaster_id', 'forecaster'),
        _key('resolution_id', 'resolution'),
        _key('source_id', 'source'),
        _key('prior_forecast_id', 'forecast'),
        _key('forecast_id', 'forecast'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_scenario_update')),
        sa.UniqueConstraint(
            'indicator_id', 'forecaster_id', name=op.f('uq_scenario_update_indicator_id')
        ),
    )
    op.create_index(op.f('ix_scenario_update_set_id'), 'scenario_update', ['set_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_scenario_update_set_id'), table_name='scenario_update')
    op.drop_table('scenario_update')
