"""forecaster names unique under Unicode case folding

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 07:00:00

SQLite's lower() folds ASCII letters only, so "Ölmann" and "ÖLMANN" were two forecasters.
A normalised column (NFKC, then case folding, white space folded) now carries a unique
index. Existing names that clash under the new rule are reported on stderr and keep their
records: the oldest keeps the name, each later one is told apart by its id.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(name: str) -> str:
    # the rule as it stands at this revision (forecasts.models.name_key)
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def upgrade() -> None:
    with op.batch_alter_table('forecaster', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    connection = op.get_bind()
    rows = connection.execute(sa.text("SELECT id, name FROM forecaster ORDER BY id")).fetchall()
    first: dict[str, tuple[int, str]] = {}
    for ident, name in rows:
        key = _key(name)
        if key in first:
            kept_id, kept = first[key]
            sys.stderr.write(
                f"forecasts: forecaster {ident} ({name!r}) has the same name as forecaster "
                f"{kept_id} ({kept!r}) ignoring case; both are kept, rename one\n"
            )
            key = f"{key}#{ident}"
        else:
            first[key] = (ident, name)
        connection.execute(
            sa.text("UPDATE forecaster SET name_key = :key WHERE id = :id"), {"key": key, "id": ident}
        )
    with op.batch_alter_table('forecaster', schema=None) as batch_op:
        batch_op.alter_column('name_key', existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_forecaster_name_key'), ['name_key'])


def downgrade() -> None:
    with op.batch_alter_table('forecaster', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_forecaster_name_key'), type_='unique')
        batch_op.drop_column('name_key')
