"""initial schema: questions, options, tags, forecasters, sources, forecasts, resolutions

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 01:28:27.544966
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('forecaster',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('affiliation', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecaster')),
    sa.UniqueConstraint('name', name=op.f('uq_forecaster_name'))
    )
    op.create_table('question',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('description', sqlmodel.sql.sqltypes.AutoString(), server_default='', nullable=False),
    sa.Column('criteria', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('close_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('resolve_by', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_question')),
    sa.UniqueConstraint('key', name=op.f('uq_question_key'))
    )
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_close_at'), ['close_at'], unique=False)

    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('outlet', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('date_precision', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('date_note', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('added_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source')),
    sa.UniqueConstraint('key', name=op.f('uq_source_key')),
    sa.UniqueConstraint('sha256', name=op.f('uq_source_sha256'))
    )
    op.create_table('forecast',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('forecaster_id', sa.Integer(), nullable=False),
    sa.Column('made_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('made_at_precision', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('probability', sa.Float(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('quote', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('quote_start', sa.Integer(), nullable=True),
    sa.Column('quote_end', sa.Integer(), nullable=True),
    sa.Column('phrase', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('scale', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('scale_probability', sa.Float(), nullable=True),
    sa.Column('inferred', sa.Boolean(), nullable=False),
    sa.Column('rationale', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['forecaster_id'], ['forecaster.id'], name=op.f('fk_forecast_forecaster_id_forecaster')),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_forecast_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_forecast_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forecast'))
    )
    with op.batch_alter_table('forecast', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_forecast_forecaster_id'), ['forecaster_id'], unique=False)
        batch_op.create_index('ix_forecast_question_forecaster_made', ['question_id', 'forecaster_id', 'made_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_forecast_source_id'), ['source_id'], unique=False)

    op.create_table('question_option',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('label', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_option_question_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', 'position', name=op.f('pk_question_option'))
    )
    op.create_table('question_tag',
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('tag', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_question_tag_question_id_question'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('question_id', 'tag', name=op.f('pk_question_tag'))
    )
    with op.batch_alter_table('question_tag', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_question_tag_tag'), ['tag'], unique=False)

    op.create_table('resolution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question_id', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('outcome', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('resolved_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('evidence', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('resolved_by', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('recorded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['question_id'], ['question.id'], name=op.f('fk_resolution_question_id_question'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_resolution_source_id_source')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resolution')),
    sa.UniqueConstraint('question_id', 'sequence', name=op.f('uq_resolution_question_id'))
    )
    op.create_table('forecast_probability',
    sa.Column('forecast_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('probability', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['forecast_id'], ['forecast.id'], name=op.f('fk_forecast_probability_forecast_id_forecast'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('forecast_id', 'position', name=op.f('pk_forecast_probability'))
    )


def downgrade() -> None:
    op.drop_table('forecast_probability')
    op.drop_table('resolution')
    with op.batch_alter_table('question_tag', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_tag_tag'))

    op.drop_table('question_tag')
    op.drop_table('question_option')
    with op.batch_alter_table('forecast', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forecast_source_id'))
        batch_op.drop_index('ix_forecast_question_forecaster_made')
        batch_op.drop_index(batch_op.f('ix_forecast_forecaster_id'))

    op.drop_table('forecast')
    op.drop_table('source')
    with op.batch_alter_table('question', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_question_close_at'))

    op.drop_table('question')
    op.drop_table('forecaster')
