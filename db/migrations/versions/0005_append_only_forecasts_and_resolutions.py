"""append-only forecasts and resolutions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 07:30:00

Triggers refuse UPDATE and DELETE on forecasts, their options' probabilities and
resolutions, so that not even a script writing SQL can rewrite the record. Corrections are
made by appending (a later forecast supersedes, a re-resolution is kept in history).
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('forecast', 'forecast_probability', 'resolution')


def upgrade() -> None:
    for table in TABLES:
        for action in ('UPDATE', 'DELETE'):
            op.execute(
                f'CREATE TRIGGER {table}_append_only_{action.lower()} BEFORE {action} ON {table} '
                f"BEGIN SELECT RAISE(ABORT, '{table} rows are append-only: forecasts records "
                f"corrections by appending, never by rewriting'); END"
            )


def downgrade() -> None:
    for table in TABLES:
        for action in ('update', 'delete'):
            op.execute(f'DROP TRIGGER IF EXISTS {table}_append_only_{action}')
